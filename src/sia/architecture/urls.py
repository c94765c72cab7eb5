from django.urls import path

from sia.core.routes import object_routes

from . import gap_views, integrations, mentor_views, views
from .registry import domain_models

app_name = "architecture"


def domain_routes(model):
    name = model._meta.model_name
    slug = model.spec.slug
    bind = views.domain_view
    return [
        *object_routes(
            slug, name,
            list=bind(views.DomainListView, model), add=bind(views.DomainEditView, model),
            detail=bind(views.DomainView, model), edit=bind(views.DomainEditView, model),
            delete=bind(views.DomainDeleteView, model), history=bind(views.DomainHistoryView, model),
        ),
        path(f"{slug}/<int:pk>/tindakan/", bind(views.DomainActionView, model).as_view(), name=f"{name}_action"),
        path(f"{slug}/ajukan/", bind(views.DomainBulkSubmitView, model).as_view(), name=f"{name}_bulk"),
        path(f"{slug}/cari-tautan/<str:field>/", bind(views.LinkSearchView, model).as_view(),
             name=f"{name}_link_search"),
    ]


urlpatterns = [
    path("perlu-tindakan/", views.needs_action, name="needs_action"),
    path("kelengkapan/", views.completeness_view, name="completeness"),
    path("kesenjangan/", gap_views.gap_catalog_view, name="gap_catalog"),
    path("beban-mentor/", mentor_views.mentor_load_view, name="mentor_load"),
    path("beban-mentor/pindahkan/", mentor_views.mentor_reassign, name="mentor_reassign"),
    path("proses-bisnis/pohon/", views.process_tree, name="process_tree"),
    *object_routes(
        "nilai-pilihan", "valuelistitem",
        list=views.ValueListView, add=views.ValueListItemEditView, detail=views.ValueListItemView,
        edit=views.ValueListItemEditView, delete=views.ValueListItemDeleteView, history=views.ValueListItemHistoryView,
    ),
    *object_routes(
        "integrasi-aplikasi", "applicationintegration",
        list=integrations.IntegrationListView, add=integrations.IntegrationEditView,
        detail=integrations.IntegrationView, edit=integrations.IntegrationEditView,
        delete=integrations.IntegrationDeleteView, history=integrations.IntegrationHistoryView,
    ),
]
for _model in domain_models():
    urlpatterns += domain_routes(_model)

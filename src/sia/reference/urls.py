from django.urls import path, re_path

from sia.core.routes import object_routes

from . import views

app_name = "reference"

urlpatterns = [
    path("", views.CatalogIndexView.as_view(), name="catalog_list"),
    path("cari/", views.SearchView.as_view(), name="search"),
    path("pilih/", views.PickerView.as_view(), name="picker"),
    path("impor/", views.ImportView.as_view(), name="import"),
    path("simpul/<int:pk>/anak/", views.NodeChildrenView.as_view(), name="node_children"),
    *object_routes(
        "simpul", "referencenode",
        list=views.ReferenceNodeListView, add=views.ReferenceNodeEditView, detail=views.ReferenceNodeView,
        edit=views.ReferenceNodeEditView, delete=views.ReferenceNodeDeleteView, history=views.ReferenceNodeHistoryView,
    ),
    *object_routes(
        "versi", "catalogversion",
        list=views.CatalogVersionListView, detail=views.CatalogVersionView, history=views.CatalogVersionHistoryView,
    ),
    path("versi/<int:pk>/terbitkan/", views.CatalogVersionPublishView.as_view(), name="catalogversion_publish"),
    re_path(r"^(?P<code>[A-Za-z]{3})/$", views.CatalogTreeView.as_view(), name="catalog"),
]

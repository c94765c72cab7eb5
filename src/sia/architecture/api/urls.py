from django.urls import path
from rest_framework.routers import DefaultRouter

from ..registry import domain_models
from . import gaps, integrations, views

app_name = "architecture-api"

router = DefaultRouter()
for model in domain_models():
    router.register(model.spec.api_name, views.viewset_for(model), basename=model._meta.model_name)
router.register("value-list-items", views.ValueListItemViewSet, basename="valuelistitem")
router.register("application-integrations", integrations.ApplicationIntegrationViewSet, basename="applicationintegration")

urlpatterns = [
    path("completeness/", views.CompletenessView.as_view(), name="completeness"),
    path("gaps/", gaps.GapCatalogView.as_view(), name="gaps"),
    *router.urls,
]

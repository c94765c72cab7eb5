from rest_framework.routers import DefaultRouter

from . import views

app_name = "reference-api"

router = DefaultRouter()
router.register("catalogs", views.CatalogViewSet)
router.register("versions", views.CatalogVersionViewSet)
router.register("nodes", views.ReferenceNodeViewSet)

urlpatterns = router.urls

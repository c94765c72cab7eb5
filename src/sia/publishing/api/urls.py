from rest_framework.routers import DefaultRouter

from .views import GeneratedDocumentViewSet

app_name = "publishing-api"

router = DefaultRouter()
router.register("documents", GeneratedDocumentViewSet, basename="document")

urlpatterns = router.urls

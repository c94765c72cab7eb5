from rest_framework.routers import DefaultRouter

from .assessments import AssessmentViewSet
from .clearances import ClearanceViewSet

app_name = "portfolio-api"

router = DefaultRouter()
router.register("assessments", AssessmentViewSet)
router.register("clearances", ClearanceViewSet)

urlpatterns = router.urls

from django.urls import path
from rest_framework.routers import DefaultRouter

from .assessments import ApplicationAssessmentViewSet
from .clearances import ClearanceViewSet
from .duplicates import CandidatesView, DismissalViewSet

app_name = "portfolio-api"

router = DefaultRouter()
router.register("assessments", ApplicationAssessmentViewSet)
router.register("clearances", ClearanceViewSet)
router.register("duplicate-dismissals", DismissalViewSet)

urlpatterns = [
    path("duplicate-candidates/", CandidatesView.as_view(), name="duplicate-candidates"),
    *router.urls,
]

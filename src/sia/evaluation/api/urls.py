from rest_framework.routers import DefaultRouter

from . import views

app_name = "evaluation-api"

router = DefaultRouter()
router.register("frameworks", views.FrameworkVersionViewSet)
router.register("indicators", views.IndicatorViewSet)
router.register("assessments", views.AssessmentViewSet)
router.register("assessment-team-members", views.AssessmentTeamMemberViewSet)
router.register("indicator-scores", views.IndicatorScoreViewSet)
router.register("evidence", views.EvidenceViewSet)
router.register("evidence-items", views.EvidenceItemViewSet)
router.register("evidence-item-reviews", views.EvidenceItemReviewViewSet)

urlpatterns = router.urls

from rest_framework.routers import DefaultRouter

from . import views

app_name = "governance-api"

router = DefaultRouter()
router.register("policy-documents", views.PolicyDocumentViewSet)
router.register("team-members", views.TeamMemberViewSet)

urlpatterns = router.urls

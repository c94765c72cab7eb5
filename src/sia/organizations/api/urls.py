from rest_framework.routers import DefaultRouter

from . import views

app_name = "organizations-api"

router = DefaultRouter()
router.register("institutions", views.InstitutionViewSet)
router.register("departments", views.DepartmentViewSet)
router.register("department-functions", views.DepartmentFunctionViewSet)
router.register("work-units", views.WorkUnitViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("mentor-assignments", views.MentorAssignmentViewSet)

urlpatterns = router.urls

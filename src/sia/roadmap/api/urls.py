from django.urls import path
from rest_framework.routers import DefaultRouter

from .. import workbook_api
from . import views

app_name = "roadmap-api"

router = DefaultRouter()
router.register("strategic-targets", views.StrategicTargetViewSet)
router.register("initiatives", views.InitiativeViewSet)
router.register("programs", views.ProgramViewSet)
router.register("activities", views.ActivityViewSet)
router.register("activity-years", views.ActivityYearViewSet)
router.register("activity-gaps", views.ActivityGapViewSet)

urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="figures"),
    path("workbook/", workbook_api.RoadmapWorkbookView.as_view(), name="workbook"),
    *router.urls,
]

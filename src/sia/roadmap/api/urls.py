from django.urls import path
from rest_framework.routers import DefaultRouter

from .. import workbook_api
from . import views

app_name = "roadmap-api"

class RoadmapRouter(DefaultRouter):
    """The router whose root (``/api/roadmap/``) also lists the figures and the workbook beside the viewsets."""

    def get_api_root_view(self, api_urls=None):
        view = super().get_api_root_view(api_urls)
        view.initkwargs["api_root_dict"].update({"figures": "figures", "workbook": "workbook"})
        return view


router = RoadmapRouter()
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

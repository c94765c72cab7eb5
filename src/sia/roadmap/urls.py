from django.urls import path

from sia.core.routes import object_routes

from . import overview_views, views, workbook_views

app_name = "roadmap"

urlpatterns = [
    path("", overview_views.overview, name="overview"),
    path("linimasa/", overview_views.timeline_view, name="timeline"),
    path("anggaran/", overview_views.budget_view, name="budget"),
    path("dasbor/", overview_views.dashboard, name="dashboard"),
    *object_routes("sasaran", "strategictarget", list=views.StrategicTargetListView,
                   detail=views.StrategicTargetView, history=views.StrategicTargetHistoryView,
                   add=views.StrategicTargetEditView, edit=views.StrategicTargetEditView,
                   delete=views.StrategicTargetDeleteView),
    *object_routes("inisiatif", "initiative", add=views.InitiativeEditView, edit=views.InitiativeEditView,
                   delete=views.InitiativeDeleteView),
    *object_routes("program", "program", add=views.ProgramEditView, edit=views.ProgramEditView,
                   delete=views.ProgramDeleteView),
    *object_routes("kegiatan", "activity", list=views.ActivityListView, detail=views.ActivityView,
                   history=views.ActivityHistoryView, add=views.ActivityEditView, edit=views.ActivityEditView,
                   delete=views.ActivityDeleteView),
    path("kegiatan/<int:pk>/tindakan/", views.ActivityActionView.as_view(), name="activity_action"),
    path("excel/", workbook_views.workbook_page, name="workbook"),
    path("excel/unduh/", workbook_views.workbook_download, name="workbook_download"),
    path("excel/simpan/", workbook_views.workbook_commit, name="workbook_commit"),
]

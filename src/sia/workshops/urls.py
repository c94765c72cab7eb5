from django.urls import path

from sia.core.routes import object_routes

from . import views

app_name = "workshops"

urlpatterns = [
    *object_routes("kegiatan", "workshop", list=views.WorkshopListView, detail=views.WorkshopView,
                   history=views.WorkshopHistoryView, add=views.WorkshopEditView, edit=views.WorkshopEditView,
                   delete=views.WorkshopDeleteView),
    path("kegiatan/<int:pk>/hadir/", views.checkin_view, name="workshop_checkin"),
    path("kegiatan/<int:pk>/daftar-hadir.<str:extension>", views.sheet_view, name="workshop_sheet"),
    *object_routes("kehadiran", "attendance", add=views.AttendanceEditView, edit=views.AttendanceEditView,
                   delete=views.AttendanceDeleteView),
]

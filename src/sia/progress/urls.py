from django.urls import path

from sia.core.routes import object_routes

from . import pages, views

app_name = "progress"

urlpatterns = [
    path("", pages.overview, name="overview"),
    path("opd/<int:pk>/", pages.department_page, name="department"),
    path("dasbor/", pages.dashboard, name="dashboard"),
    *object_routes("target", "target", list=views.TargetListView, detail=views.TargetView,
                   history=views.TargetHistoryView, add=views.TargetEditView, edit=views.TargetEditView,
                   delete=views.TargetDeleteView),
]

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import archimate, snapshot_jobs, views

app_name = "exchange-api"

router = DefaultRouter()
router.register("imports", views.ImportRecordViewSet, basename="importrecord")
router.register("snapshot-jobs", snapshot_jobs.SnapshotJobViewSet, basename="snapshotjob")

urlpatterns = [
    path("templates/", views.TemplateView.as_view(), name="template"),
    path("exports/", views.ExportView.as_view(), name="export"),
    path("instances/<int:institution_id>/snapshot/", views.SnapshotView.as_view(), name="snapshot"),
    path("snapshots/restore/", views.RestoreView.as_view(), name="restore"),
    path("archimate/", archimate.ArchimateView.as_view(), name="archimate"),
    *router.urls,
]

from django.urls import path

from . import archimate_views, snapshot_views, views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("templat/", views.template_download, name="template"),
    path("ekspor/", views.export_download, name="export"),
    path("unggah/", views.UploadView.as_view(), name="upload"),
    path("unggah/<int:pk>/", views.ImportRecordView.as_view(), name="importrecord"),
    path("unggah/<int:pk>/simpan/", views.CommitView.as_view(), name="importrecord_commit"),
    path("unggah/<int:pk>/kemajuan/", views.job_progress, name="importrecord_progress"),
    path("riwayat/", views.ImportRecordListView.as_view(), name="importrecord_list"),
    path("arsip/", snapshot_views.snapshots, name="snapshots"),
    path("arsip/pulihkan/", snapshot_views.snapshot_restore, name="snapshot_restore"),
    path("arsip/<int:pk>/", snapshot_views.snapshot_job, name="snapshotjob"),
    path("arsip/<int:pk>/unduh/", snapshot_views.snapshot_download, name="snapshotjob_download"),
    path("arsip/<int:pk>/ulangi/", snapshot_views.snapshot_retry, name="snapshotjob_retry"),
    path("archimate/", archimate_views.archimate_page, name="archimate"),
    path("archimate/unduh/", archimate_views.archimate_download, name="archimate_download"),
    path("archimate/simpan/", archimate_views.archimate_commit, name="archimate_commit"),
]

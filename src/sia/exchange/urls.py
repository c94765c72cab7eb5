from django.urls import path

from . import archimate_views, views

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
    path("archimate/", archimate_views.archimate_page, name="archimate"),
    path("archimate/unduh/", archimate_views.archimate_download, name="archimate_download"),
    path("archimate/simpan/", archimate_views.archimate_commit, name="archimate_commit"),
]

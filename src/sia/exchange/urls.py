from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="index"),
    path("templat/", views.template_download, name="template"),
    path("ekspor/", views.export_download, name="export"),
    path("unggah/", views.UploadView.as_view(), name="upload"),
    path("unggah/<int:pk>/", views.ImportRecordView.as_view(), name="importrecord"),
    path("unggah/<int:pk>/simpan/", views.CommitView.as_view(), name="importrecord_commit"),
    path("riwayat/", views.ImportRecordListView.as_view(), name="importrecord_list"),
]

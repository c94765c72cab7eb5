from django.urls import path

from . import views

app_name = "index_evidence"

urlpatterns = [
    path("penilaian/<int:pk>/indikator/<int:number>/lampirkan/<slug:key>/", views.AttachExportView.as_view(),
         name="attach"),
]

from django.urls import path

from sia.core.routes import object_routes

from . import views

app_name = "governance"

urlpatterns = [
    *object_routes("dokumen", "policydocument", list=views.PolicyDocumentListView, detail=views.PolicyDocumentView,
                   history=views.PolicyDocumentHistoryView, add=views.PolicyDocumentEditView,
                   edit=views.PolicyDocumentEditView, delete=views.PolicyDocumentDeleteView),
    path("dokumen/<int:pk>/berkas/", views.PolicyDocumentFileView.as_view(), name="policydocument_file"),
    path("penilaian/<int:pk>/indikator/<int:number>/lampirkan-kebijakan/", views.AttachDocumentsView.as_view(),
         name="attach"),
]

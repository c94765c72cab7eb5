from django.urls import path

from . import views

urlpatterns = [
    path("dokumen/", views.documents, name="documents"),
    path("dokumen/<int:pk>/", views.document, name="document"),
    path("dokumen/<int:pk>/unduh/", views.download, name="document_download"),
]

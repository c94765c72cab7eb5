from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.documents, name="documents"),
    path("<int:pk>/", views.document, name="document"),
    path("<int:pk>/unduh/", views.download, name="document_download"),
]

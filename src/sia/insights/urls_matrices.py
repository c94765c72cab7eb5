"""URL patterns of the insights matrices (under /analisis/, namespace ``insights``): the list, one matrix as a
page and as an .xlsx download."""

from django.urls import path

from . import views_matrices

urlpatterns: list = [
    path("matriks/", views_matrices.matrices, name="matrices"),
    path("matriks/<slug:slug>/", views_matrices.matrix, name="matrix"),
    path("matriks/<slug:slug>.xlsx", views_matrices.matrix_xlsx, name="matrix_xlsx"),
]

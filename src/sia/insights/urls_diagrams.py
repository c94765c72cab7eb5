"""URL patterns of the insights diagrams (``views_diagrams``): ``.html`` (a fragment for the pages), ``.svg`` and
``.png``."""

from django.urls import path

from . import views_diagrams as views

urlpatterns: list = [
    path("<slug:kind>/<int:pk>/jejak/diagram.<str:fmt>", views.trace_view, name="trace_diagram"),
    path("<slug:kind>/<int:pk>/dampak/diagram.<str:fmt>", views.impact_view, name="impact_diagram"),
    path("opd/<int:pk>/diagram.<str:fmt>", views.landscape_view, name="landscape_diagram"),
    path("lanskap-aplikasi/diagram.<str:fmt>", views.application_landscape_view,
         name="application_landscape_diagram"),
]

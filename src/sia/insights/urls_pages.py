"""URL patterns of the insights pages: the overview, gaps, single points of failure, landscapes, an object's
traceability and impact analysis, and the home page's gap numbers (a fragment)."""

from django.urls import path

from . import views, views_objects

urlpatterns: list = [
    path("", views.index, name="index"),
    path("celah/", views.gaps, name="gaps"),
    path("titik-kegagalan/", views.single_points, name="single_points"),
    path("dashboard-celah/", views.dashboard_gaps, name="dashboard_gaps"),
    path("lanskap-aplikasi/", views_objects.application_landscape, name="application_landscape"),
    path("opd/<int:pk>/", views_objects.landscape, name="landscape"),
    path("<slug:kind>/<int:pk>/jejak/", views_objects.trace, name="trace"),
    path("<slug:kind>/<int:pk>/dampak/", views_objects.impact, name="impact"),
]

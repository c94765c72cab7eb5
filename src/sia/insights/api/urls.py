"""``/api/insights/``: the graph read through the API (``views``: neighbours, impact sets, paths, traces, gaps,
single points of failure)."""

from django.urls import path

from . import views

app_name = "insights-api"

urlpatterns = [
    path("", views.RootView.as_view(), name="api-root"),
    path("neighbours/", views.NeighboursView.as_view(), name="neighbours"),
    path("impact-sets/", views.ImpactSetView.as_view(), name="impact-sets"),
    path("paths/", views.PathsView.as_view(), name="paths"),
    path("traces/", views.TraceView.as_view(), name="traces"),
    path("gaps/", views.GapsView.as_view(), name="gaps"),
    path("single-points-of-failure/", views.SinglePointsView.as_view(), name="single-points-of-failure"),
]

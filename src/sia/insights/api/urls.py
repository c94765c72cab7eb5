"""``/api/insights/``: the graph read through the API."""

app_name = "insights-api"

urlpatterns: list = []

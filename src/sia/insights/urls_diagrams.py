"""URL patterns of the insights diagrams (filled in by the work on issue 13)."""

urlpatterns: list = []

"""URL patterns of the insights matrices (filled in by the work on issue 13)."""

urlpatterns: list = []

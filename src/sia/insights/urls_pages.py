"""URL patterns of the insights pages (filled in by the work on issue 13)."""

urlpatterns: list = []

"""Pages of ``sia.insights`` under /analisis/: the page views, their diagrams and the matrices, each in a module of
its own."""

from .urls_diagrams import urlpatterns as diagram_patterns
from .urls_matrices import urlpatterns as matrix_patterns
from .urls_pages import urlpatterns as page_patterns

app_name = "insights"

urlpatterns = [*matrix_patterns, *diagram_patterns, *page_patterns]

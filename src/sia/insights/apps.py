from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Traceability, impact analysis and gaps across every architecture domain, read from the link
    declarations (``sia.insights.graph``).

    Sits above ``sia.architecture`` and ``sia.portfolio``: nothing below imports it.
    """

    name = "sia.insights"
    label = "insights"
    verbose_name = _("Analisis Arsitektur")

    def ready(self):
        from . import navigation, panels  # noqa: F401 (the Analisis menu, the object page and home panels)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndexEvidenceConfig(AppConfig):
    """The architecture as evidence of the index: what SIA's records say about each indicator of an assessment (the
    architecture, the portfolio, the roadmap, the Dokumen Arsitektur SPBE), and the dated exports one click attaches
    as its evidence.

    Sits at the top (it reads every app below); it fills the registry of ``sia.evaluation.facts``, which the indicator
    page reads, so the evaluation never imports the apps above it.
    """

    name = "sia.index_evidence"
    label = "index_evidence"
    verbose_name = _("Arsitektur sebagai Bukti Indeks")

    def ready(self):
        from . import exports, indicators  # noqa: F401 (the exports and the providers of each indicator, registered)

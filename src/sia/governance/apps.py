from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """The governance register: an instansi's internal policies and decrees (Pergub on SPBE governance, SK of the Tim
    Koordinasi SPBE and of the Tim Evaluator/Asesor Internal, SOP), their files, validity and status, the index
    indicators each evidences and the members of the teams the decrees form.

    Sits above the evaluation: it fills ``sia.evaluation.facts`` (the documents offered as evidence on an indicator's
    page, the Berita Acara's team), so the evaluation never imports it.
    """

    name = "sia.governance"
    label = "governance"
    verbose_name = _("Register Tata Kelola")

    def ready(self):
        from . import evidence, navigation, policies, team  # noqa: F401 (facts and export, menu, policies, team)
        from . import demo  # noqa: F401 (the demo step)
        from . import snapshot  # noqa: F401 (the register in the instansi snapshot)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sia.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluasi indeks")  # SPBE (59/2020) and Pemdi (8/2026)

    def ready(self):
        from . import dashboard, demo, demo_pemdi, navigation, policies, signals  # noqa: F401
        from .frameworks import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="evaluation_install_frameworks")

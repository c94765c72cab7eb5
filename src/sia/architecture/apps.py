from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchitectureConfig(AppConfig):
    name = "sia.architecture"
    label = "architecture"
    verbose_name = _("Arsitektur SPBE")

    def ready(self):
        from . import checks, dashboard, demo, demo_notices, generation, kept, navigation, policies, signals  # noqa: F401

        from sia.reference.mappings import register_mapping_models

        from .registry import domain_models

        generation.connect()
        kept.connect()  # the figures of the home pages kept between requests: what else changes them
        register_mapping_models(domain_models)  # the reference node pages list what maps to them

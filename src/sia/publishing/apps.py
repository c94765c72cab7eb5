from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "sia.publishing"
    label = "publishing"
    verbose_name = _("Dokumen Arsitektur SPBE")

    def ready(self):
        from sia.exchange.snapshot import exclude_from_snapshot

        from . import navigation, policies  # noqa: F401
        from .models import GeneratedDocument

        # Generated documents are derived from the architecture: written anew on the new server when asked.
        exclude_from_snapshot(GeneratedDocument)

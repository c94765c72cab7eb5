from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "sia.reference"
    label = "reference"
    verbose_name = _("Arsitektur Referensi")

    def ready(self):
        from . import dashboard, demo, navigation, policies  # noqa: F401
        from .signals import load_default_catalogs

        post_migrate.connect(load_default_catalogs, sender=self, dispatch_uid="sia.reference.load_default_catalogs")

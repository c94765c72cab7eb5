from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sia.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self):
        from . import signals  # noqa: F401

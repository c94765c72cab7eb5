from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "sia.exchange"
    label = "exchange"
    verbose_name = _("Pertukaran Data")

    def ready(self):
        from . import checks, csv_export, list_actions, navigation, policies, snapshot_sections  # noqa: F401

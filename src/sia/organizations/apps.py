from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "sia.organizations"
    label = "organizations"
    verbose_name = _("Organisasi")

    def ready(self):
        from . import dashboard, demo, navigation, policies  # noqa: F401

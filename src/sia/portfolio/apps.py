from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """The application portfolio: duplicates across OPDs, TIME rationalisation, clearance of new applications.

    Sits above ``sia.architecture`` (reads its Aplikasi domain); nothing below imports it.
    """

    name = "sia.portfolio"
    label = "portfolio"
    verbose_name = _("Portofolio Aplikasi")

    def ready(self):
        from . import clearance  # noqa: F401 (its review gate: a new application's clearance rules its review)
        from . import demo, navigation, policies, snapshot, views_clearance, views_rationalisation  # noqa: F401 (demo, menu, policies, snapshot, panels)

"""The Portofolio menu: the pages over the whole application portfolio."""

from django.utils.translation import gettext_lazy as _

from sia.architecture.models import Application
from sia.core.navigation import MenuItem, register_menu

register_menu(
    _("Portofolio"),
    35,
    [
        MenuItem(_("Duplikat aplikasi"), "portfolio:duplicates", Application),
        MenuItem(_("Rasionalisasi (TIME)"), "portfolio:rationalisation", Application),
    ],
)

"""The portfolio's pages, in the Arsitektur menu (next to the Aplikasi list they read)."""

from django.utils.translation import gettext_lazy as _

from sia.architecture.models import Application
from sia.core.navigation import MenuItem, extend_menu

extend_menu("architecture", [
    MenuItem(_("Duplikat aplikasi"), "portfolio:duplicates", Application),
    MenuItem(_("Rasionalisasi (TIME)"), "portfolio:rationalisation", Application),
])

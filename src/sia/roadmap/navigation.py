"""The roadmap's menu group: its overview pages (ringkasan, linimasa, anggaran), sasaran strategis and kegiatan."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sia.core.navigation import MenuItem, register_menu

from .models import Activity, StrategicTarget

register_menu(_("Peta Rencana"), 35, [
    MenuItem(_("Ringkasan dan peringatan"), "roadmap:overview", StrategicTarget),
    MenuItem(_("Linimasa"), "roadmap:timeline", StrategicTarget),
    MenuItem(_("Anggaran dan keterpaduan"), "roadmap:budget", StrategicTarget),
    MenuItem(_("Sasaran strategis"), "roadmap:strategictarget_list", StrategicTarget),
    MenuItem(pgettext_lazy("menu", "Kegiatan"), "roadmap:activity_list", Activity),
    MenuItem(_("Excel"), "roadmap:workbook", StrategicTarget),
])

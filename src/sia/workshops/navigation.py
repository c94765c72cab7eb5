"""The kegiatan's menu entry: a group of its own (the programme's sessions)."""

from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .models import Workshop

register_menu(_("Pendampingan"), 37, [
    MenuItem(_("Kegiatan pendampingan"), "workshops:workshop_list", Workshop,
             description=_("Bimtek, workshop dan rapat koordinasi: undangan, kehadiran dan hasilnya.")),
])

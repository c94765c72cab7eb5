"""The kegiatan's menu entry, in the programme's group (``sia.progress``'s "Program")."""

from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, extend_menu

from .models import Workshop

extend_menu("programme", [
    MenuItem(_("Kegiatan pendampingan"), "workshops:workshop_list", Workshop,
             description=_("Bimtek, workshop dan rapat koordinasi: undangan, kehadiran dan hasilnya.")),
])

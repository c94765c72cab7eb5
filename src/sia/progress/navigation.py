"""The programme's menu group ("Program"): the progress page (burn-up) and the targets; the kegiatan pendampingan
(``sia.workshops``) add their entry to it, the top bar has room for few groups on a laptop screen."""

from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .models import ProgressSnapshot, Target

register_menu(_("Program"), 36, [
    MenuItem(_("Kemajuan"), "progress:overview", ProgressSnapshot,
             description=_("Grafik burn-up per OPD dan instansi, target indeks dan trennya.")),
    MenuItem(_("Target dan tenggat"), "progress:target_list", Target,
             description=_("Target per OPD dan domain dengan status yang dihitung dari data.")),
], key="programme")

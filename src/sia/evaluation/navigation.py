from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sia.core.navigation import MenuItem, register_menu

from .policies import can_see_evaluation

register_menu(
    pgettext_lazy("menu", "Evaluasi"),  # neutral: each assessment names its own index (Indeks SPBE, Indeks Pemdi)
    40,
    [
        MenuItem(_("Penilaian indeks"), "evaluation:assessment_list", allowed=can_see_evaluation),
        MenuItem(
            _("Kerangka penilaian"), "evaluation:frameworkversion_list",
            allowed=lambda user: getattr(user, "is_authenticated", False),
        ),
    ],
    key="evaluation",  # apps above add their entries (the governance register)
)

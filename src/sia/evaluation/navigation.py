from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .policies import can_see_evaluation
from .terms import menu_label

register_menu(
    # named after the index in force this year ("Indeks Pemdi" from 2026): what the instansi is evaluated on now
    # and what the Ministry calls it; each assessment's own pages name its own index (an SPBE 2024 one stays SPBE)
    menu_label,
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

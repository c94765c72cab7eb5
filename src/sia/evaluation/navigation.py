from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .policies import can_see_evaluation

register_menu(
    _("Evaluasi SPBE"),
    40,
    [
        MenuItem(_("Penilaian SPBE"), "evaluation:assessment_list", allowed=can_see_evaluation),
        MenuItem(
            _("Kerangka penilaian"), "evaluation:frameworkversion_list",
            allowed=lambda user: getattr(user, "is_authenticated", False),
        ),
    ],
)

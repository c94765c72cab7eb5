from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.navigation import MenuItem, register_menu

from .models import BusinessProcess, ValueListItem
from .registry import domain_models


def _members(user):
    return permissions.can_anywhere(user, permissions.VIEW, BusinessProcess)


register_menu(
    _("Arsitektur"),
    30,
    [MenuItem(model.spec.menu_label or model._meta.verbose_name_plural, f"architecture:{model._meta.model_name}_list", model)
     for model in domain_models()]
    + [
        MenuItem(_("Pohon proses bisnis"), "architecture:process_tree", allowed=_members),
        MenuItem(_("Perlu tindakan"), "architecture:needs_action", allowed=_members),
        MenuItem(_("Kelengkapan per OPD"), "architecture:completeness", allowed=_members),
        MenuItem(_("Daftar nilai pilihan"), "architecture:valuelistitem_list",
                 allowed=lambda user: permissions.can_anywhere(user, permissions.ADD, ValueListItem)),
    ],
)

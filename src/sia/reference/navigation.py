from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu


def _signed_in(user) -> bool:
    return user.is_active and user.is_authenticated


def _superuser(user) -> bool:
    return user.is_active and user.is_superuser


register_menu(
    _("Referensi"),
    20,
    [
        MenuItem(_("Katalog referensi"), "reference:catalog_list", allowed=_signed_in),
        MenuItem(_("Cari simpul"), "reference:referencenode_list", allowed=_signed_in),
        MenuItem(_("Versi katalog"), "reference:catalogversion_list", allowed=_signed_in),
        MenuItem(_("Impor versi"), "reference:import", allowed=_superuser),
    ],
)

from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .services import may_upload_anywhere


def _members(user):
    from sia.core.permissions import grants

    return bool(user.is_superuser or grants(user))


register_menu(
    _("Pertukaran Data"),
    60,
    [
        MenuItem(_("Templat dan unggah Excel"), "exchange:index", allowed=_members),
        MenuItem(_("Riwayat unggah"), "exchange:importrecord_list", allowed=may_upload_anywhere),
    ],
    key="exchange",
)

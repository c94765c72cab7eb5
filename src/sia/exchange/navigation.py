from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, register_menu

from .services import may_upload_anywhere


def _members(user):
    from sia.core.permissions import grants

    return bool(user.is_superuser or grants(user))


def _archivists(user):
    """Admins of an instansi and superusers: they export (and superusers restore) whole instansi."""
    from sia.core.permissions import MANAGE, grants

    return bool(user.is_superuser or any(g.role in MANAGE for g in grants(user)))


register_menu(
    _("Pertukaran Data"),
    60,
    [
        MenuItem(_("Templat dan unggah Excel"), "exchange:index", allowed=_members),
        MenuItem(_("Riwayat unggah"), "exchange:importrecord_list", allowed=may_upload_anywhere),
        MenuItem(_("Arsip instansi"), "exchange:snapshots", allowed=_archivists),
    ],
    key="exchange",
)

from django.utils.translation import gettext_lazy as _

from sia.core.navigation import MenuItem, extend_menu
from sia.core.permissions import grants


def _members(user):
    return bool(user.is_superuser or grants(user))


# Under "Pertukaran Data": what leaves SIA, whether as a workbook, an exchange file or a document.
extend_menu("exchange", [MenuItem(_("Dokumen Arsitektur SPBE"), "publishing:documents", allowed=_members,
                                   description=_("Buat atau unduh Dokumen Arsitektur SPBE (Word)"))])

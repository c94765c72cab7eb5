from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member of an instansi may do there."""

    ADMIN = "admin", _("Admin instansi (Tim Koordinasi SPBE)")
    OPERATOR = "operator", _("Operator OPD")
    VERIFIER = "verifikator", _("Verifikator")
    ASSESSOR = "asesor", _("Asesor internal")
    LEADER = "pimpinan", _("Pimpinan")


ALL_ROLES = frozenset(Role)

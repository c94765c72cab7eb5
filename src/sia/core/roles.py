from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member of an instansi may do there."""

    # neutral: the instrument's own names ("Koordinator SPBE", "Koordinator Pemdi") where an assessment is in
    # context (sia.evaluation.terms.role_name)
    ADMIN = "admin", _("Admin instansi (Tim Koordinasi)")
    OPERATOR = "operator", _("Operator OPD")
    VERIFIER = "verifikator", _("Verifikator")
    ASSESSOR = "asesor", _("Asesor internal")
    LEADER = "pimpinan", _("Pimpinan")


ALL_ROLES = frozenset(Role)

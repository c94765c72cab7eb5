from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel
from sia.core.roles import Role


class Membership(BaseModel):
    """A user's role in an instansi; operators also name the OPD they work for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pengguna")
    )
    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="memberships",
        verbose_name=_("instansi"),
    )
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="memberships",
        verbose_name=_("perangkat daerah"), help_text=_("Wajib untuk operator OPD."),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("Keanggotaan")
        verbose_name_plural = _("Keanggotaan")
        ordering = ["institution", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="membership_unique_role",
                violation_error_message=_("Pengguna ini sudah memiliki peran tersebut di instansi ini."),
            )
        ]

    def __str__(self):
        where = self.department.abbreviation if self.department_id else self.institution.name
        return f"{self.user.username}: {self.get_role_display()} ({where})"

    def get_absolute_url(self):
        return reverse("organizations:membership", args=[self.pk])

    def clean(self):
        super().clean()
        if self.role == Role.OPERATOR and not self.department_id:
            raise ValidationError({"department": _("Operator OPD harus ditautkan ke satu perangkat daerah.")})
        if self.department_id and self.institution_id and self.department.institution_id != self.institution_id:
            raise ValidationError({"department": _("Perangkat daerah ini bukan bagian dari instansi tersebut.")})

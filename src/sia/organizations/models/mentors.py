from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel
from sia.core.roles import Role


class MentorAssignment(BaseModel):
    """A verifikator mentoring one OPD of their instansi: the OPD's items come first in their review queue, and the
    koordinator reads the mentors' load and moves OPDs between them (``sia.architecture.mentor_load``).
    An OPD has at most one mentor; a mentor has any number of OPDs."""

    department = models.ForeignKey(
        "organizations.Department", on_delete=models.CASCADE, related_name="mentor_assignments",
        verbose_name=_("perangkat daerah"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_assignments",
        verbose_name=_("mentor (verifikator)"),
    )

    class Meta:
        verbose_name = _("Penugasan Mentor")
        verbose_name_plural = _("Penugasan Mentor")
        ordering = ["department__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["department"], name="mentor_assignment_one_mentor_per_department",
                violation_error_message=_("OPD ini sudah memiliki mentor; pindahkan dari halaman Beban mentor."),
            )
        ]

    def __str__(self):
        return f"{self.department.abbreviation}: {self.mentor.get_full_name() or self.mentor.username}"

    def get_absolute_url(self):
        return reverse("organizations:mentorassignment", args=[self.pk])

    def clean(self):
        super().clean()
        if not self.department_id or not self.mentor_id:
            return
        department = self.department
        if not department.is_active:
            raise ValidationError({"department": _("OPD %(opd)s tidak aktif dan tidak dapat diberi mentor.")
                                   % {"opd": department.abbreviation}})
        from .memberships import Membership

        is_verifier = Membership.objects.filter(
            user_id=self.mentor_id, institution_id=department.institution_id, role=Role.VERIFIER, is_active=True,
        ).exists()
        if not is_verifier:
            raise ValidationError({"mentor": _(
                "%(user)s bukan verifikator aktif di %(institution)s: mentor OPD %(opd)s harus verifikator "
                "instansi yang sama."
            ) % {"user": self.mentor.username, "institution": department.institution.name,
                 "opd": department.abbreviation}})

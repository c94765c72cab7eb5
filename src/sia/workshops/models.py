"""The programme's kegiatan (bimtek, workshop, rapat koordinasi) and who attended them.

The rules live in ``sia.workshops.rules``; every ``clean()`` here only gathers their answers, so that forms, the API
and the demo loader refuse the same input with the same message."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel

from . import rules
from .choices import AttendanceStatus, WorkshopKind, WorkshopMode

# Letters and digits that cannot be mistaken for one another when read off a projector (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_checkin_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Workshop(BaseModel):
    """A kegiatan of the SPBE programme: a bimtek, workshop or rapat koordinasi held by the koordinator for some OPDs
    of the instansi, with mentors (verifikator) beside them, in a room, online or both."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"),
    )
    kind = models.CharField(_("jenis kegiatan"), max_length=20, choices=WorkshopKind.choices,
                            default=WorkshopKind.BIMTEK)
    title = models.CharField(_("judul"), max_length=300)
    description = free_text(_("uraian"), help_text=_("Tujuan dan agenda singkat."))
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    mode = models.CharField(_("moda"), max_length=20, choices=WorkshopMode.choices, default=WorkshopMode.IN_PERSON)
    place = models.CharField(_("tempat"), max_length=300, blank=True,
                             help_text=_("Wajib untuk kegiatan tatap muka dan hibrida."))
    meeting_link = models.URLField(_("tautan rapat daring"), max_length=500, blank=True,
                                   help_text=_("Wajib untuk kegiatan daring dan hibrida (Zoom, Google Meet, ...)."))
    domains = models.JSONField(
        _("domain arsitektur"), default=list, blank=True,
        help_text=_("Domain arsitektur yang dikerjakan dalam kegiatan ini."),
    )
    departments = models.ManyToManyField("organizations.Department", blank=True, related_name="+",
                                         verbose_name=_("OPD diundang"))
    mentors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                     verbose_name=_("pendamping (verifikator)"))
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("penyelenggara"), editable=False,
    )
    checkin_code = models.CharField(
        _("kode kehadiran"), max_length=12, default=new_checkin_code, editable=False,
        help_text=_("Ditampilkan penyelenggara saat kegiatan; peserta memasukkannya untuk mencatat kehadiran."),
    )

    class Meta:
        verbose_name = _("Kegiatan pendampingan")
        verbose_name_plural = _("Kegiatan pendampingan")
        ordering = ["-starts_at", "title"]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%d-%m-%Y})" if self.starts_at else self.title

    def get_absolute_url(self):
        return reverse("workshops:workshop", args=[self.pk])

    def clean(self):
        super().clean()
        rules.raise_if(rules.workshop_problems(self))
        pending = getattr(self, "pending_invitations", None)
        if pending is not None:
            rules.raise_if(rules.invitation_problems(self, *pending))

    @property
    def checkin_opens(self):
        return rules.checkin_window(self)[0]

    @property
    def checkin_closes(self):
        return rules.checkin_window(self)[1]


class Attendance(BaseModel):
    """One participant's attendance at a kegiatan: entered by the organiser or a mentor, or self-recorded by the
    participant with the code shown at the session."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances",
                                 verbose_name=_("kegiatan"))
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("peserta"))
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("OPD"), editable=False,
        help_text=_("OPD peserta (operator OPD yang diundang); kosong untuk pendamping."),
    )
    status = models.CharField(_("kehadiran"), max_length=20, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    note = free_text(_("catatan"), max_length=500,
                     help_text=_("Wajib bila hadir daring dengan kendala: apa kendalanya (suara, koneksi, ...)."))
    self_recorded = models.BooleanField(_("dicatat sendiri dengan kode"), default=False, editable=False)
    recorded_at = models.DateTimeField(_("dicatat pada"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Kehadiran")
        verbose_name_plural = _("Kehadiran")
        ordering = ["workshop", "department__name", "participant__username"]
        constraints = [models.UniqueConstraint(
            fields=["workshop", "participant"], name="workshops_attendance_unique",
            violation_error_message=_("Kehadiran peserta ini pada kegiatan ini sudah dicatat; ubah catatan yang ada."),
        )]

    def __str__(self):
        return f"{self.participant} — {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("workshops:workshop", args=[self.workshop_id]) + f"#kehadiran-{self.pk}"

    def clean(self):
        super().clean()
        errors = rules.attendance_problems(self)
        if errors:
            raise ValidationError(errors)

"""Decisions people record about the application portfolio; the scores themselves are computed
(``sia.portfolio.duplicates``, ``sia.portfolio.rationalisation``), never stored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel


class DuplicateDismissal(BaseModel):
    """A reviewer's “not a duplicate” for a pair of applications: the pair stays out of the candidates."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("instansi"),
        editable=False,
    )
    first = models.ForeignKey(
        "architecture.Application", on_delete=models.CASCADE, related_name="+", verbose_name=_("aplikasi pertama"),
    )
    second = models.ForeignKey(
        "architecture.Application", on_delete=models.CASCADE, related_name="+", verbose_name=_("aplikasi kedua"),
    )
    reason = free_text(_("alasan"), help_text=_("Mengapa keduanya bukan duplikat."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diputuskan oleh"), editable=False,
    )

    class Meta:
        verbose_name = _("Bukan Duplikat")
        verbose_name_plural = _("Bukan Duplikat")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"], name="portfolio_dismissal_unique",
                violation_error_message=_("Pasangan ini sudah ditandai bukan duplikat."),
            ),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="portfolio_dismissal_ordered"),
        ]

    def __str__(self):
        return f"{self.first.code} ≠ {self.second.code}"

    def clean(self):
        """One pair, two applications of one instansi, in pk order, with a reason: the rule the page and
        the API share (``sia.portfolio.duplicates.dismiss``)."""
        super().clean()
        if self.first_id and self.second_id:
            if self.first_id == self.second_id:
                raise ValidationError({"second": _("Pilih dua aplikasi yang berbeda.")})
            if self.first.institution_id != self.second.institution_id:
                raise ValidationError({"second": _("Kedua aplikasi harus milik instansi yang sama.")})
            if self.first_id > self.second_id:
                self.first, self.second = self.second, self.first
            self.institution_id = self.first.institution_id
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Tuliskan mengapa keduanya bukan duplikat.")})

    def get_absolute_url(self):
        return reverse("portfolio:duplicates")


class Level(models.IntegerChoices):
    VERY_LOW = 1, _("1 — sangat rendah")
    LOW = 2, _("2 — rendah")
    MEDIUM = 3, _("3 — sedang")
    HIGH = 4, _("4 — tinggi")
    VERY_HIGH = 5, _("5 — sangat tinggi")


class ApplicationAssessment(BaseModel):
    """Functional fit, technical fit and criticality of one application: the input of its TIME recommendation."""

    application = models.OneToOneField(
        "architecture.Application", on_delete=models.CASCADE, related_name="assessment", verbose_name=_("aplikasi"),
    )
    functional_fit = models.PositiveSmallIntegerField(
        _("kesesuaian fungsional"), choices=Level.choices,
        help_text=_("Seberapa baik aplikasi memenuhi kebutuhan proses bisnis yang didukungnya."),
    )
    technical_fit = models.PositiveSmallIntegerField(
        _("kesesuaian teknis"), choices=Level.choices,
        help_text=_("Kondisi teknologi: keamanan, pemeliharaan, integrasi, dukungan vendor."),
    )
    criticality = models.PositiveSmallIntegerField(
        _("kekritisan"), choices=Level.choices,
        help_text=_("Dampak bila aplikasi berhenti: layanan publik, kewajiban hukum, jumlah pengguna."),
    )
    note = free_text(_("catatan"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("dinilai oleh"), editable=False,
    )

    class Meta:
        verbose_name = _("Penilaian Aplikasi")
        verbose_name_plural = _("Penilaian Aplikasi")
        ordering = ["application__code"]

    def __str__(self):
        return str(self.application)

    def get_absolute_url(self):
        return self.application.get_absolute_url()


class ClearanceDecision(models.TextChoices):
    CLEARED = "lanjut", _("Boleh dilanjutkan")
    REUSE = "pakai-yang-ada", _("Pakai aplikasi yang sudah ada")
    REJECTED = "ditolak", _("Ditolak")


class Clearance(BaseModel):
    """The verifikator's decision on a proposed (to-be new) application, given the ones that already cover it."""

    application = models.OneToOneField(
        "architecture.Application", on_delete=models.CASCADE, related_name="clearance", verbose_name=_("aplikasi"),
    )
    decision = models.CharField(_("keputusan"), max_length=20, choices=ClearanceDecision.choices)
    reused_application = models.ForeignKey(
        "architecture.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("aplikasi yang dipakai"), help_text=_("Bila keputusannya memakai aplikasi yang sudah ada."),
    )
    reused_national = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("aplikasi umum nasional yang dipakai"),
        limit_choices_to={"kind": "aplikasi-umum-nasional", "is_active": True},
    )
    reason = free_text(_("alasan"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diputuskan oleh"), editable=False,
    )

    class Meta:
        verbose_name = _("Kliring Aplikasi")
        verbose_name_plural = _("Kliring Aplikasi")
        ordering = ["-updated"]

    def __str__(self):
        return f"{self.application.code}: {self.get_decision_display()}"

    def clean(self):
        from .clearance import problems  # the one rule of a clearance, shared with the form and the API

        if errors := problems(self):
            raise ValidationError(errors)

    def get_absolute_url(self):
        return self.application.get_absolute_url()

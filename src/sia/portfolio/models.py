"""Decisions people record about the application portfolio; the scores themselves are computed
(``sia.portfolio.duplicates``, ``sia.portfolio.rationalisation``), never stored."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel


NATIONAL_KIND = "aplikasi-umum-nasional"  # the value list of national shared applications


class DuplicateDismissal(BaseModel):
    """A reviewer's “not a duplicate”: for a pair of applications (``second``), or for a local application
    flagged against a national shared application (``national``: the local one is no copy of it). Either
    way the candidate stays out of the duplicates for good, until the mark is undone (deleted)."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("instansi"),
        editable=False,
    )
    first = models.ForeignKey(
        "architecture.Application", on_delete=models.CASCADE, related_name="+", verbose_name=_("aplikasi pertama"),
    )
    second = models.ForeignKey(
        "architecture.Application", on_delete=models.CASCADE, related_name="+", verbose_name=_("aplikasi kedua"),
        null=True, blank=True, help_text=_("Kosong bila tanda ini tentang aplikasi umum nasional."),
    )
    national = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.CASCADE, related_name="+", null=True, blank=True,
        verbose_name=_("aplikasi umum nasional"), limit_choices_to={"kind": NATIONAL_KIND},
        help_text=_("Bila aplikasi pertama bukan salinan aplikasi umum nasional ini (sebagai ganti aplikasi kedua)."),
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
            models.UniqueConstraint(
                fields=["first", "national"], name="portfolio_dismissal_national_unique",
                violation_error_message=_("Aplikasi ini sudah ditandai bukan duplikat aplikasi umum nasional "
                                          "tersebut."),
            ),
            models.CheckConstraint(
                condition=models.Q(second__isnull=True) | models.Q(first__lt=models.F("second")),
                name="portfolio_dismissal_ordered",
            ),
            models.CheckConstraint(
                condition=(models.Q(second__isnull=False, national__isnull=True)
                           | models.Q(second__isnull=True, national__isnull=False)),
                name="portfolio_dismissal_pair_or_national",
                violation_error_message=_("Pilih aplikasi kedua atau aplikasi umum nasional, salah satu saja."),
            ),
        ]

    def __str__(self):
        other = self.second.code if self.second_id else self.national.name if self.national_id else "?"
        return f"{self.first.code} ≠ {other}"

    @property
    def is_national(self) -> bool:
        return self.national_id is not None

    def clean(self):
        """Two applications of one instansi in pk order, or one application and a national shared application
        of its instansi's value list; always a reason: the rule the page and the API share
        (``sia.portfolio.duplicates.dismiss``)."""
        super().clean()
        if bool(self.second_id) == bool(self.national_id):
            raise ValidationError({"second": _("Pilih aplikasi kedua atau aplikasi umum nasional, salah satu saja.")})
        if self.first_id and self.second_id:
            if self.first_id == self.second_id:
                raise ValidationError({"second": _("Pilih dua aplikasi yang berbeda.")})
            if self.first.institution_id != self.second.institution_id:
                raise ValidationError({"second": _("Kedua aplikasi harus milik instansi yang sama.")})
            if self.first_id > self.second_id:
                self.first, self.second = self.second, self.first
        if self.first_id and self.national_id:
            if self.national.kind != NATIONAL_KIND:
                raise ValidationError({"national": _("Pilih nilai dari daftar aplikasi umum nasional.")})
            if self.national.institution_id != self.first.institution_id:
                raise ValidationError({"national": _("Aplikasi umum nasional harus dari daftar instansi aplikasi "
                                                     "tersebut.")})
        if self.first_id:
            self.institution_id = self.first.institution_id
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Tuliskan mengapa keduanya bukan duplikat.")})

    def get_absolute_url(self):
        return reverse("portfolio:dismissals")


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
    # PROTECT: a "reuse" decision must keep naming what it reuses; that application is not deleted under it.
    reused_application = models.ForeignKey(
        "architecture.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
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

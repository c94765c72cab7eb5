import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from ..choices import Stage
from .scores import StageLockedDeletion, check_stage_open


def evidence_path(instance, filename):
    """evidence/<first two hex digits>/<sha256>.<ext>: the content names the file, never the uploader."""
    extension = os.path.splitext(filename)[1].lower()
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}{extension}"


class EvidenceFile(BaseModel):
    """The stored content of an evidence file, kept once however often it is attached (keyed by SHA-256)."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("berkas"), upload_to=evidence_path, max_length=200)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    mime = models.CharField(_("jenis isi"), max_length=120)

    class Meta:
        verbose_name = _("Berkas Bukti")
        verbose_name_plural = _("Berkas Bukti")
        ordering = ["sha256"]

    def __str__(self):
        return f"{self.sha256[:12]}… ({self.mime}, {self.size} B)"

    def get_absolute_url(self):  # pragma: no cover - a blob has no page; its links do
        raise NotImplementedError


def check_item(item, assessment, indicator, level: int | None = None) -> None:
    """An evidence item must be one of the assessment's instrument, of the evidence's indicator and, where the
    caller documents one level (the items panel's form of a level, the API's ``level``), of that level."""
    if item.framework_id != assessment.framework_id:
        raise ValidationError({"item": _("Butir %(code)s bukan bagian dari kerangka penilaian ini.") % {"code": item.code}})
    if item.indicator_id != indicator.pk:
        raise ValidationError({"item": _(
            "Butir %(code)s adalah butir indikator %(other)s, bukan indikator %(n)s; bukti dukung dilampirkan pada "
            "butir indikatornya sendiri."
        ) % {"code": item.code, "other": item.indicator.number, "n": indicator.number}})
    if level is not None and item.level != level:
        raise ValidationError({"item": _("Butir %(code)s adalah butir tingkat %(level)s, bukan tingkat %(wanted)s.")
                               % {"code": item.code, "level": item.level, "wanted": level}})


class Evidence(BaseModel):
    """A bukti dukung attached to an indicator of an assessment: a stored file or a link."""

    assessment = models.ForeignKey(
        "evaluation.Assessment", on_delete=models.CASCADE, related_name="evidence", verbose_name=_("penilaian")
    )
    indicator = models.ForeignKey(
        "evaluation.Indicator", on_delete=models.PROTECT, related_name="evidence", verbose_name=_("indikator")
    )
    stage = models.CharField(_("dilampirkan pada tahap"), max_length=20, choices=Stage.choices, default=Stage.SELF)
    title = models.CharField(_("judul"), max_length=200, help_text=_("Judul dokumen, mis. Dokumen Arsitektur SPBE 2024."))
    blob = models.ForeignKey(
        EvidenceFile, on_delete=models.PROTECT, null=True, blank=True, related_name="links", verbose_name=_("berkas")
    )
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    file_name = models.CharField(
        _("nama berkas sesuai ketentuan"), max_length=255, blank=True,
        help_text=_("Nama yang disarankan untuk unggahan ke aplikasi evaluasi Kementerian, mis. Indikator11a-Judul.pdf."),
    )
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    item = models.ForeignKey(
        "evaluation.EvidenceItem", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence",
        verbose_name=_("butir bukti dukung"),
        help_text=_("Butir bukti dukung instrumen yang dipenuhi berkas ini, mis. I1-L2-02 (PermenPANRB 8/2026)."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("dilampirkan oleh"),
    )

    class Meta:
        verbose_name = _("Bukti Dukung")
        verbose_name_plural = _("Bukti Dukung")
        ordering = ["assessment", "indicator__number", "created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(blob__isnull=False) & models.Q(url=""))
                | (models.Q(blob__isnull=True) & ~models.Q(url="")),
                name="evaluation_evidence_file_or_url",
                violation_error_message=_("Bukti dukung berisi salah satu: berkas atau tautan."),
            ),
            models.UniqueConstraint(
                fields=["assessment", "indicator", "blob"], condition=models.Q(blob__isnull=False),
                name="evaluation_evidence_file_once_per_indicator",
                violation_error_message=_("Berkas yang sama sudah dilampirkan pada indikator ini."),
            ),
        ]

    def __str__(self):
        return self.file_name or self.title

    def get_absolute_url(self):
        return reverse("evaluation:assessment_indicator", args=[self.assessment_id, self.indicator.number])

    @property
    def is_file(self) -> bool:
        return self.blob_id is not None

    def clean(self):
        super().clean()
        if not (self.assessment_id and self.indicator_id):
            return
        if self.indicator.framework_id != self.assessment.framework_id:
            raise ValidationError({"indicator": _("Indikator ini bukan bagian dari kerangka penilaian tersebut.")})
        if self.item_id:
            check_item(self.item, self.assessment, self.indicator)
        if self.pk is None:
            check_stage_open(self.assessment, self.stage, field="blob" if self.blob_id else "url")
        elif self.assessment.is_locked(self.stage):
            raise ValidationError(
                _("Tahap %(stage)s sudah dikunci; bukti dukungnya hanya dapat dibaca.") % {"stage": self.get_stage_display()}
            )

    def delete(self, *args, **kwargs):
        if self.assessment.is_locked(self.stage):
            raise StageLockedDeletion(
                _("Tahap %(stage)s sudah dikunci; bukti dukungnya tidak dapat dihapus.") % {"stage": self.get_stage_display()},
                {self},
            )
        return super().delete(*args, **kwargs)  # an unused blob is removed by signals.drop_unused_blob


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Belum diperiksa")
    ACCEPTED = "accepted", _("Diterima")
    REVISE = "revise", _("Perlu perbaikan")


class EvidenceItemReview(BaseModel):
    """The assessor's verdict on one evidence item of an assessment at one stage, with a note."""

    assessment = models.ForeignKey(
        "evaluation.Assessment", on_delete=models.CASCADE, related_name="item_reviews", verbose_name=_("penilaian")
    )
    item = models.ForeignKey(
        "evaluation.EvidenceItem", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("butir bukti dukung")
    )
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices, default=Stage.SELF)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    note = models.TextField(_("catatan asesor"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("Pemeriksaan Butir Bukti Dukung")
        verbose_name_plural = _("Pemeriksaan Butir Bukti Dukung")
        ordering = ["assessment", "stage", "item__indicator__number", "item__level", "item__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "stage"], name="evaluation_item_review_once_per_stage",
                violation_error_message=_("Butir ini sudah diperiksa pada tahap tersebut."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ItemStatus]),
                name="evaluation_item_review_status_valid",
                violation_error_message=_("Status butir tidak dikenal."),
            ),
        ]

    def __str__(self):
        return f"{self.item.code} · {self.get_stage_display()}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("evaluation:assessment_indicator", args=[self.assessment_id, self.item.indicator.number])

    def clean(self):
        super().clean()
        if not (self.assessment_id and self.item_id):
            return
        if self.item.framework_id != self.assessment.framework_id:
            raise ValidationError(
                {"item": _("Butir %(code)s bukan bagian dari kerangka penilaian ini.") % {"code": self.item.code}}
            )
        if self.status == ItemStatus.REVISE and not self.note.strip():
            raise ValidationError({"note": _("Butir %(code)s perlu perbaikan: tuliskan catatan apa yang harus diperbaiki.")
                                   % {"code": self.item.code}})
        check_stage_open(self.assessment, self.stage, field="status")

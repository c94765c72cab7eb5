from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.fields import free_text
from sia.core.models import BaseModel

from ..choices import Stage

ASSESSMENT_TEXT_MAX = 4000  # characters of a fakta, analisis or justifikasi: two pages, room for the evidence read


class StageLockedError(ValidationError):
    """A change to a stage that is locked (read-only for everyone)."""


class StageLockedDeletion(ProtectedError):
    """The deletion of a level or an evidence of a locked stage (the API answers 400, not 409)."""


def check_stage_open(assessment, stage, field="level"):
    """Raises ``StageLockedError`` unless ``stage`` is the assessment's current, unlocked stage."""
    if stage not in [s.value for s in assessment.stages()]:
        raise ValidationError({"stage": _("Tahap ini tidak dipakai dalam penilaian tersebut.")})
    if assessment.is_locked(stage):
        raise StageLockedError(
            {field: _("Tahap %(stage)s sudah dikunci; datanya hanya dapat dibaca.") % {"stage": Stage(stage).label}}
        )
    if stage != assessment.current_stage:
        raise ValidationError(
            {"stage": _("Hanya tahap yang sedang berjalan (%(stage)s) yang dapat diisi.")
             % {"stage": Stage(assessment.current_stage).label}}
        )


class IndicatorScore(BaseModel):
    """The level an indicator received in one stage of an assessment, with the reasoning behind it."""

    assessment = models.ForeignKey(
        "evaluation.Assessment", on_delete=models.CASCADE, related_name="scores", verbose_name=_("penilaian")
    )
    indicator = models.ForeignKey(
        "evaluation.Indicator", on_delete=models.PROTECT, related_name="scores", verbose_name=_("indikator")
    )
    stage = models.CharField(_("tahap"), max_length=20, choices=Stage.choices, default=Stage.SELF)
    level = models.PositiveSmallIntegerField(
        _("tingkat"), validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Tingkat kematangan 1 sampai 5 sesuai kriteria indikator (pada nilai pecahan: tingkat yang rentangnya memuat nilai itu)."),
    )
    value = models.DecimalField(
        _("nilai"), max_digits=3, decimal_places=2,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(Decimal("5.00"))],
        help_text=_("Nilai indikator 1,00 sampai 5,00 (PermenPANRB 8/2026: dua desimal; 59/2020: sama dengan tingkat)."),
    )
    source_value = models.DecimalField(
        _("nilai indeks sumber"), max_digits=8, decimal_places=4, null=True, blank=True,
        help_text=_("Indikator yang dinilai dari indeks instansi lain (SDI, SJIG, EPSS/IPS): nilai indeks itu."),
    )
    source_year = models.PositiveSmallIntegerField(
        _("tahun indeks sumber"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    source_note = models.CharField(
        _("catatan konversi"), max_length=300, blank=True,
        help_text=_("Bagaimana nilai diperoleh dari indeks sumber (rumus konversi, atau diisi asesor)."),
    )
    source_missing = models.BooleanField(
        _("indeks sumber belum ada"), default=False,
        help_text=_("Indeks sumber belum tersedia: nilai dihitung 1,00."),
    )
    fakta = free_text(_("fakta"), max_length=ASSESSMENT_TEXT_MAX, help_text=_("Apa yang ada: dokumen, aplikasi, kegiatan."))
    analisis = free_text(_("analisis"), max_length=ASSESSMENT_TEXT_MAX, help_text=_("Bagaimana fakta itu memenuhi kriteria."))
    justifikasi = free_text(
        _("justifikasi"), max_length=ASSESSMENT_TEXT_MAX,
        help_text=_("Mengapa tingkat ini dipilih dan bukan tingkat di atasnya."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("dinilai oleh"),
    )
    assessed_at = models.DateTimeField(_("dinilai pada"), null=True, blank=True)
    carried_over = models.BooleanField(
        _("diambil dari tahap sebelumnya"), default=False,
        help_text=_("Tingkat awal tahap ini disalin dari tahap sebelumnya dan belum diubah."),
    )

    class Meta:
        verbose_name = _("Nilai Indikator")
        verbose_name_plural = _("Nilai Indikator")
        ordering = ["assessment", "indicator__number", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator", "stage"], name="evaluation_score_unique_per_stage",
                violation_error_message=_("Indikator ini sudah memiliki nilai pada tahap tersebut."),
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="evaluation_score_level_1_to_5",
                violation_error_message=_("Tingkat harus bilangan bulat 1 sampai 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=Decimal("1.00"), value__lte=Decimal("5.00")),
                name="evaluation_score_value_1_to_5",
                violation_error_message=_("Nilai harus 1,00 sampai 5,00."),
            ),
        ]

    _loaded = (None, None)  # (level, value) as read from the database: which of the two a caller changed

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = (instance.__dict__.get("level"), instance.__dict__.get("value"))
        return instance

    def framework_spec(self):
        from ..frameworks import spec_for

        return spec_for(self.indicator.framework)

    def sync_value(self):
        """Keeps ``level`` and ``value`` in step: the one a caller changed decides the other.

        ``value`` set (or changed): ``level`` is the level whose value band holds it (8/2026: 2.75 -> 3).
        Only ``level`` set or changed (the 59/2020 code paths): ``value`` is that level's least value
        (59/2020: the level itself; 8/2026: 1.00, 1.50, 2.50, 3.50, 4.00).
        """
        if not self.indicator_id:
            return
        from ..values import as_decimal, value_for_level

        level_before, value_before = self._loaded
        value = as_decimal(self.value)
        value_changed = value is not None and value != value_before
        if value is not None and (value_changed or self.level == level_before or self.level is None):
            if Decimal(1) <= value <= Decimal(5):
                self.level = self.framework_spec().level_of(value)
        elif isinstance(self.level, int) and 1 <= self.level <= 5:
            self.value = value_for_level(self.framework_spec(), self.level)

    def clean_fields(self, exclude=None):
        self.sync_value()
        super().clean_fields(exclude=exclude)

    def __str__(self):
        return f"{self.indicator.number} · {self.get_stage_display()}: {self.value if self.value is not None else self.level}"

    def get_absolute_url(self):
        return reverse("evaluation:assessment_indicator", args=[self.assessment_id, self.indicator.number])

    def clean(self):
        super().clean()
        if not (self.assessment_id and self.indicator_id):
            return
        if self.indicator.framework_id != self.assessment.framework_id:
            raise ValidationError({"indicator": _("Indikator ini bukan bagian dari kerangka penilaian tersebut.")})
        if self.pk is not None:
            previous = type(self).objects.filter(pk=self.pk).values("assessment_id", "indicator_id", "stage").first()
            if previous and (previous["assessment_id"], previous["indicator_id"], previous["stage"]) != (
                self.assessment_id, self.indicator_id, self.stage
            ):
                raise ValidationError(_("Penilaian, indikator dan tahap sebuah nilai tidak dapat diubah."))
        check_stage_open(self.assessment, self.stage)
        if self.value is not None:
            from ..values import check_value

            spec = self.framework_spec()
            try:
                check_value(self.value, spec, spec.indicator(self.indicator.number))
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from None

    def save(self, *args, **kwargs):
        self.sync_value()
        # The lock holds for every path that writes, not only for validated forms.
        if self.assessment_id and self.assessment.is_locked(self.stage):
            raise StageLockedError(
                _("Tahap %(stage)s sudah dikunci; datanya hanya dapat dibaca.") % {"stage": Stage(self.stage).label}
            )
        super().save(*args, **kwargs)
        from ..values import as_decimal

        self._loaded = (self.level, as_decimal(self.value))

    def delete(self, *args, **kwargs):
        if self.assessment.is_locked(self.stage):
            raise StageLockedDeletion(_("Nilai pada tahap yang sudah dikunci tidak dapat dihapus."), {self})
        return super().delete(*args, **kwargs)

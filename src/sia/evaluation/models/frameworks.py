from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

WEIGHT = {"max_digits": 8, "decimal_places": 4}


class FrameworkVersion(BaseModel):
    """A version of the SPBE evaluation instrument (e.g. PermenPANRB 59/2020), loaded from a data file."""

    code = models.SlugField(
        _("kode"), max_length=60, unique=True, help_text=_("Pengenal tetap versi kerangka, mis. permenpanrb-59-2020.")
    )
    name = models.CharField(_("nama"), max_length=120, unique=True)
    description = models.TextField(_("keterangan"), blank=True)
    source_file = models.CharField(_("berkas sumber"), max_length=200)
    sha256 = models.CharField(_("SHA-256 berkas"), max_length=64)
    first_year = models.PositiveSmallIntegerField(_("berlaku mulai tahun"), null=True, blank=True)
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Hanya kerangka aktif yang dapat dipilih untuk penilaian baru.")
    )
    sources = models.JSONField(_("sumber"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Kerangka Penilaian")
        verbose_name_plural = _("Kerangka Penilaian")
        ordering = ["-first_year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:frameworkversion", args=[self.pk])


class Domain(BaseModel):
    """A domain of the index (Kebijakan Internal, Tata Kelola, Manajemen, Layanan SPBE)."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="domains", verbose_name=_("kerangka")
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), **WEIGHT)

    class Meta:
        verbose_name = _("Domain")
        verbose_name_plural = _("Domain")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="evaluation_domain_number_unique",
                violation_error_message=_("Nomor domain ini sudah ada dalam kerangka tersebut."),
            )
        ]

    def __str__(self):
        return f"Domain {self.number}. {self.name}"


class Aspect(BaseModel):
    """An aspect of a domain, with its weight in the index."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="aspects", verbose_name=_("kerangka")
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="aspects", verbose_name=_("domain"))
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), **WEIGHT)

    class Meta:
        verbose_name = _("Aspek")
        verbose_name_plural = _("Aspek")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="evaluation_aspect_number_unique",
                violation_error_message=_("Nomor aspek ini sudah ada dalam kerangka tersebut."),
            )
        ]

    def __str__(self):
        return f"Aspek {self.number}. {self.name}"


class Indicator(BaseModel):
    """An indicator of the index with its weight and the criteria of each capability level 1-5."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("kerangka")
    )
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("aspek"))
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=300)
    question = models.TextField(_("pertanyaan"), blank=True)
    weight = models.DecimalField(_("bobot (%)"), **WEIGHT)
    level_1 = models.TextField(_("kriteria tingkat 1"))
    level_2 = models.TextField(_("kriteria tingkat 2"))
    level_3 = models.TextField(_("kriteria tingkat 3"))
    level_4 = models.TextField(_("kriteria tingkat 4"))
    level_5 = models.TextField(_("kriteria tingkat 5"))
    scale = models.CharField(_("skala kapabilitas"), max_length=40, blank=True)
    explanation = models.TextField(_("penjelasan indikator"), blank=True)
    assessment_guidance = models.TextField(_("penjelasan penilaian"), blank=True)
    evidence_guidance = models.TextField(_("penjelasan bukti dukung"), blank=True)
    evidence_per_level = models.JSONField(_("bukti dukung per tingkat"), default=dict, blank=True)
    notes = models.JSONField(_("catatan"), default=list, blank=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikator")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="evaluation_indicator_number_unique",
                violation_error_message=_("Nomor indikator ini sudah ada dalam kerangka tersebut."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def criteria(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"level_{level}")) for level in range(1, 6)]


class CapabilityLevel(BaseModel):
    """The name and meaning of a capability level on one scale (proses: Rintisan…; layanan: Informasi…)."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="capability_levels", verbose_name=_("kerangka")
    )
    scale = models.CharField(_("skala"), max_length=40)
    applies_to = models.CharField(_("berlaku untuk"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(
        _("tingkat"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(_("nama"), max_length=80)
    criteria = models.TextField(_("kriteria"), blank=True)

    class Meta:
        verbose_name = _("Tingkat Kapabilitas")
        verbose_name_plural = _("Tingkat Kapabilitas")
        ordering = ["framework", "scale", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "scale", "level"], name="evaluation_capability_level_unique",
                violation_error_message=_("Tingkat ini sudah ada pada skala tersebut."),
            )
        ]

    def __str__(self):
        return f"{self.level}. {self.name}"


class PredicateBand(BaseModel):
    """A predikat and the index range it covers (lower bound inclusive)."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="bands", verbose_name=_("kerangka")
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    name = models.CharField(_("predikat"), max_length=60)
    lower = models.DecimalField(_("batas bawah"), null=True, blank=True, **WEIGHT)
    upper = models.DecimalField(_("batas atas"), null=True, blank=True, **WEIGHT)
    upper_inclusive = models.BooleanField(_("batas atas termasuk"), default=False)
    text = models.CharField(_("rentang"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("Predikat")
        verbose_name_plural = _("Predikat")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"], name="evaluation_band_name_unique",
                violation_error_message=_("Predikat ini sudah ada dalam kerangka tersebut."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.text})" if self.text else self.name

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

WEIGHT = {"max_digits": 8, "decimal_places": 4}
TEXTS_STATUS_CHOICES = [("official", _("teks resmi")), ("guidance", _("panduan, belum teks resmi"))]
VALUE_SOURCE_CHOICES = [("evidence", _("bukti dukung")), ("external", _("indeks instansi lain"))]


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
    last_year = models.PositiveSmallIntegerField(
        _("berlaku sampai tahun"), null=True, blank=True, help_text=_("Kosong: masih berlaku.")
    )
    continuous = models.BooleanField(
        _("nilai pecahan"), default=False,
        help_text=_("Nilai indikator 1,00-5,00 dengan desimal (PermenPANRB 8/2026); tidak: tingkat bulat 1-5."),
    )
    value_places = models.PositiveSmallIntegerField(_("jumlah desimal nilai"), default=0)
    terms = models.JSONField(
        _("istilah"), default=dict, blank=True,
        help_text=_("Nama indeks, koordinator dan tim internal menurut instrumen (index, coordinator, internal_team)."),
    )
    level_names = models.JSONField(
        _("nama tingkat"), default=dict, blank=True,
        help_text=_("Per tingkat: name_id, name_en dan predikat yang menjadi rentang nilai tingkat itu."),
    )
    texts_status = models.CharField(
        _("status teks kriteria"), max_length=20, choices=TEXTS_STATUS_CHOICES, default="official",
        help_text=_("Panduan: teks kriteria tingkat belum teks resmi instrumen dan akan diganti teks resminya."),
    )
    texts_note = models.TextField(_("catatan teks kriteria"), blank=True)
    manifest_digest = models.CharField(
        _("SHA-256 entri manifes"), max_length=64, blank=True,
        help_text=_("Entri data/frameworks.yaml yang terakhir diterapkan (tahun, istilah, konversi, status teks)."),
    )
    levels = models.JSONField(
        _("tingkat hierarki"), default=list, blank=True,
        help_text=_("Tingkat kelompok di atas indikator, dari atas: key dan name (mis. domain/Domain, aspect/Aspek)."),
    )
    manifest_file_sha256 = models.CharField(
        _("SHA-256 berkas bawaan"), max_length=64, blank=True,
        help_text=_("Berkas bawaan SIA yang terakhir diterapkan; teks yang diganti dari berkas lain tetap."),
    )

    class Meta:
        verbose_name = _("Kerangka Penilaian")
        verbose_name_plural = _("Kerangka Penilaian")
        ordering = ["-first_year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:frameworkversion", args=[self.pk])

    @property
    def has_domains(self) -> bool:
        return any(level.get("key") == "domain" for level in self.levels or ())

    def level_name(self, key: str) -> str:
        """The declared name of a level of groups (``levels``), or the key itself."""
        return next((level.get("name") or key for level in self.levels or () if level.get("key") == key), key)

    def term(self, key: str) -> str:
        """The instrument's name for the index, the coordinator or the internal team."""
        from ..framework_spec import DEFAULT_TERMS

        return (self.terms or {}).get(key) or DEFAULT_TERMS[key]

    @property
    def texts_are_guidance(self) -> bool:
        return self.texts_status == "guidance"

    def in_force(self, year: int) -> bool:
        return (self.first_year is None or self.first_year <= year) and (self.last_year is None or year <= self.last_year)

    @classmethod
    def in_force_for(cls, year: int):
        """The active version in force for an assessment year (the newest first), or None."""
        for version in cls.objects.filter(is_active=True).order_by("-first_year", "name"):
            if version.in_force(year):
                return version
        return None


class FrameworkGroup(BaseModel):
    """A group of the instrument's hierarchy at one of its declared levels (59/2020: a domain or an aspect;
    8/2026: an aspect; any level a file declares, e.g. pilar > domain > aspek), with its weight in the index."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="groups", verbose_name=_("kerangka")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, related_name="children", verbose_name=_("kelompok induk"), null=True,
        blank=True, help_text=_("Kosong pada tingkat teratas."),
    )
    depth = models.PositiveSmallIntegerField(_("kedalaman"), help_text=_("0: tingkat teratas."))
    level = models.CharField(_("tingkat"), max_length=40, help_text=_("Kunci tingkat yang dinyatakan berkas, mis. aspect."))
    number = models.PositiveSmallIntegerField(_("nomor"))
    code = models.CharField(_("kode"), max_length=20, blank=True)
    name = models.CharField(_("nama"), max_length=200)
    weight = models.DecimalField(_("bobot (%)"), **WEIGHT)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("Kelompok Kerangka")
        verbose_name_plural = _("Kelompok Kerangka")
        ordering = ["framework", "depth", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "level", "number"], name="evaluation_group_number_unique",
                violation_error_message=_("Nomor kelompok ini sudah ada pada tingkat tersebut dalam kerangka itu."),
            )
        ]

    def __str__(self):
        return f"{self.level_name} {self.number}. {self.name}"

    @property
    def level_name(self) -> str:
        """The level's name as the instrument declares it ("Domain", "Aspek", "Pilar")."""
        return self.framework.level_name(self.level) if self.framework_id else self.level


class Indicator(BaseModel):
    """An indicator of the index with its weight and the criteria of each capability level 1-5."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("kerangka")
    )
    group = models.ForeignKey(
        FrameworkGroup, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("kelompok"), null=True,
        blank=True, help_text=_("Kelompok tingkat terbawah di atas indikator; kosong pada instrumen indikator saja."),
    )
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
    code = models.CharField(_("kode"), max_length=20, blank=True, help_text=_("Kode indikator dalam instrumen, mis. I1."))
    value_source = models.CharField(
        _("sumber nilai"), max_length=20, choices=VALUE_SOURCE_CHOICES, default="evidence",
        help_text=_("Bukti dukung, atau indeks instansi lain (SDI, SJIG, EPSS) yang dikonversi."),
    )
    external = models.JSONField(
        _("konversi indeks sumber"), default=dict, blank=True,
        help_text=_("source_index, source_min, source_max, conversion (linear/unknown), intercept, slope, basis."),
    )
    level_summaries = models.JSONField(_("ringkasan kriteria per tingkat"), default=list, blank=True)

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

    @property
    def label(self) -> str:
        return self.code or str(self.number)


class EvidenceItem(BaseModel):
    """An evidence item (butir data dukung) a level of an indicator asks for, coded like ``I1-L2-02``."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="evidence_items", verbose_name=_("kerangka")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="evidence_items", verbose_name=_("indikator")
    )
    level = models.PositiveSmallIntegerField(_("tingkat"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    number = models.PositiveSmallIntegerField(_("nomor butir"))
    code = models.CharField(_("kode"), max_length=30)
    text = models.TextField(_("butir bukti dukung"))

    class Meta:
        verbose_name = _("Butir Bukti Dukung")
        verbose_name_plural = _("Butir Bukti Dukung")
        ordering = ["framework", "indicator__number", "level", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="evaluation_evidence_item_code_unique",
                violation_error_message=_("Kode butir bukti dukung ini sudah ada dalam kerangka tersebut."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "level", "number"], name="evaluation_evidence_item_number_unique",
                violation_error_message=_("Nomor butir ini sudah ada pada tingkat indikator tersebut."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"


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
    name_id = models.CharField(_("nama tingkat"), max_length=60, blank=True, help_text=_("Mis. Merintis."))
    name_en = models.CharField(_("nama tingkat (Inggris)"), max_length=60, blank=True, help_text=_("Mis. Initiate."))
    description = models.TextField(_("uraian"), blank=True)

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

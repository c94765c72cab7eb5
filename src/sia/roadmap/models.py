"""The Peta Rencana SPBE (the five-year roadmap): sasaran strategis -> inisiatif -> program (in one of the seven
areas) -> kegiatan, with its years (pagu, RKA, realisation) and the gaps of the architecture it closes.

The rules live in ``sia.roadmap.rules``; every ``clean()`` here only gathers their answers."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.architecture.choices import ReviewStatus
from sia.architecture.models.base import PERIOD_VALIDATOR, current_period
from sia.core.models import BaseModel

from . import rules
from .choices import ActivityStatus, Area, BudgetSource

MONEY = {"max_digits": 18, "decimal_places": 2}


def _raise(errors: dict):
    if errors:
        raise ValidationError(errors)


class RoadmapModel(BaseModel):
    class Meta:
        abstract = True

    def get_absolute_url(self):
        return reverse(f"roadmap:{self._meta.model_name}", args=[self.pk])

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name


class StrategicTarget(RoadmapModel):
    """A sasaran strategis of the instansi's RPJMD that the SPBE roadmap serves."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"),
    )
    period = models.CharField(
        _("periode"), max_length=9, default=current_period, validators=[PERIOD_VALIDATOR],
        help_text=_("Periode lima tahunan selaras RPJMD, mis. 2025-2029."),
    )
    code = models.CharField(_("kode"), max_length=40, help_text=_("Unik dalam instansi, mis. SS-01."))
    name = models.CharField(_("nama"), max_length=300)
    description = models.TextField(_("uraian"), blank=True, max_length=5000)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("Sasaran Strategis")
        verbose_name_plural = _("Sasaran Strategis")
        ordering = ["institution", "period", "order", "code"]
        constraints = [models.UniqueConstraint(
            fields=["institution", "code"], name="roadmap_target_code_unique",
            violation_error_message=_("Kode sasaran ini sudah dipakai di instansi yang sama."))]

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()
        _raise(rules.target_problems(self))


class Initiative(RoadmapModel):
    """An inisiatif: a way the instansi chose to reach one sasaran strategis with SPBE."""

    target = models.ForeignKey(StrategicTarget, on_delete=models.PROTECT, related_name="initiatives",
                               verbose_name=_("sasaran strategis"))
    code = models.CharField(_("kode"), max_length=40, help_text=_("Unik dalam sasaran, mis. IN-01."))
    name = models.CharField(_("nama"), max_length=300)
    description = models.TextField(_("uraian"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("Inisiatif")
        verbose_name_plural = _("Inisiatif")
        ordering = ["target__code", "code"]
        constraints = [models.UniqueConstraint(
            fields=["target", "code"], name="roadmap_initiative_code_unique",
            violation_error_message=_("Kode inisiatif ini sudah dipakai dalam sasaran yang sama."))]

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#inisiatif-{self.pk}"


class Program(RoadmapModel):
    """A program of an inisiatif in one of the seven areas of the Peta Rencana SPBE."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="programs",
                                   verbose_name=_("inisiatif"))
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    code = models.CharField(_("kode"), max_length=40, help_text=_("Unik dalam inisiatif, mis. PR-01."))
    name = models.CharField(_("nama"), max_length=300)
    description = models.TextField(_("uraian"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("Program")
        verbose_name_plural = _("Program")
        ordering = ["initiative__code", "code"]
        constraints = [models.UniqueConstraint(
            fields=["initiative", "code"], name="roadmap_program_code_unique",
            violation_error_message=_("Kode program ini sudah dipakai dalam inisiatif yang sama."))]

    def clean(self):
        super().clean()
        if self.code:
            self.code = self.code.strip().upper()

    def get_absolute_url(self):
        return f"{self.initiative.target.get_absolute_url()}#program-{self.pk}"


class Activity(RoadmapModel):
    """A kegiatan of the roadmap: the work an OPD does in some years of the period to close gaps of the
    architecture, with its budget per year (``ActivityYear``) and the gaps it closes (``ActivityGap``)."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"),
        editable=False,
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="activities",
                                verbose_name=_("program"))
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD penanggung jawab"),
    )
    units = models.ManyToManyField("organizations.WorkUnit", blank=True, related_name="+",
                                   verbose_name=_("unit kerja terlibat"))
    code = models.CharField(
        _("kode"), max_length=60, blank=True,
        help_text=_("Unik dalam instansi. Kosongkan untuk dibuat otomatis, mis. KG-DISKOMINFO-001."),
    )
    name = models.CharField(_("nama"), max_length=300)
    description = models.TextField(_("uraian"), blank=True, max_length=5000)
    output = models.TextField(_("keluaran yang diharapkan"), blank=True, max_length=2000)
    start_year = models.PositiveSmallIntegerField(_("tahun mulai"), help_text=_("Dalam periode sasaran, mis. 2026."))
    end_year = models.PositiveSmallIntegerField(_("tahun selesai"))
    progress = models.CharField(_("status pelaksanaan"), max_length=10, choices=ActivityStatus.choices,
                                default=ActivityStatus.NOT_STARTED)
    status = models.CharField(
        _("status review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, editable=False,
    )
    status_since = models.DateTimeField(  # as an architecture object's (the review queues' order)
        _("status sejak"), default=timezone.now, editable=False,
        help_text=_("Waktu objek masuk ke status reviewnya sekarang."),
    )
    lock_version = models.PositiveIntegerField(_("versi"), default=1, editable=False)

    class Meta:
        verbose_name = _("Kegiatan")
        verbose_name_plural = _("Kegiatan")
        ordering = ["start_year", "code"]
        indexes = [models.Index(fields=["institution", "status", "status_since", "id"])]
        constraints = [models.UniqueConstraint(
            fields=["institution", "code"], name="roadmap_activity_code_unique",
            violation_error_message=_("Kode kegiatan ini sudah dipakai di instansi yang sama."))]

    def clean(self):
        super().clean()
        if self.program_id:
            self.institution_id = self.program.initiative.target.institution_id
        if self.code:
            self.code = self.code.strip().upper()
        _raise(rules.activity_problems(self))

    def submit_problems(self) -> list[str]:
        """What must hold before a kegiatan is submitted for review (``sia.architecture.workflow.submit_problems``
        asks this hook): at least one year with a pagu, and every year within its years and its sasaran's period."""
        problems = []
        rows = list(self.years.order_by("year").values_list("year", "budget")) if self.pk else []
        if not any(budget and budget > 0 for _year, budget in rows):
            problems.append(str(_("Isi minimal satu tahun dengan pagu sebelum kegiatan diajukan.")))
        period = rules.period_years(self.program.initiative.target.period) if self.program_id else None
        first, last = self.start_year, self.end_year
        if period:
            first, last = max(first or period[0], period[0]), min(last or period[1], period[1])
        outside = [year for year, _budget in rows if first is not None and last is not None
                   and not first <= year <= last]
        if outside:
            problems.append(str(_("Tahun %(years)s di luar tahun pelaksanaan kegiatan (%(start)s-%(end)s).") % {
                "years": ", ".join(str(year) for year in outside), "start": first, "end": last}))
        return problems

    def save(self, *args, **kwargs):
        if self.program_id and not self.institution_id:
            self.institution_id = self.program.initiative.target.institution_id
        if self.code:
            return super().save(*args, **kwargs)
        for _attempt in range(20):  # two writers at once: the second takes the next number
            self.code = next_activity_code(self.institution_id, self.department)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not Activity.objects.filter(institution_id=self.institution_id, code=self.code).exists():
                    raise
                self.code, self.pk = "", None
        raise IntegrityError("no free code for a kegiatan")


def next_activity_code(institution_id, department) -> str:
    prefix = f"KG-{department.abbreviation.upper()}-"
    existing = Activity.objects.filter(institution_id=institution_id, code__startswith=prefix).values_list(
        "code", flat=True)
    numbers = [int(code[len(prefix):]) for code in existing if code[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):03d}"


class ActivityYear(RoadmapModel):
    """One year of a kegiatan: its pagu and budget source, what the OPD entered in its RKA, the realisation, and
    whether the year's planned work is done."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="years", verbose_name=_("kegiatan"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    budget = models.DecimalField(_("pagu"), **MONEY, default=0, help_text=_("Rupiah."))
    source = models.CharField(_("sumber anggaran"), max_length=10, choices=BudgetSource.choices,
                              default=BudgetSource.APBD)
    rka = models.DecimalField(_("RKA"), **MONEY, null=True, blank=True,
                              help_text=_("Anggaran yang dimasukkan OPD dalam RKA untuk kegiatan ini pada tahun ini."))
    realisation = models.DecimalField(_("realisasi"), **MONEY, null=True, blank=True)
    done = models.BooleanField(_("selesai"), default=False, help_text=_("Pekerjaan yang direncanakan tahun ini selesai."))

    class Meta:
        verbose_name = _("Tahun Kegiatan")
        verbose_name_plural = _("Tahun Kegiatan")
        ordering = ["activity", "year"]
        constraints = [models.UniqueConstraint(
            fields=["activity", "year"], name="roadmap_activity_year_unique",
            violation_error_message=_("Tahun ini sudah ada untuk kegiatan tersebut."))]

    def __str__(self):
        return f"{self.activity} ({self.year})"

    @staticmethod
    def history_display(field, value, **context):
        """The history shows the pagu, RKA and realisation in rupiah ("Rp 1.250.000"), like the kegiatan page."""
        from .money import rupiah

        return rupiah(value) if field.name in ("budget", "rka", "realisation") else None

    def get_absolute_url(self):
        return self.activity.get_absolute_url()

    def clean(self):
        super().clean()
        _raise(rules.year_problems(self))


class ActivityGap(RoadmapModel):
    """A gap of the architecture (a to-be object, or an as-is one to retire) that a kegiatan closes."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="gaps", verbose_name=_("kegiatan"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("jenis objek"))
    object_id = models.PositiveBigIntegerField(_("ID objek"))
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("Gap Ditutup Kegiatan")
        verbose_name_plural = _("Gap Ditutup Kegiatan")
        ordering = ["activity", "content_type", "object_id"]
        constraints = [models.UniqueConstraint(
            fields=["activity", "content_type", "object_id"], name="roadmap_activity_gap_unique",
            violation_error_message=_("Gap ini sudah ditautkan ke kegiatan tersebut."))]

    def __str__(self):
        return f"{self.activity} → {self.target}"

    def get_absolute_url(self):
        return self.activity.get_absolute_url()

    @staticmethod
    def history_part(record) -> str:
        """A gap's entries in the kegiatan's history are named by the kegiatan's history alone: the object's name
        (which the reader may not see) is left out; ``history_display`` shows its kind and code."""
        return ""

    @staticmethod
    def history_display(field, value, record=None, user=None, **context):
        """The history shows a gap as the kegiatan page does: its kind ("Aplikasi", not "Arsitektur SPBE |
        Aplikasi") and its object's code, or the hidden marker when the reader (``user``; none: nobody) may not
        see the object; "#4 (dihapus)" once the object is gone."""
        from sia.core import permissions

        if field.name not in ("content_type", "object_id"):
            return None
        content_type_id = value if field.name == "content_type" else getattr(record, "content_type_id", None)
        model = ContentType.objects.get_for_id(content_type_id).model_class() if content_type_id else None
        if model is None:
            return None
        if field.name == "content_type":
            return str(model._meta.verbose_name)
        obj = model._default_manager.filter(pk=value).first()
        if obj is None:
            return str(_("#%(id)s (dihapus)") % {"id": value})
        if user is None or not permissions.LinkReader(user).shows(obj):
            return str(permissions.HIDDEN)
        return getattr(obj, "code", "") or str(obj.pk)

    @property
    def kind(self) -> str:
        """The slug of the linked object's kind (``aplikasi``, ``server``, ...)."""
        return self.content_type.model_class().spec.slug

    def clean(self):
        super().clean()
        _raise(rules.gap_problems(self))

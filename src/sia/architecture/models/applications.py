from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from ..choices import ApplicationDeveloper, ArchitectureState, ApplicationLifecycle, IntegrationChannel, IntegrationDirection, ValueListKind
from ..valuelists import ValueList
from .base import ArchitectureObject, DomainSpec, LinkSpec, free_text

YEAR_VALIDATORS = [MinValueValidator(1970), MaxValueValidator(2100)]


class Application(ArchitectureObject):
    """An Aplikasi: software an OPD runs or plans, mapped to the RAA (Aplikasi Umum or Khusus and their areas)."""

    spec = DomainSpec(
        slug="aplikasi", api_name="applications", code_prefix="AP", catalog="RAA", order=40,
        form_fields=(
            "processes", "services", "reads", "writes", "user_departments", "function", "output",
            "national_application", "platforms", "license_type", "languages", "framework", "database", "developer",
            "managing_unit", "lifecycle", "production_year", "retirement_year", "web_address",
            "servers", "cloud_services", "platform_software", "service_buses", "intra_networks",
        ),
        list_columns=("lifecycle",),
        filter_fields=("lifecycle", "developer", "license_type", "national_application"),
        completeness_fields=(
            "processes", "function", "output", "platforms", "license_type", "developer", "managing_unit",
        ),
        menu_label=_("Aplikasi"),
        # RAA publishes levels 1-2 only (Aplikasi Umum / Khusus and their areas); an instansi adds its own below.
        reference_levels=(2, None),
        unit_fields=(("managing_unit", "department"),),
        archimate_element="ApplicationComponent",
        # A shared application of one OPD serves the processes, services and data of others.
        links=(
            LinkSpec("processes", meaning=_("mendukung"), inverse=_("didukung oleh"), relationship="serving",
                     cardinality="1..*", cross_opd=True),
            LinkSpec("services", meaning=_("mendukung"), inverse=_("didukung oleh"),
                     relationship="serving", cross_opd=True),
            LinkSpec("reads", meaning=_("membaca"), inverse=_("dibaca oleh"), relationship="access-read",
                     cross_opd=True),
            LinkSpec("writes", meaning=_("menulis"), inverse=_("ditulis oleh"), relationship="access-write",
                     cross_opd=True),
            # Integrations: a link with attributes, one ApplicationIntegration row per pair (ArchiMate flow).
            LinkSpec("outgoing_integrations", meaning=_("mengirim data ke"), inverse=_("menerima data dari"),
                     relationship="flow", cross_opd=True, through="architecture.ApplicationIntegration",
                     through_fields=("source", "target"), attributes=("direction", "channel", "data_exchanged"),
                     acyclic=False),  # A sends to B and B to A: integrations run both ways
            # Infrastruktur (issue 12): shared infrastructure is normal (Diskominfo's data centre hosts every OPD's
            # applications), so each crosses OPDs; the technology serves the application (ArchiMate, reversed).
            LinkSpec("servers", meaning=_("berjalan di"), inverse=_("menjalankan"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("cloud_services", meaning=_("berjalan di"), inverse=_("menjalankan"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("platform_software", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("service_buses", meaning=_("terhubung melalui"), inverse=_("menghubungkan"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("intra_networks", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.APP_PLATFORM, _("Basis aplikasi"), suggested=("Web", "Mobile", "Desktop", "Lainnya")),
            ValueList(ValueListKind.APP_LICENSE, _("Tipe lisensi aplikasi"), suggested=(
                "Open Source", "Proprietary (Perpetual)", "Periodik/Langganan",
            )),
            ValueList(ValueListKind.APP_LANGUAGE, _("Bahasa pemrograman"), suggested=(
                "PHP", "JavaScript/TypeScript", "Python", "Java", "C#", "Go", "Kotlin", "Swift", "Dart", "Lainnya",
            )),
            ValueList(ValueListKind.NATIONAL_APP, _("Aplikasi umum nasional"), suggested=(
                "SRIKANDI (Sistem Informasi Kearsipan Dinamis Terintegrasi)",
                "SIPD (Sistem Informasi Pemerintahan Daerah: perencanaan, penganggaran, penatausahaan keuangan)",
                "SIASN (Sistem Informasi Aparatur Sipil Negara, kepegawaian BKN)",
                "e-Kinerja BKN (penilaian kinerja pegawai)",
                "SPSE (Sistem Pengadaan Secara Elektronik, LKPP)",
                "SiRUP (Sistem Informasi Rencana Umum Pengadaan, LKPP)",
                "SP4N-LAPOR! (pengaduan pelayanan publik)",
                "JDIH (Jaringan Dokumentasi dan Informasi Hukum)",
                "Portal Satu Data Indonesia (data terbuka)",
                "OSS RBA (perizinan berusaha berbasis risiko)",
                "SIMBG (Sistem Informasi Manajemen Bangunan Gedung)",
            )),
        ),
    )

    processes = models.ManyToManyField(
        "architecture.BusinessProcess", blank=True, related_name="applications", verbose_name=_("proses bisnis didukung"),
        help_text=_("Minimal satu sebelum diajukan."),
    )
    services = models.ManyToManyField(
        "architecture.Service", blank=True, related_name="applications", verbose_name=_("layanan didukung"),
    )
    reads = models.ManyToManyField(
        "architecture.DataItem", blank=True, related_name="read_by_applications", verbose_name=_("data yang dibaca"),
    )
    writes = models.ManyToManyField(
        "architecture.DataItem", blank=True, related_name="written_by_applications",
        verbose_name=_("data yang ditulis"),
    )
    user_departments = models.ManyToManyField(
        "organizations.Department", blank=True, related_name="+", verbose_name=_("OPD pengguna lain"),
        help_text=_("OPD lain yang juga memakai aplikasi ini."),
    )
    function = free_text(_("fungsi aplikasi"))
    output = free_text(_("luaran"))
    national_application = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("aplikasi umum nasional"),
        help_text=_("Isi bila ini penerapan aplikasi umum nasional (mis. SRIKANDI); kosongkan untuk aplikasi sendiri."),
        limit_choices_to={"kind": ValueListKind.NATIONAL_APP, "is_active": True},
    )
    platforms = models.ManyToManyField(
        "architecture.ValueListItem", blank=True, related_name="+", verbose_name=_("basis aplikasi"),
        limit_choices_to={"kind": ValueListKind.APP_PLATFORM, "is_active": True},
    )
    license_type = models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("tipe lisensi"), limit_choices_to={"kind": ValueListKind.APP_LICENSE, "is_active": True},
    )
    languages = models.ManyToManyField(
        "architecture.ValueListItem", blank=True, related_name="+", verbose_name=_("bahasa pemrograman"),
        limit_choices_to={"kind": ValueListKind.APP_LANGUAGE, "is_active": True},
    )
    framework = models.CharField(_("kerangka pengembangan"), max_length=200, blank=True)
    database = models.CharField(_("basis data"), max_length=200, blank=True, help_text=_("Mis. PostgreSQL, MySQL."))
    developer = models.CharField(_("pengembang"), max_length=20, choices=ApplicationDeveloper.choices, blank=True)
    managing_unit = models.ForeignKey(
        "organizations.WorkUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("unit pengelola"),
    )
    lifecycle = models.CharField(
        _("siklus hidup"), max_length=20, choices=ApplicationLifecycle.choices, default=ApplicationLifecycle.PRODUCTION,
    )
    production_year = models.PositiveSmallIntegerField(
        _("tahun mulai dipakai"), null=True, blank=True, validators=YEAR_VALIDATORS,
    )
    retirement_year = models.PositiveSmallIntegerField(
        _("tahun dihentikan"), null=True, blank=True, validators=YEAR_VALIDATORS,
        help_text=_("Wajib bila siklus hidup “Dihentikan”."),
    )
    web_address = models.URLField(_("alamat web (URL)"), max_length=300, blank=True)
    servers = models.ManyToManyField(
        "architecture.Server", blank=True, related_name="applications", verbose_name=_("server"),
    )
    cloud_services = models.ManyToManyField(
        "architecture.CloudService", blank=True, related_name="applications", verbose_name=_("komputasi awan"),
    )
    platform_software = models.ManyToManyField(
        "architecture.PlatformSoftware", blank=True, related_name="applications",
        verbose_name=_("perangkat lunak platform"),
    )
    service_buses = models.ManyToManyField(
        "architecture.ServiceBus", blank=True, related_name="applications", verbose_name=_("SPLP"),
    )
    intra_networks = models.ManyToManyField(
        "architecture.IntraNetwork", blank=True, related_name="applications", verbose_name=_("jaringan intra"),
    )

    class Meta(ArchitectureObject.Meta):
        verbose_name = _("Aplikasi")
        verbose_name_plural = _("Aplikasi")

    def clean_domain(self):
        errors = {}
        if self.lifecycle == ApplicationLifecycle.RETIRED and not self.retirement_year:
            errors["retirement_year"] = _("Aplikasi yang dihentikan perlu tahun dihentikannya.")
        if self.retirement_year and self.lifecycle != ApplicationLifecycle.RETIRED:
            errors["retirement_year"] = _("Tahun dihentikan hanya diisi untuk aplikasi yang dihentikan.")
        if self.lifecycle == ApplicationLifecycle.PLANNED and self.state == ArchitectureState.AS_IS:
            errors["lifecycle"] = _("Aplikasi yang baru direncanakan belum ada: catat kondisinya sebagai to-be, bukan as-is.")
        if self.production_year and self.retirement_year and self.retirement_year < self.production_year:
            errors["retirement_year"] = _("Tahun dihentikan tidak boleh sebelum tahun mulai dipakai.")
        return errors

    @classmethod
    def completeness_warnings(cls, queryset, departments):
        yield from cls.count_by_department(
            queryset.filter(processes__isnull=True), _("%(n)d aplikasi tanpa proses bisnis yang didukung")
        )
        yield from cls.count_by_department(
            queryset.filter(lifecycle=ApplicationLifecycle.RETIRED, retirement_year__isnull=True),
            _("%(n)d aplikasi dihentikan tanpa tahun dihentikan"),
        )


class ApplicationIntegration(BaseModel):
    """An integration between two applications of one instansi: what flows, which way, through the SPLP or direct.

    A link with attributes (ArchiMate *flow* between application components), kept as its own row so
    that direction, data and channel can be recorded; it belongs to the source application's OPD.
    """

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"),
        editable=False,
    )
    source = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="outgoing_integrations", verbose_name=_("aplikasi sumber"),
    )
    target = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="incoming_integrations", verbose_name=_("aplikasi tujuan"),
    )
    direction = models.CharField(
        _("arah"), max_length=20, choices=IntegrationDirection.choices, default=IntegrationDirection.ONE_WAY,
    )
    channel = models.CharField(
        _("jalur"), max_length=20, choices=IntegrationChannel.choices, default=IntegrationChannel.SPLP,
    )
    data_exchanged = models.CharField(
        _("data yang dipertukarkan"), max_length=300, help_text=_("Mis. data pegawai, NIK, realisasi anggaran."),
    )
    description = free_text(_("keterangan"))

    class Meta:
        verbose_name = _("Integrasi Aplikasi")
        verbose_name_plural = _("Integrasi Aplikasi")
        ordering = ["source__code", "target__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="architecture_integration_unique",
                violation_error_message=_("Integrasi antara kedua aplikasi ini sudah tercatat."),
            )
        ]

    def __str__(self):
        arrow = "↔" if self.direction == IntegrationDirection.TWO_WAY else "→"
        return f"{self.source.code} {arrow} {self.target.code}"

    def get_absolute_url(self):
        return reverse("architecture:applicationintegration", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.source_id:
            self.institution_id = self.source.institution_id
        return super().save(*args, **kwargs)

    @property
    def department(self):
        """The OPD the integration belongs to: its source application's."""
        return self.source.department if self.source_id else None

    @property
    def two_way(self) -> bool:
        return self.direction == IntegrationDirection.TWO_WAY

    @property
    def arrow(self) -> str:
        return "↔" if self.two_way else "→"

    def clean(self):
        """The one validation path of an integration (form, API, import): two different applications of one
        instansi, not recorded twice, and no reverse that the existing one already covers."""
        super().clean()
        if self.source_id:
            self.institution_id = self.source.institution_id
        if not (self.source_id and self.target_id):
            return
        errors = []
        source, target = self.source, self.target
        if self.source_id == self.target_id:
            errors.append(_(
                "Aplikasi tidak dapat diintegrasikan dengan dirinya sendiri; pilih aplikasi tujuan yang lain."
            ))
        elif target.institution_id != source.institution_id:
            errors.append(_("“%(target)s” milik instansi lain; integrasi hanya antaraplikasi dalam satu instansi.")
                          % {"target": target})
        else:
            reverse_row = (
                type(self)._default_manager.filter(source_id=self.target_id, target_id=self.source_id)
                .exclude(pk=self.pk).first()
            )
            if reverse_row is not None and reverse_row.two_way:
                errors.append(_(
                    "Integrasi dua arah %(existing)s sudah tercatat dan sudah mencakup arah ini; tidak perlu "
                    "dicatat lagi."
                ) % {"existing": f"{target.code} ↔ {source.code}"})
            elif reverse_row is not None and self.two_way:
                errors.append(_(
                    "Integrasi %(existing)s sudah tercatat; ubah integrasi yang sudah ada itu menjadi dua arah "
                    "daripada menambah integrasi dua arah yang baru."
                ) % {"existing": f"{target.code} → {source.code}"})
        if errors:
            raise ValidationError({"target": errors})

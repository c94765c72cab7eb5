"""Keamanan: the seven object kinds of Perpres 132/2022 as one kind group mapped to the RAK.

No RAK codes are public: every kind takes the instansi's own nodes from the top of the catalog
(``reference_levels=(1, None)``). Each object protects declared data, applications and infrastructure;
security is often run by one OPD (Diskominfo) for all, so those links cross OPDs of the instansi.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import AuditType, FeasibilityResult, FollowUpStatus, SecurityDocumentType
from .base import ArchitectureObject, DomainSpec, Expiry, KindGroup, LinkSpec, free_text
from .rules import negative_problems, order_problem

SECURITY = KindGroup("keamanan", _("Keamanan"), order=60, archimate_element="Constraint")

PROTECTS = ("protected_data", "protected_applications", "protected_facilities", "protected_servers",
            "protected_cloud_services", "protected_network_devices", "protected_storage_media",
            "protected_platform_software", "protected_intra_networks", "protected_service_buses")
MATURITY_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


def protects() -> tuple[LinkSpec, ...]:
    """The links of a kind to what it protects (ArchiMate association: a measure is about those objects)."""
    return tuple(LinkSpec(field, meaning=_("melindungi"), inverse=_("dilindungi oleh"), relationship="association",
                          cross_opd=True) for field in PROTECTS)


def security_spec(*, archimate_element: str, **kwargs) -> DomainSpec:
    """A ``DomainSpec`` of the group: RAK from its top (instansi nodes), the protected objects after the kind's own."""
    kwargs["form_fields"] = kwargs.get("form_fields", ()) + PROTECTS
    return DomainSpec(
        catalog="RAK", group=SECURITY, reference_levels=(1, None), archimate_element=archimate_element,
        links=protects(), **kwargs,
    )


def maturity(label):
    return models.DecimalField(label, max_digits=3, decimal_places=2, null=True, blank=True,
                               validators=MATURITY_VALIDATORS, help_text=_("Nilai 0 sampai 5."))


def protected(target: str, label):
    """A link of every keamanan kind to the objects of ``target`` it protects."""
    return models.ManyToManyField(f"architecture.{target}", blank=True, related_name="protected_by_%(class)s",
                                  verbose_name=label)


class SecurityObject(ArchitectureObject):
    """What every kind of keamanan has: the data, applications and infrastructure it protects."""

    protected_data = protected("DataItem", _("data dilindungi"))
    protected_applications = protected("Application", _("aplikasi dilindungi"))
    protected_facilities = protected("ComputingFacility", _("fasilitas komputasi dilindungi"))
    protected_servers = protected("Server", _("server dilindungi"))
    protected_cloud_services = protected("CloudService", _("komputasi awan dilindungi"))
    protected_network_devices = protected("NetworkDevice", _("perangkat jaringan dilindungi"))
    protected_storage_media = protected("StorageMedia", _("media penyimpanan dilindungi"))
    protected_platform_software = protected("PlatformSoftware", _("perangkat lunak platform dilindungi"))
    protected_intra_networks = protected("IntraNetwork", _("jaringan intra dilindungi"))
    protected_service_buses = protected("ServiceBus", _("SPLP dilindungi"))

    amounts: tuple[str, ...] = ()

    class Meta(ArchitectureObject.Meta):
        abstract = True

    def clean_domain(self):
        return negative_problems(self, self.amounts)


class SecurityStandard(SecurityObject):
    """A Standar, Prosedur atau Regulasi Keamanan with its period of validity."""

    spec = security_spec(
        slug="standar-keamanan", api_name="security-standards", code_prefix="SK", order=61,
        form_fields=("document_type", "document_number", "valid_from", "valid_until"),
        list_columns=("document_type", "valid_until"), filter_fields=("document_type", "valid_until"),
        completeness_fields=("document_type", "valid_from"),
        menu_label=_("Standar & prosedur keamanan"), archimate_element="Constraint",
        expiry=(Expiry("masa-berlaku-habis", _("Melewati tanggal akhir penerapan"),
                       _("%(n)d melewati tanggal akhir penerapan"), date_field="valid_until"),),
    )

    document_type = models.CharField(_("jenis dokumen"), max_length=20, choices=SecurityDocumentType.choices,
                                     blank=True)
    document_number = models.CharField(_("nomor dokumen"), max_length=200, blank=True)
    valid_from = models.DateField(_("tanggal mulai penerapan"), null=True, blank=True)
    valid_until = models.DateField(_("tanggal akhir penerapan"), null=True, blank=True)

    class Meta(SecurityObject.Meta):
        verbose_name = _("Standar Keamanan")
        verbose_name_plural = _("Standar Keamanan")

    def clean_domain(self):
        return {**super().clean_domain(), **order_problem(self, "valid_from", "valid_until")}


class SecurityAwareness(SecurityObject):
    """An Edukasi Kesadaran Keamanan: a session, its date and participants."""

    spec = security_spec(
        slug="edukasi-keamanan", api_name="security-awareness", code_prefix="EK", order=62,
        form_fields=("activity_date", "audience", "participants"),
        list_columns=("activity_date", "participants"), filter_fields=("activity_date",),
        completeness_fields=("activity_date", "participants"),
        menu_label=_("Edukasi kesadaran keamanan"), archimate_element="WorkPackage",
    )
    amounts = ("participants",)

    activity_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    audience = models.CharField(_("sasaran peserta"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("jumlah peserta"), null=True, blank=True)

    class Meta(SecurityObject.Meta):
        verbose_name = _("Edukasi Kesadaran Keamanan")
        verbose_name_plural = _("Edukasi Kesadaran Keamanan")


class VulnerabilityAssessment(SecurityObject):
    """An Identifikasi Kerentanan: an assessment, its scope and findings by severity."""

    spec = security_spec(
        slug="identifikasi-kerentanan", api_name="vulnerability-assessments", code_prefix="IK", order=63,
        form_fields=("activity_date", "scope", "findings_critical", "findings_high", "findings_medium",
                     "findings_low"),
        list_columns=("activity_date", "findings_critical"), filter_fields=("activity_date",),
        completeness_fields=("activity_date", "scope"),
        menu_label=_("Identifikasi kerentanan"), archimate_element="Assessment",
    )
    amounts = ("findings_critical", "findings_high", "findings_medium", "findings_low")

    activity_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    scope = free_text(_("cakupan"))
    findings_critical = models.PositiveSmallIntegerField(_("temuan kritis"), null=True, blank=True)
    findings_high = models.PositiveSmallIntegerField(_("temuan tinggi"), null=True, blank=True)
    findings_medium = models.PositiveSmallIntegerField(_("temuan sedang"), null=True, blank=True)
    findings_low = models.PositiveSmallIntegerField(_("temuan rendah"), null=True, blank=True)

    class Meta(SecurityObject.Meta):
        verbose_name = _("Identifikasi Kerentanan")
        verbose_name_plural = _("Identifikasi Kerentanan")


class SecurityImprovement(SecurityObject):
    """A Peningkatan Keamanan: an improvement programme and the maturity value it reached."""

    spec = security_spec(
        slug="peningkatan-keamanan", api_name="security-improvements", code_prefix="PN", order=64,
        form_fields=("activity_date", "maturity_value"),
        list_columns=("activity_date", "maturity_value"), filter_fields=("activity_date",),
        completeness_fields=("activity_date", "maturity_value"),
        menu_label=_("Peningkatan keamanan"), archimate_element="WorkPackage",
    )

    activity_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    maturity_value = maturity(_("nilai kematangan"))

    class Meta(SecurityObject.Meta):
        verbose_name = _("Peningkatan Keamanan")
        verbose_name_plural = _("Peningkatan Keamanan")


class IncidentHandling(SecurityObject):
    """A Penanganan Insiden Keamanan: incident handling capability, its maturity and the incidents handled."""

    spec = security_spec(
        slug="penanganan-insiden", api_name="incident-handling", code_prefix="PI", order=65,
        form_fields=("activity_date", "maturity_value", "incident_count"),
        list_columns=("activity_date", "incident_count"), filter_fields=("activity_date",),
        completeness_fields=("activity_date", "maturity_value"),
        menu_label=_("Penanganan insiden"), archimate_element="WorkPackage",
    )
    amounts = ("incident_count",)

    activity_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    maturity_value = maturity(_("nilai kematangan"))
    incident_count = models.PositiveIntegerField(_("jumlah insiden"), null=True, blank=True)

    class Meta(SecurityObject.Meta):
        verbose_name = _("Penanganan Insiden Keamanan")
        verbose_name_plural = _("Penanganan Insiden Keamanan")


class SecurityAudit(SecurityObject):
    """An Audit Keamanan: internal or external, its auditor, result and the follow-up of its findings."""

    spec = security_spec(
        slug="audit-keamanan", api_name="security-audits", code_prefix="AK", order=66,
        form_fields=("audit_type", "auditor", "audit_date", "result", "follow_up_status", "follow_up_date"),
        list_columns=("audit_type", "audit_date", "follow_up_status"),
        filter_fields=("audit_type", "follow_up_status", "audit_date"),
        completeness_fields=("audit_type", "auditor", "audit_date", "result", "follow_up_status"),
        menu_label=_("Audit keamanan"), archimate_element="Assessment",
        # An audit whose findings are not followed up (done, or not needed) stays a warning until they are.
        expiry=(Expiry("tanpa-tindak-lanjut", _("Tindak lanjut belum selesai"), _("%(n)d tanpa tindak lanjut selesai"),
                       where=Q(audit_date__isnull=False) & ~Q(follow_up_status__in=(
                           FollowUpStatus.DONE, FollowUpStatus.NOT_NEEDED))),),
    )

    audit_type = models.CharField(_("jenis audit"), max_length=20, choices=AuditType.choices, blank=True)
    auditor = models.CharField(_("auditor"), max_length=200, blank=True)
    audit_date = models.DateField(_("tanggal audit"), null=True, blank=True)
    result = free_text(_("hasil audit"))
    follow_up_status = models.CharField(_("status tindak lanjut"), max_length=20, choices=FollowUpStatus.choices,
                                        blank=True)
    follow_up_date = models.DateField(_("tanggal tindak lanjut selesai"), null=True, blank=True)

    class Meta(SecurityObject.Meta):
        verbose_name = _("Audit Keamanan")
        verbose_name_plural = _("Audit Keamanan")

    def clean_domain(self):
        errors = {**super().clean_domain(), **order_problem(self, "audit_date", "follow_up_date")}
        if self.follow_up_date and self.follow_up_status != FollowUpStatus.DONE:
            errors.setdefault("follow_up_date", _("Tanggal tindak lanjut selesai hanya untuk tindak lanjut “Selesai”."))
        return errors


class SecurityFeasibility(SecurityObject):
    """A Kelaikan Keamanan: a fitness assessment of a scope and its result."""

    spec = security_spec(
        slug="kelaikan-keamanan", api_name="security-feasibility", code_prefix="KK", order=67,
        form_fields=("activity_date", "scope", "result"),
        list_columns=("activity_date", "result"), filter_fields=("result", "activity_date"),
        completeness_fields=("activity_date", "scope", "result"),
        menu_label=_("Kelaikan keamanan"), archimate_element="Assessment",
    )

    activity_date = models.DateField(_("tanggal kegiatan"), null=True, blank=True)
    scope = free_text(_("cakupan"))
    result = models.CharField(_("hasil"), max_length=20, choices=FeasibilityResult.choices, blank=True)

    class Meta(SecurityObject.Meta):
        verbose_name = _("Kelaikan Keamanan")
        verbose_name_plural = _("Kelaikan Keamanan")


__all__ = [
    "SECURITY", "SecurityObject", "SecurityStandard", "SecurityAwareness", "VulnerabilityAssessment",
    "SecurityImprovement", "IncidentHandling", "SecurityAudit", "SecurityFeasibility",
]

"""The facts of security (audits and their follow-up, incidents, standards), the roadmap and the Dokumen Arsitektur
SPBE, and of one area of government services (the 59/2020 service indicators), as ``topics`` writes them: plain
functions of the assessment, the indicator and the reader, a fixed number of queries each."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from sia.architecture.choices import AuditType, FollowUpStatus, SecurityDocumentType, ServiceCategory
from sia.architecture.gap_catalog import gap_catalog
from sia.architecture.models import (
    Application,
    IncidentHandling,
    SecurityAudit,
    SecurityAwareness,
    SecurityImprovement,
    SecurityStandard,
    Service,
    VulnerabilityAssessment,
)
from sia.core import permissions
from sia.evaluation.facts import Fact
from sia.publishing.choices import DocumentContent, DocumentStatus
from sia.publishing.models import GeneratedDocument
from sia.roadmap.choices import ActivityStatus
from sia.roadmap.figures import closed_gap_keys
from sia.roadmap.models import Activity, ActivityYear

from .topics import APPLICATIONS_EXPORT, LIVE, list_url, names, share, visible

ROADMAP_EXPORT = "peta-rencana"
DOCUMENT_EXPORT = "dokumen-arsitektur"
INFRASTRUCTURE_PROTECTED = ("protected_facilities", "protected_servers", "protected_cloud_services",
                            "protected_network_devices", "protected_storage_media", "protected_platform_software",
                            "protected_intra_networks", "protected_service_buses")


def _date(value) -> str:
    return date_format(value, "j F Y") if value else "—"


# --- security -------------------------------------------------------------------------------------------------


def _audit_facts(assessment, user, audits, label) -> list[Fact]:
    institution = assessment.institution
    row = audits.aggregate(
        total=Count("pk"), external=Count("pk", filter=Q(audit_type=AuditType.EXTERNAL)),
        internal=Count("pk", filter=Q(audit_type=AuditType.INTERNAL)), latest=Max("audit_date"),
        done=Count("pk", filter=Q(follow_up_status__in=(FollowUpStatus.DONE, FollowUpStatus.NOT_NEEDED))),
        open=Count("pk", filter=Q(follow_up_status__in=(FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS))),
    )
    return [
        Fact(label, row["total"], _("%(internal)d internal, %(external)d eksternal; terakhir %(latest)s") % {
            **row, "latest": _date(row["latest"])}, list_url(SecurityAudit, institution)),
        Fact(_("Audit dengan tindak lanjut selesai"), row["done"],
             _("%(share)s; %(open)d belum selesai") % {"share": share(row["done"], row["total"]), "open": row["open"]},
             list_url(SecurityAudit, institution, kedaluwarsa="tanpa-tindak-lanjut")),
    ]


def security_audit_facts(assessment, indicator, user) -> list[Fact]:
    """Security audits and their follow-up; vulnerability assessments and their open findings."""
    institution = assessment.institution
    facts = _audit_facts(assessment, user, visible(user, SecurityAudit, institution), _("Audit keamanan tercatat"))
    row = visible(user, VulnerabilityAssessment, institution).aggregate(
        total=Count("pk"), critical=Sum("findings_critical"), high=Sum("findings_high"), latest=Max("activity_date"))
    facts.append(Fact(_("Identifikasi kerentanan"), row["total"],
                      _("temuan kritis %(critical)d, tinggi %(high)d; terakhir %(latest)s") % {
                          "critical": row["critical"] or 0, "high": row["high"] or 0, "latest": _date(row["latest"])},
                      list_url(VulnerabilityAssessment, institution)))
    return facts


def infrastructure_audit_facts(assessment, indicator, user) -> list[Fact]:
    """Audits of the infrastructure: security audits that cover a facility, server, network, cloud service, ..."""
    audits = visible(user, SecurityAudit, assessment.institution)
    condition = Q()
    for field in INFRASTRUCTURE_PROTECTED:
        condition |= Q(**{f"{field}__isnull": False})
    audits = audits.filter(pk__in=audits.filter(condition).values("pk"))
    return _audit_facts(assessment, user, audits, _("Audit yang mencakup infrastruktur"))


def application_audit_facts(assessment, indicator, user) -> list[Fact]:
    """Audits of applications: security audits that cover an application, and the running applications covered."""
    institution = assessment.institution
    audits = visible(user, SecurityAudit, institution)
    covering = audits.filter(pk__in=audits.filter(protected_applications__isnull=False).values("pk"))
    facts = _audit_facts(assessment, user, covering, _("Audit yang mencakup aplikasi"))
    apps = visible(user, Application, institution).filter(lifecycle__in=LIVE)
    row = apps.aggregate(total=Count("pk"), audited=Count("pk", filter=Q(
        pk__in=audits.filter(protected_applications__isnull=False).values("protected_applications"))))
    facts.append(Fact(_("Aplikasi berjalan yang pernah diaudit"), row["audited"], share(row["audited"], row["total"]),
                      list_url(Application, institution)))
    return facts


def incident_facts(assessment, indicator, user) -> list[Fact]:
    """Incident handling: the records, the incidents handled, the latest maturity value."""
    institution = assessment.institution
    handling = visible(user, IncidentHandling, institution)
    row = handling.aggregate(total=Count("pk"), incidents=Sum("incident_count"), latest=Max("activity_date"))
    latest = handling.filter(maturity_value__isnull=False).order_by("-activity_date", "-pk").values_list(
        "maturity_value", flat=True).first()
    return [
        Fact(_("Penanganan insiden keamanan tercatat"), row["total"],
             _("%(n)d insiden ditangani; terakhir %(latest)s") % {"n": row["incidents"] or 0,
                                                                   "latest": _date(row["latest"])},
             list_url(IncidentHandling, institution)),
        Fact(_("Nilai kematangan penanganan insiden terakhir"), latest if latest is not None else "—", "",
             list_url(IncidentHandling, institution)),
    ]


def standard_facts(assessment, indicator, user) -> list[Fact]:
    """Security standards, procedures and regulations (those in force today), awareness sessions, improvements."""
    institution = assessment.institution
    today = timezone.localdate()
    row = visible(user, SecurityStandard, institution).aggregate(
        total=Count("pk"),
        in_force=Count("pk", filter=(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
                       & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))),
        **{str(value): Count("pk", filter=Q(document_type=value)) for value in SecurityDocumentType.values},
    )
    labels = dict(SecurityDocumentType.choices)
    awareness = visible(user, SecurityAwareness, institution).aggregate(
        total=Count("pk"), participants=Sum("participants"))
    since = today - datetime.timedelta(days=365)
    improvements = visible(user, SecurityImprovement, institution).aggregate(
        total=Count("pk"), recent=Count("pk", filter=Q(activity_date__gte=since)))
    return [
        Fact(_("Standar, prosedur dan regulasi keamanan"), row["total"], _("%(force)d berlaku hari ini; %(kinds)s") % {
            "force": row["in_force"],
            "kinds": ", ".join(f"{labels[value]} {row[str(value)]}" for value in SecurityDocumentType.values)},
            list_url(SecurityStandard, institution)),
        Fact(_("Edukasi kesadaran keamanan"), awareness["total"],
             _("%(n)d peserta") % {"n": awareness["participants"] or 0}, list_url(SecurityAwareness, institution)),
        Fact(_("Peningkatan keamanan"), improvements["total"],
             _("%(n)d dalam setahun terakhir") % {"n": improvements["recent"]},
             list_url(SecurityImprovement, institution)),
    ]


# --- the roadmap and the Dokumen Arsitektur -------------------------------------------------------------------


def roadmap_facts(assessment, indicator, user) -> list[Fact]:
    """The kegiatan of the Peta Rencana the user sees (a cancelled one counts nowhere, as in the roadmap's figures),
    their years and budget, and the gaps of the gap catalog (what the user sees) some kegiatan closes."""
    institution = assessment.institution
    activities = Activity.objects.filter(institution=institution).exclude(progress=ActivityStatus.CANCELLED)
    total = permissions.visible(user, activities).count()
    years = permissions.visible(user, ActivityYear.objects.filter(
        activity__institution=institution).exclude(activity__progress=ActivityStatus.CANCELLED)).aggregate(
        rows=Count("pk"), done=Count("pk", filter=Q(done=True)), budget=Sum("budget"))
    gaps = gap_catalog(user, institution)
    closed = len(closed_gap_keys(gaps))
    query = f"?instansi={institution.pk}"
    return [
        Fact(_("Kegiatan Peta Rencana SPBE"), total,
             _("%(done)s tahun kegiatan selesai; pagu Rp%(budget)s") % {
                 "done": share(years["done"], years["rows"]),
                 "budget": number_format(years["budget"] or 0, 0, force_grouping=True)},
             reverse("roadmap:overview") + query, export=ROADMAP_EXPORT),
        Fact(_("Gap arsitektur ditutup kegiatan"), closed,
             _("%(share)s gap; %(open)d belum ditutup") % {"share": share(closed, len(gaps)),
                                                            "open": len(gaps) - closed},
             reverse("architecture:gap_catalog") + query),
    ]


def latest_document(user, institution, *, validated_only: bool = False):
    """The latest finished Dokumen Arsitektur SPBE of the instansi the user may read (None when there is none);
    ``validated_only``: of the whole instansi with validated objects only (what may go out as evidence)."""
    documents = (permissions.visible(user, GeneratedDocument.objects.filter(institution=institution))
                 .filter(status=DocumentStatus.DONE).exclude(file=""))
    if validated_only:
        documents = documents.filter(content=DocumentContent.VALIDATED, department__isnull=True)
    return documents.select_related("institution", "department").order_by("-finished_at", "-pk").first()


def document_facts(assessment, indicator, user) -> list[Fact]:
    """The latest Dokumen Arsitektur SPBE written of the instansi (attachable), or where to write one."""
    document = latest_document(user, assessment.institution, validated_only=True)
    if document is None:
        return [Fact(_("Dokumen Arsitektur SPBE"), _("belum ada"),
                     _("Belum ada dokumen yang selesai dibuat; buat di halaman Dokumen Arsitektur SPBE."),
                     reverse("publishing:documents"))]
    return [Fact(_("Dokumen Arsitektur SPBE terakhir"), _date(timezone.localtime(document.finished_at).date()
                                                              if document.finished_at else None),
                 _("%(name)s; %(draft)s") % {"name": document, "draft": _("memuat draf") if document.draft
                                             else _("hanya objek divalidasi")},
                 document.get_absolute_url(), export=DOCUMENT_EXPORT)]


# --- one area of government services --------------------------------------------------------------------------


def service_area_facts(words: tuple[str, ...] = (), *, public: bool = False):
    """A provider of the applications and services of one area of government services: those whose name or function
    holds one of ``words`` (or the name of the national shared application they implement), e.g. ("kepegawaian",
    "simpeg", "siasn"); ``public``: the public services and the applications that support them."""

    def provider(assessment, indicator, user) -> list[Fact]:
        institution = assessment.institution
        apps = visible(user, Application, institution)
        services = visible(user, Service, institution)
        if public:
            services = services.filter(category=ServiceCategory.PUBLIC)
            matched = apps.filter(Exists(services.filter(applications=OuterRef("pk"))))
            label, app_url = _("mendukung layanan publik"), list_url(Application, institution)
            service_label, service_url = _("Layanan publik tercatat"), list_url(Service, institution, category="publik")
        else:
            condition, service_condition = Q(), Q()
            for word in words:
                condition |= Q(name__icontains=word) | Q(function__icontains=word) | Q(
                    national_application__name__icontains=word)
                service_condition |= Q(name__icontains=word) | Q(function_description__icontains=word)
            matched = apps.filter(pk__in=apps.filter(condition).values("pk"))
            services = services.filter(service_condition)
            label, app_url = ", ".join(words[:3]), list_url(Application, institution, q=words[0])
            service_label = _("Layanan terkait (%(words)s)") % {"words": label}
            service_url = list_url(Service, institution, q=words[0])
        row = matched.aggregate(total=Count("pk"), live=Count("pk", filter=Q(lifecycle__in=LIVE)),
                                national=Count("pk", filter=Q(national_application__isnull=False)))
        shown = list(matched.order_by("code").values_list("name", flat=True)[:6])
        runs = matched.filter(lifecycle__in=LIVE)
        service_row = services.aggregate(
            total=Count("pk"), electronic=Count("pk", filter=Q(Exists(runs.filter(services=OuterRef("pk"))))))
        return [
            Fact(_("Aplikasi terkait (%(words)s)") % {"words": label}, row["total"],
                 _("%(live)d berjalan, %(national)d aplikasi umum nasional: %(names)s") % {
                     **row, "names": names(shown, 5, row["total"]) or "—"}, app_url, export=APPLICATIONS_EXPORT),
            Fact(service_label, service_row["total"], _("%(share)s didukung aplikasi berjalan") % {
                "share": share(service_row["electronic"], service_row["total"])}, service_url),
        ]

    provider.__name__ = f"service_area_{words[0] if words else 'public'}"
    return provider

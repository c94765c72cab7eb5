"""The facts of one topic of SIA's records (applications, hosting, integrations, processes across OPDs, services,
data, the architecture's coverage), as plain functions of the reader and the assessment.

Each ``*_facts(assessment, indicator, user)`` returns ``sia.evaluation.facts.Fact``s of the assessment's instansi, read
through ``sia.core.permissions.visible`` as the user sees it (an operator never counts another OPD's drafts), in a
fixed number of queries whatever the number of rows. ``sia.index_evidence.indicators`` registers them for the
indicators they speak to; security and the roadmap are in ``topics_plans``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from sia.architecture.choices import (
    ApplicationLifecycle,
    FacilityType,
    IntegrationChannel,
    IntegrationDirection,
    ReviewStatus,
    ServiceCategory,
)
from sia.architecture.models import (
    Application,
    ApplicationIntegration,
    BusinessProcess,
    CloudService,
    ComputingFacility,
    DataItem,
    IntraNetwork,
    Server,
    Service,
    ServiceBus,
)
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.evaluation.facts import Fact
from sia.organizations.models import Department
from sia.portfolio.duplicates import duplicate_candidates
from sia.portfolio.rationalisation import Recommendation, tally

LIVE = (ApplicationLifecycle.PRODUCTION, ApplicationLifecycle.DEVELOPMENT)
APPLICATIONS_EXPORT = "aplikasi"  # sia.index_evidence.exports


def visible(user, model, institution):
    """The objects of ``model`` in ``institution`` the user may see."""
    return permissions.visible(user, model.objects.filter(institution=institution))


def list_url(model, institution, **params) -> str:
    """The list page of an architecture kind (or the integrations) of the instansi, with filters."""
    query = urlencode({"institution": institution.code, **params})
    return f"{reverse(f'architecture:{model._meta.model_name}_list')}?{query}"


def share(part: int, whole: int) -> str:
    """“12 dari 30 (40%)”; “0 dari 0” when there is nothing to share."""
    if not whole:
        return _("%(part)d dari %(whole)d") % {"part": part, "whole": whole}
    return _("%(part)d dari %(whole)d (%(pct)d%%)") % {"part": part, "whole": whole, "pct": round(100 * part / whole)}


def names(rows, limit: int = 5, total: int | None = None) -> str:
    """The first ``limit`` names of ``rows`` and how many more (of ``total`` when ``rows`` were cut short)."""
    rows = list(rows)
    shown = ", ".join(str(row) for row in rows[:limit])
    more = (len(rows) if total is None else total) - min(limit, len(rows))
    if more > 0:
        shown += " " + _("dan %(n)d lainnya") % {"n": more}
    return shown


# --- the architecture's coverage ------------------------------------------------------------------------------


def coverage_facts(assessment, indicator, user) -> list[Fact]:
    """Every architecture kind: how many objects, how many validated (one query per kind); and which services have
    their architecture filled in (a business process and an application)."""
    institution = assessment.institution
    filled, parts = 0, []
    models = domain_models()
    for model in models:
        row = visible(user, model, institution).aggregate(
            total=Count("pk"), validated=Count("pk", filter=Q(status=ReviewStatus.VALIDATED)))
        if row["total"]:
            filled += 1
            parts.append(_("%(kind)s %(total)d (%(validated)d divalidasi)") % {
                "kind": model._meta.verbose_name_plural, **row})
    services = visible(user, Service, institution)
    apps = visible(user, Application, institution)
    processes = visible(user, BusinessProcess, institution)
    row = services.aggregate(
        total=Count("pk"),
        filled=Count("pk", filter=Q(Exists(processes.filter(services=OuterRef("pk"))))
                     & Q(Exists(apps.filter(services=OuterRef("pk"))))),
    )
    return [
        Fact(_("Jenis arsitektur yang terisi"), filled, _("dari %(n)d jenis: %(parts)s") % {
            "n": len(models), "parts": "; ".join(parts) or _("belum ada objek")},
            reverse("architecture:completeness")),
        Fact(_("Layanan dengan arsitektur lengkap (proses bisnis dan aplikasi)"), row["filled"],
             share(row["filled"], row["total"]), list_url(Service, institution)),
    ]


# --- applications ---------------------------------------------------------------------------------------------


def application_facts(assessment, indicator, user) -> list[Fact]:
    """The applications by lifecycle, the share implementing a national shared application, the application
    inventory as an export."""
    institution = assessment.institution
    apps = visible(user, Application, institution)
    by_lifecycle = dict(apps.order_by().values_list("lifecycle").annotate(n=Count("pk")))
    total = sum(by_lifecycle.values())
    live = sum(by_lifecycle.get(value, 0) for value in LIVE)
    national = apps.filter(lifecycle__in=LIVE, national_application__isnull=False).count()
    labels = dict(ApplicationLifecycle.choices)
    return [
        Fact(_("Aplikasi tercatat"), total, "; ".join(
            f"{labels[value]} {by_lifecycle[value]}" for value in ApplicationLifecycle.values
            if by_lifecycle.get(value)),
            list_url(Application, institution), export=APPLICATIONS_EXPORT),
        Fact(_("Aplikasi berjalan yang menerapkan aplikasi umum nasional"), national, share(national, live),
             list_url(Application, institution)),
    ]


def portfolio_facts(assessment, indicator, user) -> list[Fact]:
    """Candidate duplicates across OPDs (and of national shared applications) and the TIME rationalisation."""
    institution = assessment.institution
    candidates = duplicate_candidates(institution.pk, user, attach_objects=False)
    pairs = sum(1 for c in candidates if c.second_id)
    nationals = sum(1 for c in candidates if c.national_id)
    found, _left_out = tally(visible(user, Application, institution))
    assessed = sum(n for key, n in found.items() if key != "none")
    recommended = "; ".join(f"{label} {found[value]}" for value, label in Recommendation.choices if found[value])
    query = f"?instansi={institution.pk}"
    return [
        Fact(_("Kandidat duplikat aplikasi antar-OPD"), pairs,
             _("%(groups)d kelompok; %(nationals)d aplikasi lokal menyerupai aplikasi umum nasional") % {
                 "groups": len({c.group for c in candidates if c.second_id}), "nationals": nationals},
             reverse("portfolio:duplicates") + query),
        Fact(_("Aplikasi berjalan yang dinilai TIME"), assessed,
             "; ".join(filter(None, [share(assessed, assessed + found["none"]), recommended])),
             reverse("portfolio:rationalisation") + query),
    ]


# --- hosting: data centre, cloud, jaringan intra --------------------------------------------------------------


def hosting_facts(assessment, indicator, user) -> list[Fact]:
    """Where the running applications are hosted: a server in a data centre of the instansi, a cloud service, the
    jaringan intra; the data centres, cloud services and intranets themselves."""
    institution = assessment.institution
    apps = visible(user, Application, institution).filter(lifecycle__in=LIVE)
    servers = visible(user, Server, institution)
    facilities = visible(user, ComputingFacility, institution)
    centres = facilities.filter(facility_type=FacilityType.DATA_CENTRE)
    clouds = visible(user, CloudService, institution)
    networks = visible(user, IntraNetwork, institution)
    row = apps.aggregate(
        total=Count("pk"),
        in_centre=Count("pk", filter=Q(Exists(servers.filter(applications=OuterRef("pk"), facility__in=centres)))),
        on_server=Count("pk", filter=Q(Exists(servers.filter(applications=OuterRef("pk"))))),
        in_cloud=Count("pk", filter=Q(Exists(clouds.filter(applications=OuterRef("pk"))))),
        on_intranet=Count("pk", filter=Q(Exists(networks.filter(applications=OuterRef("pk"))))),
    )
    centre_names = list(centres.order_by("code").values_list("name", flat=True))
    cloud_row = clouds.aggregate(n=Count("pk"), cost=Sum("annual_cost"))
    network_row = networks.aggregate(
        n=Count("pk"), departments=Count("connected_departments", distinct=True))
    departments = Department.objects.filter(institution=institution, is_active=True).count()
    total = row["total"]
    return [
        Fact(_("Pusat data tercatat"), len(centre_names), names(centre_names),
             list_url(ComputingFacility, institution, facility_type=FacilityType.DATA_CENTRE)),
        Fact(_("Aplikasi berjalan di server pusat data instansi"), row["in_centre"], share(row["in_centre"], total),
             list_url(Application, institution)),
        Fact(_("Aplikasi berjalan di server mana pun"), row["on_server"], share(row["on_server"], total),
             list_url(Server, institution)),
        Fact(_("Aplikasi berjalan di komputasi awan"), row["in_cloud"], _("%(share)s; %(n)d layanan komputasi awan") % {
            "share": share(row["in_cloud"], total), "n": cloud_row["n"]}, list_url(CloudService, institution)),
        Fact(_("Aplikasi memakai jaringan intra"), row["on_intranet"], share(row["on_intranet"], total),
             list_url(IntraNetwork, institution)),
        Fact(_("OPD terhubung jaringan intra"), network_row["departments"],
             _("dari %(n)d OPD aktif; %(networks)d jaringan intra") % {"n": departments, "networks": network_row["n"]},
             list_url(IntraNetwork, institution)),
    ]


# --- business processes across OPDs ---------------------------------------------------------------------------


def process_facts(assessment, indicator, user) -> list[Fact]:
    """Business processes that span several OPDs: supported by an application of another OPD, or by an application
    other OPDs use too; processes with a supporting application at all."""
    institution = assessment.institution
    apps = visible(user, Application, institution)
    processes = visible(user, BusinessProcess, institution)
    other_opd = apps.filter(processes=OuterRef("pk")).exclude(department=OuterRef("department"))
    shared = apps.filter(processes=OuterRef("pk"), user_departments__isnull=False)
    row = processes.aggregate(
        total=Count("pk"),
        supported=Count("pk", filter=Q(Exists(apps.filter(processes=OuterRef("pk"))))),
        across=Count("pk", filter=Q(Exists(other_opd)) | Q(Exists(shared))),
    )
    return [
        Fact(_("Proses bisnis lintas OPD"), row["across"],
             _("%(share)s: didukung aplikasi OPD lain atau aplikasi yang dipakai bersama beberapa OPD") % {
                 "share": share(row["across"], row["total"])},
             list_url(BusinessProcess, institution)),
        Fact(_("Proses bisnis didukung aplikasi"), row["supported"], share(row["supported"], row["total"]),
             list_url(BusinessProcess, institution)),
    ]


# --- integrations and the SPLP --------------------------------------------------------------------------------


def integration_facts(assessment, indicator, user) -> list[Fact]:
    """The integrations between applications (through the SPLP or direct, two-way), the running applications
    integrated, the SPLP buses and their registered APIs."""
    institution = assessment.institution
    integrations = permissions.visible(user, ApplicationIntegration.objects.filter(institution=institution))
    row = integrations.aggregate(
        total=Count("pk"), splp=Count("pk", filter=Q(channel=IntegrationChannel.SPLP)),
        two_way=Count("pk", filter=Q(direction=IntegrationDirection.TWO_WAY)),
    )
    apps = visible(user, Application, institution).filter(lifecycle__in=LIVE)
    app_row = apps.aggregate(
        total=Count("pk"),
        integrated=Count("pk", filter=Q(Exists(
            integrations.filter(Q(source=OuterRef("pk")) | Q(target=OuterRef("pk")))))),
    )
    buses = visible(user, ServiceBus, institution).aggregate(n=Count("pk"), apis=Sum("registered_api_count"))
    url = reverse("architecture:applicationintegration_list") + "?" + urlencode({"institution": institution.code})
    return [
        Fact(_("Integrasi aplikasi"), row["total"],
             _("%(splp)s melalui SPLP; %(two)d dua arah") % {"splp": share(row["splp"], row["total"]),
                                                               "two": row["two_way"]}, url),
        Fact(_("Aplikasi berjalan yang terintegrasi"), app_row["integrated"],
             share(app_row["integrated"], app_row["total"]),
             list_url(Application, institution)),
        Fact(_("SPLP tercatat"), buses["n"], _("%(n)d API terdaftar") % {"n": buses["apis"] or 0},
             list_url(ServiceBus, institution)),
    ]


# --- services on a portal -------------------------------------------------------------------------------------


def service_facts(assessment, indicator, user) -> list[Fact]:
    """The services by category, those run by an application (electronic), those reachable on the web (their
    application has a web address) and the portal applications."""
    institution = assessment.institution
    services = visible(user, Service, institution)
    apps = visible(user, Application, institution).filter(lifecycle__in=LIVE)
    row = services.aggregate(
        total=Count("pk"), public=Count("pk", filter=Q(category=ServiceCategory.PUBLIC)),
        administrative=Count("pk", filter=Q(category=ServiceCategory.ADMINISTRATIVE)),
        electronic=Count("pk", filter=Q(Exists(apps.filter(services=OuterRef("pk"))))),
        online=Count("pk", filter=Q(Exists(apps.filter(services=OuterRef("pk")).exclude(web_address="")))),
    )
    portals = list(apps.filter(Q(name__icontains="portal") | Q(function__icontains="portal"))
                   .order_by("code").values_list("name", flat=True)[:6])
    return [
        Fact(_("Layanan tercatat"), row["total"], _("%(public)d layanan publik; %(admin)d layanan administrasi "
                                                    "pemerintahan") % {"public": row["public"],
                                                                       "admin": row["administrative"]},
             list_url(Service, institution)),
        Fact(_("Layanan didukung aplikasi berjalan"), row["electronic"], share(row["electronic"], row["total"]),
             list_url(Service, institution)),
        Fact(_("Layanan dengan aplikasi beralamat web"), row["online"], share(row["online"], row["total"]),
             list_url(Application, institution)),
        Fact(_("Aplikasi portal"), len(portals), names(portals) or _("tidak ada aplikasi bernama atau berfungsi "
                                                                     "portal"),
             list_url(Application, institution, q="portal")),
    ]


# --- data -----------------------------------------------------------------------------------------------------


def data_facts(assessment, indicator, user) -> list[Fact]:
    """The data items: interoperable, with a walidata, shared (used by a service or read by an application of
    another OPD); the integrations that say which data they exchange."""
    institution = assessment.institution
    items = visible(user, DataItem, institution)
    apps = visible(user, Application, institution)
    integrations = permissions.visible(user, ApplicationIntegration.objects.filter(institution=institution))
    row = items.aggregate(
        total=Count("pk"), interoperable=Count("pk", filter=Q(interoperable=True)),
        custodian=Count("pk", filter=Q(custodian_department__isnull=False)),
        shared=Count("pk", filter=Q(Exists(
            apps.filter(reads=OuterRef("pk")).exclude(department=OuterRef("department"))))),
    )
    exchanged = integrations.exclude(data_exchanged="").count()
    return [
        Fact(_("Data ditandai interoperabel"), row["interoperable"], share(row["interoperable"], row["total"]),
             list_url(DataItem, institution, interoperable="true")),
        Fact(_("Data dengan walidata"), row["custodian"], share(row["custodian"], row["total"]),
             list_url(DataItem, institution)),
        Fact(_("Data dibaca aplikasi OPD lain"), row["shared"], share(row["shared"], row["total"]),
             list_url(DataItem, institution)),
        Fact(_("Integrasi yang menyebut data dipertukarkan"), exchanged, "",
             reverse("architecture:applicationintegration_list") + "?" + urlencode({"institution": institution.code})),
    ]

"""A small architecture of the world's instansi, with drafts in both OPDs, and the two instruments."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sia.architecture.choices import (
    ApplicationLifecycle,
    AuditType,
    FacilityType,
    FollowUpStatus,
    IntegrationChannel,
    ReviewStatus,
    SecurityDocumentType,
    ValueListKind,
)
from sia.architecture.models import (
    Application,
    ApplicationIntegration,
    BusinessProcess,
    CloudService,
    ComputingFacility,
    DataItem,
    IncidentHandling,
    IntraNetwork,
    SecurityAudit,
    SecurityStandard,
    Server,
    Service,
    ValueListItem,
)
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember, FrameworkVersion

VALIDATED, DRAFT = ReviewStatus.VALIDATED, ReviewStatus.DRAFT
PEMDI = "permenpanrb-8-2026"


@pytest.fixture(autouse=True)
def evidence_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def spbe(db):
    """The shipped PermenPANRB 59/2020 instrument (Indeks SPBE)."""
    install_default_frameworks()
    return FrameworkVersion.objects.get(code="permenpanrb-59-2020")


@pytest.fixture
def pemdi(db):
    """The shipped PermenPANRB 8/2026 instrument (Indeks Pemdi)."""
    install_default_frameworks()
    return FrameworkVersion.objects.get(code=PEMDI)


def make_assessment(world, framework, year=2024):
    assessment = Assessment.objects.create(institution=world.inst, year=year, framework=framework)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"], role="asesor")
    return assessment


@pytest.fixture
def assessment(world, spbe):
    return make_assessment(world, spbe)


def build_records(world, *, copies: int = 1):
    """In DISKOMINFO and DINKES: validated applications and a draft in each OPD, a data centre with a server, a cloud
    service, an intranet, an integration through the SPLP, a process supported by another OPD's application, data,
    services and security records. ``copies`` repeats the whole (for the query budget)."""
    inst, kominfo, dinkes = world.inst, world.kominfo, world.dinkes
    srikandi, _ = ValueListItem.objects.get_or_create(
        institution=inst, kind=ValueListKind.NATIONAL_APP, name="SRIKANDI (Sistem Informasi Kearsipan Dinamis)")
    made = {}
    for n in range(copies):
        s = f"-{n}" if n else ""
        centre = ComputingFacility.objects.create(department=kominfo, name=f"Pusat Data Provinsi{s}", status=VALIDATED,
                                                  facility_type=FacilityType.DATA_CENTRE)
        server = Server.objects.create(department=kominfo, name=f"vm-app{s}", status=VALIDATED, facility=centre)
        cloud = CloudService.objects.create(department=kominfo, name=f"Cloud PDN{s}", status=VALIDATED,
                                            annual_cost=Decimal("1000000"))
        intra = IntraNetwork.objects.create(department=kominfo, name=f"Intra Provinsi{s}", status=VALIDATED)
        intra.connected_departments.set([kominfo, dinkes])
        surat = Application.objects.create(department=kominfo, name=f"e-Surat{s}", status=VALIDATED,
                                           function="Persuratan dinas", national_application=srikandi,
                                           web_address="https://surat.example.go.id")
        simpeg = Application.objects.create(department=kominfo, name=f"SIMPEG{s}", status=VALIDATED,
                                            function="Kepegawaian")
        draft_kominfo = Application.objects.create(department=kominfo, name=f"Konsep Kominfo{s}", status=DRAFT)
        sik = Application.objects.create(department=dinkes, name=f"SIK Dinkes{s}", status=VALIDATED,
                                         function="Informasi kesehatan")
        draft_dinkes = Application.objects.create(department=dinkes, name=f"Aplikasi Draf Dinkes{s}", status=DRAFT,
                                                  lifecycle=ApplicationLifecycle.DEVELOPMENT)
        surat.servers.set([server])
        simpeg.cloud_services.set([cloud])
        surat.intra_networks.set([intra])
        draft_dinkes.intra_networks.set([intra])
        ApplicationIntegration.objects.create(source=surat, target=sik, channel=IntegrationChannel.SPLP,
                                              data_exchanged="Data pegawai")
        ApplicationIntegration.objects.create(source=draft_dinkes, target=sik, channel=IntegrationChannel.DIRECT)
        process = BusinessProcess.objects.create(department=kominfo, name=f"Pengelolaan surat{s}", status=VALIDATED)
        own = BusinessProcess.objects.create(department=dinkes, name=f"Surveilans{s}", status=VALIDATED)
        sik.processes.set([process])  # an application of DINKES supports a process of DISKOMINFO
        draft_dinkes.processes.set([own])
        service = Service.objects.create(department=kominfo, name=f"Layanan persuratan{s}", status=VALIDATED)
        service.processes.set([process])
        surat.services.set([service])
        data = DataItem.objects.create(department=kominfo, name=f"Data pegawai{s}", status=VALIDATED,
                                       interoperable=True, custodian_department=kominfo)
        sik.reads.set([data])
        DataItem.objects.create(department=dinkes, name=f"Data draf{s}", status=DRAFT, interoperable=True)
        audit = SecurityAudit.objects.create(department=kominfo, name=f"Audit keamanan{s}", status=VALIDATED,
                                             audit_type=AuditType.EXTERNAL, audit_date=datetime.date(2026, 3, 1),
                                             follow_up_status=FollowUpStatus.DONE,
                                             follow_up_date=datetime.date(2026, 4, 1))
        audit.protected_applications.set([surat])
        audit.protected_servers.set([server])
        SecurityAudit.objects.create(department=dinkes, name=f"Audit draf{s}", status=DRAFT,
                                     audit_type=AuditType.INTERNAL, audit_date=datetime.date(2026, 5, 1),
                                     follow_up_status=FollowUpStatus.OPEN)
        IncidentHandling.objects.create(department=kominfo, name=f"CSIRT{s}", status=VALIDATED, incident_count=7,
                                        maturity_value=Decimal("3.20"), activity_date=datetime.date(2026, 6, 1))
        SecurityStandard.objects.create(department=kominfo, name=f"Standar keamanan{s}", status=VALIDATED,
                                        document_type=SecurityDocumentType.STANDARD,
                                        valid_from=datetime.date(2025, 1, 1))
        made.update(surat=surat, simpeg=simpeg, sik=sik, draft_kominfo=draft_kominfo, draft_dinkes=draft_dinkes)
    return made


@pytest.fixture
def records(world):
    return build_records(world)

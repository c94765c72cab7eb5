"""What SIA's records say about an indicator, per topic, as the reader sees them."""

import pytest

from sia.evaluation.facts import has_facts, indicator_facts
from sia.evaluation.models import Indicator
from sia.index_evidence.indicators import PUBLIC_SERVICES, SERVICE_AREAS

from tests.roadmap.conftest import roadmap  # noqa: F401 (the hand-built roadmap fixture)

from .conftest import make_assessment

pytestmark = pytest.mark.django_db


def facts(assessment, number, user) -> dict:
    indicator = Indicator.objects.get(framework=assessment.framework, number=number)
    return {fact.label: fact for fact in indicator_facts(assessment, indicator, user).facts}


@pytest.fixture
def pemdi_assessment(world, pemdi):
    return make_assessment(world, pemdi, year=2026)


def test_every_named_indicator_of_both_instruments_has_facts():
    pemdi = [1, *range(9, 19)]
    spbe = [11, 12, *range(14, 19), 29, 30, 31, *range(32, 48)]
    assert all(has_facts("permenpanrb-8-2026", n) for n in pemdi)
    assert all(has_facts("permenpanrb-59-2020", n) for n in spbe)
    assert not has_facts("permenpanrb-59-2020", 1) and not has_facts("permenpanrb-8-2026", 2)
    assert set(SERVICE_AREAS) | set(PUBLIC_SERVICES) == set(range(32, 48))


def test_applications_national_share_and_the_inventory_export(world, records, pemdi_assessment):
    found = facts(pemdi_assessment, 13, world.users["admin"])
    apps = found["Aplikasi tercatat"]
    assert apps.value == 5 and apps.export == "aplikasi"
    assert "Produksi (dipakai) 4" in apps.detail and "Dalam pengembangan 1" in apps.detail
    assert apps.url == "/arsitektur/aplikasi/?institution=82"
    national = found["Aplikasi berjalan yang menerapkan aplikasi umum nasional"]
    assert (national.value, national.detail) == (1, "1 dari 5 (20%)")
    assert "Kandidat duplikat aplikasi antar-OPD" in found and "Aplikasi berjalan yang dinilai TIME" in found
    assert found["Aplikasi berjalan yang dinilai TIME"].detail.startswith("0 dari 5")


def test_an_operator_counts_no_draft_of_another_opd(world, records, pemdi_assessment):
    kominfo = facts(pemdi_assessment, 13, world.users["operator"])
    assert kominfo["Aplikasi tercatat"].value == 4  # its three and DINKES's validated one, not DINKES's draft
    dinkes = facts(pemdi_assessment, 13, world.users["operator_dinkes"])
    assert dinkes["Aplikasi tercatat"].value == 4  # its two and DISKOMINFO's two validated ones
    assert facts(pemdi_assessment, 14, world.users["operator"])["Aplikasi memakai jaringan intra"].value == 1
    assert facts(pemdi_assessment, 14, world.users["admin"])["Aplikasi memakai jaringan intra"].value == 2
    assert facts(pemdi_assessment, 16, world.users["operator"])["Integrasi aplikasi"].value == 1
    assert facts(pemdi_assessment, 9, world.users["operator"])["Audit keamanan tercatat"].value == 1
    assert facts(pemdi_assessment, 18, world.users["operator"])["Data ditandai interoperabel"].value == 1


def test_hosting_data_centre_cloud_and_intranet(world, records, pemdi_assessment):
    found = facts(pemdi_assessment, 14, world.users["admin"])
    assert found["Pusat data tercatat"].value == 1 and found["Pusat data tercatat"].detail == "Pusat Data Provinsi"
    assert found["Aplikasi berjalan di server pusat data instansi"].detail == "1 dari 5 (20%)"
    assert found["Aplikasi berjalan di komputasi awan"].value == 1
    assert found["OPD terhubung jaringan intra"].value == 2
    assert found["OPD terhubung jaringan intra"].detail.startswith("dari 2 OPD aktif")


def test_processes_spanning_several_opds(world, records, pemdi_assessment):
    found = facts(pemdi_assessment, 15, world.users["admin"])
    across = found["Proses bisnis lintas OPD"]
    assert across.value == 1 and across.detail.startswith("1 dari 2 (50%)")
    assert found["Proses bisnis didukung aplikasi"].value == 2
    # DINKES's own process is supported by its draft only: DISKOMINFO's operator does not count it
    assert facts(pemdi_assessment, 15, world.users["operator"])["Proses bisnis didukung aplikasi"].value == 1


def test_integrations_through_the_splp(world, records, pemdi_assessment):
    found = facts(pemdi_assessment, 16, world.users["admin"])
    assert found["Integrasi aplikasi"].value == 2
    assert found["Integrasi aplikasi"].detail.startswith("1 dari 2 (50%) melalui SPLP")
    assert found["Aplikasi berjalan yang terintegrasi"].value == 3  # e-Surat, SIK and the draft in development


def test_services_and_data(world, records, pemdi_assessment):
    services = facts(pemdi_assessment, 17, world.users["admin"])
    assert services["Layanan tercatat"].value == 1
    assert services["Layanan didukung aplikasi berjalan"].detail == "1 dari 1 (100%)"
    assert services["Layanan dengan aplikasi beralamat web"].value == 1
    data = facts(pemdi_assessment, 18, world.users["admin"])
    assert data["Data ditandai interoperabel"].detail == "2 dari 2 (100%)"
    assert data["Data dibaca aplikasi OPD lain"].value == 1
    assert data["Integrasi yang menyebut data dipertukarkan"].value == 1


def test_security_audits_follow_up_incidents_and_standards(world, records, pemdi_assessment):
    audits = facts(pemdi_assessment, 9, world.users["admin"])
    assert audits["Audit keamanan tercatat"].value == 2
    assert audits["Audit dengan tindak lanjut selesai"].detail == "1 dari 2 (50%); 1 belum selesai"
    incidents = facts(pemdi_assessment, 12, world.users["admin"])
    assert incidents["Penanganan insiden keamanan tercatat"].detail.startswith("7 insiden ditangani")
    assert str(incidents["Nilai kematangan penanganan insiden terakhir"].value) == "3.20"
    standards = facts(pemdi_assessment, 10, world.users["admin"])
    assert standards["Standar, prosedur dan regulasi keamanan"].detail.startswith("1 berlaku hari ini")


def test_architecture_coverage_roadmap_and_document(world, records, pemdi_assessment):
    found = facts(pemdi_assessment, 1, world.users["admin"])
    assert found["Layanan dengan arsitektur lengkap (proses bisnis dan aplikasi)"].value == 1
    assert found["Jenis arsitektur yang terisi"].value >= 8
    assert found["Kegiatan Peta Rencana SPBE"].export == "peta-rencana"
    document = found["Dokumen Arsitektur SPBE"]
    assert (document.value, document.url, document.export) == ("belum ada", "/dokumen/", "")


def test_spbe_audits_of_infrastructure_and_applications(world, records, assessment):
    infrastructure = facts(assessment, 29, world.users["admin"])
    assert infrastructure["Audit yang mencakup infrastruktur"].value == 1
    applications = facts(assessment, 30, world.users["admin"])
    assert applications["Audit yang mencakup aplikasi"].value == 1
    assert applications["Aplikasi berjalan yang pernah diaudit"].detail == "1 dari 5 (20%)"


def test_spbe_service_areas(world, records, assessment):
    archives = facts(assessment, 37, world.users["admin"])
    apps = archives["Aplikasi terkait (arsip, persuratan, srikandi)"]
    assert apps.value == 1 and "e-Surat" in apps.detail and apps.export == "aplikasi"
    staff = facts(assessment, 36, world.users["admin"])
    assert staff["Aplikasi terkait (kepegawaian, simpeg, siasn)"].value == 1
    public = facts(assessment, 45, world.users["admin"])
    assert public["Layanan publik tercatat"].value == 0  # the world's service has no RAL node: no category


def test_the_roadmap_its_budget_and_the_gaps_it_closes(world, roadmap, pemdi_assessment):
    found = facts(pemdi_assessment, 1, world.users["admin"])
    activities = found["Kegiatan Peta Rencana SPBE"]
    assert activities.value == 3  # the cancelled KG-X counts nowhere
    assert activities.detail == "2 dari 5 (40%) tahun kegiatan selesai; pagu Rp430"
    gaps = found["Gap arsitektur ditutup kegiatan"]
    assert (gaps.value, gaps.detail) == (2, "2 dari 3 (67%) gap; 1 belum ditutup")
    # DISKOMINFO's operator does not see DINKES's draft upgrade among the gaps
    assert facts(pemdi_assessment, 1, world.users["operator"])["Gap arsitektur ditutup kegiatan"].detail == (
        "2 dari 2 (100%) gap; 0 belum ditutup")

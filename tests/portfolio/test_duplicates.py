"""Duplicate candidates and similar applications: the scorer on small, readable cases."""

import pytest

from sia.architecture.choices import ValueListKind
from sia.architecture.models import Application, BusinessProcess, ValueListItem
from sia.architecture.values import seed_value_lists
from sia.portfolio.duplicates import similar_applications
from sia.portfolio.text import Vocabulary, acronym_of, stem
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f


def node(code):
    return ReferenceNode.objects.current().national().get(code=code)


@pytest.fixture
def apps(world):
    """Applications of three OPDs with the usual duplicates (staff, mail) and a process each."""
    ensure_default_catalogs()
    seed_value_lists(world.inst)
    world.bkd = f.department(world.inst, name="Badan Kepegawaian Daerah", abbreviation="BKD")
    staff = BusinessProcess.objects.create(
        department=world.bkd, name="Pengelolaan Data Pegawai", reference=node("RAB.09.06.03")
    )
    archive = BusinessProcess.objects.create(
        department=world.kominfo, name="Pengelolaan Surat Dinas", reference=node("RAB.09.06.06")
    )
    health_staff = BusinessProcess.objects.create(
        department=world.dinkes, name="Administrasi Kepegawaian Dinkes", reference=node("RAB.09.06.03")
    )
    raa = node("RAA.01.02")

    def app(dept, name, function="", processes=(), **kw):
        obj = Application.objects.create(department=dept, name=name, function=function, reference=raa, **kw)
        obj.processes.set(processes)
        return obj

    made = {
        "simpeg": app(world.bkd, "SIMPEG", "Pengelolaan data pegawai, mutasi, pangkat dan cuti ASN", [staff]),
        "kepeg_dinkes": app(world.dinkes, "Sistem Informasi Kepegawaian Dinas Kesehatan",
                            "Data pegawai, cuti dan kenaikan pangkat pegawai dinas", [health_staff]),
        "esurat": app(world.kominfo, "e-Surat", "Surat masuk, surat keluar dan disposisi elektronik", [archive]),
        "persuratan": app(world.dinkes, "Persuratan Elektronik Dinkes", "Pencatatan surat masuk dan keluar"),
        "simpus": app(world.dinkes, "SIMPUS", "Rekam medis dan pelayanan pasien puskesmas"),
    }
    world.processes = {"staff": staff, "archive": archive}
    world.apps = made
    return world


def test_normalisation_folds_affixes_accents_and_abbreviations():
    vocabulary = Vocabulary()
    assert stem("kepegawaian") == stem("pegawai")
    assert stem("persuratan") == stem("surat")
    assert stem("perencanaan") == stem("rencana")
    assert stem("perizinan") == stem("izin")
    assert set(vocabulary.terms("e-Surat")) == set(vocabulary.terms("Persuratan Élektronik"))
    assert set(vocabulary.terms("Surat, Elektronik")) == set(vocabulary.terms("elektronik surat"))
    assert stem("pegawai") in vocabulary.terms("SIMPEG")
    assert acronym_of("simpeg", "sistem informasi manajemen kepegawaian".split())
    assert not acronym_of("simpus", "sistem informasi manajemen kepegawaian".split())


def test_similar_applications_finds_the_same_application_under_other_names(apps):
    found = similar_applications(apps.inst.pk, name="Aplikasi Kepegawaian", function="data pegawai dan cuti")
    names = [m.application.name for m in found if m.application]
    assert set(names[:2]) == {"SIMPEG", "Sistem Informasi Kepegawaian Dinas Kesehatan"}
    assert all(0 <= m.score <= 1 and m.reasons for m in found)
    assert "SIMPUS" not in names

    mail = similar_applications(apps.inst.pk, name="Surat Elektronik", process_ids=[apps.processes["archive"].pk])
    top = mail[0]
    assert top.application == apps.apps["esurat"]
    assert any("RAB.09.06.06" in reason for reason in top.reasons)


def test_similar_applications_offers_the_national_shared_application(apps):
    found = similar_applications(apps.inst.pk, name="Aplikasi Tata Naskah Dinas dan Kearsipan")
    nationals = [m.national.name for m in found if m.national]
    assert nationals and nationals[0].startswith("SRIKANDI")


def test_similar_applications_excludes_itself_and_respects_visibility(apps):
    simpeg = apps.apps["simpeg"]
    found = similar_applications(apps.inst.pk, name=simpeg.name, function=simpeg.function, exclude_pk=simpeg.pk)
    assert simpeg not in [m.application for m in found]
    assert apps.apps["kepeg_dinkes"] in [m.application for m in found]
    # The operator of DISKOMINFO sees neither draft of another OPD.
    hidden = similar_applications(
        apps.inst.pk, name=simpeg.name, function=simpeg.function, user=apps.users["operator"]
    )
    assert not [m for m in hidden if m.application]


def test_similar_applications_query_count_is_fixed(apps, count_queries):
    def run():
        return similar_applications(apps.inst.pk, name="Kepegawaian", process_ids=[apps.processes["staff"].pk],
                                    reference_id=node("RAA.01.02").pk)

    few, _found = count_queries(run)
    for i in range(30):
        Application.objects.create(department=apps.kominfo, name=f"Aplikasi Kepegawaian {i}", function="data pegawai")
    many, found = count_queries(run)
    assert many <= few <= 8  # the national items are read only when one of them is among the matches
    assert len(found) == 10


def test_national_items_are_read_from_the_instansi_value_list(apps):
    assert ValueListItem.objects.filter(institution=apps.inst, kind=ValueListKind.NATIONAL_APP).exists()

"""The register on the evaluation's pages: documents in force offered on the indicators they evidence, one click
attaching their file (the same stored file, audit-trailed, refused on a locked stage), and the Berita Acara listing
the team of the assessor decree in force and, under it, the coordination team of its decree in force, each under the
instrument's name."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse

from sia.evaluation import exports, services
from sia.evaluation.demo import LEVELS_2024
from sia.evaluation.models import AssessmentTeamMember, Evidence, FrameworkVersion, Indicator
from sia.governance.choices import DocumentStatus, DocumentType, TeamRole

from .conftest import PEMDI, SPBE, add_members, make_assessment, make_document

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(assessment, number):
    return reverse("evaluation:assessment_indicator", args=[assessment.pk, number])


def attach(assessment, number):
    return reverse("governance:attach", args=[assessment.pk, number])


def test_documents_in_force_are_offered_on_the_indicators_they_evidence(world, frameworks):
    sk = make_document(world.inst, number="100/KPTS/142/2025")
    make_document(world.inst, number="DRAF-1", status=DocumentStatus.DRAFT, upload=False)
    make_document(world.inst, number="88/2020", status=DocumentStatus.REVOKED)
    make_document(world.other, number="100/KPTS/142/2025")
    assessment = make_assessment(world, frameworks[PEMDI])
    html = client_for(world.users["assessor"]).get(page(assessment, 4)).content.decode()
    assert "100/KPTS/142/2025" in html and sk.get_absolute_url() in html
    assert "DRAF-1" not in html and "88/2020" not in html  # a draft and a revoked decree are not evidence
    assert f'action="{attach(assessment, 4)}"' in html
    html = client_for(world.users["assessor"]).get(page(assessment, 2)).content.decode()
    assert "100/KPTS/142/2025" not in html  # not an indicator the decree evidences
    html = client_for(world.users["leader"]).get(page(assessment, 4)).content.decode()
    assert "100/KPTS/142/2025" in html and attach(assessment, 4) not in html  # reads, may not attach


def test_the_coordination_team_decree_is_named_without_an_instrument_on_an_8_2026_page(world, frameworks):
    make_document(world.inst, number="100/KPTS/142/2025")
    assessment = make_assessment(world, frameworks[PEMDI])
    html = client_for(world.users["assessor"]).get(page(assessment, 4)).content.decode()
    assert "Keputusan Kepala Daerah: Tim Koordinasi Nomor 100/KPTS/142/2025" in html
    assert "Tim Koordinasi SPBE Nomor" not in html  # the type names no instrument (8/2026 speaks of Pemdi)
    assert str(DocumentType.COORDINATION_TEAM.label) == "Keputusan Kepala Daerah: Tim Koordinasi"


def test_one_click_attaches_the_same_stored_file_audit_trailed(world, frameworks):
    sk = make_document(world.inst, number="100/KPTS/142/2025")
    pergub = make_document(world.inst, type=DocumentType.REGULATION, number="12 Tahun 2023",
                           title="Penyelenggaraan SPBE")
    assessment = make_assessment(world, frameworks[SPBE], year=2025)
    client = client_for(world.users["assessor"])
    response = client.post(attach(assessment, 10))
    assert response.status_code == 302 and response.url.endswith("#bukti")
    rows = Evidence.objects.filter(assessment=assessment, indicator__number=10).order_by("file_name")
    assert {e.blob_id for e in rows} == {sk.blob_id, pergub.blob_id}  # the same stored files, not copies
    assert sorted(e.file_name[:13] for e in rows) == ["Indikator10a-", "Indikator10b-"]
    assert all(e.added_by == world.users["assessor"] and e.history.count() == 1 for e in rows)
    assert all(e.title.startswith("Keputusan Kepala Daerah") or e.title.startswith("Peraturan") for e in rows)
    # again: everything is attached already, nothing written
    response = client.post(attach(assessment, 10), follow=True)
    assert "sudah dilampirkan" in response.content.decode() and rows.count() == 2
    # the evidence deleted, the document's file stays (the document still holds it)
    rows.first().delete()
    sk.blob.refresh_from_db()
    assert sk.blob.file.storage.exists(sk.blob.file.name)


def test_attaching_is_refused_when_the_stage_is_locked_or_to_readers(world, frameworks):
    make_document(world.inst, number="100/KPTS/142/2025")
    assessment = make_assessment(world, frameworks[SPBE], year=2025)
    assert client_for(world.users["leader"]).post(attach(assessment, 10)).status_code == 403
    assert client_for(world.users["other_admin"]).post(attach(assessment, 10)).status_code == 404
    assert client_for(world.users["assessor"]).post(attach(assessment, 2)).status_code == 404  # nothing offered
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    for number, level in zip(range(1, 48), LEVELS_2024):
        services.set_level(assessment, indicators[number], level, user=world.users["assessor"])
    services.lock_stage(assessment, user=world.users["admin"])
    response = client_for(world.users["assessor"]).post(attach(assessment, 10), follow=True)
    assert "sudah dikunci" in response.content.decode()
    assert not Evidence.objects.filter(assessment=assessment).exists()


def test_an_operator_is_offered_documents_in_force_only(world, frameworks):
    make_document(world.inst, number="100/KPTS/142/2025")
    make_document(world.inst, number="1/2026", valid_from=datetime.date(2099, 1, 1))  # not yet in force
    assessment = make_assessment(world, frameworks[PEMDI])
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["operator"], role="operator")
    html = client_for(world.users["operator"]).get(page(assessment, 4)).content.decode()
    assert "100/KPTS/142/2025" in html and "1/2026" not in html


def team_table(document):
    return [[c.text for c in row.cells] for row in document.tables[1].rows]


def test_the_berita_acara_lists_the_team_of_the_assessor_decree_in_force(world, frameworks):
    assessment = make_assessment(world, frameworks[PEMDI])
    day = datetime.date(2026, 6, 3)
    before = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=day)))
    assert team_table(before)[1][1] == "asesor1"  # no decree: the assessment's own team
    sk = make_document(world.inst, type=DocumentType.ASSESSOR_TEAM, number="100.3.3.1/KPTS/318/2026",
                       title="Pembentukan Tim Asesor Internal", date=datetime.date(2026, 4, 6),
                       valid_from=datetime.date(2026, 4, 6), valid_until=datetime.date(2026, 12, 31))
    add_members(sk, ("Fadli Djailolo", "Kepala Diskominfosan", TeamRole.CHAIR),
                ("Rahmawati Kasuba", "Kepala Bidang Aplikasi Informatika", TeamRole.SECRETARY),
                ("Andi Marasabessy", "Pranata Komputer Ahli Muda", TeamRole.MEMBER))
    sk.members.filter(order=1).update(nip="197810092003121003")
    make_document(world.inst, number="100/KPTS/142/2025")  # the coordination team is not the assessor team
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=day)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert ("Tim Asesor Internal sesuai Keputusan Nomor 100.3.3.1/KPTS/318/2026 tanggal 6 April 2026 tentang "
            "Pembentukan Tim Asesor Internal:") in text
    rows = team_table(document)
    assert rows[0] == ["No", "Nama / NIP", "Jabatan", "Peran dalam tim", "Tanda tangan"]
    assert rows[1] == ["1", "Fadli Djailolo\nNIP 197810092003121003", "Kepala Diskominfosan", "Ketua", ""]
    assert rows[2][1:4] == ["Rahmawati Kasuba", "Kepala Bidang Aplikasi Informatika", "Sekretaris"]
    assert len(rows) == 4
    # outside its validity the decree is not in force: the assessment's own team again
    later = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=datetime.date(2027, 1, 5))))
    assert team_table(later)[1][1] == "asesor1"


def test_the_berita_acara_of_59_2020_names_the_tim_evaluator(world, frameworks):
    assessment = make_assessment(world, frameworks[SPBE], year=2025)
    sk = make_document(world.inst, type=DocumentType.ASSESSOR_TEAM, number="45/2025", title="Tim Evaluator SPBE")
    add_members(sk, ("Fadli Djailolo", "Kepala Diskominfosan", TeamRole.CHAIR))
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=datetime.date(2025, 6, 2))))
    term = frameworks[SPBE].term("internal_team")
    assert any(p.text.startswith(f"{term} sesuai Keputusan Nomor 45/2025") for p in document.paragraphs)
    assert Indicator.objects.filter(framework=frameworks[SPBE]).count() == 47


@pytest.mark.parametrize("code, year, name", [(PEMDI, 2026, "Tim Koordinasi Pemerintah Digital"),
                                              (SPBE, 2025, "Tim Koordinasi SPBE")])
def test_the_berita_acara_lists_the_coordination_team_of_its_decree_in_force(world, frameworks, code, year, name):
    assessment = make_assessment(world, frameworks[code], year=year)
    day = datetime.date(year, 6, 2)
    assert FrameworkVersion.objects.get(pk=frameworks[code].pk).term("coordination_team") == name
    assessor = make_document(world.inst, type=DocumentType.ASSESSOR_TEAM, number=f"45/{year}",
                             title="Pembentukan Tim Asesor Internal", date=datetime.date(year, 1, 6))
    add_members(assessor, ("Fadli Djailolo", "Kepala Diskominfosan", TeamRole.CHAIR))
    older = make_document(world.inst, number="100/KPTS/9/2019", date=datetime.date(2019, 3, 1),
                          status=DocumentStatus.REVOKED)
    add_members(older, ("Mantan Ketua", "Sekretaris Daerah (2019)", TeamRole.CHAIR))
    elsewhere = make_document(world.other, number="100/KPTS/7/2025")
    add_members(elsewhere, ("Pejabat Lain", "Sekretaris Daerah", TeamRole.CHAIR))
    before = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=day)))
    assert not any(p.text.startswith("Mengetahui, ") for p in before.paragraphs)  # no members: no block
    sk = make_document(world.inst, number="100/KPTS/142/2025", title="Pembentukan Tim Koordinasi SPBE",
                       date=datetime.date(2025, 2, 10))
    add_members(sk, ("Samsuddin A. Kadir", "Sekretaris Daerah", TeamRole.CHAIR),
                ("Fadli Djailolo", "Kepala Diskominfosan", TeamRole.SECRETARY),
                ("Nirwan M.T. Ali", "Kepala Bappeda", TeamRole.MEMBER))
    sk.members.filter(order=1).update(nip="196805121994031007")
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=day)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert (f"Mengetahui, {name} {world.inst.name} sesuai Keputusan Nomor 100/KPTS/142/2025 tanggal 10 Februari "
            "2025 tentang Pembentukan Tim Koordinasi SPBE:") in text
    assert text.index(f"{frameworks[code].term('internal_team')} sesuai Keputusan Nomor 45/{year}") < \
        text.index("Mengetahui, ")  # the internal team first, then the coordination team
    rows = [[c.text for c in row.cells] for row in document.tables[2].rows]
    assert rows[0] == ["No", "Nama / NIP", "Jabatan", "Peran dalam tim", "Tanda tangan"]
    assert rows[1] == ["1", "Samsuddin A. Kadir\nNIP 196805121994031007", "Sekretaris Daerah", "Ketua", ""]
    assert [row[1] for row in rows[2:]] == ["Fadli Djailolo", "Nirwan M.T. Ali"]
    assert "Mantan Ketua" not in str(rows) and "Pejabat Lain" not in str(rows)  # revoked, another instansi's
    assert team_table(document)[1][1].startswith("Fadli Djailolo")  # the assessor team is still its own block

import datetime
import io

import docx
import openpyxl
import pytest

from sia.evaluation import exports, services
from sia.evaluation.choices import TeamRole
from sia.evaluation.models import AssessmentTeamMember
from sia.evaluation.uploads import attach_file

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_xlsx_has_one_row_per_indicator_with_levels_per_stage(world, assessment, framework):
    attach_file(assessment, framework.indicators.get(number=11), pdf_upload(), user=world.users["assessor"],
                title="Dokumen Arsitektur SPBE")
    services.advance_stage(assessment, user=world.users["admin"])
    services.set_level(assessment, framework.indicators.get(number=43), 2, user=world.users["assessor"],
                       fakta="Dokumen belum lengkap", analisis="Hanya sebagian", justifikasi="Turun satu tingkat")
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == ["No", "Domain", "Aspek", "Indikator", "Bobot (%)", "Penilaian mandiri", "Penilaian dokumen",
                          "Penilaian interviu", "Hasil akhir"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 47 and [r[0] for r in rows] == list(range(1, 48))
    by_number = {r[0]: r for r in rows}
    assert by_number[11][3] == "Tingkat Kematangan Arsitektur SPBE Instansi Pusat/Pemerintah Daerah"
    assert by_number[11][4] == 2.5 and by_number[11][5:9] == (2, 2, None, None)
    assert by_number[11][header.index("Berkas bukti dukung")] == "Indikator11a-Dokumen_Arsitektur_SPBE.pdf"
    assert by_number[43][5:7] == (3, 2) and by_number[43][header.index("Fakta")] == "Dokumen belum lengkap"
    summary = [row for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]]
    stages = {row[0]: row for row in summary if row[0] in ("Penilaian mandiri", "Penilaian dokumen")}
    assert stages["Penilaian mandiri"][1:4] == (2.49, "2.49", "Cukup")
    assert stages["Penilaian dokumen"][1:4] == (2.46, "2.46", "Cukup")
    assert stages["Penilaian dokumen"][6] == -0.03


def test_berita_acara_is_ready_to_sign(world, assessment):
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["admin"], role=TeamRole.LEAD)
    world.users["admin"].first_name, world.users["admin"].last_name = "Rahmat", "Koordinator"
    world.users["admin"].save()
    services.lock_stage(assessment, user=world.users["admin"])
    content = exports.berita_acara_docx(assessment, day=datetime.date(2024, 6, 3))
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BERITA ACARA PENILAIAN MANDIRI" in text
    assert "PEMERINTAH PROVINSI CONTOH TAHUN 2024" in text
    assert "Pada hari ini Senin, tanggal 3 Juni 2024" in text and "PermenPANRB 59/2020" in text
    assert "DRAF" not in text
    results, team, indicators, signature = document.tables
    cells = {row.cells[0].text: row.cells[1].text for row in results.rows}
    assert cells["Indeks SPBE (penilaian mandiri)"] == "2,49" and cells["Predikat"] == "Cukup"
    assert cells["Indeks Domain 1. Kebijakan Internal SPBE"] == "2,50"
    members = [[c.text for c in row.cells] for row in team.rows[1:]]
    assert ["1", "Rahmat Koordinator", "Penanggung jawab", ""] in members
    assert ["2", "asesor1", "Asesor", ""] in members
    assert len(indicators.rows) == 48
    eleven = [c.text for c in indicators.rows[11].cells]
    assert eleven == ["11", "Tingkat Kematangan Arsitektur SPBE Instansi Pusat/Pemerintah Daerah", "2,50", "2", "Terkelola"]
    assert "(Rahmat Koordinator)" in signature.rows[0].cells[1].text


def test_berita_acara_of_an_open_stage_is_marked_as_draft(world, framework):
    from .conftest import make_assessment

    assessment = make_assessment(world, framework, levels={1: 3})
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "DRAF" in text and "belum diisi dan dihitung pada tingkat 1" in text

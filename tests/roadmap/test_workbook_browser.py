"""The offline loop of the Peta Rencana: an operator exports the roadmap from the Excel page, changes a kegiatan of
their OPD in the file (and slips a negative pagu in), sees the preview name the sheet, row and column, fixes it,
saves, and finds the change on the kegiatan's page."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from sia.roadmap.models import Activity

from tests.browser.conftest import browser, login, new_page, page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """The previewed workbook is kept under MEDIA_ROOT/imports: a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"


def change(path, sheet_title, first_cell, values: dict) -> bytes:
    book = openpyxl.load_workbook(path)
    sheet = book[sheet_title]
    headers = [cell.value for cell in sheet[1]]
    number = next(row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value == first_cell)
    for header, value in values.items():
        sheet.cell(row=number, column=headers.index(header) + 1).value = value
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def preview(page, path):
    page.goto("/peta-rencana/excel/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#roadmap-preview")


def test_operator_exports_edits_and_uploads_the_roadmap(new_page, tmp_path, world, roadmap):
    page = new_page()
    login(page, "op.kominfo")
    page.goto("/peta-rencana/excel/")
    with page.expect_download() as download_info:
        page.click("#roadmap-export")
    download = download_info.value
    assert download.suggested_filename.startswith("sia-ekspor-peta-rencana-82-")
    exported = tmp_path / "peta.xlsx"
    download.save_as(exported)

    edited = tmp_path / "peta-isian.xlsx"
    edited.write_bytes(change(exported, "Kegiatan", "KG-A", {"Keluaran": "Portal layanan terpadu"}))
    edited.write_bytes(change(edited, "Anggaran", "KG-S", {"Pagu*": -10}))
    preview(page, edited)
    expect(page.locator("[data-testid=problems-summary]")).to_contain_text("1 masalah ditemukan")
    problem = page.locator("[data-testid=problems] tr.problem.error")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Anggaran")
    expect(problem).to_contain_text("Pagu*")
    expect(problem).to_contain_text("Pagu tidak boleh negatif.")
    expect(page.locator("#roadmap-commit")).to_have_count(0)

    edited.write_bytes(change(edited, "Anggaran", "KG-S", {"Pagu*": 50}))
    preview(page, edited)
    expect(page.locator("[data-testid=changes]")).to_contain_text("KG-A")
    expect(page.locator("[data-testid=changes]")).to_contain_text("Keluaran")
    page.click("#roadmap-commit")
    answer = page.locator(".flash.success")
    expect(answer).to_contain_text("Tersimpan: 0 baris baru, 1 diubah")
    assert Activity.objects.get(code="KG-A").output == "Portal layanan terpadu"
    page.goto(f"/peta-rencana/kegiatan/{roadmap.a.pk}/")
    expect(page.locator("main")).to_contain_text("Portal layanan terpadu")

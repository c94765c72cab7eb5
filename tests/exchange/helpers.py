"""Building and reading workbooks in tests, the way a person fills a template in Excel."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.exchange.importer import plan_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sheets: dict) -> bytes:
    """``{"Proses Bisnis": [[header...], [row...]]}`` as .xlsx bytes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def upload(content: bytes, name="unggahan.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def plan(content, user, institution):
    return plan_workbook(content, user=user, institution=institution)


def read(content: bytes) -> dict:
    """``{title: [[values...], ...]}`` of every sheet."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def edit(content: bytes, changes) -> bytes:
    """Changes cells: ``[(sheet title, row number, header, new value)]``; rows as Excel numbers them."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    for title, row, header, new in changes:
        sheet = book[title]
        headers = [cell.value for cell in sheet[1]]
        sheet.cell(row=row, column=headers.index(header) + 1).value = new
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def problems(plan_) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.message) for p in plan_.errors]


def export(user, institution, models=None) -> bytes:
    """What "Ekspor" gives the user: every domain object they may see, pre-filled."""
    from sia.architecture.registry import domain_models
    from sia.core import permissions
    from sia.exchange.workbook import build_workbook

    models = models or domain_models()
    querysets = {m: permissions.visible(user, m.objects.filter(institution=institution)).order_by("code") for m in models}
    return build_workbook(user, institution, models, querysets=querysets)


def row_of(content: bytes, title: str, code: str) -> int:
    """The Excel row number of the object with ``code`` on a sheet."""
    rows = read(content)[title]
    for number, values in enumerate(rows, start=1):
        if values and values[0] == code:
            return number
    raise KeyError(code)

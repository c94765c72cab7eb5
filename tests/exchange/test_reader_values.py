"""The reader's own parse of a sheet's values gives exactly what openpyxl's ``iter_rows(values_only=True)`` gives."""

import datetime
import io

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from sia.exchange.reader import sheet_values


def sample() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Nama *", None, "Tanggal", 3.5, True, "=1+2", "  spasi  ", 12, "baris\nkedua"])
    sheet["B5"] = "setelah baris kosong"
    sheet["L7"] = datetime.datetime(2025, 8, 17)
    sheet["M7"] = datetime.date(2025, 8, 18)
    sheet["C3"] = CellRichText(["awal ", TextBlock(InlineFont(b=True), "tebal"), " akhir"])
    sheet["A9"] = ""
    sheet["D9"] = "=A1&\"x\""
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize("data_only", [False, True])
def test_the_values_are_openpyxls(data_only):
    content = sample()
    expected = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only).active
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    rows = list(sheet_values(book.active))
    assert rows == list(expected.iter_rows(values_only=True))
    assert rows[2][2] == "awal tebal akhir" and rows[0][6] == ("=1+2" if not data_only else None)
    assert len(rows) == 9 and rows[6][11] == datetime.datetime(2025, 8, 17)


def test_a_sheet_without_dimension_is_read_by_openpyxl():
    book = openpyxl.Workbook()
    book.active.append(["ID", "Nama *"])
    stream = io.BytesIO()
    book.save(stream)
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue()), read_only=True).active
    sheet.reset_dimensions()  # max_row unknown: the rows come from openpyxl itself
    assert list(sheet_values(sheet)) == [("ID", "Nama *")]

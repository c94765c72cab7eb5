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


def rewritten(content: bytes, change, shared: bool = False) -> bytes:
    """``content`` with its first sheet's XML passed through ``change``; with ``shared``, its text cells made shared
    strings first (as Excel writes text; openpyxl writes inline strings)."""
    import re
    import zipfile

    source, stream, strings = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO(), []

    def share(match):
        strings.append(match.group(2))
        return f'{match.group(1)} t="s"><v>{len(strings) - 1}</v></c>'

    files = {item.filename: source.read(item.filename) for item in source.infolist()}
    xml = files["xl/worksheets/sheet1.xml"].decode()
    if shared:
        xml = re.sub(r'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?) t="inlineStr"><is><t>([^<]*)</t></is></c>', share, xml)
        files["xl/sharedStrings.xml"] = (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
            % (len(strings), len(strings), "".join(f"<si><t>{text}</t></si>" for text in strings))).encode()
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sharedStrings+xml"/></Types>'))
        files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
            b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
    files["xl/worksheets/sheet1.xml"] = change(xml).encode()
    with zipfile.ZipFile(stream, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return stream.getvalue()


def excel_like() -> bytes:
    """Text as Excel writes it (shared strings), a cached formula result of each kind, an error, a time, a number
    styled as a date, a shared string left empty, a cell without its coordinate."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Nama *", "Catatan", 7, 2.25, False, "teks", "ID"])
    sheet.append(["PB-1", None, "dua", -3, 1e20, True])
    sheet["C4"] = datetime.time(10, 30)
    sheet["D4"] = 45000
    sheet["D4"].number_format = "dd/mm/yyyy"
    sheet["AB6"] = "jauh di kanan"
    stream = io.BytesIO()
    book.save(stream)

    def change(xml: str) -> str:
        for old, new in (
            ('<c r="G1" t="s">', '<c r="G1" t="s"><f>"te"&amp;"ks"</f>'),  # a formula whose result is a shared string
            ('<c r="H1" t="s"><v>4</v>', '<c r="H1" t="str"><f>A1</f><v>ID</v>'),  # a formula's text result
            ('<c r="D2"', '<c r="B2" t="s"/><c r="Z2" t="e"><v>#N/A</v></c><c r="D2"'),  # empty; an error
            ('<c r="E2"', "<c"),  # a cell without its coordinate: the one after the last
        ):
            assert old in xml, old
            xml = xml.replace(old, new, 1)
        return xml

    return rewritten(stream.getvalue(), change, shared=True)


@pytest.mark.parametrize("data_only", [False, True])
@pytest.mark.parametrize("make", [sample, excel_like])
def test_every_kind_of_cell_reads_as_openpyxl_reads_it(make, data_only):
    content = make()
    expected = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only).active
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    assert list(sheet_values(book.active)) == list(expected.iter_rows(values_only=True))


def test_rows_and_cells_without_their_coordinates_read_as_openpyxl_reads_them():
    import re

    content = rewritten(sample(), lambda xml: re.sub(r' r="[A-Z]+[0-9]+"', "", re.sub(r'<row r="9"', "<row", xml)))
    expected = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(sheet_values(book.active))
    assert rows == list(expected.iter_rows(values_only=True))
    assert rows[0][:2] == ("ID", "Nama *") and rows[2][0] == "awal tebal akhir"


def test_rows_read_the_same_where_the_parser_has_no_event_queue(monkeypatch):
    """``reader._events`` falls back to ``iterparse`` on a Python whose XML parser lacks ``_setevents``."""
    import xml.etree.ElementTree as ElementTree

    from sia.exchange import reader

    content = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
               b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
               b'<row r="2"><c r="B2"><v>2</v></c></row></sheetData></worksheet>')
    fast = [ElementTree.tostring(row) for row in reader._events(io.BytesIO(content), reader._MAIN + "row")]

    class Plain:  # a parser without the event queue
        def __init__(self, target):
            pass

    monkeypatch.setattr(reader, "XMLParser", Plain)
    plain = [ElementTree.tostring(row) for row in reader._events(io.BytesIO(content), reader._MAIN + "row")]
    assert len(fast) == 2 and plain == fast

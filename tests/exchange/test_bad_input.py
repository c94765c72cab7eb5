"""Every kind of bad upload gets a clear message and writes nothing."""

import io
import os
import zipfile

import pytest
from django.test import override_settings

from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.core import workbooks as files
from sia.exchange.choices import ImportStatus
from sia.exchange.problems import FileRejected
from sia.exchange.uploads import ImportRefused, commit_import, start_import

from .helpers import upload, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *", "Referensi", "Proses induk"]
LY = ["ID", "Perangkat daerah *", "Nama *", "Proses bisnis"]


def counts():
    return BusinessProcess.objects.count(), Service.objects.count(), DataItem.objects.count()


def good_rows(*rows):
    return workbook({"Proses Bisnis": [PB, *rows]})


def zipped(members: dict) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return output.getvalue()


def rejected(world, content, name="unggahan.xlsx"):
    before = counts()
    record = start_import(upload(content, name), user=world.users["admin"], institution=world.inst)
    assert record.status == ImportStatus.REJECTED, record.problems
    assert counts() == before
    with pytest.raises(ImportRefused):
        commit_import(record, user=world.users["admin"])
    assert counts() == before
    return record.problems[0]["message"]


def refused_rows(world, content, user="admin"):
    """A readable file whose rows have problems: the preview lists them, the commit writes nothing."""
    before = counts()
    record = start_import(upload(content), user=world.users[user], institution=world.inst)
    assert record.status == ImportStatus.PREVIEW and record.error_count, record.problems
    assert not record.can_commit
    with pytest.raises(ImportRefused):
        commit_import(record, user=world.users[user])
    assert counts() == before
    return [(p["sheet"], p["row"], p["column"], p["message"]) for p in record.problems if p["level"] == "error"]


def test_not_a_spreadsheet(ex, world):
    assert "tidak sesuai jenis" in rejected(world, b"%PDF-1.4\n" + b"x" * 500)
    assert "tidak sesuai jenis" in rejected(world, "ID;Nama\nPB-1;Proses\n".encode())


def test_corrupt_workbook(ex, world):
    content = good_rows(["", "DISKOMINFO", "Proses baru", "", ""])
    assert "rusak" in rejected(world, content[: len(content) // 2])


def test_cell_pointing_past_the_shared_strings(ex, world):
    """A damage found only while a sheet is read (the workbook itself opens): refused, not a server error."""
    from .test_reader_values import rewritten

    content = rewritten(good_rows(["", "DISKOMINFO", "Proses baru", "", ""]), lambda xml: xml, shared=True)
    content = rewritten(content, lambda xml: xml.replace("<v>3</v>", "<v>999</v>", 1))
    assert "rusak" in rejected(world, content)


def test_zip_that_is_not_a_workbook(ex, world):
    assert "bukan buku kerja" in rejected(world, zipped({"[Content_Types].xml": "<Types/>", "data.txt": "x"}))


def test_password_protected_workbook(ex, world):
    encrypted = files.OLE_SIGNATURE + b"\x00" * 4096
    assert "kata sandi" in rejected(world, encrypted)


def test_macro_workbooks(ex, world):
    content = good_rows(["", "DISKOMINFO", "Proses baru", "", ""])
    assert "makro" in rejected(world, content, name="isian.xlsm")
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["xl/vbaProject.bin"] = b"\x00" * 64
    assert "makro" in rejected(world, zipped(members))


def test_zip_bomb(ex, world):
    bomb = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>",
                   "xl/worksheets/sheet1.xml": b"0" * (3 * 1024 * 1024)})
    assert "keamanan" in rejected(world, bomb)
    with override_settings(SIA_IMPORT_MAX_UNCOMPRESSED_BYTES=1000):
        assert "keamanan" in rejected(world, good_rows(["", "DISKOMINFO", "Proses baru", "", ""]))


def forged(members: dict, unpacked: dict) -> bytes:
    """A zip whose directory declares other unpacked sizes (``{name: bytes}``) than its members have.
    The check reads sizes from the directory only (and zipfile never unpacks more than declared), so
    this stands for a real bomb of that size without building one."""
    content = bytearray(zipped(members))
    position = content.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(content[position + 28:position + 30], "little")
        name = content[position + 46:position + 46 + length].decode()
        if name in unpacked:
            content[position + 24:position + 28] = unpacked[name].to_bytes(4, "little")
        position = content.find(b"PK\x01\x02", position + 46)
    return bytes(content)


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the archive check should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


WORKBOOK_PARTS = {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}
MB = 1024 * 1024


def test_the_reported_bomb_is_refused_before_openpyxl_opens_it(ex, world, openpyxl_must_not_open):
    """A 1.9 MB file holding a 285 MB sheet (ratio 152) passed the old limits (300 MB, ratio 200)."""
    sheet = "xl/worksheets/sheet1.xml"
    bomb = forged({**WORKBOOK_PARTS, sheet: os.urandom(1_900_000)}, {sheet: 285 * MB})
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        info = archive.getinfo(sheet)
    assert 150 < info.file_size / info.compress_size < 200 and info.file_size < 300 * MB
    assert "keamanan" in rejected(world, bomb)


def test_each_bomb_limit_on_its_own(ex, world, openpyxl_must_not_open):
    sheet, strings = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"
    # Ratio 120 on a 20 MB sheet: the total is small, only the ratio (now 100) refuses it.
    ratio = forged({**WORKBOOK_PARTS, sheet: os.urandom(170_000)}, {sheet: 20 * MB})
    assert "keamanan" in rejected(world, ratio)
    # 120 MB of shared strings at ratio 63 under a raised total limit: only the part limit refuses it.
    with override_settings(SIA_IMPORT_MAX_UNCOMPRESSED_BYTES=1024 * MB):
        part = forged({**WORKBOOK_PARTS, strings: os.urandom(1_900_000)}, {strings: 120 * MB})
        message = rejected(world, part)
    assert "Satu lembar berkas terlalu besar (120 MB" in message and "keamanan" in message
    # The part limit is a setting; a real (not forged) sheet above it is refused as well.
    real = zipped({**WORKBOOK_PARTS, sheet: os.urandom(3 * MB)})
    with override_settings(SIA_IMPORT_MAX_PART_BYTES=2 * MB):
        assert "terlalu besar (3 MB" in rejected(world, real)


def test_a_fifty_thousand_row_workbook_is_within_the_limits(ex, world):
    """Real sizes stay far below the limits: a 50,000-row upload unpacks to ~43 MB at ratio ~11
    (``bench/exchange_import.py --sizes``); here one sheet of 50,000 rows of the widest shape."""
    sheet = "xl/worksheets/sheet1.xml"
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>DI-DINAS{n % 40:02d}-{n:03d}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>Data uji {n} dengan uraian {n * 7919 % 100003}</t></is></c></row>'
        for n in range(2, 50_002)
    )
    files.check_archive(zipped({**WORKBOOK_PARTS, sheet: f"<worksheet><sheetData>{rows}</sheetData></worksheet>"}))


def test_file_over_the_size_limit(ex, world):
    with override_settings(SIA_IMPORT_MAX_BYTES=1000):
        assert "terlalu besar" in rejected(world, good_rows(["", "DISKOMINFO", "Proses baru", "", ""]))


def test_more_rows_than_the_limit(ex, world):
    rows = [["", "DISKOMINFO", f"Proses {i}", "", ""] for i in range(6)]
    with override_settings(SIA_IMPORT_MAX_ROWS=5):
        problems = refused_rows(world, good_rows(*rows))
    assert problems == [("", None, "", "Berkas memuat lebih dari 5 baris data; batasnya 5. Bagi menjadi beberapa berkas.")]


def test_formulas_are_refused_naming_the_cell(ex, world):
    problems = refused_rows(world, good_rows(["", "DISKOMINFO", "=CONCAT(\"Proses \", 1)", "", ""]))
    assert problems[0][:3] == ("Proses Bisnis", 2, "Nama *")
    assert "C2" in problems[0][3] and "rumus" in problems[0][3]


def test_duplicate_ids_in_the_file(ex, world):
    problems = refused_rows(world, good_rows(
        ["PB-DISKOMINFO-050", "DISKOMINFO", "Proses A", "", ""],
        ["pb-diskominfo-050 ", "DISKOMINFO", "Proses B", "", ""],
    ))
    assert problems == [("Proses Bisnis", 3, "ID", "ID PB-DISKOMINFO-050 ganda: sudah dipakai di baris 2.")]


def test_unknown_reference_codes(ex, world):
    problems = refused_rows(world, good_rows(
        ["", "DISKOMINFO", "Proses A", "RAB.99.99.99 Tidak Ada", ""],
        ["", "DISKOMINFO", "Proses B", "RAB.09.03.04 Nama Yang Lain Sama Sekali", ""],
    ))
    assert problems[0] == ("Proses Bisnis", 2, "Referensi", "Kode RAB.99.99.99 tidak ada di katalog referensi yang berlaku.")
    assert problems[1][:3] == ("Proses Bisnis", 3, "Referensi") and "bernama" in problems[1][3]


def test_reference_from_another_catalog_uses_the_model_rule(ex, world):
    problems = refused_rows(world, good_rows(["", "DISKOMINFO", "Proses A", "RAL.01.43.04", ""]))
    assert problems == [("Proses Bisnis", 2, "Referensi", "Referensi harus dari katalog RAB, bukan RAL.")]


def test_opd_of_another_instansi(ex, world):
    problems = refused_rows(world, good_rows(["", "DKL", "Proses A", "", ""]))
    assert problems[0][:3] == ("Proses Bisnis", 2, "Perangkat daerah *")
    assert "DKL" in problems[0][3] and "tidak dikenal" in problems[0][3]


def test_ids_of_another_instansi(ex, world):
    far = ex.far_process.code
    problems = refused_rows(world, workbook({
        "Proses Bisnis": [PB, ["", "DISKOMINFO", "Proses A", "", far]],
        "Layanan": [LY, ["", "DISKOMINFO", "Layanan A", f"{ex.process.code}; {far}"]],
    }))
    assert [p[:3] for p in problems] == [("Proses Bisnis", 2, "Proses induk"), ("Layanan", 2, "Proses bisnis")]
    assert all(far in p[3] and "tidak ditemukan" in p[3] for p in problems)


def test_check_functions_one_by_one():
    with pytest.raises(FileRejected):
        files.check_extension("data.xlsm")
    with pytest.raises(FileRejected):
        files.check_extension("lama.xls")
    files.check_extension("baru.xlsx")
    with pytest.raises(FileRejected):
        files.check_not_encrypted(files.OLE_SIGNATURE)
    files.check_not_encrypted(b"PK\x03\x04")
    assert files.safe_name("C:\\Users\\op\\Isian, final [2].xlsx") == "Isian_ final _2_.xlsx"

"""Every kind of bad upload gets a clear message and writes nothing."""

import io
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

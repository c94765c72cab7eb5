"""Checks an uploaded workbook before any spreadsheet library opens it: name, macros, password,
content type, size and zip bombs. Every importer of Excel files (reference catalogs, the
architecture round trip) runs these.

Each check is a plain function that raises :class:`FileRejected` with a message that tells the
user what to do. ``read_upload`` runs them in order and returns the file's bytes.
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import validators
from .validators import check_upload

class FileRejected(ValueError):
    """The upload is not a workbook SIA may open; nothing is read and nothing is written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# filetype recognises an .xlsx by its first zip members; workbooks written by other tools may put
# them elsewhere and read as a plain zip: the archive check below decides for those.
ALLOWED_MIMES = {XLSX_MIME: {"xlsx"}, "application/zip": {"xlsx"}}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: encrypted OOXML or legacy .xls
MACRO_EXTENSIONS = {"xlsm", "xltm", "xlam", "xlsb"}
MAX_MEMBERS = 2000
# Zip-bomb limits, measured on 50,000-row workbooks (``bench/exchange_import.py --sizes``; MB = 2**20
# bytes): the bench upload of three domains unpacks to 42.5 MB (largest sheet 15 MB, ratio 11), an
# all-domain SIA export to 30.5 MB (largest sheet 10.5 MB, ratio 15). One sheet holding all 50,000
# rows of the widest domain would be about 46 MB. The limits leave room for long texts and are far
# below what a bomb needs (the 1.9 MB file that unpacked to a 285 MB sheet is refused three times).
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FLOOR (legitimate sheets: 10-15)
RATIO_FLOOR = 1024 * 1024
DEFAULT_MAX_UNCOMPRESSED = 150 * 1024 * 1024  # the whole archive: about 3x the 50,000-row bench upload
DEFAULT_MAX_PART = 100 * 1024 * 1024  # one worksheet or the shared strings (openpyxl holds those in memory)
PART_NAME = re.compile(r"^xl/(worksheets/[^/]+\.xml|sharedStrings\.xml)$", re.IGNORECASE)


def safe_name(name: str) -> str:
    """The upload's base name made acceptable to the upload check (see ``validators.safe_name``)."""
    return validators.safe_name(name, fallback="unggahan.xlsx")


def check_extension(name: str) -> None:
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension in MACRO_EXTENSIONS:
        raise FileRejected(_(
            "Berkas .%(ext)s dapat memuat makro dan tidak diterima. Simpan ulang sebagai “Excel Workbook (.xlsx)”."
        ) % {"ext": extension})
    if extension == "xls":
        raise FileRejected(_("Format Excel lama (.xls) tidak diterima. Simpan ulang sebagai “Excel Workbook (.xlsx)”."))


def check_not_encrypted(head: bytes) -> None:
    if head.startswith(OLE_SIGNATURE):
        raise FileRejected(_(
            "Berkas ini dilindungi kata sandi (atau berformat .xls lama), sehingga isinya tidak dapat dibaca. Buka di "
            "Excel, hapus kata sandinya (File → Info → Proteksi), lalu simpan sebagai .xlsx."
        ))


def check_archive(content: bytes) -> None:
    """A real workbook, without macros, and not a zip bomb: sizes are read from the archive directory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise FileRejected(_("Berkas rusak: bukan buku kerja Excel (.xlsx) yang utuh."))
    if len(members) > MAX_MEMBERS:
        raise FileRejected(_("Berkas memuat terlalu banyak bagian (%(n)d); ini bukan templat SIA.") % {"n": len(members)})
    names = {member.filename for member in members}
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise FileRejected(_("Berkas ini arsip zip, tetapi bukan buku kerja Excel (.xlsx)."))
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRejected(_("Berkas memuat makro (VBA) dan tidak diterima. Simpan ulang sebagai “Excel Workbook (.xlsx)”."))
    if any(member.flag_bits & 0x1 for member in members):
        raise FileRejected(_("Bagian berkas terenkripsi; hapus kata sandinya lalu simpan ulang sebagai .xlsx."))
    limit = getattr(settings, "SIA_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    part_limit = getattr(settings, "SIA_IMPORT_MAX_PART_BYTES", DEFAULT_MAX_PART)
    total = sum(member.file_size for member in members)
    bomb = total > limit or any(
        member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if bomb:
        raise FileRejected(_(
            "Isi berkas jauh lebih besar dari ukurannya (%(size)d MB setelah dibuka); berkas seperti ini ditolak demi "
            "keamanan."
        ) % {"size": total // (1024 * 1024)})
    large = [m for m in members if PART_NAME.match(m.filename) and m.file_size > part_limit]
    if large:
        raise FileRejected(_(
            "Satu lembar berkas terlalu besar (%(size)d MB setelah dibuka; batasnya %(limit)d MB) dan ditolak demi "
            "keamanan. Bagi datanya menjadi beberapa berkas."
        ) % {"size": large[0].file_size // (1024 * 1024), "limit": part_limit // (1024 * 1024)})


def read_upload(upload) -> bytes:
    """The bytes of an uploaded workbook that passed every check; raises FileRejected otherwise."""
    upload.name = safe_name(getattr(upload, "name", ""))
    check_extension(upload.name)
    upload.seek(0)
    check_not_encrypted(upload.read(8))
    try:
        check_upload(upload, allowed_mimes=ALLOWED_MIMES, max_bytes=settings.SIA_IMPORT_MAX_BYTES)
    except ValidationError as error:
        raise FileRejected(" ".join(error.messages) + " " + _("Unggah berkas Excel (.xlsx) dari templat SIA."))
    upload.seek(0)
    content = upload.read()
    check_archive(content)
    return content


def write_only_cell(sheet, value, **style):
    """A cell of a write-only openpyxl sheet holding ``value`` as the reader sees it: characters a workbook cannot
    hold are dropped and text that looks like a formula ("=HYPERLINK(...)") stays text. ``style``: font, fill,
    alignment ... of the cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
    for key, setting in style.items():
        setattr(cell, key, setting)
    return cell

"""Imports a catalog version from CSV or Excel: parse and validate everything, write only a clean file.

``parse_catalog_file(upload, catalog)`` returns an :class:`ImportPreview` with the rows and every
problem (line, column, message); ``publish_version(preview, ...)`` writes a new version, or
returns the existing identical version and writes nothing. Columns: ``code`` (or ``kode``),
``name`` (``nama``), optional ``description`` (``uraian``/``deskripsi``) and ``source_url``
(``sumber``); ``parent_code`` and ``level``, when present, must agree with the code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.validators import check_upload

from .choices import Completeness, VersionStatus
from .codes import CodeError, parse_code
from .loader import content_hash, create_nodes
from .models import Catalog, CatalogVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# filetype recognises binary formats only: a text file (CSV) has no detected type.
ALLOWED_MIMES = {None: {"csv", "txt"}, XLSX: {"xlsx"}}

COLUMNS = {
    "code": ("code", "kode"),
    "name": ("name", "nama"),
    "description": ("description", "uraian", "deskripsi", "keterangan"),
    "source": ("source_url", "source", "sumber"),
    "parent_code": ("parent_code", "kode_induk", "induk"),
    "level": ("level", "tingkat"),
}
REQUIRED = ("code", "name")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self):
        where = _("baris %(line)d") % {"line": self.line} if self.line else _("berkas")
        if self.column:
            where += ", " + _("kolom %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportRow:
    line: int
    code: str
    name: str
    description: str = ""
    source: str = ""
    level: int = 0
    parent_code: str | None = None


@dataclass
class ImportPreview:
    catalog: Catalog
    filename: str = ""
    file_hash: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def content_hash(self) -> str:
        return content_hash({"code": r.code, "name": r.name, "description": r.description} for r in self.rows)

    def level_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for row in self.rows:
            if row.level:  # rows whose code could not be read have no level
                counts[row.level] = counts.get(row.level, 0) + 1
        return dict(sorted(counts.items()))

    def identical_version(self) -> CatalogVersion | None:
        """An existing version of the catalog with exactly these codes, names and descriptions."""
        if not self.is_clean:
            return None
        return (
            CatalogVersion.objects.filter(catalog=self.catalog, content_hash=self.content_hash)
            .order_by("-is_current", "-pk")
            .first()
        )


def parse_catalog_file(upload, catalog: Catalog) -> ImportPreview:
    """Reads a CSV (UTF-8, BOM tolerated, comma or semicolon) or XLSX file and validates every row."""
    preview = ImportPreview(catalog=catalog, filename=getattr(upload, "name", "") or "")
    try:
        mime = check_upload(upload, allowed_mimes=ALLOWED_MIMES, max_bytes=settings.SIA_IMPORT_MAX_BYTES)
    except ValidationError as error:
        preview.problems.append(Problem(0, "", " ".join(error.messages) + " " + _("Unggah berkas CSV atau Excel (.xlsx).")))
        return preview
    upload.seek(0)
    content = upload.read()
    preview.file_hash = hashlib.sha256(content).hexdigest()
    table = _read_xlsx(content, preview) if mime == XLSX else _read_csv(content, preview)
    if table is not None:
        _validate(table, preview)
    return preview


def _read_csv(content: bytes, preview: ImportPreview):
    if b"\x00" in content[:8192]:
        preview.problems.append(Problem(0, "", _("Berkas ini bukan teks CSV. Unggah berkas CSV atau Excel (.xlsx).")))
        return None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        line_start = content.rfind(b"\n", 0, error.start) + 1
        header = content.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
        delimiter = _delimiter(header)
        names = [h.strip() for h in header.split(delimiter)]
        index = content[line_start: error.start].count(delimiter.encode())
        column = names[index] if index < len(names) else str(index + 1)
        preview.problems.append(
            Problem(
                line, column,
                _("Berkas bukan teks UTF-8 (byte 0x%(byte)02X tidak dikenal). Simpan ulang sebagai “CSV UTF-8” "
                  "atau unggah berkas Excel (.xlsx).") % {"byte": content[error.start]},
            )
        )
        return None
    lines = text.splitlines()
    delimiter = _delimiter(lines[0] if lines else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table = []
    try:
        start = 1
        for values in reader:
            table.append((start, values))
            start = reader.line_num + 1
    except csv.Error as error:
        preview.problems.append(Problem(reader.line_num, "", _("CSV tidak dapat dibaca: %(error)s") % {"error": error}))
        return None
    return table


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _read_xlsx(content: bytes, preview: ImportPreview):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        preview.problems.append(Problem(0, "", _("Berkas Excel rusak atau tidak dapat dibaca (%(error)s).") % {"error": error}))
        return None
    try:
        names = workbook.sheetnames
        sheet = workbook[preview.catalog.code] if preview.catalog.code in names else workbook[names[0]]
        table = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            table.append((number, ["" if v is None else str(v) for v in values]))
            if number > settings.SIA_IMPORT_MAX_ROWS + 1:
                break
        return table
    finally:
        workbook.close()


def _validate(table, preview: ImportPreview) -> None:
    problems = preview.problems
    table = [(line, values) for line, values in table if any(str(v).strip() for v in values)]
    if not table:
        problems.append(Problem(0, "", _("Berkas kosong: tidak ada baris judul maupun data.")))
        return
    header_line, header = table[0]
    labels = [str(h).strip() for h in header]
    positions: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for index, label in enumerate(labels):
            if label.lower().lstrip("\ufeff") in aliases:
                positions.setdefault(key, index)
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in positions]
    if missing:
        problems.append(
            Problem(header_line, ", ".join(missing),
                    _("Kolom wajib tidak ada. Baris judul harus memuat code (atau kode) dan name (atau nama); "
                      "description opsional. Ditemukan: %(found)s.") % {"found": ", ".join(labels) or "—"})
        )
        return
    if len(table) - 1 > settings.SIA_IMPORT_MAX_ROWS:
        problems.append(Problem(0, "", _("Terlalu banyak baris; batasnya %(max)d.") % {"max": settings.SIA_IMPORT_MAX_ROWS}))
        return

    def cell(values, key):
        index = positions.get(key)
        return str(values[index]).strip() if index is not None and index < len(values) else ""

    label = {key: labels[index] for key, index in positions.items()}
    prefix = preview.catalog.code
    seen: dict[str, int] = {}
    for line, values in table[1:]:
        raw_code, name = cell(values, "code"), cell(values, "name")
        row = ImportRow(line, raw_code.upper().replace(" ", ""), name, cell(values, "description"), cell(values, "source"))
        try:
            parsed = parse_code(raw_code, prefix=prefix)
        except CodeError as error:
            problems.append(Problem(line, label["code"], str(error)))
            parsed = None
        if not name:
            problems.append(Problem(line, label["name"], _("Nama kosong.")))
        if parsed is not None:
            row.code, row.level, row.parent_code = str(parsed), parsed.level, parsed.parent
            if row.code in seen:
                problems.append(
                    Problem(line, label["code"], _("Kode %(code)s ganda; sudah ada di baris %(first)d.")
                            % {"code": row.code, "first": seen[row.code]})
                )
            else:
                seen[row.code] = line
            _check_declared(values, row, cell, label, problems)
        preview.rows.append(row)
    for row in preview.rows:
        if row.parent_code and row.level and row.parent_code not in seen:
            problems.append(
                Problem(row.line, label["code"], _("Induk %(parent)s dari kode %(code)s tidak ada di berkas.")
                        % {"parent": row.parent_code, "code": row.code})
            )
    if not preview.rows:
        problems.append(Problem(0, "", _("Berkas tidak memuat baris data.")))
    problems.sort(key=lambda p: (p.line, p.column))


def _check_declared(values, row, cell, label, problems):
    """``parent_code`` and ``level`` columns are optional, but must agree with the code when given."""
    declared_parent = cell(values, "parent_code").upper().replace(" ", "")
    if "parent_code" in label and declared_parent != (row.parent_code or ""):
        problems.append(
            Problem(row.line, label["parent_code"], _("Kode induk %(declared)s tidak sesuai dengan kode %(code)s (induknya %(parent)s).")
                    % {"declared": declared_parent or "—", "code": row.code, "parent": row.parent_code or "—"})
        )
    declared_level = cell(values, "level")
    if "level" in label and declared_level and declared_level.removesuffix(".0") != str(row.level):
        problems.append(
            Problem(row.line, label["level"], _("Tingkat %(declared)s tidak sesuai dengan kode %(code)s (tingkat %(level)d).")
                    % {"declared": declared_level, "code": row.code, "level": row.level})
        )


def publish_version(
    preview: ImportPreview, *, name: str, source: str = "", user=None, effective_date=None,
    completeness: str = Completeness.COMPLETE, notes: str = "", publish: bool = True,
) -> tuple[CatalogVersion, bool]:
    """Writes a clean preview as a new version (the one in force when ``publish``).

    Returns ``(version, created)``; when an identical version exists nothing is written and
    ``created`` is False. Raises ``ValidationError`` for a file with problems or a bad name.
    """
    if not preview.is_clean:
        raise ValidationError(_("Berkas masih bermasalah; tidak ada yang disimpan."))
    existing = preview.identical_version()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        version = CatalogVersion(
            catalog=preview.catalog, name=(name or "").strip(), source=source, effective_date=effective_date,
            completeness=completeness, notes=notes, status=VersionStatus.DRAFT, content_hash=preview.content_hash,
        )
        version.full_clean()
        version.save()
        rows = [{"code": r.code, "name": r.name, "description": r.description, "source": r.source} for r in preview.rows]
        create_nodes(version, rows, user=user)
        if publish:
            make_current(version, user=user)
    return version, True


def make_current(version: CatalogVersion, *, user=None) -> CatalogVersion:
    """Publishes a version and makes it the one in force for its catalog; older versions stay readable."""
    with transaction.atomic():
        for other in CatalogVersion.objects.filter(catalog_id=version.catalog_id, is_current=True).exclude(pk=version.pk):
            other.is_current = False
            other.save(update_fields=["is_current", "updated"])
        version.status = VersionStatus.PUBLISHED
        version.is_current = True
        if version.published_at is None:
            version.published_at = timezone.now()
            version.published_by = user
        version.save()
    return version

"""Imports a catalog version from CSV or Excel: parse and validate everything, write only a clean file.

``parse_catalog_file(upload, catalog)`` returns an :class:`ImportPreview` with the rows and every
problem (line, column, message); ``publish_version(preview, ...)`` writes a new version, or
returns the existing identical version and writes nothing. Columns: ``code`` (or ``kode``),
``name`` (``nama``), optional ``description`` (``uraian``/``deskripsi``) and ``source_url``
(``sumber``); ``parent_code`` and ``level``, when present, must agree with the code.

An Excel file passes the shared workbook checks (``sia.core.workbooks``: macros, password, zip
bombs) before openpyxl opens it, and formulas are refused cell by cell. A CSV must be UTF-8.
``make_current`` carries the instansi's own nodes of the version it replaces over to
the new version where their parent code still exists.
"""

from __future__ import annotations

import codecs
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

from sia.core.request_context import current_request_id
from sia.core.validators import check_upload
from sia.core.workbooks import FileRejected, check_archive, check_extension, check_not_encrypted

from .choices import Completeness, VersionStatus
from .codes import CodeError, parse_code
from .loader import content_hash, create_nodes, field_limits
from .models import Catalog, CatalogVersion, ReferenceNode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
# filetype recognises binary formats only: a text file (CSV) has no detected type. A workbook
# written by another tool may read as a plain zip: the archive check decides for those.
ALLOWED_MIMES = {None: {"csv", "txt"}, XLSX: {"xlsx"}, ZIP: {"xlsx"}}
WORKBOOK_MIMES = {XLSX, ZIP}
MAX_COLUMNS = 50  # columns read per sheet row; the catalog has six
# Byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)

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
    content, mime = _checked_content(upload, preview)
    if content is None:
        return preview
    preview.file_hash = hashlib.sha256(content).hexdigest()
    formulas: dict[tuple[int, int], str] = {}
    table = _read_xlsx(content, preview, formulas) if mime in WORKBOOK_MIMES else _read_csv(content, preview)
    if table is not None:
        _validate(table, preview, formulas)
    return preview


def _checked_content(upload, preview: ImportPreview) -> tuple[bytes | None, str | None]:
    """The file's bytes and type once every check passed; ``(None, None)`` with a problem otherwise.

    A workbook goes through the shared checks (``sia.core.workbooks``) before openpyxl sees it;
    the size limit applies to the bytes actually read, whatever size the upload declares.
    """
    limit = settings.SIA_IMPORT_MAX_BYTES
    try:
        check_extension(preview.filename)
        upload.seek(0)
        check_not_encrypted(upload.read(8))
        try:
            mime = check_upload(upload, allowed_mimes=ALLOWED_MIMES, max_bytes=limit)
        except ValidationError as error:
            raise FileRejected(" ".join(error.messages) + " " + _("Unggah berkas CSV atau Excel (.xlsx)."))
        upload.seek(0)
        content = upload.read(limit + 1)
        if len(content) > limit:
            size = f"{limit / (1024 * 1024):.1f} MB" if limit >= 1024 * 1024 else f"{max(limit // 1024, 1)} KB"
            raise FileRejected(
                _("Berkas terlalu besar; batasnya %(limit)s. Bagi menjadi beberapa berkas.") % {"limit": size}
            )
        if mime in WORKBOOK_MIMES:
            check_archive(content)
    except FileRejected as error:
        preview.problems.append(Problem(0, "", error.message))
        return None, None
    return content, mime


def _read_csv(content: bytes, preview: ImportPreview):
    encoding = _wide_encoding(content)
    if encoding:
        preview.problems.append(Problem(
            1, "",
            _("Berkas CSV ini tersimpan dengan pengodean %(encoding)s, sedangkan SIA membaca CSV UTF-8. Simpan sebagai “CSV UTF-8” "
              "(di Excel: Simpan Sebagai → CSV UTF-8 (Comma delimited)) lalu unggah lagi, atau unggah berkas Excel "
              "(.xlsx).") % {"encoding": encoding},
        ))
        return None
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
                _("Berkas bukan teks UTF-8 (byte 0x%(byte)02X tidak dikenal; mungkin tersimpan sebagai ANSI/Windows-1252). "
                  "SIA membaca CSV UTF-8: simpan sebagai “CSV UTF-8” atau unggah berkas Excel (.xlsx).")
                % {"byte": content[error.start]},
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


def _wide_encoding(content: bytes) -> str | None:
    """"UTF-16"/"UTF-32" when the text is in one of them (by its byte order mark, or by its NUL pattern)."""
    for bom, name in BOMS:
        if content.startswith(bom):
            return name
    sample = content[:4096]
    if len(sample) < 8:
        return None
    for width, name in ((4, "UTF-32"), (2, "UTF-16")):
        usable = sample[: len(sample) - len(sample) % width]
        units = [usable[i:i + width] for i in range(0, len(usable), width)]
        # Mostly-ASCII text: in every unit all bytes but one (the first or the last) are NUL.
        little = sum(1 for u in units if u[0] and not u[1:].strip(b"\x00"))
        big = sum(1 for u in units if u[-1] and not u[:-1].strip(b"\x00"))
        if max(little, big) >= 0.9 * len(units):
            return name
    return None


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def _read_xlsx(content: bytes, preview: ImportPreview, formulas: dict):
    """The sheet's rows as text; formula cells go to ``formulas`` ((line, column index) → formula)."""
    import openpyxl

    errors = (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError, SyntaxError)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except errors as error:
        preview.problems.append(Problem(0, "", _("Berkas Excel rusak atau tidak dapat dibaca (%(error)s).") % {"error": error}))
        return None
    try:
        names = workbook.sheetnames
        sheet = workbook[preview.catalog.code] if preview.catalog.code in names else workbook[names[0]]
        sheet.reset_dimensions()  # the declared size may be anything: read the cells that are there
        table, filled = [], 0
        for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
            values = []
            for index, cell in enumerate(cells):
                value = cell.value
                if getattr(cell, "data_type", None) == "f":
                    formulas[(number, index)] = str(value)
                values.append("" if value is None else str(value))
            if any(v.strip() for v in values):
                table.append((number, values))
                filled += 1
                if filled > settings.SIA_IMPORT_MAX_ROWS + 1:
                    break
        return table
    except errors as error:
        preview.problems.append(Problem(0, "", _("Berkas Excel rusak atau tidak dapat dibaca (%(error)s).") % {"error": error}))
        return None
    finally:
        workbook.close()


def _validate(table, preview: ImportPreview, formulas: dict | None = None) -> None:
    formulas = formulas or {}
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
    limits = field_limits()
    seen: dict[str, int] = {}
    for line, values in table[1:]:
        raw_code, name = cell(values, "code"), cell(values, "name")
        row = ImportRow(line, raw_code.upper().replace(" ", ""), name, cell(values, "description"), cell(values, "source"))
        with_formula = set()
        for key, index in positions.items():
            if (line, index) in formulas:
                with_formula.add(key)
                problems.append(Problem(
                    line, label[key],
                    _("Sel %(cell)s berisi rumus; salin lalu tempel sebagai nilai (Paste Special → Values).")
                    % {"cell": _cell_name(line, index)},
                ))
        parsed = None
        if "code" not in with_formula:
            try:
                parsed = parse_code(raw_code, prefix=prefix)
            except CodeError as error:
                problems.append(Problem(line, label["code"], str(error)))
        if not name and "name" not in with_formula:
            problems.append(Problem(line, label["name"], _("Nama kosong.")))
        for key, limit in limits.items():
            value = getattr(row, key)
            if key in label and key not in with_formula and len(value) > limit and (key != "code" or parsed is not None):
                problems.append(Problem(
                    line, label[key], _("Terlalu panjang: %(length)d karakter; paling banyak %(limit)d.")
                    % {"length": len(value), "limit": limit},
                ))
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


def _cell_name(line: int, index: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{line}"


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


@dataclass
class CarryOver:
    """What publishing a version did with the instansi nodes of the version it replaced."""

    previous: CatalogVersion | None = None
    carried: list[ReferenceNode] = field(default_factory=list)  # the new copies, in the new version
    left_behind: list[ReferenceNode] = field(default_factory=list)  # nodes of the previous version, not carried


def make_current(version: CatalogVersion, *, user=None) -> CatalogVersion:
    """Publishes a version and makes it the one in force for its catalog; older versions stay readable.

    The instansi nodes of the version it replaces are carried over (see ``carry_institution_nodes``);
    what happened is left on ``version.carry_over`` (a :class:`CarryOver`).
    """
    with transaction.atomic():
        previous = list(
            CatalogVersion.objects.select_for_update()
            .filter(catalog_id=version.catalog_id, is_current=True).exclude(pk=version.pk)
        )
        for other in previous:
            other.is_current = False
            other.save(update_fields=["is_current", "updated"])
        version.status = VersionStatus.PUBLISHED
        version.is_current = True
        if version.published_at is None:
            version.published_at = timezone.now()
            version.published_by = user
        version.save()
        version.carry_over = carry_institution_nodes(previous[0] if previous else None, version, user=user)
    return version


def carry_institution_nodes(previous: CatalogVersion | None, version: CatalogVersion, *, user=None) -> CarryOver:
    """Copies the instansi nodes of ``previous`` into ``version`` where their parent code exists there.

    Levels are copied in order, so a level-5 node follows its carried level-4 parent. A node whose
    parent code is missing (and so its descendants), whose code is now national, or whose national
    parent now has national children (the catalog was published deeper) is left behind:
    it stays in ``previous``, readable, and architecture entries mapped to it keep pointing at it.
    Nodes the instansi already has in ``version`` (same code) are not copied again.
    """
    result = CarryOver(previous=previous)
    if previous is None or previous.pk == version.pk:
        return result
    old_nodes = list(
        previous.nodes.filter(institution__isnull=False).select_related("institution").order_by("level", "code", "institution_id")
    )
    if not old_nodes:
        return result
    national = dict(version.nodes.filter(institution__isnull=True).values_list("code", "pk"))
    national_parents = {parse_code(code).parent for code in national}
    own = {
        (institution_id, code): pk
        for institution_id, code, pk in version.nodes.filter(institution__isnull=False).values_list("institution_id", "code", "pk")
    }
    by_level: dict[int, list[ReferenceNode]] = {}
    for node in old_nodes:
        by_level.setdefault(node.level, []).append(node)
    for level in sorted(by_level):
        batch = []
        for old in by_level[level]:
            if (old.institution_id, old.code) in own:
                continue  # already there (a version published again)
            parent_code = parse_code(old.code).parent
            if parent_code is None:  # the top of a catalog without national codes (RAK)
                parent_id, allowed = None, not national
            else:
                parent_id = national.get(parent_code) or own.get((old.institution_id, parent_code))
                # A national parent that now has national children takes no instansi nodes beside them.
                allowed = parent_id is not None and parent_code not in national_parents
            if not allowed or old.code in national:
                result.left_behind.append(old)
                continue
            copy = ReferenceNode(
                version=version, code=old.code, name=old.name, description=old.description, source=old.source,
                institution_id=old.institution_id, parent_id=parent_id,
            )
            copy.refresh_derived()
            batch.append(copy)
        if not batch:
            continue
        batch = ReferenceNode.objects.bulk_create(batch, batch_size=500)
        ReferenceNode.history.bulk_history_create(
            batch, batch_size=500, default_user=user, custom_historical_attrs={"request_id": current_request_id()}
        )
        own.update({(node.institution_id, node.code): node.pk for node in batch})
        result.carried.extend(batch)
    return result

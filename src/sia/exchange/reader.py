"""Reads the domain sheets of an uploaded workbook into raw rows, mapped to columns by their headers.

Sheets are recognised by name in any order (their own names, or the names the AS-IS templates in circulation give
them: ``sia.exchange.data.asis_aliases``, where the template's three facility sheets are each a part of one kind,
their rows' type fixed by the sheet); the header row is the first of the top rows that
names at least two known columns; blank rows are skipped; unknown columns are ignored with a
warning; cells holding formulas and files with more rows than ``SIA_IMPORT_MAX_ROWS`` are refused.
Nothing here touches the database.
"""

from __future__ import annotations

import io
import zipfile
from collections import deque
from dataclasses import dataclass, field
from xml.etree.ElementTree import TreeBuilder, XMLParser, iterparse

from django.conf import settings
from django.utils.translation import gettext as _

from .cells import is_blank, normalize_key
from .columns import SheetColumn, SheetSpec
from .data import asis_aliases
from .kinds import header_key
from .problems import ERROR, WARNING, FileRejected, Problem

HEADER_SEARCH_ROWS = 10
OWN_SHEETS = {"petunjuk", "daftar", "fungsi opd", "instructions", "lists", "versi"}
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_TEXT, _RUN = f"{_MAIN}t", f"{_MAIN}r"
# The hidden sheet of an export: the version (lock_version) each object had when it was exported.
VERSION_SHEET = "Versi"


@dataclass
class SheetRows:
    spec: SheetSpec
    title: str  # as named in the file
    header_row: int
    columns: list[tuple[int, SheetColumn, str]]  # (position, column, header as written)
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (Excel row number, values)
    # {field name: stored value} the sheet fixes for its rows (the facility type of the template's "Pusat Data")
    fixed: dict = field(default_factory=dict)

    @property
    def positions(self) -> list[int]:
        """Where the columns an upload reads are: a row with only unknown columns filled (a "No." column), or only
        export-only ones (``← Aplikasi``, the review status), is blank."""
        if not hasattr(self, "_positions"):
            self._positions = [position for position, column, _written in self.columns
                               if column.imported or column.identifies]
        return self._positions

    def header_of(self, name: str) -> str:
        for _position, column, written in self.columns:
            if column.name == name:
                return written
        return self.spec.column(name).label


@dataclass
class ReadResult:
    sheets: list[SheetRows] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    versions: dict = field(default_factory=dict)  # (model, ID) -> version at export (VERSION_SHEET)

    @property
    def row_count(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets)


# What openpyxl and the sheet parser raise on a damaged file: a broken zip or XML (SyntaxError: the XML parsers'
# errors), a part or a shared string that is not there, a value that is not what its cell type says.
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError, SyntaxError)


def _rejected(error) -> FileRejected:
    return FileRejected(_("Berkas Excel rusak atau tidak dapat dibaca (%(error)s).") % {"error": error})


def open_workbook(content: bytes):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except UNREADABLE as error:
        raise _rejected(error) from error


def _inline_text(element) -> str:
    """The text of an inline string (``<is>``) as openpyxl's ``Text.from_tree(element).content`` gives it: the plain
    text, then each formatted run's, without building openpyxl's rich-text objects."""
    parts = []
    plain = element.find(_TEXT)
    if plain is not None and plain.text is not None:
        parts.append(plain.text)
    for run in element.findall(_RUN):
        text = run.find(_TEXT)
        if text is not None and text.text is not None:
            parts.append(text.text)
    return "".join(parts)


def _events(source, wanted: str, chunk: int = 1 << 14):
    """The elements of the XML in ``source`` whose tag is ``wanted``, each as it ends (cleared after the caller had
    it): ``iterparse`` without its two Python generators per element. A row of ten cells is some thirty elements,
    which ``iterparse`` (openpyxl's parse) hands over one by one; here the C parser puts its events in a queue of
    ours and only the rows reach Python code. The same parser (expat, no external entities), fed the same bytes in
    the same 16 KB chunks (64 KB chunks were slower: more of the tree is built before its rows are cleared)."""
    parser = XMLParser(target=TreeBuilder())
    if not hasattr(parser, "_setevents"):  # what iterparse itself builds on, gone from some later Python
        for _event, element in iterparse(source):
            if element.tag == wanted:
                yield element
                element.clear()
        return
    queue = deque()
    parser._setevents(queue, ("end",))  # what XMLPullParser (iterparse) does: the C parser appends to the queue
    pop = queue.popleft
    while True:
        data = source.read(chunk)
        if data:
            parser.feed(data)
        else:
            parser.close()
        while queue:
            element = pop()[1]
            if element.tag == wanted:
                yield element
                element.clear()
        if not data:
            return


def _values_parser():
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, ROW_TAG, VALUE_TAG, WorkSheetParser

    columns: dict[str, int] = {}  # a coordinate's letters -> its column (as openpyxl's coordinate_to_tuple reads them)

    class ValuesParser(WorkSheetParser):
        """openpyxl's sheet parser giving each row as (column, value) pairs instead of a dict per cell. Inline strings
        (how openpyxl itself, and so SIA's exports, write text) and shared strings (how Excel writes it) are read
        directly; every other cell (numbers, dates, booleans, errors, a formula) goes through openpyxl's
        ``parse_cell``. The rows are those of ``iter_rows(values_only=True)`` (tested). Only the rows are read
        (``_events``): openpyxl's ``parse`` also reads the sheet's layout (widths, merged cells, validations, views),
        which the values do not need."""

        def parse(self):
            for row in _events(self.source, ROW_TAG):
                yield self.parse_row(row)

        def parse_row(self, row):
            attrs = row.attrib
            if "r" in attrs:
                try:
                    self.row_counter = int(attrs["r"])
                except ValueError:
                    value = float(attrs["r"])
                    if not value.is_integer():
                        raise ValueError(f"{attrs['r']} is not a valid row number") from None
                    self.row_counter = int(value)
            else:
                self.row_counter += 1
            self.col_counter = 0
            cells = []
            append = cells.append
            data_only, shared = self.data_only, self.shared_strings
            for element in row:
                kind = element.get("t")
                if kind not in ("inlineStr", "s") or (not data_only and element.find(FORMULA_TAG) is not None):
                    cell = self.parse_cell(element)
                    append((cell["column"], cell["value"]))
                    continue
                coordinate = element.get("r")
                if coordinate:
                    letters = coordinate.rstrip("0123456789")
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = coordinate_to_tuple(coordinate)[1]
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    column = self.col_counter
                if kind == "s":
                    value = element.findtext(VALUE_TAG, None) or None
                    append((column, None if value is None else shared[int(value)]))
                else:
                    child = element.find(INLINE_STRING)
                    append((column, None if child is None else _inline_text(child)))
            return self.row_counter, cells

    return ValuesParser


def _row_values(cells, width) -> tuple:
    """``ReadOnlyWorksheet._get_row(row, 1, width, values_only=True)`` of (column, value) pairs."""
    if not cells and not width:
        return ()
    width = width or cells[-1][0]
    values = [None] * width
    for column, value in cells:
        if 1 <= column <= width:
            values[column - 1] = value
    return tuple(values)


def sheet_values(worksheet):
    """``worksheet.iter_rows(values_only=True)`` of a read-only worksheet, through ``ValuesParser`` (the same rows and
    values: missing rows as empty ones, each row as wide as the sheet's dimension says)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    if not isinstance(worksheet, ReadOnlyWorksheet) or worksheet.max_row is None:
        yield from worksheet.iter_rows(values_only=True)
        return
    workbook, max_col, max_row = worksheet.parent, worksheet.max_column, worksheet.max_row
    empty_row = (None,) * max_col if max_col is not None else []
    counter = index = 1
    with worksheet._get_source() as source:
        parser = _values_parser()(source, worksheet._shared_strings, data_only=workbook.data_only,
                                  epoch=workbook.epoch, date_formats=workbook._date_formats,
                                  timedelta_formats=workbook._timedelta_formats)
        for index, row in parser.parse():
            if index > max_row:
                break
            for _missing in range(counter, index):
                counter += 1
                yield empty_row
            if counter <= index:
                counter += 1
                yield _row_values(row, max_col)
    if max_row < index:
        for _missing in range(counter, max_row + 1):
            yield empty_row


def read_workbook(content: bytes, specs: list[SheetSpec], *, max_rows: int | None = None) -> ReadResult:
    """The rows of every domain sheet in ``content``; raises FileRejected when it cannot be opened."""
    max_rows = settings.SIA_IMPORT_MAX_ROWS if max_rows is None else max_rows
    result = ReadResult()
    workbook = open_workbook(content)
    try:
        matched = _match_sheets(workbook.sheetnames, specs, result.problems)
        total = 0
        for title, spec, fixed in matched:
            sheet = _read_sheet(workbook[title], title, spec, result.problems, max_rows - total)
            if sheet is None:
                continue
            sheet.fixed = fixed
            result.sheets.append(sheet)
            total += len(sheet.rows)
            if total > max_rows:
                result.problems.append(Problem(
                    "", None, "",
                    _("Berkas memuat lebih dari %(max)s baris data; batasnya %(max)s. Bagi menjadi beberapa berkas.")
                    % {"max": f"{max_rows:,}".replace(",", ".")},
                ))
                result.sheets = []
                return result
        if not matched:
            result.problems.append(Problem(
                "", None, "",
                _("Tidak ada lembar domain yang dikenal. Nama lembar harus salah satu dari: %(names)s.")
                % {"names": ", ".join(spec.title for spec in specs)},
            ))
        elif not result.row_count and not any(p.is_error for p in result.problems):
            result.problems.append(Problem("", None, "", _("Berkas tidak memuat baris data.")))
        for sheet in result.sheets:
            _check_formulas(workbook[sheet.title], sheet, result.problems)
        if VERSION_SHEET in workbook.sheetnames:
            result.versions = _read_versions(workbook[VERSION_SHEET], specs)
    except UNREADABLE as error:  # the sheets are parsed as they are read, after the workbook opened
        raise _rejected(error) from error
    finally:
        workbook.close()
    return result


def _read_versions(worksheet, specs: list[SheetSpec]) -> dict:
    """``{(model, ID): version}`` from the hidden version sheet; rows that do not read are skipped."""
    versions = {}
    for values in worksheet.iter_rows(min_row=2, max_col=3, values_only=True):
        title, code, version = (list(values) + [None, None, None])[:3]
        spec = next((s for s in specs if normalize_key(str(title or "")) in s.aliases()), None)
        if spec is None or not code or not isinstance(version, int) or isinstance(version, bool):
            continue
        versions[(spec.model, str(code).strip().upper())] = version
    return versions


def _sheet_keys(name: str) -> set[str]:
    """A template's sheet name as the reader matches it, whole and as Excel cuts it (31 characters)."""
    return {normalize_key(name), normalize_key(name[:31])}


def template_sheets(specs) -> dict:
    """{sheet name key: (spec, fixed field values)} of the sheet names of the AS-IS templates
    (``data.asis_aliases``) whose kind is among ``specs``."""
    by_label = {spec.model._meta.label: spec for spec in specs if not spec.relation}
    found = {}
    for name, (label, fixed) in asis_aliases.SPLIT_SHEETS.items():
        if label in by_label:
            for key in _sheet_keys(name):
                found.setdefault(key, (by_label[label], dict(fixed)))
    for label, names in asis_aliases.SHEETS.items():
        for name in names if label in by_label else ():
            for key in _sheet_keys(name):
                found.setdefault(key, (by_label[label], {}))
    return found


def _match_sheets(titles, specs, problems) -> list[tuple[str, SheetSpec, dict]]:
    """(title, spec, fixed field values) of the sheets of ``titles`` that hold a kind of ``specs``. A kind is on one
    sheet, except the parts of one kind in the templates (``asis_aliases.SPLIT_SHEETS``: “Pusat Data”, “Pusat
    Kendali”...), each fixing a different value, which may all be in a workbook."""
    matched, seen = [], {}
    templates = None
    for title in titles:
        key = normalize_key(title)
        spec, fixed = next((s for s in specs if key in s.aliases()), None), {}
        if spec is None:
            templates = template_sheets(specs) if templates is None else templates
            spec, fixed = templates.get(key, (None, {}))
        if spec is None:
            if key not in OWN_SHEETS:
                problems.append(Problem(title, None, "", _("Lembar ini tidak dikenal dan diabaikan."), WARNING))
            continue
        earlier = seen.setdefault(spec.model, [])
        if earlier and not (fixed and all(other and other != fixed for _title, other in earlier)):
            problems.append(Problem(
                title, None, "",
                _("Lembar “%(first)s” sudah memuat %(domain)s; satu domain hanya boleh satu lembar.")
                % {"first": earlier[0][0], "domain": spec.title},
            ))
            continue
        earlier.append((title, fixed))
        matched.append((title, spec, fixed))
    return matched


def _header_map(values, spec: SheetSpec):
    aliases = {}
    for column in spec.columns:
        for alias in column.aliases():
            aliases.setdefault(alias, column)
    found = []
    for position, value in enumerate(values):
        if is_blank(value):
            continue
        column = aliases.get(header_key(value))
        found.append((position, column, str(value).strip()))
    return found


def _read_sheet(worksheet, title, spec: SheetSpec, problems, limit: int) -> SheetRows | None:
    """Reads until one row past ``limit`` data rows (the caller reports the excess)."""
    rows = sheet_values(worksheet)
    sheet = None
    for number, values in enumerate(rows, start=1):
        if sheet is None:
            if number > HEADER_SEARCH_ROWS:
                break
            found = _header_map(values, spec)
            if sum(1 for _p, column, _w in found if column is not None) < 2:
                continue
            sheet = _start_sheet(title, spec, number, found, problems)
            continue
        if values and not all(is_blank(values[p]) for p in sheet.positions if p < len(values)):
            sheet.rows.append((number, values))
            if len(sheet.rows) > limit:
                break
    if sheet is None:
        problems.append(Problem(
            title, None, "",
            _("Baris judul kolom tidak ditemukan di %(n)d baris teratas; salin baris judul dari templat.")
            % {"n": HEADER_SEARCH_ROWS},
        ))
    return sheet


def _start_sheet(title, spec, number, found, problems) -> SheetRows:
    columns, used = [], {}
    for position, column, written in found:
        if column is None:
            problems.append(Problem(title, number, written, _("Kolom tidak dikenal; isinya diabaikan."), WARNING))
        elif column.name in used:
            problems.append(Problem(
                title, number, written,
                _("Kolom ini sama dengan kolom “%(first)s”; hapus salah satunya.") % {"first": used[column.name]},
            ))
        else:
            used[column.name] = written
            columns.append((position, column, written))
    return SheetRows(spec=spec, title=title, header_row=number, columns=columns)


def _check_formulas(worksheet, sheet: SheetRows, problems) -> None:
    """Cells whose text starts with "=" are checked again cell by cell: a formula is refused."""
    positions = set(sheet.positions)  # a formula in a column the upload ignores is ignored with it
    suspects = [
        number for number, values in sheet.rows
        if any(isinstance(v, str) and v.startswith("=") for i, v in enumerate(values) if i in positions)
    ]
    if not suspects:
        return
    wanted = set(suspects)
    headers = {position + 1: written for position, _column, written in sheet.columns}
    for row in worksheet.iter_rows(min_row=min(wanted), max_row=max(wanted)):
        for cell in row:
            if getattr(cell, "data_type", None) == "f" and getattr(cell, "row", None) in wanted and (
                    getattr(cell, "column", 0) - 1 in positions):
                problems.append(Problem(
                    sheet.title, cell.row, headers.get(cell.column, cell.coordinate),
                    _("Sel %(cell)s berisi rumus (%(formula)s); SIA hanya menerima nilai. Salin lalu tempel sebagai "
                      "nilai (Paste Special → Values).") % {"cell": cell.coordinate, "formula": cell.value},
                    ERROR,
                ))

"""Reads the sheets of an uploaded Peta Rencana workbook into raw rows, mapped to columns by their headers (in any
order; a missing required column, a sheet of an unknown name holding data and a formula are errors naming the sheet,
row and column). Nothing here touches the database; ``sia.roadmap.workbook_import`` plans the rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sia.exchange.cells import clean_text, is_blank, normalize_key
from sia.exchange.problems import ERROR, WARNING, Problem
from sia.exchange.reader import open_workbook

from .workbook import GUIDE_SHEET, SHEETS, VERSION_SHEET, Sheet

HEADER_SEARCH_ROWS = 10
OWN_SHEETS = {normalize_key(GUIDE_SHEET), "daftar", normalize_key(VERSION_SHEET)}


@dataclass
class SheetRows:
    spec: Sheet
    title: str
    header_row: int
    positions: dict  # column name -> (position, header as written)
    rows: list = field(default_factory=list)  # (Excel row number, values)

    def header(self, name: str) -> str:
        return self.positions[name][1] if name in self.positions else self.spec.column(name).header

    def value(self, values, name):
        if name not in self.positions:
            return None
        position = self.positions[name][0]
        return values[position] if position < len(values) else None


def in_every_language(label) -> set:
    """The normalized ``label`` (a lazy translation) in every language of the interface: a workbook downloaded in
    one language is read in any other."""
    keys = {normalize_key(label)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            keys.add(normalize_key(str(label)))
    return keys - {""}


def _aliases(column) -> set:
    """The header in every language of the interface, and the column's name."""
    return in_every_language(column.label) | {normalize_key(column.name)}


def _read_sheet(worksheet, title: str, spec: Sheet, problems: list) -> SheetRows | None:
    sheet = None
    wanted = [column for column in spec.columns if column.imported]
    aliases = [(column, _aliases(column)) for column in spec.columns]
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        values = tuple(getattr(cell, "value", None) for cell in cells)
        if sheet is None:
            if number > HEADER_SEARCH_ROWS:
                break
            found = {}
            for position, value in enumerate(values):
                key = normalize_key(value) if not is_blank(value) else ""
                column = next((c for c, names in aliases if key and key in names), None)
                if column is not None and column.name not in found:
                    found[column.name] = (position, clean_text(value))
            if len(found) < 2:
                continue
            sheet = SheetRows(spec, title, number, found)
            for column in wanted:
                if column.required and column.name not in found:
                    problems.append(Problem(title, number, column.header, _(
                        "Kolom wajib “%(column)s” tidak ada di lembar ini; salin baris judul dari templat.")
                        % {"column": column.header}))
            continue
        read = [position for name, (position, _h) in sheet.positions.items() if spec.column(name).imported]
        if all(is_blank(values[p]) for p in read if p < len(values)):
            continue
        for cell in cells:
            if getattr(cell, "data_type", None) == "f" and getattr(cell, "column", 0) - 1 in read:
                problems.append(Problem(title, number, cell.coordinate, _(
                    "Sel %(cell)s berisi rumus (%(formula)s); SIA hanya menerima nilai. Salin lalu tempel sebagai "
                    "nilai.") % {"cell": cell.coordinate, "formula": cell.value}))
        sheet.rows.append((number, values))
    if sheet is None:
        problems.append(Problem(title, None, "", _(
            "Baris judul kolom tidak ditemukan di %(n)d baris teratas; salin baris judul dari templat.")
            % {"n": HEADER_SEARCH_ROWS}))
    return sheet


def read_sheets(content: bytes, problems: list, versions: dict | None = None) -> list[SheetRows]:
    """The five sheets of the file, in the order of ``SHEETS``; a sheet of another name holding data is an error."""
    workbook = open_workbook(content)
    found = {}
    try:
        for title in workbook.sheetnames:
            key = normalize_key(title)
            spec = next((s for s in SHEETS if key in (normalize_key(s.title), s.key)), None)
            if spec is None:
                if key == normalize_key(VERSION_SHEET) and versions is not None:
                    versions.update(_versions(workbook[title]))
                if key in OWN_SHEETS:
                    continue
                worksheet = workbook[title]
                has_data = any(not is_blank(v) for row in worksheet.iter_rows(max_row=50, values_only=True)
                               for v in row)
                problems.append(Problem(title, None, "", _(
                    "Lembar “%(title)s” tidak dikenal. Nama lembar harus salah satu dari: %(names)s.") % {
                    "title": title, "names": ", ".join(s.title for s in SHEETS)}, ERROR if has_data else WARNING))
                continue
            if spec.key in found:
                problems.append(Problem(title, None, "", _("Lembar %(sheet)s ada dua kali; satukan barisnya.")
                                        % {"sheet": spec.title}))
                continue
            sheet = _read_sheet(workbook[title], title, spec, problems)
            if sheet is not None:
                found[spec.key] = sheet
    finally:
        workbook.close()
    sheets = [found[s.key] for s in SHEETS if s.key in found]
    total = sum(len(s.rows) for s in sheets)
    if total > settings.SIA_IMPORT_MAX_ROWS:
        problems.append(Problem("", None, "", _("Berkas memuat %(n)s baris data; batasnya %(max)s.") % {
            "n": total, "max": settings.SIA_IMPORT_MAX_ROWS}))
        return []
    if not found and not any(p.is_error for p in problems):
        problems.append(Problem("", None, "", _("Tidak ada lembar Peta Rencana. Nama lembar harus salah satu dari: "
                                                "%(names)s.") % {"names": ", ".join(s.title for s in SHEETS)}))
    elif not total and not any(p.is_error for p in problems):
        problems.append(Problem("", None, "", _("Berkas tidak memuat baris data.")))
    return sheets


def _versions(worksheet) -> dict:
    """{kode kegiatan: version at export} of the hidden version sheet; rows that do not read are skipped."""
    found = {}
    for values in worksheet.iter_rows(min_row=2, max_col=2, values_only=True):
        code, version = (list(values) + [None, None])[:2]
        if code and isinstance(version, int) and not isinstance(version, bool):
            found[clean_text(code).upper()] = version
    return found

"""Writes the .xlsx templates and exports of the architecture domains.

``build_workbook(user, institution, models, querysets=None)`` gives an instructions sheet
("Petunjuk"), one sheet per domain (the kinds of a kind group share one workbook) and one per
link with attributes the domains hold (``sia.exchange.relations``: "Integrasi Aplikasi"), with
Indonesian headers (required ones marked with *, a comment on each saying how to fill it in),
the dropdowns each column kind offers (range references into a hidden "Daftar" sheet, so long
lists are fine) and the sheets the kinds' cells point into (``SheetColumn.companion``: "Fungsi
OPD"). With ``querysets`` (already scoped to the user) the sheets are pre-filled, with the ID
column, so a re-upload updates.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sia.core import permissions
from sia.core.workbooks import write_only_cell as _cell

from . import columns as c
from . import relations
from .lookups import object_paths
from .reader import VERSION_SHEET

LIST_SHEET = "Daftar"
GUIDE_SHEET = "Petunjuk"
CHUNK = 2000
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
READ_ONLY_FILL = PatternFill("solid", fgColor="E7E6E6")  # columns the upload ignores (``← Aplikasi``, the status)
READ_ONLY_FONT = Font(italic=True, color="595959")


class ListBook:
    """The dropdown lists of a workbook, one column each in the hidden Daftar sheet (identical lists shared)."""

    def __init__(self):
        self.lists: list[tuple[str, list[str]]] = []
        self._index: dict[tuple, int] = {}

    def add(self, title: str, values: list[str]) -> str | None:
        if not values:
            return None
        key = tuple(values)
        if key not in self._index:
            self._index[key] = len(self.lists)
            self.lists.append((title, list(values)))
        position = self._index[key]
        letter = get_column_letter(position + 1)
        return f"'{LIST_SHEET}'!${letter}$2:${letter}${len(self.lists[position][1]) + 1}"

    def write(self, workbook) -> None:
        sheet = workbook.create_sheet(LIST_SHEET)
        sheet.sheet_state = "hidden"
        longest = max((len(values) for _title, values in self.lists), default=0)
        sheet.append([title for title, _values in self.lists])
        for index in range(longest):
            sheet.append([_cell(sheet, values[index]) if index < len(values) else None for _title, values in self.lists])


class _Lists:
    """What each column's dropdown offers to this user in this instansi (OPDs and units by the rule
    of ``sia.architecture.scopes``, the one the model's validation and the web form follow)."""

    def __init__(self, user, institution):
        self.user, self.institution = user, institution

    def for_column(self, model, column) -> list[str]:
        return column.options(self.user, self.institution)


def export_rows(model, queryset, user):
    """The cell values of each object, in the domain sheet's column order; a constant number of queries
    per chunk of rows. Links to objects the user may not see are left out (``permissions.LinkReader``)."""
    spec = c.sheet_for(model)
    reader = permissions.LinkReader(user)
    queryset = queryset.select_related(*object_paths(model))
    buffer = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        buffer.append(obj)
        if len(buffer) >= CHUNK:
            yield from _rows_of(spec, buffer, reader)
            buffer = []
    if buffer:
        yield from _rows_of(spec, buffer, reader)


def _rows_of(spec, objects, reader):
    contexts = {column.name: column.prefetch(objects, reader) for column in spec.columns}
    for obj in objects:
        yield [column.export(obj, contexts[column.name]) for column in spec.columns]


def cell_value(column, obj):
    """What a cell shows for one field of one object (links need ``column.prefetch``, see ``export_rows``)."""
    return column.export(obj)


def _guide(workbook, user, institution, specs, prefilled: bool) -> None:
    sheet = workbook.create_sheet(GUIDE_SHEET)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 100
    bold = {"font": HEADER_FONT}
    title = _("Templat SIA: %(domains)s") % {"domains": ", ".join(spec.title for spec in specs)}
    sheet.append([_cell(sheet, title, font=Font(bold=True, size=14))])
    sheet.append([_("Instansi"), str(institution)])
    sheet.append([_("Dibuat"), timezone.localtime().strftime("%d-%m-%Y %H:%M"), "", str(user)])
    sheet.append([_("Isi"), _("Ekspor data yang dapat Anda lihat") if prefilled else _("Templat kosong")])
    sheet.append([])
    steps = [
        _("Isi satu baris per objek pada lembar domain. Baris judul jangan diubah; urutan kolom dan lembar boleh "
          "berubah, kolom tambahan diabaikan."),
        _("Kolom bertanda * wajib diisi untuk baris baru."),
        _("Kolom ID: kosongkan untuk objek baru (ID dibuat otomatis). Baris dengan ID yang sudah ada memperbarui "
          "objek itu, jadi ekspor yang diunggah ulang tidak menggandakan data."),
        _("Tautan ke objek lain ditulis dengan ID-nya; beberapa ID dipisah titik koma. Baris lain di berkas yang "
          "sama boleh ditunjuk bila baris itu diberi ID."),
        *_arrow_steps(specs),
        _("Referensi arsitektur ditulis seperti di daftar pilihan, mis. “RAB.09.06.06 Penyelenggaraan Kearsipan”; "
          "kode saja juga diterima."),
        _("Jangan memakai rumus: tempel sebagai nilai. Simpan sebagai .xlsx (tanpa makro, tanpa kata sandi), paling "
          "banyak %(rows)s baris.") % {"rows": f"{settings.SIA_IMPORT_MAX_ROWS:,}".replace(",", ".")},
        _("Unggah di SIA (Pertukaran Data → Unggah). Pratinjau menampilkan baris yang akan ditambah, diubah dan "
          "tetap, serta setiap masalah per lembar, baris dan kolom. Tidak ada yang disimpan sebelum berkas bersih "
          "dan Anda menekan “Simpan semua”."),
    ]
    sheet.append([_cell(sheet, _("Cara mengisi"), **bold)])
    for number, step in enumerate(steps, start=1):
        sheet.append([number, _cell(sheet, step, alignment=Alignment(wrap_text=True))])
    sheet.append([])
    sheet.append([_cell(sheet, text, **bold) for text in (_("Lembar"), _("Kolom"), _("Wajib"), _("Keterangan"))])
    for spec in specs:
        for column in spec.columns:
            sheet.append([spec.title, column.label, _("Ya") if column.required else "", c.column_hint(column)])


def _companion_sheet(workbook, companion) -> None:
    sheet = workbook.create_sheet(companion.title)
    for index, width in enumerate(companion.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([_cell(sheet, text, font=HEADER_FONT) for text in companion.headers])
    for values in companion.rows:
        sheet.append([_cell(sheet, value) for value in values])


def _domain_sheet(workbook, spec, lists: ListBook, options: _Lists, rows) -> None:
    sheet = workbook.create_sheet(spec.title)
    sheet.freeze_panes = "B2"
    headers = []
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        fill = REQUIRED_FILL if column.required else HEADER_FILL if _read(column) else READ_ONLY_FILL
        cell = _cell(sheet, column.header, font=HEADER_FONT, fill=fill,
                     alignment=Alignment(wrap_text=True, vertical="top"))
        hint = c.column_hint(column)
        if hint:
            cell.comment = Comment(hint, "SIA", width=320, height=140)
        headers.append(cell)
    sheet.append(headers)
    count = 0
    for values in rows:
        sheet.append([_cell(sheet, value, number_format=column.number_format) if column.number_format else
                      _cell(sheet, value) if _read(column) else _cell(sheet, value, font=READ_ONLY_FONT)
                      for column, value in zip(spec.columns, values)])
        count += 1
    # Dropdowns cover every row an upload may hold (a validation is one range, not one entry per cell).
    last = min(max(count, settings.SIA_IMPORT_MAX_ROWS) + 1, 1048576)
    for index, column in enumerate(spec.columns, start=1):
        source = lists.add(f"{spec.title}: {column.label}", options.for_column(spec.model, column))
        if source is None:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list", formula1=source, allow_blank=True, showErrorMessage=True, errorStyle="warning",
            errorTitle=_("Bukan dari daftar"), error=column.dropdown_error(),
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.data_validations.append(validation)


def _arrow_steps(specs) -> list[str]:
    """The guide's step on the ``→``/``←`` columns: those of a kind group's sheets, or the ``←`` columns of a
    business workbook (what the kind groups link to it: ``← Keamanan``)."""
    if any(not spec.relation and spec.model.spec.group is not None for spec in specs):
        return [_("Pada lembar infrastruktur dan keamanan, kolom “→ … (Dependency)” berisi ID objek yang menjadi "
                  "sandaran objek baris ini (tempat, perangkat, yang dilindungi). Kolom abu-abu “← …” diisi SIA dari "
                  "lembar dan domain lain (objek yang memakai objek baris ini) dan diabaikan saat diunggah.")]
    if any(column.kind == "inverse" for spec in specs for column in spec.columns):
        return [_("Kolom abu-abu “← …” diisi SIA dari domain lain (mis. “← Keamanan”: langkah keamanan yang "
                  "melindungi objek baris ini) dan diabaikan saat diunggah.")]
    return []


def _read(column) -> bool:
    """Does an upload read the column? (The others are shown grey: exported for information.)"""
    return column.imported or column.identifies


def _versions_sheet(workbook, specs, querysets) -> None:
    """Hidden: the version of every exported object, so that an upload of this file refuses to
    overwrite an object changed in SIA after the export (``importer``)."""
    sheet = workbook.create_sheet(VERSION_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append([_("Lembar"), _("ID"), _("Versi")])
    for spec in specs:
        if spec.relation:
            continue  # a link has no version: its row names the two objects it joins
        for code, version in querysets[spec.model].order_by().values_list("code", "lock_version").iterator():
            sheet.append([spec.title, code, version])


def _rows(spec, querysets, user):
    """The pre-filled rows of one sheet: a domain's objects, or the links its exported objects hold."""
    if spec.relation:
        reader = permissions.LinkReader(user)
        return _rows_of(spec, relations.export_queryset(spec, querysets[spec.owner], user), reader)
    return export_rows(spec.model, querysets[spec.model], user)


def build_workbook(user, institution, models, *, querysets: dict | None = None) -> bytes:
    """An .xlsx for ``models``; pre-filled from ``querysets`` ({model: queryset}, already scoped)."""
    specs = [c.sheet_for(model) for model in models] + relations.relation_sheets(models)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "SIA"
    workbook.properties.title = _("Templat SIA: %(domains)s") % {"domains": ", ".join(s.title for s in specs)}
    _guide(workbook, user, institution, specs, prefilled=querysets is not None)
    lists, options = ListBook(), _Lists(user, institution)
    for spec in specs:
        _domain_sheet(workbook, spec, lists, options, _rows(spec, querysets, user) if querysets is not None else [])
    companions = {}
    for spec in specs:
        for column in spec.columns:
            companion = column.companion(user, institution)
            if companion is not None:
                companions.setdefault(companion.title, companion)
    for companion in companions.values():
        _companion_sheet(workbook, companion)
    lists.write(workbook)
    if querysets is not None:
        _versions_sheet(workbook, specs, querysets)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

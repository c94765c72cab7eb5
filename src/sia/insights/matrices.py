"""The matrices EA teams read an architecture by (aplikasi × proses bisnis, data × aplikasi, layanan × aplikasi,
infrastruktur × aplikasi), computed on the reader's graph (``sia.insights.graph``) and written as XLSX.

Each matrix is a ``MatrixSpec``: the kinds of its rows and of its columns and how a cell is derived from the links
declared between them. Links are found in ``graph.links`` by the kind slugs of their two ends and their ArchiMate
relationship, never by naming a model or a through table, so a link declared tomorrow between the same kinds with
the same meaning fills the same cells:

- aplikasi × proses bisnis: the application supports ("mendukung", *serving*) the process;
- data × aplikasi: the application reads (*access-read*) or writes (*access-write*) the data: R, W or RW;
- layanan × aplikasi: the application supports the service directly (●), or supports a process (or one of its
  sub-processes) that realizes the service (○, "melalui proses bisnis");
- infrastruktur × aplikasi: rows are the objects of every kind of the infrastruktur group; the application
  depends on the object directly (●: it runs on the server, uses the platform) or through other infrastructure
  (○: the virtual server's physical host, the host's data centre), along the dependencies the relationships
  declare (``Graph.dependencies``).

The work is linear in the links: each matrix reads the edges of its own links once (plus, for the indirect marks,
each application's or service's own chain), never every row against every column. The graph holds only what the
reader may see, so a matrix does too: nothing else is read.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sia.architecture.models import Application, BusinessProcess, DataItem, Service
from sia.architecture.models.infrastructure import INFRASTRUCTURE
from sia.core.workbooks import write_only_cell as text_cell  # text that looks like a formula stays text

from .graph import Graph, Node, without_collection_pauses

DIRECT, VIA = "●", "○"
READ, WRITE, READ_WRITE = "R", "W", "RW"
SERVING, REALIZATION, COMPOSITION = "serving", "realization", "composition"
ACCESS = {"access-read": 1, "access-write": 2, "access-readwrite": 3}  # bits: 1 read, 2 write
ACCESS_MARK = {1: READ, 2: WRITE, 3: READ_WRITE}
BOLD = Font(bold=True)
MUTED = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")


def kinds_of(*models) -> Callable[[Graph], tuple]:
    """The row or column kinds of a matrix: these models' kinds."""
    return lambda graph: tuple(model.spec.slug for model in models if model.spec.slug in graph.kinds)


def group(slug: str) -> Callable[[Graph], tuple]:
    """The row or column kinds of a matrix: every kind of one kind group, in declaration order."""
    return lambda graph: tuple(kind for kind, declared in graph.kinds.items() if declared.group == slug)


@dataclass(frozen=True)
class MatrixSpec:
    slug: str
    label: str  # "Aplikasi × Proses Bisnis"
    description: str  # one sentence for the list of matrices
    row_label: str
    column_label: str
    rows: Callable[[Graph], tuple]  # graph -> the rows' kind slugs
    columns: Callable[[Graph], tuple]
    # (graph, row kinds, column kinds) -> {(row key, column key): mark}
    derive: Callable[[Graph, tuple, tuple], dict]
    legend: tuple  # ((mark, meaning), ...)
    row_kind_shown: bool = False  # the rows are of several kinds: their kind is a column of its own


@dataclass
class Matrix:
    spec: MatrixSpec
    rows: list  # [Node]
    columns: list  # [Node]
    cells: dict  # {(row key, column key): mark}
    empty_rows: int  # rows with no mark
    empty_columns: int
    department_id: int | None = None
    kinds: dict = field(default_factory=dict)  # {kind slug: label} of the rows' kinds

    def value(self, row: Node, column: Node) -> str:
        return self.cells.get((row.key, column.key), "")

    @property
    def marked(self) -> int:
        return len(self.cells)


# Edges of the graph by link -------------------------------------------------------------------------------------

def edges_by_link(graph: Graph) -> dict:
    """{link index: [(holder key, target key)]}: one pass over the edges, kept with the graph."""
    found = graph.cache.get("edges-by-link")
    if found is None:
        found = defaultdict(list)
        for key, others in graph.neighbours.items():
            for other, link, forward in others:
                if forward:
                    found[link].append((key, other))
        found = graph.cache["edges-by-link"] = dict(found)  # a plain dict: a kept graph is read by several threads
    return found


def pairs(graph: Graph, one: tuple, other: tuple, relationships) -> list:
    """(key of a ``one`` kind object, key of an ``other`` kind object, LinkKind) for every edge of a declared link
    between those kinds whose relationship is one of ``relationships``, whichever end holds the link."""
    edges, found = edges_by_link(graph), []
    for link in graph.links:
        if link.relationship not in relationships:
            continue
        if link.holder in one and link.target in other:
            found.extend((holder, target, link) for holder, target in edges.get(link.index, ()))
        elif link.target in one and link.holder in other:
            found.extend((target, holder, link) for holder, target in edges.get(link.index, ()))
    return found


# How the cells of each matrix are derived ------------------------------------------------------------------------

def supports(graph: Graph, rows: tuple, columns: tuple) -> dict:
    """● where the row object supports (serves) the column object, either way round."""
    return {(row, column): DIRECT for row, column, _link in pairs(graph, rows, columns, {SERVING})}


def access(graph: Graph, rows: tuple, columns: tuple) -> dict:
    """R, W or RW: how the column object (an application) reads or writes the row object (data)."""
    bits = defaultdict(int)
    for row, column, link in pairs(graph, rows, columns, set(ACCESS)):
        bits[(row, column)] |= ACCESS[link.relationship]
    return {cell: ACCESS_MARK[value] for cell, value in bits.items()}


def services_supported(graph: Graph, rows: tuple, columns: tuple) -> dict:
    """● the application supports the service itself; ○ it supports a process, or a sub-process of one, that
    realizes the service."""
    cells = supports(graph, rows, columns)
    processes = kinds_of(BusinessProcess)(graph)
    realized_by = defaultdict(list)  # service -> its processes
    for service, process, _link in pairs(graph, rows, processes, {REALIZATION}):
        realized_by[service].append(process)
    parts = defaultdict(list)  # whole process -> its sub-processes (the whole depends on its parts)
    for link in graph.links:
        if link.relationship == COMPOSITION and link.holder in processes and link.target in processes:
            for holder, target in edges_by_link(graph).get(link.index, ()):
                whole, part = (target, holder) if link.dependent == "target" else (holder, target)
                parts[whole].append(part)
    supported_by = defaultdict(list)  # process -> the applications that support it
    for application, process, _link in pairs(graph, columns, processes, {SERVING}):
        supported_by[process].append(application)
    for service, realizing in realized_by.items():
        seen, stack = set(realizing), list(realizing)
        while stack:
            process = stack.pop()
            for application in supported_by.get(process, ()):
                cells.setdefault((service, application), VIA)
            for part in parts.get(process, ()):
                if part not in seen:
                    seen.add(part)
                    stack.append(part)
    return cells


def runs_on(graph: Graph, rows: tuple, columns: tuple) -> dict:
    """● the application (column) depends on the infrastructure object (row) itself; ○ through other
    infrastructure only (its virtual server's host, the host's data centre)."""
    infrastructure, cells = set(rows), {}
    for key in graph.nodes:
        if key[0] not in columns:
            continue
        direct = [other for other, _link, _forward in graph.dependencies.get(key, ()) if other[0] in infrastructure]
        seen = set(direct)
        for other in direct:
            cells[(other, key)] = DIRECT
        stack = list(direct)
        while stack:
            for other, _link, _forward in graph.dependencies.get(stack.pop(), ()):
                if other[0] in infrastructure and other not in seen:
                    seen.add(other)
                    stack.append(other)
                    cells[(other, key)] = VIA
    return cells


MATRICES = (
    MatrixSpec(
        "aplikasi-proses-bisnis", _("Aplikasi × Proses Bisnis"),
        _("Proses bisnis yang didukung setiap aplikasi: aplikasi tanpa proses dan proses yang belum didukung "
          "aplikasi terlihat sebagai baris dan kolom kosong."),
        _("Aplikasi"), _("Proses bisnis"), kinds_of(Application), kinds_of(BusinessProcess), supports,
        ((DIRECT, _("aplikasi mendukung proses bisnis")),),
    ),
    MatrixSpec(
        "data-aplikasi", _("Data × Aplikasi"),
        _("Aplikasi yang membaca (R) dan menulis (W) setiap data: data tanpa aplikasi pengelola terlihat sebagai "
          "baris kosong."),
        _("Data"), _("Aplikasi"), kinds_of(DataItem), kinds_of(Application), access,
        ((READ, _("aplikasi membaca data")), (WRITE, _("aplikasi menulis data")),
         (READ_WRITE, _("aplikasi membaca dan menulis data"))),
    ),
    MatrixSpec(
        "layanan-aplikasi", _("Layanan × Aplikasi"),
        _("Aplikasi di balik setiap layanan, langsung atau melalui proses bisnis yang menghasilkan layanan: "
          "layanan yang belum digital terlihat sebagai baris kosong."),
        _("Layanan"), _("Aplikasi"), kinds_of(Service), kinds_of(Application), services_supported,
        ((DIRECT, _("aplikasi mendukung layanan secara langsung")),
         (VIA, _("aplikasi mendukung proses bisnis (atau sub-prosesnya) yang menghasilkan layanan"))),
    ),
    MatrixSpec(
        "infrastruktur-aplikasi", _("Infrastruktur × Aplikasi"),
        _("Infrastruktur yang dipakai setiap aplikasi, langsung atau melalui infrastruktur lain (server virtual, "
          "host fisik, pusat data): infrastruktur yang tidak dipakai aplikasi terlihat sebagai baris kosong."),
        _("Infrastruktur"), _("Aplikasi"), group(INFRASTRUCTURE.slug), kinds_of(Application), runs_on,
        ((DIRECT, _("aplikasi langsung bergantung pada infrastruktur (berjalan di, memakai)")),
         (VIA, _("aplikasi bergantung melalui infrastruktur lain "
                 "(mis. server virtual → host fisik → pusat data)"))),
        row_kind_shown=True,
    ),
)
BY_SLUG = {spec.slug: spec for spec in MATRICES}


@without_collection_pauses
def build(graph: Graph, spec: MatrixSpec | str, department_id: int | None = None) -> Matrix:
    """The matrix ``spec`` (or its slug) of the graph. With ``department_id``: the rows and columns of that OPD,
    and on the other axis only what is linked to them (an application of another OPD that supports one of its
    processes, the shared server its applications run on); only the cells of the OPD's rows and columns."""
    spec = BY_SLUG[spec] if isinstance(spec, str) else spec
    row_kinds, column_kinds = spec.rows(graph), spec.columns(graph)
    cells = spec.derive(graph, row_kinds, column_kinds)
    order = {kind: index for index, kind in enumerate(row_kinds)}
    rows = [node for key, node in graph.nodes.items() if key[0] in order]
    columns = [node for key, node in graph.nodes.items() if key[0] in column_kinds]
    if department_id is not None:
        own_rows = {node.key for node in rows if node.department_id == department_id}
        own_columns = {node.key for node in columns if node.department_id == department_id}
        cells = {cell: mark for cell, mark in cells.items() if cell[0] in own_rows or cell[1] in own_columns}
        linked_rows, linked_columns = {row for row, _c in cells}, {column for _r, column in cells}
        rows = [node for node in rows if node.key in own_rows or node.key in linked_rows]
        columns = [node for node in columns if node.key in own_columns or node.key in linked_columns]
    rows.sort(key=lambda node: (order[node.kind], node.code, node.pk))
    columns.sort(key=lambda node: (node.code, node.pk))
    marked_rows, marked_columns = {row for row, _c in cells}, {column for _r, column in cells}
    return Matrix(
        spec=spec, rows=rows, columns=columns, cells=cells,
        empty_rows=sum(1 for node in rows if node.key not in marked_rows),
        empty_columns=sum(1 for node in columns if node.key not in marked_columns),
        department_id=department_id, kinds={kind: graph.kinds[kind].label for kind in row_kinds},
    )


# XLSX -------------------------------------------------------------------------------------------------------------

def filename(spec: MatrixSpec, institution, department_label: str = "") -> str:
    """``matriks-aplikasi-proses-bisnis-<kode instansi>[-<OPD>].xlsx``."""
    from django.utils.text import slugify

    parts = ["matriks", spec.slug, slugify(getattr(institution, "code", "") or str(institution.pk))]
    if department_label:
        parts.append(slugify(department_label))
    return "-".join(part for part in parts if part) + ".xlsx"


@without_collection_pauses
def matrix_workbook(matrix: Matrix, graph: Graph, institution=None) -> bytes:
    """The whole matrix as an .xlsx (openpyxl write-only: rows streamed, empty cells not written): a "Matriks"
    sheet with three header rows (the columns' codes, names and OPDs) above the rows (code, name, OPD; the kind
    first where rows are of several kinds) and their marks, panes frozen at the first mark; a "Keterangan" sheet
    with the legend. User text is written as text, never as a formula."""
    spec = matrix.spec
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_g("Matriks"))
    heads = ([_g("Jenis")] if spec.row_kind_shown else []) + [_g("Kode"), _g("Nama"), _g("OPD")]
    first = len(heads)  # columns before the marks
    sheet.freeze_panes = f"{get_column_letter(first + 1)}4"
    widths = ([16] if spec.row_kind_shown else []) + [18, 48, 14]
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    department = graph.department_label
    lead = [None] * (first - 1)
    sheet.append(lead + [text_cell(sheet, _g("Kode →"), font=MUTED)]
                 + [text_cell(sheet, node.code, font=BOLD) for node in matrix.columns])
    sheet.append(lead + [text_cell(sheet, _g("Nama →"), font=MUTED)]
                 + [text_cell(sheet, node.name, alignment=WRAP)
                    for node in matrix.columns])
    sheet.append([text_cell(sheet, head, font=BOLD) for head in heads]
                 + [_text(sheet, department(node.department_id)) for node in matrix.columns])
    position = {node.key: first + index for index, node in enumerate(matrix.columns)}
    by_row = defaultdict(list)
    for (row, column), mark in matrix.cells.items():
        by_row[row].append((position[column], mark))
    for node in matrix.rows:
        values = [text_cell(sheet, str(matrix.kinds[node.kind]))] if spec.row_kind_shown else []
        values += [text_cell(sheet, node.code), text_cell(sheet, node.name),
                   _text(sheet, department(node.department_id))]
        marks = by_row.get(node.key, ())
        if marks:  # a row ends at its last mark: the empty cells after it are neither built nor written
            values += [None] * (max(index for index, _mark in marks) + 1 - first)
            for index, mark in marks:
                values[index] = mark
        sheet.append(values)
    _legend(workbook.create_sheet(_g("Keterangan")), matrix, graph, institution)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _text(sheet, value: str):
    return text_cell(sheet, value) if value else None


def _legend(sheet, matrix: Matrix, graph: Graph, institution) -> None:
    spec = matrix.spec
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 90
    sheet.append([text_cell(sheet, _g("Matriks %(name)s") % {"name": spec.label}, font=Font(bold=True, size=14))])
    if institution is not None:
        sheet.append([_g("Instansi"), text_cell(sheet, str(institution))])
    if matrix.department_id is not None:
        abbreviation, name = graph.departments.get(matrix.department_id, ("", ""))
        sheet.append([_g("OPD"), text_cell(sheet, f"{abbreviation} {name}".strip())])
    sheet.append([_g("Tanggal"), timezone.localdate().isoformat()])  # the day: the same workbook all day long
    sheet.append([_g("Baris"), f"{spec.row_label}: {len(matrix.rows)} ({matrix.empty_rows} {_g('tanpa tanda')})"])
    sheet.append([_g("Kolom"),
                  f"{spec.column_label}: {len(matrix.columns)} ({matrix.empty_columns} {_g('tanpa tanda')})"])
    sheet.append([_g("Sel bertanda"), len(matrix.cells)])
    sheet.append([])
    sheet.append([text_cell(sheet, _g("Tanda"), font=BOLD), text_cell(sheet, _g("Arti"), font=BOLD)])
    for mark, meaning in spec.legend:
        sheet.append([mark, str(meaning)])
    sheet.append([])
    sheet.append([_g("Catatan"), str(spec.description)])
    sheet.append(["", _g("Hanya objek yang boleh Anda lihat yang tercantum; draf OPD lain tidak termasuk.")])

"""The matrix pages under /analisis/matriks/: the list of the four matrices with their counts, one matrix as an HTML
table (a window of ``PAGE_ROWS`` rows by ``PAGE_COLUMNS`` columns, paged both ways) and the whole matrix as XLSX.
The matrices themselves are ``sia.insights.matrices``; the reader's graph is loaded once per request
(``sia.insights.access.graph_for``), so a page costs the same few queries whatever the number of objects.

Query ``instansi`` picks one of the instansi the user reads (default: the first by name), ``opd`` one OPD of it;
an unknown instansi or OPD answers 404 and names nothing."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.utils.http import content_disposition_header

from .access import graph_for, institutions_for, object_url
from .matrices import BY_SLUG, DIRECT, MATRICES, READ, READ_WRITE, VIA, WRITE, build, filename, matrix_workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_ROWS, PAGE_COLUMNS = 100, 60  # what one page shows: the XLSX has the whole matrix
MARK_CSS = {DIRECT: "mark-direct", VIA: "mark-via", READ: "mark-read", WRITE: "mark-write", READ_WRITE: "mark-rw"}


class MatrixFilterForm(forms.Form):
    """The instansi (shown when the user reads several) and one OPD; choices from what the page already read."""

    instansi = forms.TypedChoiceField(label=_("Instansi"), coerce=int, required=False)
    opd = forms.TypedChoiceField(label=_("Perangkat daerah"), coerce=int, required=False)

    def __init__(self, *args, institutions, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].choices = [(i.pk, i.name) for i in institutions]
        if len(institutions) < 2:
            del self.fields["instansi"]
        self.fields["opd"].choices = [("", _("Semua OPD"))] + sorted(
            ((pk, f"{abbreviation} – {name}" if abbreviation else name)
             for pk, (abbreviation, name) in departments.items()), key=lambda choice: choice[1])
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""


def _number(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit() or len(value) > 18:
        raise Http404(_g("Pilihan tidak dikenal."))
    return int(value)


def _scope(request) -> dict:
    """The instansi, its graph as the user may see it and the chosen OPD; 404 for an instansi the user does not
    read or an OPD not in it (the same answer for one that does not exist)."""
    institutions = list(institutions_for(request.user))
    chosen = _number(request.GET.get("instansi"))
    institution = institutions[0] if institutions else None
    if chosen is not None:
        institution = next((i for i in institutions if i.pk == chosen), None)
        if institution is None:
            raise Http404(_g("Instansi tidak ditemukan."))
    graph = graph_for(request, institution) if institution is not None else None
    department_id = _number(request.GET.get("opd"))
    if department_id is not None and (graph is None or department_id not in graph.departments):
        raise Http404(_g("OPD tidak ditemukan."))
    data = {"instansi": institution.pk if institution else "", "opd": department_id or ""}
    form = MatrixFilterForm(data, institutions=institutions, departments=graph.departments if graph else {})
    keep = {name: value for name, value in (("instansi", chosen), ("opd", department_id)) if value is not None}
    return {"institution": institution, "graph": graph, "department_id": department_id, "filters": form,
            "scope_query": "&".join(f"{name}={value}" for name, value in keep.items())}


def _spec_or_404(slug: str):
    spec = BY_SLUG.get(slug)
    if spec is None:
        raise Http404(_g("Matriks tidak dikenal."))
    return spec


@login_required
@require_GET
def matrices(request):
    """The four matrices, what each shows and its size for the chosen instansi (and OPD)."""
    scope = _scope(request)
    graph, found = scope["graph"], []
    for spec in MATRICES:
        found.append((spec, build(graph, spec, scope["department_id"]) if graph is not None else None))
    return render(request, "insights/matrices.html", {**scope, "found": found})


@login_required
@require_GET
def matrix(request, slug):
    """One matrix as a table: row and column headers link to the objects; ``page`` pages the rows and ``kolom``
    the columns."""
    spec = _spec_or_404(slug)
    scope = _scope(request)
    graph = scope["graph"]
    context = {**scope, "spec": spec, "matrix": None,
               "legend": [(mark, meaning, MARK_CSS.get(mark, "")) for mark, meaning in spec.legend]}
    if graph is not None:
        found = build(graph, spec, scope["department_id"])
        rows = Paginator(found.rows, PAGE_ROWS).get_page(request.GET.get("page"))
        columns = Paginator(found.columns, PAGE_COLUMNS).get_page(request.GET.get("kolom"))
        label = graph.department_label
        context.update({
            "matrix": found, "page": rows, "column_page": columns,
            "columns": [(node, object_url(node, graph), label(node.department_id)) for node in columns.object_list],
            "rows": [(node, object_url(node, graph), label(node.department_id), found.kinds[node.kind],
                      [(mark, MARK_CSS.get(mark, "")) for mark in (found.value(node, column)
                                                                    for column in columns.object_list)])
                     for node in rows.object_list],
            "windowed": rows.paginator.num_pages > 1 or columns.paginator.num_pages > 1,
            "querystring": _query(request, "page"), "column_querystring": _query(request, "kolom"),
        })
    return render(request, "insights/matrix.html", context)


def _query(request, drop: str) -> str:
    query = request.GET.copy()
    query.pop(drop, None)
    return query.urlencode()


@login_required
@require_GET
def matrix_xlsx(request, slug):
    """The whole matrix (every row and column the user may see) as an .xlsx download."""
    spec = _spec_or_404(slug)
    scope = _scope(request)
    graph, institution = scope["graph"], scope["institution"]
    if graph is None:
        raise Http404(_g("Instansi tidak ditemukan."))
    found = build(graph, spec, scope["department_id"])
    response = HttpResponse(matrix_workbook(found, graph, institution), content_type=XLSX_MIME)
    department = graph.department_label(scope["department_id"]) if scope["department_id"] else ""
    response["Content-Disposition"] = content_disposition_header(True, filename(spec, institution, department))
    return response

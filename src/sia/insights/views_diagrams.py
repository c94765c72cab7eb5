"""The diagrams of the insights pages, each as an HTML fragment (``.html``: the inline SVG with its legend and
download links, loaded by the page with htmx), an SVG image (``.svg``) or a PNG to download (``.png``).

Every diagram is drawn from the reader's graph (``access.graph_for``): what they may not see is not drawn. An
object or OPD they may not see answers 404, like one that does not exist; a depth outside 1..MAX_DEPTH or an
unknown domain answers 400 with its reason; Graphviz failing or too slow answers 503 (logged).
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


from . import access
from .diagrams import (
    FORMATS, DiagramError, application_landscape_diagram, impact_diagram, inline_svg, landscape_diagram, render,
    trace_diagram,
)
from .impact import DepthError, impact, parse_depth
from .trace import landscape, trace

logger = logging.getLogger(__name__)

HTML = "html"


class BadInput(ValueError):
    """A query value the diagram cannot use (400)."""


def _format(fmt: str) -> str:
    if fmt != HTML and fmt not in FORMATS:
        raise Http404(_("Format diagram tidak dikenal."))
    return fmt


def _depth(request) -> int:
    try:
        return parse_depth(request.GET.get("depth"))
    except DepthError as error:
        raise BadInput(str(error)) from error


def _domains(request) -> list:
    return [part.strip() for value in request.GET.getlist("domain") for part in value.split(",") if part.strip()]


def _bad(fmt: str, message: str) -> HttpResponse:
    if fmt == HTML:
        return HttpResponse(f'<p class="diagram-error" role="alert">{escape(message)}</p>', status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:80] or "diagram"


def _respond(request, build, fmt: str, name: str, title: str, url_name: str, args: tuple) -> HttpResponse:
    """The diagram ``build(legend)`` (DOT source) as ``fmt``; 503 when Graphviz fails."""
    try:
        if fmt == HTML:
            source = build(False)  # the legend is the fragment's list, in words
            svg = inline_svg(source, title)
        else:
            source = build(True)
            content = render(source, fmt)
    except DiagramError as error:
        logger.error("diagram %s failed: %s", request.path, error)
        message = _("Diagram tidak dapat digambar saat ini. Daftar di halaman ini tetap memuat isinya.")
        if fmt == HTML:
            return HttpResponse(f'<p class="diagram-error" role="alert">{escape(message)}</p>', status=503)
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    if fmt != HTML:
        response = HttpResponse(content, content_type=FORMATS[fmt])
        disposition = "attachment" if fmt == "png" else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{_filename(name)}.{fmt}"'
        return response
    query = request.GET.urlencode()
    downloads = {
        fmt_: reverse(f"insights:{url_name}", args=(*args, fmt_)) + (f"?{query}" if query else "")
        for fmt_ in FORMATS
    }
    return HttpResponse(render_to_string("insights/_diagram.html", {
        "svg": svg, "title": title, "legend": source.legend, "omitted": source.omitted, "shown": source.shown,
        "downloads": downloads, "filename": _filename(name),
    }, request=request))


@require_GET
@login_required
def trace_view(request, kind, pk, fmt):
    """The traceability chain of one object (``domain``: kind group or kind slugs, repeated or by commas;
    ``depth``)."""
    fmt = _format(fmt)
    graph, node = access.node_or_404(request, kind, pk)
    try:
        found = trace(graph, node.key, domains=_domains(request) or None, depth=_depth(request))
    except ValueError as error:  # a bad depth, an unknown domain
        return _bad(fmt, str(error))
    title = _("Jejak %(object)s") % {"object": node.label}
    return _respond(request, lambda legend: trace_diagram(found, legend=legend), fmt, node.code or f"{kind}-{pk}",
                    title, "trace_diagram", (kind, pk))


@require_GET
@login_required
def impact_view(request, kind, pk, fmt):
    """What is hit if the object fails (``depth``)."""
    fmt = _format(fmt)
    graph, node = access.node_or_404(request, kind, pk)
    try:
        found = impact(graph, node.key, depth=_depth(request))
    except ValueError as error:
        return _bad(fmt, str(error))
    title = _("Dampak jika %(object)s gagal") % {"object": node.label}
    return _respond(request, lambda legend: impact_diagram(found, legend=legend), fmt,
                    f"dampak-{node.code or f'{kind}-{pk}'}", title, "impact_diagram", (kind, pk))


@require_GET
@login_required
def landscape_view(request, pk, fmt):
    """An OPD's landscape (``depth``); the OPD must be one the reader sees (404 otherwise)."""
    fmt = _format(fmt)
    department = access.department_or_404(request, pk)
    graph = access.graph_for(request, department.institution_id)
    try:
        found = landscape(graph, department.pk, depth=_depth(request))
    except ValueError as error:
        return _bad(fmt, str(error))
    title = _("Lanskap %(opd)s") % {"opd": department.abbreviation or department.name}
    return _respond(request, lambda legend: landscape_diagram(found, legend=legend), fmt,
                    f"lanskap-{department.abbreviation or department.pk}", title, "landscape_diagram", (pk,))


@require_GET
@login_required
def application_landscape_view(request, fmt):
    """The applications of an instansi by OPD with their integrations (``instansi``: one the reader reads; the
    first by name by default)."""
    fmt = _format(fmt)
    institutions = list(access.institutions_for(request.user))
    if not institutions:
        raise PermissionDenied
    raw = request.GET.get("instansi", "").strip()
    institution = institutions[0]
    if raw:
        institution = next((i for i in institutions if str(i.pk) == raw), None)
        if institution is None:
            raise Http404(_("Instansi tidak ditemukan."))
    graph = access.graph_for(request, institution)
    title = _("Lanskap aplikasi %(instansi)s") % {"instansi": institution.name}
    return _respond(request, lambda legend: application_landscape_diagram(graph, legend=legend), fmt,
                    f"lanskap-aplikasi-{institution.code or institution.pk}", title, "application_landscape_diagram",
                    ())

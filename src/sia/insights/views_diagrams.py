"""The diagrams of the insights pages, each as an HTML fragment (``.html``: the inline SVG with its legend and
download links, loaded by the page with htmx), an SVG image (``.svg``) or a PNG to download (``.png``).

Every diagram is drawn from the reader's graph (``access.graph_for``): what they may not see is not drawn. An
object or OPD they may not see answers 404, like one that does not exist; a depth outside 1..MAX_DEPTH or an
unknown domain answers 400 with its reason; Graphviz failing or too slow answers 503 (logged).

``?arsitektur=`` (``states``) draws the architecture as-is, to-be, or both side by side (two diagrams in one
fragment); absent, every object, as before.
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
from django.utils.http import content_disposition_header


from . import access, states
from .diagrams import (
    FORMATS, DiagramError, application_landscape_diagram, impact_diagram, inline_svg, landscape_diagram, render,
    trace_diagram,
)
from .graph import VIEWS
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


def _respond(request, draw, fmt: str, name: str, title: str, url_name: str, args: tuple) -> HttpResponse:
    """The diagram of the architecture ``?arsitektur=`` chooses (``states``) as ``fmt``: ``draw(view)`` gives
    ``(build, None)``, ``build(legend, suffix)`` the DOT source of the reader's graph in ``view``, or ``(None, why)``
    when the object drawn is not in that view. Side by side (``keduanya``), the HTML fragment holds the as-is and the
    to-be diagram, each with its heading and downloads; an image is of one view (400 otherwise). 400 for a bad
    choice, depth or domain; 503 when Graphviz fails."""
    try:
        choice = states.chosen(request)
        if choice.side_by_side and fmt != HTML:
            raise BadInput(_("Unduh diagram as-is dan to-be satu per satu: pilih arsitektur as-is atau to-be."))
        views = VIEWS if choice.side_by_side else (choice.view,)
        drawn = [(view, *draw(view)) for view in views]
    except ValueError as error:  # a bad choice, depth or domain
        return _bad(fmt, str(error))
    figures = []
    try:
        for view, build, missing in drawn:
            suffix = f"-{view}" if view else ""
            heading = str(states.HEADINGS[view]) if view else ""
            if missing is not None:
                if fmt != HTML:
                    return HttpResponse(missing, status=404, content_type="text/plain; charset=utf-8")
                figures.append({"heading": heading, "missing": missing, "view": view})
                continue
            if fmt != HTML:
                content = render(build(True, suffix), fmt)
                break
            source = build(False, suffix)  # the legend is the fragment's list, in words
            query = states.with_choice(request.GET, view or "")
            figures.append({
                "heading": heading, "view": view,
                "svg": inline_svg(source, f"{title} · {heading}" if heading else title),
                "legend": source.legend, "omitted": source.omitted, "shown": source.shown,
                "filename": _filename(f"{name}{suffix}"),
                "downloads": {fmt_: reverse(f"insights:{url_name}", args=(*args, fmt_)) + (f"?{query}" if query else "")
                              for fmt_ in FORMATS},
            })
    except DiagramError as error:
        logger.error("diagram %s failed: %s", request.path, error)
        message = _("Diagram tidak dapat digambar saat ini. Daftar di halaman ini tetap memuat isinya.")
        if fmt == HTML:
            return HttpResponse(f'<p class="diagram-error" role="alert">{escape(message)}</p>', status=503)
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    if fmt != HTML:
        response = HttpResponse(content, content_type=FORMATS[fmt])
        disposition = "attachment" if fmt == "png" else "inline"
        response["Content-Disposition"] = content_disposition_header(disposition == "attachment", f"{_filename(name + suffix)}.{fmt}")
        return response
    return HttpResponse(render_to_string("insights/_diagram.html", {
        "figures": figures, "side_by_side": choice.side_by_side,
    }, request=request))


def _in_view(graph, node, view):
    """(the reader's graph in ``view``, None) when ``node`` is in it, else (None, why it is not)."""
    seen = graph.in_view(view)
    if node.key in seen:
        return seen, None
    return None, states.absence(graph, node, view)


@require_GET
@login_required
def trace_view(request, kind, pk, fmt):
    """The traceability chain of one object (``domain``: kind group or kind slugs, repeated or by commas;
    ``depth``; ``arsitektur``)."""
    fmt = _format(fmt)
    graph, node = access.node_or_404(request, kind, pk)
    domains = _domains(request) or None

    def draw(view):
        seen, missing = _in_view(graph, node, view)
        if seen is None:
            return None, missing
        found = trace(seen, node.key, domains=domains, depth=_depth(request))
        return (lambda legend, suffix: trace_diagram(found, legend=legend, suffix=suffix)), None

    title = _("Jejak %(object)s") % {"object": node.label}
    return _respond(request, draw, fmt, node.code or f"{kind}-{pk}", title, "trace_diagram", (kind, pk))


@require_GET
@login_required
def impact_view(request, kind, pk, fmt):
    """What is hit if the object fails (``depth``; ``arsitektur``)."""
    fmt = _format(fmt)
    graph, node = access.node_or_404(request, kind, pk)

    def draw(view):
        seen, missing = _in_view(graph, node, view)
        if seen is None:
            return None, missing
        found = impact(seen, node.key, depth=_depth(request))
        return (lambda legend, suffix: impact_diagram(found, legend=legend, suffix=suffix)), None

    title = _("Dampak jika %(object)s gagal") % {"object": node.label}
    return _respond(request, draw, fmt, f"dampak-{node.code or f'{kind}-{pk}'}", title, "impact_diagram", (kind, pk))


@require_GET
@login_required
def landscape_view(request, pk, fmt):
    """An OPD's landscape (``depth``; ``arsitektur``); the OPD must be one the reader sees (404 otherwise)."""
    fmt = _format(fmt)
    department = access.department_or_404(request, pk)
    graph = access.graph_for(request, department.institution_id)

    def draw(view):
        found = landscape(graph.in_view(view), department.pk, depth=_depth(request))
        return (lambda legend, suffix: landscape_diagram(found, legend=legend, suffix=suffix)), None

    title = _("Lanskap %(opd)s") % {"opd": department.abbreviation or department.name}
    return _respond(request, draw, fmt, f"lanskap-{department.abbreviation or department.pk}", title,
                    "landscape_diagram", (pk,))


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

    def draw(view):
        seen = graph.in_view(view)
        return (lambda legend, suffix: application_landscape_diagram(seen, legend=legend, suffix=suffix)), None

    title = _("Lanskap aplikasi %(instansi)s") % {"instansi": institution.name}
    return _respond(request, draw, fmt, f"lanskap-aplikasi-{institution.code or institution.pk}", title,
                    "application_landscape_diagram", ())

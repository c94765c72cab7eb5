"""The pages of ``sia.insights`` over a whole instansi: the overview (``index``), the gaps, the single points of
failure and the gap numbers of the home page (a fragment loaded with htmx, so that the home page does not load
the graph). Pages of one object or OPD are in ``views_objects``.

Every page reads the reader's graph once (``access.graph_for``): what the reader may not see is absent from
every number, list and link. Query counts do not grow with the number of objects: the graph is read with a
constant number of queries and everything else is computed on it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.organizations.models import Department

from . import access, graph_cache, states
from .impact import single_points_of_failure

TOP_POINTS = 5  # single points of failure on the overview
GAP_PREVIEW = 10  # objects of each gap on the gaps page before its "lihat semua" link
GAP_PAGE = 100  # objects of one gap per page when the page shows that gap only


class BadInput(ValueError):
    """A filter value the page cannot use (answered 400 with its message)."""


def bad_request(request, message):
    """The 400 page: what was wrong with the request, in words, and the way back."""
    return render(request, "insights/bad_request.html", {"message": message}, status=400)


def url_with_query(name: str, *args, query: str = "") -> str:
    url = reverse(name, args=args)
    return f"{url}?{query}" if query else url


def chosen_institution(request):
    """(the instansi the page shows, every instansi the reader reads): ``?instansi=`` among those, the first by
    name by default; 403 for a reader of none, 404 for one they do not read."""
    institutions = list(access.institutions_for(request.user))
    if not institutions:
        raise PermissionDenied
    raw = request.GET.get("instansi", "")
    if not raw:
        return institutions[0], institutions
    for institution in institutions:
        if str(institution.pk) == raw:
            return institution, institutions
    raise Http404(_("Instansi tidak ditemukan."))


def institution_query(institution, institutions) -> dict:
    """The ``instansi`` parameter links keep, when the reader has a choice."""
    return {"instansi": institution.pk} if len(institutions) > 1 else {}


def with_query(url: str, **params) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def node_row(graph, node, keep: dict | None = None, **extra) -> dict:
    """What a list shows of one object: its label, kind, OPD, state (``states.badge``) and the links to its page,
    trace and impact (those with the query ``keep``: the architecture chosen, ``states.Choice.keep``)."""
    kind = graph.kinds[node.kind]
    keep = keep or {}
    return {
        "node": node, "kind_label": kind.label, "department": graph.department_label(node.department_id),
        "url": access.object_url(node, graph), "state": states.badge(node),
        "trace_url": with_query(reverse("insights:trace", args=[node.kind, node.pk]), **keep),
        "impact_url": with_query(reverse("insights:impact", args=[node.kind, node.pk]), **keep),
        **extra,
    }


def visible_departments(user, institution):
    """The OPDs of ``institution`` whose landscape ``user`` may open, by abbreviation: one query."""
    return list(permissions.visible(user, Department).filter(institution=institution, is_active=True)
                .order_by("abbreviation").only("pk", "abbreviation", "name"))


def point_rows(graph, points) -> list[dict]:
    return [node_row(graph, point.node, services=point.count,
                     departments=sorted(graph.department_label(d) for d in point.departments))
            for point in points]


@login_required
def index(request):
    """The overview of an instansi: its gap numbers, its worst single points of failure, and the way to the
    matrices, the application landscape and each OPD's landscape."""
    institution, institutions = chosen_institution(request)
    graph = access.graph_for(request, institution)
    keep = institution_query(institution, institutions)
    gaps_url = reverse("insights:gaps")
    gap_stats = [{"gap": gap, "count": gap.count, "url": with_query(gaps_url, **keep, jenis=gap.slug)}
                 for gap in access.gaps_for(request, institution)]
    points = single_points_of_failure(graph)
    departments = [
        {"department": d, "url": reverse("insights:landscape", args=[d.pk])}
        for d in visible_departments(request.user, institution)
    ]
    return render(request, "insights/index.html", {
        "institution": institution, "institutions": institutions, "gap_stats": gap_stats,
        "points": point_rows(graph, points[:TOP_POINTS]), "points_total": len(points),
        "points_url": with_query(reverse("insights:single_points"), **keep),
        "matrices_url": with_query(reverse("insights:matrices"), **keep),
        "application_landscape_url": with_query(reverse("insights:application_landscape"), **keep),
        "application_landscape_both_url": with_query(reverse("insights:application_landscape"), **keep,
                                                     **{states.PARAM: states.BOTH}),
        "departments": departments, "object_count": len(graph),
    })


def _gap_filters(request, graph, found) -> tuple:
    """(OPD pk or None, gap slug or "") from ``?opd=`` and ``?jenis=``; ``BadInput`` for values not offered."""
    opd, kind = request.GET.get("opd", ""), request.GET.get("jenis", "")
    department = None
    if opd:
        if not opd.isdigit() or int(opd) not in graph.departments:
            raise BadInput(_("OPD %(opd)s tidak dikenal di instansi ini.") % {"opd": opd[:40]})
        department = int(opd)
    if kind and kind not in {gap.slug for gap in found}:
        raise BadInput(_("Jenis celah “%(kind)s” tidak dikenal.") % {"kind": kind[:60]})
    return department, kind


@login_required
def gaps(request):
    """Each gap of the instansi as lists per OPD, each object with its page, trace and impact; filtered by OPD
    (``opd``) and gap (``jenis``). Unfiltered, each gap shows its first objects and a link to all of them."""
    institution, institutions = chosen_institution(request)
    graph = access.graph_for(request, institution)
    found = access.gaps_for(request, institution)
    try:
        department, kind = _gap_filters(request, graph, found)
    except BadInput as error:
        return bad_request(request, str(error))
    keep = institution_query(institution, institutions)
    here = reverse("insights:gaps")
    sections, page = [], None
    for gap in found:
        if kind and gap.slug != kind:
            continue
        nodes = [n for n in gap.nodes if department is None or n.department_id == department]
        shown = nodes
        if kind:  # one gap: all its objects, a page at a time
            page = Paginator(nodes, GAP_PAGE).get_page(request.GET.get("page"))
            shown = page.object_list
        elif len(nodes) > GAP_PREVIEW:
            shown = nodes[:GAP_PREVIEW]
        groups: dict = {}
        for node in shown:
            reasons = [{"node": r, "url": access.object_url(r, graph)} for r in gap.reasons.get(node.key, ())]
            groups.setdefault(graph.department_label(node.department_id), []).append(
                node_row(graph, node, reasons=reasons))
        sections.append({
            "gap": gap, "count": len(nodes), "groups": sorted(groups.items()), "more": len(nodes) - len(shown),
            "all_url": with_query(here, **keep, opd=department, jenis=gap.slug),
        })
    query = request.GET.copy()
    query.pop("page", None)
    departments = sorted(((pk, abbreviation or name) for pk, (abbreviation, name) in graph.departments.items()),
                         key=lambda item: item[1])
    per_department = None
    if department is None and not kind:  # the whole instansi: each OPD's number of each gap, side by side
        counts = [gap.counts() for gap in found]
        per_department = []
        for pk, label in departments:
            cells = [{"count": count.get(pk, 0), "url": with_query(here, **keep, opd=pk, jenis=gap.slug)}
                     for gap, count in zip(found, counts)]
            if any(cell["count"] for cell in cells):
                per_department.append({"label": label, "url": with_query(here, **keep, opd=pk), "cells": cells})
    return render(request, "insights/gaps.html", {
        "institution": institution, "institutions": institutions, "sections": sections, "page": page,
        "querystring": query.urlencode(), "departments": departments, "per_department": per_department,
        "gaps": found,
        "gap_choices": [(gap.slug, gap.label) for gap in found], "department": department, "kind": kind,
        "reset_url": with_query(here, **keep),
    })


@login_required
def single_points(request):
    """Every single point of failure of the instansi: infrastructure whose failure alone brings services down,
    most services first, each with the OPDs hit and a link to its impact analysis."""
    institution, institutions = chosen_institution(request)
    graph = access.graph_for(request, institution)
    points = single_points_of_failure(graph)
    page = Paginator(points, GAP_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "insights/single_points.html", {
        "institution": institution, "institutions": institutions, "page": page,
        "points": point_rows(graph, page.object_list), "total": len(points), "querystring": query.urlencode(),
    })


@login_required
def dashboard_gaps(request):
    """The home page's gap numbers (loaded by the panel ``panels.gaps_panel`` once the page is shown), of the instansi
    ``?instansi=`` names among those the reader reads (the first by name by default, the others a click away). An
    operator, who works on their own OPD, gets their OPD's numbers; the roles of the whole instansi its numbers."""
    institutions = list(access.institutions_for(request.user))
    if not institutions:
        return render(request, "insights/_dashboard_gaps.html", {"gap_stats": []})
    raw = request.GET.get("instansi", "")
    institution = next((i for i in institutions if str(i.pk) == raw), institutions[0])
    keep = institution_query(institution, institutions)
    graph = access.graph_for(request, institution)
    scope = graph_cache.view_scope(request.user, institution.pk)
    own = sorted(scope.departments) if scope is not None and not scope.everything else []
    gaps_url = reverse("insights:gaps")
    stats = []
    for gap in access.gaps_for(request, institution):
        count = sum(gap.counts().get(pk, 0) for pk in own) if own else gap.count
        opd = own[0] if len(own) == 1 else None
        stats.append({"gap": gap, "count": count, "url": with_query(gaps_url, **keep, opd=opd, jenis=gap.slug)})
    return render(request, "insights/_dashboard_gaps.html", {
        "institution": institution, "several": len(institutions) > 1, "gap_stats": stats,
        "others": [{"institution": other, "url": with_query(reverse("insights:dashboard_gaps"), instansi=other.pk)}
                   for other in institutions if other != institution],
        "departments": [graph.department_label(pk) for pk in own],
        "index_url": with_query(reverse("insights:index"), **keep),
    })

"""The pages of one object or one OPD: an object's traceability (its chain up and down) and impact analysis
("what if this fails or is retired"), an OPD's landscape and the application landscape of an instansi.

Each lists first (grouped by domain and OPD, each hit with the path that explains it) and loads its diagram
after (``views_diagrams``, with htmx), so that the page stays light on a slow link. The object or OPD a URL
names is one the reader may see, or 404: an object of another OPD in draft is as absent as one that does not
exist. A bad depth or domain is answered 400 with its reason.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from sia.architecture.models import Application, Service

from . import access
from .diagrams import integration_links
from .impact import MAX_DEPTH, DepthError, impact as find_impact, parse_depth
from .trace import landscape as find_landscape
from .trace import trace as find_trace
from .views import bad_request, chosen_institution, institution_query, node_row, url_with_query, with_query

# Hits listed on a page: each OPD's first ones in each domain, and a limit for the whole list, so that a page of
# an object thousands depend on stays light; the rest are counted ("dan N lainnya") and the diagram prunes alike.
GROUP_SHOWN = 25
LIST_SHOWN = 200
APPLICATIONS_SHOWN = 25  # applications of one OPD on the application landscape


def depth_from(request) -> int:
    """``?depth=`` as a number 1..MAX_DEPTH (MAX_DEPTH when absent); ``DepthError`` otherwise."""
    return parse_depth(request.GET.get("depth"))


def domain_choices(graph) -> list[tuple[str, str]]:
    """(kind group slug, label) of every kind group of the graph, in the order of the layers."""
    groups = {kind.group: (kind.group_order, kind.group_label) for kind in graph.kinds.values()}
    return [(slug, label) for slug, (_order, label) in sorted(groups.items(), key=lambda item: (item[1][0], item[0]))]


def hit_rows(graph, grouped, protectors=None) -> list[dict]:
    """``[(group slug, label, [(OPD, [Hit])])]`` as the page lists it: each hit with its path in words, the
    keamanan objects protecting it (a trace) and whether it fails (an impact). Each OPD's first ``GROUP_SHOWN``
    hits of a domain, ``LIST_SHOWN`` in all; every domain and OPD keeps its count."""
    domains, room = [], LIST_SHOWN
    for slug, label, departments in grouped:
        opds = []
        for department, hits in departments:
            shown = hits[:max(0, min(GROUP_SHOWN, room))]
            room -= len(shown)
            rows = [node_row(graph, hit.node, path=hit.explanation(graph), fails=hit.fails, depth=hit.depth,
                             protectors=_protector_rows(graph, protectors, hit.key))
                    for hit in shown]
            opds.append({"department": department, "rows": rows, "count": len(hits), "more": len(hits) - len(shown)})
        domains.append({"slug": slug, "label": label, "departments": opds,
                        "count": sum(opd["count"] for opd in opds)})
    return domains


def _protector_rows(graph, protectors, key) -> list[dict]:
    if protectors is None:
        return []
    return [{"node": node, "url": access.object_url(node, graph)} for node in protectors.get(key, ())]


def cycle_labels(graph, cycles) -> list[list[str]]:
    """Each cycle met as the labels of its objects, by code."""
    return [sorted(graph.node(key).label for key in cycle) for cycle in cycles]


def _object_context(graph, node) -> dict:
    return {"node": node, "kind": graph.kinds[node.kind], "object_url": access.object_url(node, graph),
            "department": graph.department_label(node.department_id),
            "trace_url": reverse("insights:trace", args=[node.kind, node.pk]),
            "impact_url": reverse("insights:impact", args=[node.kind, node.pk]),
            "depths": range(1, MAX_DEPTH + 1)}


@login_required
def trace(request, kind, pk):
    """An object's chain up (what depends on it) and down (what it depends on), with the keamanan objects that
    protect each; filtered by domain (``domain``, several) and depth (``depth``)."""
    graph, node = access.node_or_404(request, kind, pk)
    # ?domain=aplikasi&domain=data (the checkboxes) or ?domain=aplikasi,data (as the diagram and the API take it)
    domains = [part.strip() for value in request.GET.getlist("domain") for part in value.split(",") if part.strip()]
    try:
        found = find_trace(graph, node.key, domains=domains or None, depth=depth_from(request))
    except ValueError as error:  # DepthError too: a depth outside 1..MAX_DEPTH, an unknown domain
        return bad_request(request, str(error))
    query = request.GET.urlencode()
    return render(request, "insights/trace.html", {
        **_object_context(graph, node), "trace": found, "depth": found.depth, "chosen": set(domains),
        "domains": domain_choices(graph),
        "up": hit_rows(graph, found.up_by_domain(), found.protectors),
        "down": hit_rows(graph, found.down_by_domain(), found.protectors),
        "own_protectors": _protector_rows(graph, found.protectors, node.key),
        "cycles": cycle_labels(graph, found.cycles),
        "diagram_url": url_with_query("insights:trace_diagram", kind, pk, "html", query=query),
    })


@login_required
def impact(request, kind, pk):
    """What is hit if the object fails or is retired: every dependent, transitively, grouped by domain and OPD,
    each with its path and whether it fails (no alternative left) or is hit with an alternative."""
    graph, node = access.node_or_404(request, kind, pk)
    try:
        found = find_impact(graph, node.key, depth=depth_from(request))
    except DepthError as error:
        return bad_request(request, str(error))
    services = found.of_kind(Service.spec.slug)
    query = request.GET.urlencode()
    return render(request, "insights/impact.html", {
        **_object_context(graph, node), "impact": found, "depth": found.depth,
        "domains": hit_rows(graph, found.by_domain()),
        "services": len(services), "service_departments": len({hit.node.department_id for hit in services}),
        "failing": len(found.failing), "departments_hit": len(found.departments()),
        "cycles": cycle_labels(graph, found.cycles),
        "diagram_url": url_with_query("insights:impact_diagram", kind, pk, "html", query=query),
    })


def _grouped_nodes(graph, nodes) -> list[dict]:
    """Nodes grouped by kind group (the layers' order), each as a list row."""
    groups: dict = {}
    for node in nodes:
        kind = graph.kinds[node.kind]
        groups.setdefault((kind.group_order, kind.group), (kind.group_label, []))[1].append(node_row(graph, node))
    return [{"slug": slug, "label": label, "rows": rows} for (_order, slug), (label, rows) in sorted(groups.items())]


@login_required
def landscape(request, pk):
    """An OPD's landscape: its own objects by domain, what it uses of other OPDs (each with the path from one of
    its objects), its gaps and the diagram."""
    department = access.department_or_404(request, pk)
    graph = access.graph_for(request, department.institution_id)
    try:
        found = find_landscape(graph, department.pk, depth=depth_from(request))
    except DepthError as error:
        return bad_request(request, str(error))
    institutions = list(access.institutions_for(request.user))
    keep = institution_query(department.institution, institutions)
    gaps_url = reverse("insights:gaps")
    own_gaps = []
    for gap in access.gaps_for(request, department.institution_id):
        nodes = [node for node in gap.nodes if node.department_id == department.pk]
        if nodes:
            own_gaps.append({"gap": gap, "count": len(nodes), "rows": [node_row(graph, n) for n in nodes[:GROUP_SHOWN]],
                             "more": max(0, len(nodes) - GROUP_SHOWN),
                             "url": with_query(gaps_url, **keep, opd=department.pk, jenis=gap.slug)})
    return render(request, "insights/landscape.html", {
        "department": department, "own": _grouped_nodes(graph, found.own), "own_count": len(found.own),
        "used": hit_rows(graph, found.used_by_domain()), "used_count": len(found.used), "gaps": own_gaps,
        "landscape": found, "depth": found.depth, "cycles": cycle_labels(graph, found.cycles),
        "index_url": with_query(reverse("insights:index"), **keep),
        "diagram_url": url_with_query("insights:landscape_diagram", department.pk, "html",
                                      query=request.GET.urlencode()),
    })


@login_required
def application_landscape(request):
    """The applications of an instansi grouped by OPD, each with its integrations (both directions), and the
    diagram."""
    institution, institutions = chosen_institution(request)
    graph = access.graph_for(request, institution)
    keep = institution_query(institution, institutions)
    links = integration_links(graph)
    applications_url = reverse(f"architecture:{Application._meta.model_name}_list")
    departments: dict = {}
    integration_count = 0
    for node in sorted(graph.of_kind(Application.spec.slug), key=lambda n: (n.code, n.pk)):
        edges = [(other, index, forward) for other, index, forward in graph.neighbours.get(node.key, ())
                 if index in links]
        integration_count += sum(1 for _other, _index, forward in edges if forward)
        abbreviation = graph.department_label(node.department_id)
        opd = departments.setdefault(node.department_id, {
            "department": abbreviation, "rows": [], "count": 0,
            "list_url": with_query(applications_url, department=node.department_id)})
        opd["count"] += 1
        if len(opd["rows"]) >= APPLICATIONS_SHOWN:
            continue
        integrations = []
        for other, index, forward in edges:
            partner = graph.node(other)
            integrations.append({"phrase": graph.links[index].phrase(forward), "node": partner,
                                 "url": access.object_url(partner, graph),
                                 "department": graph.department_label(partner.department_id)})
        integrations.sort(key=lambda item: (item["node"].code, item["phrase"]))
        opd["rows"].append(node_row(graph, node, integrations=integrations))
    for opd in departments.values():
        opd["more"] = opd["count"] - len(opd["rows"])
    return render(request, "insights/application_landscape.html", {
        "institution": institution, "institutions": institutions,
        "departments": sorted(departments.values(), key=lambda opd: opd["department"]),
        "application_count": sum(opd["count"] for opd in departments.values()), "integration_count": integration_count,
        "index_url": with_query(reverse("insights:index"), **keep),
        "diagram_url": url_with_query("insights:application_landscape_diagram", "html",
                                      query=f"instansi={institution.pk}"),
    })

"""The pages of one object or one OPD: an object's traceability (its chain up and down) and impact analysis
("what if this fails or is retired"), an OPD's landscape and the application landscape of an instansi.

Each lists first (grouped by domain and OPD, each hit with the path that explains it) and loads its diagram
after (``views_diagrams``, with htmx), so that the page stays light on a slow link. The object or OPD a URL
names is one the reader may see, or 404: an object of another OPD in draft is as absent as one that does not
exist. A bad depth or domain is answered 400 with its reason.

Each page shows the architecture ``?arsitektur=`` chooses (``states``): every object (the default), as-is, to-be,
or both side by side (the lists of every object, each to-be object marked, and the two diagrams next to each other).
An object a trace or impact names that is not in the chosen architecture is said to be absent, with what takes
its place.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from sia.architecture.models import Application, Service

from . import access, states
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


def hit_rows(graph, grouped, protectors=None, keep=None) -> list[dict]:
    """``[(group slug, label, [(OPD, [Hit])])]`` as the page lists it: each hit with its path in words, the
    keamanan objects protecting it (a trace) and whether it fails (an impact). Each OPD's first ``GROUP_SHOWN``
    hits of a domain, ``LIST_SHOWN`` in all; every domain and OPD keeps its count."""
    domains, room = [], LIST_SHOWN
    for slug, label, departments in grouped:
        opds = []
        for department, hits in departments:
            shown = hits[:max(0, min(GROUP_SHOWN, room))]
            room -= len(shown)
            rows = [node_row(graph, hit.node, keep, path=hit.explanation(graph), fails=hit.fails, depth=hit.depth,
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


def _object_context(request, graph, node, choice) -> dict:
    """What the trace and impact pages share: the object, its tabs (the architecture chosen kept), the depths, the
    choice of architecture and, when the object is not in the chosen one, why (``missing``) and what takes its
    place (``replacements``: its to-be upgrades)."""
    seen = graph.in_view(choice.view)
    missing = None if node.key in seen else states.absence(graph, node, choice.view)
    replacements = [node_row(graph, other, choice.keep)
                    for other in (states.replacements(graph, node) if missing else ())]
    return {"node": node, "kind": graph.kinds[node.kind], "object_url": access.object_url(node, graph),
            "department": graph.department_label(node.department_id),
            "trace_url": with_query(reverse("insights:trace", args=[node.kind, node.pk]), **choice.keep),
            "impact_url": with_query(reverse("insights:impact", args=[node.kind, node.pk]), **choice.keep),
            "depths": range(1, MAX_DEPTH + 1), "missing": missing, "replacements": replacements,
            **choice_context(request, choice)}


def choice_context(request, choice) -> dict:
    """The architecture chosen (``states``) and its tabs, for ``_architecture_choice.html``."""
    return {"choice": choice, "choices": states.selector(request, choice), "choice_param": states.PARAM}


def chosen_or_400(request):
    """(the architecture ``?arsitektur=`` chooses, None) or (None, the 400 page naming the bad value)."""
    try:
        return states.chosen(request), None
    except states.ChoiceError as error:
        return None, bad_request(request, str(error))


@login_required
def trace(request, kind, pk):
    """An object's chain up (what depends on it) and down (what it depends on), with the keamanan objects that
    protect each; filtered by domain (``domain``, several), depth (``depth``) and architecture (``arsitektur``)."""
    graph, node = access.node_or_404(request, kind, pk)
    choice, refused = chosen_or_400(request)
    if refused:
        return refused
    context = _object_context(request, graph, node, choice)
    # ?domain=aplikasi&domain=data (the checkboxes) or ?domain=aplikasi,data (as the diagram and the API take it)
    domains = [part.strip() for value in request.GET.getlist("domain") for part in value.split(",") if part.strip()]
    context.update({"chosen": set(domains), "domains": domain_choices(graph), "depth": MAX_DEPTH})
    if context["missing"]:
        return render(request, "insights/trace.html", context)
    seen = graph.in_view(choice.view)
    try:
        found = find_trace(seen, node.key, domains=domains or None, depth=depth_from(request))
    except ValueError as error:  # DepthError too: a depth outside 1..MAX_DEPTH, an unknown domain
        return bad_request(request, str(error))
    return render(request, "insights/trace.html", {
        **context, "trace": found, "depth": found.depth,
        "up": hit_rows(seen, found.up_by_domain(), found.protectors, choice.keep),
        "down": hit_rows(seen, found.down_by_domain(), found.protectors, choice.keep),
        "own_protectors": _protector_rows(seen, found.protectors, node.key),
        "cycles": cycle_labels(seen, found.cycles),
        "diagram_url": url_with_query("insights:trace_diagram", kind, pk, "html", query=request.GET.urlencode()),
    })


@login_required
def impact(request, kind, pk):
    """What is hit if the object fails or is retired: every dependent, transitively, grouped by domain and OPD,
    each with its path and whether it fails (no alternative left) or is hit with an alternative; in the
    architecture ``arsitektur`` chooses."""
    graph, node = access.node_or_404(request, kind, pk)
    choice, refused = chosen_or_400(request)
    if refused:
        return refused
    context = _object_context(request, graph, node, choice)
    if context["missing"]:
        return render(request, "insights/impact.html", {**context, "depth": MAX_DEPTH})
    seen = graph.in_view(choice.view)
    try:
        found = find_impact(seen, node.key, depth=depth_from(request))
    except DepthError as error:
        return bad_request(request, str(error))
    services = found.of_kind(Service.spec.slug)
    return render(request, "insights/impact.html", {
        **context, "impact": found, "depth": found.depth,
        "domains": hit_rows(seen, found.by_domain(), keep=choice.keep),
        "services": len(services), "service_departments": len({hit.node.department_id for hit in services}),
        "failing": len(found.failing), "departments_hit": len(found.departments()),
        "cycles": cycle_labels(seen, found.cycles),
        "diagram_url": url_with_query("insights:impact_diagram", kind, pk, "html", query=request.GET.urlencode()),
    })


def _grouped_nodes(graph, nodes, keep=None) -> list[dict]:
    """Nodes grouped by kind group (the layers' order), each as a list row."""
    groups: dict = {}
    for node in nodes:
        kind = graph.kinds[node.kind]
        groups.setdefault((kind.group_order, kind.group), (kind.group_label, []))[1].append(
            node_row(graph, node, keep))
    return [{"slug": slug, "label": label, "rows": rows} for (_order, slug), (label, rows) in sorted(groups.items())]


@login_required
def landscape(request, pk):
    """An OPD's landscape: its own objects by domain, what it uses of other OPDs (each with the path from one of
    its objects), its gaps and the diagram, in the architecture ``arsitektur`` chooses (its gaps: those of its objects
    in that architecture)."""
    department = access.department_or_404(request, pk)
    choice, refused = chosen_or_400(request)
    if refused:
        return refused
    whole = access.graph_for(request, department.institution_id)
    graph = whole.in_view(choice.view)
    try:
        found = find_landscape(graph, department.pk, depth=depth_from(request))
    except DepthError as error:
        return bad_request(request, str(error))
    institutions = list(access.institutions_for(request.user))
    keep = institution_query(department.institution, institutions)
    gaps_url = reverse("insights:gaps")
    own_gaps = []
    for gap in access.gaps_for(request, department.institution_id):
        nodes = [node for node in gap.nodes if node.department_id == department.pk and node.key in graph]
        if nodes:
            own_gaps.append({"gap": gap, "count": len(nodes),
                             "rows": [node_row(graph, n, choice.keep) for n in nodes[:GROUP_SHOWN]],
                             "more": max(0, len(nodes) - GROUP_SHOWN),
                             "url": with_query(gaps_url, **keep, opd=department.pk, jenis=gap.slug)})
    return render(request, "insights/landscape.html", {
        "department": department, "own": _grouped_nodes(graph, found.own, choice.keep), "own_count": len(found.own),
        "used": hit_rows(graph, found.used_by_domain(), keep=choice.keep), "used_count": len(found.used),
        "gaps": own_gaps, **choice_context(request, choice),
        "landscape": found, "depth": found.depth, "cycles": cycle_labels(graph, found.cycles),
        "index_url": with_query(reverse("insights:index"), **keep),
        "diagram_url": url_with_query("insights:landscape_diagram", department.pk, "html",
                                      query=request.GET.urlencode()),
    })


@login_required
def application_landscape(request):
    """The applications of an instansi grouped by OPD, each with its integrations (both directions), and the
    diagram, in the architecture ``arsitektur`` chooses."""
    institution, institutions = chosen_institution(request)
    choice, refused = chosen_or_400(request)
    if refused:
        return refused
    graph = access.graph_for(request, institution).in_view(choice.view)
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
        opd["rows"].append(node_row(graph, node, choice.keep, integrations=integrations))
    for opd in departments.values():
        opd["more"] = opd["count"] - len(opd["rows"])
    return render(request, "insights/application_landscape.html", {
        "institution": institution, "institutions": institutions,
        "departments": sorted(departments.values(), key=lambda opd: opd["department"]),
        "application_count": sum(opd["count"] for opd in departments.values()), "integration_count": integration_count,
        "index_url": with_query(reverse("insights:index"), **keep),
        "diagram_url": url_with_query("insights:application_landscape_diagram", "html",
                                      query=states.keep_query(choice, instansi=institution.pk)),
        **choice_context(request, choice),
    })

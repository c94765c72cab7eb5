"""Gaps and consistency of an architecture, read from the graph (``sia.insights.graph``): what is missing
between the layers, as object lists and counts per OPD.

- layanan tanpa aplikasi: no application supports the service, directly or through the processes (and
  their sub-processes) that realize it (not yet digital); a retired application does not count;
- proses bisnis tanpa layanan: no service is realized by the process or by a process it is part of;
- aplikasi tanpa proses bisnis: the application supports no process (a retired one is not listed);
- data tanpa produsen: no producer OPD recorded, no process produces it and no application writes it; data
  tanpa walidata: no custodian OPD recorded;
- infrastruktur tanpa pemakai: nothing depends on the object;
- aplikasi di platform habis dukungan: the application depends (directly or through other infrastructure:
  its server's host, its data centre) on infrastructure past its end of support;
- tidak dilindungi: an object of a kind that keamanan objects protect, which none protects.

Each is what the reader may see: a link to an object the reader may not see does not count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .graph import Graph, without_collection_pauses


@dataclass
class Gap:
    slug: str
    label: str
    nodes: list  # [Node], by code
    # key -> [Node]: what explains the gap where something does (the end-of-support platforms of an application)
    reasons: dict = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.nodes)

    def by_department(self, graph: Graph) -> list[tuple]:
        """[(OPD abbreviation, [Node])], OPDs by abbreviation."""
        found = defaultdict(list)
        for node in self.nodes:
            found[node.department_id].append(node)
        return sorted(((graph.department_label(d), nodes) for d, nodes in found.items()), key=lambda item: item[0])

    def restricted(self, keep) -> Gap:
        """The gap as a reader sees it: the objects and reasons ``keep(node)`` lets through."""
        return Gap(self.slug, self.label, [node for node in self.nodes if keep(node)],
                   {key: [node for node in nodes if keep(node)] for key, nodes in self.reasons.items()})

    def counts(self) -> dict:
        """{OPD pk: count}."""
        found = defaultdict(int)
        for node in self.nodes:
            found[node.department_id] += 1
        return dict(found)


def _reaches(graph, start, adjacency, passing: set, goal: str, counts=lambda node: True) -> bool:
    """Whether a ``goal`` kind object that ``counts`` is reached from ``start`` along ``adjacency`` through
    ``passing`` kinds."""
    seen, stack = {start}, [start]
    while stack:
        for other, _link, _forward in adjacency.get(stack.pop(), ()):
            if other[0] == goal and counts(graph.nodes[other]):
                return True
            if other not in seen and other[0] in passing:
                seen.add(other)
                stack.append(other)
    return False


def _sorted(nodes) -> list:
    return sorted(nodes, key=lambda node: (node.code, node.pk))


@without_collection_pauses
def gaps(graph: Graph, today=None) -> list[Gap]:
    """Every gap of the graph, in the order above."""
    from sia.architecture.choices import ApplicationLifecycle
    from sia.architecture.models import Application, BusinessProcess, DataItem, Service
    from sia.architecture.models.infrastructure import INFRASTRUCTURE

    today = today or timezone.localdate()
    service, process, app, data = (m.spec.slug for m in (Service, BusinessProcess, Application, DataItem))
    infrastructure = {slug for slug, kind in graph.kinds.items() if kind.group == INFRASTRUCTURE.slug}

    def in_use(node) -> bool:
        return node.facts.get("lifecycle") != ApplicationLifecycle.RETIRED
    found = [
        Gap("layanan-tanpa-aplikasi", _("Layanan tanpa aplikasi"), _sorted(
            node for node in graph.of_kind(service)
            if not _reaches(graph, node.key, graph.dependencies, {service, process}, app, in_use))),
        Gap("proses-tanpa-layanan", _("Proses bisnis tanpa layanan"), _sorted(
            node for node in graph.of_kind(process)
            if not _reaches(graph, node.key, graph.dependents, {process}, service))),
        Gap("aplikasi-tanpa-proses", _("Aplikasi tanpa proses bisnis"), _sorted(
            node for node in graph.of_kind(app) if in_use(node)
            and not any(other[0] == process for other, _l, _f in graph.dependents.get(node.key, ())))),
        Gap("data-tanpa-produsen", _("Data tanpa produsen"), _sorted(
            node for node in graph.of_kind(data) if node.facts.get("producer_department") is None
            and not any(graph.links[link].relationship == "access-write"
                        for _other, link, _f in graph.dependencies.get(node.key, ())))),
    ]
    if "custodian_department" in graph.kinds[data].facts:
        found.append(Gap("data-tanpa-walidata", _("Data tanpa walidata"), _sorted(
            node for node in graph.of_kind(data) if node.facts.get("custodian_department") is None)))
    found.append(Gap("infrastruktur-tanpa-pemakai", _("Infrastruktur yang tidak dipakai"), _sorted(
        node for key, node in graph.nodes.items() if key[0] in infrastructure and not graph.dependents.get(key))))
    found.append(end_of_support(graph, app, infrastructure, today))
    found.append(unprotected(graph))
    return found


def end_of_support(graph, app: str, infrastructure: set, today) -> Gap:
    """Applications that depend, through infrastructure only, on an object whose end of support is past."""
    reasons = {}
    for node in graph.of_kind(app):
        seen, stack, expired = {node.key}, [node.key], []
        while stack:
            for other, _link, _forward in graph.dependencies.get(stack.pop(), ()):
                if other in seen or other[0] not in infrastructure:
                    continue
                seen.add(other)
                stack.append(other)
                until = graph.node(other).facts.get("end_of_support")
                if until is not None and until < today:
                    expired.append(graph.node(other))
        if expired:
            reasons[node.key] = _sorted(expired)
    return Gap("aplikasi-platform-habis-dukungan", _("Aplikasi di platform yang habis dukungan"),
               _sorted(graph.node(key) for key in reasons), reasons)


def unprotected(graph) -> Gap:
    """Objects of the kinds some keamanan link protects (data, aplikasi, server, ...) that nothing protects."""
    protected_kinds = {link.target for link in graph.links if link.protection}
    return Gap("tidak-dilindungi", _("Objek yang tidak dilindungi"), _sorted(
        node for key, node in graph.nodes.items() if key[0] in protected_kinds and not graph.protectors.get(key)))


def gaps_seen(graph: Graph, whole: Graph | None = None, today=None) -> list[Gap]:
    """The gaps a reader of ``graph`` (restricted to what they may see) is shown. With ``whole`` (the whole
    instansi's graph), each is found there and then restricted to the reader's objects: an application of another
    OPD that supports a process the reader may not see (a draft) does support one, and is no gap. Without it,
    found on ``graph`` alone. Found once per graph and day (``Graph.cache``)."""
    source = whole if whole is not None else graph
    today = today or timezone.localdate()
    key = ("gaps", today)
    if key not in source.cache:
        source.cache[key] = gaps(source, today)
    found = source.cache[key]
    if source is graph:
        return found
    return [gap.restricted(lambda node: node.key in graph.nodes) for gap in found]


def summary(graph: Graph, today=None) -> dict:
    """{gap slug: {"label", "count", "per_department": {OPD pk: count}}} for a dashboard."""
    return {gap.slug: {"label": gap.label, "count": gap.count, "per_department": gap.counts()}
            for gap in gaps(graph, today)}

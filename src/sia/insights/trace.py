"""Traceability: an object's chain up and down the layers, with the keamanan objects that protect each link.

Down is what the object needs, transitively (a layanan: the processes that realize it, the data it reads,
the applications behind them, the servers, platforms and data centre those run on); up is what needs the
object (an application: the processes and services it supports). Both follow the dependency edges of the
graph (``sia.insights.graph.DEPENDENCY``), so the chain reads layanan -> proses bisnis -> data -> aplikasi
-> infrastruktur whichever object it starts from. ``domains`` keeps the hits of some kind groups or kinds
only (the walk still passes through the others, and each hit's path names them); ``depth`` bounds the walk.

``landscape(graph, department_id)``: an OPD's own objects and what they need of other OPDs (the provincial
data centre's servers, another OPD's data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .graph import without_collection_pauses
from .impact import Hit, Walk, check_depth, cycles_met, grouped, key_for, walk


@dataclass
class Trace:
    graph: object
    node: object
    depth: int
    up: list  # [Hit]: what depends on the object, nearest first
    down: list  # [Hit]: what the object depends on, nearest first
    protectors: dict = field(default_factory=dict)  # key -> [Node]: the keamanan objects protecting it
    cycles: list = field(default_factory=list)
    truncated: bool = False

    @property
    def cycle_met(self) -> bool:
        return bool(self.cycles)

    def keys(self) -> set:
        return {hit.key for hit in self.up} | {hit.key for hit in self.down}

    def up_by_domain(self) -> list:
        return grouped(self.graph, self.up)

    def down_by_domain(self) -> list:
        return grouped(self.graph, self.down)

    def protected_by(self, key) -> list:
        return self.protectors.get(key, [])


def _wanted(graph, domains):
    if not domains:
        return lambda key: True
    domains = {domains} if isinstance(domains, str) else set(domains)
    unknown = domains - set(graph.kinds) - {kind.group for kind in graph.kinds.values()}
    if unknown:
        raise ValueError(_("Domain tidak dikenal: %(domains)s.") % {"domains": ", ".join(sorted(unknown))})
    slugs = {slug for slug, kind in graph.kinds.items() if slug in domains or kind.group in domains}
    return lambda key: key[0] in slugs


def _hits(graph, found, wanted) -> list:
    hits = [
        Hit(key, graph.node(key), found.depth_of[key], found)
        for key in found.parent if key != found.start and wanted(key)
    ]
    order = graph.order()
    hits.sort(key=lambda hit: (hit.depth, order[hit.key[0]], hit.node.code))
    return hits


@without_collection_pauses
def trace(graph, obj, domains=None, depth: int | None = None) -> Trace:
    """The chain up and down from ``obj`` (a model instance or node key), ``depth`` steps each way at most,
    keeping the hits of ``domains`` (kind group or kind slugs: "aplikasi", "infrastruktur", "server")."""
    depth = check_depth(depth)
    start = key_for(graph, obj)
    wanted = _wanted(graph, domains)
    up = walk(graph, start, graph.dependents, depth)
    down = walk(graph, start, graph.dependencies, depth)
    result = Trace(graph, graph.node(start), depth, _hits(graph, up, wanted), _hits(graph, down, wanted))
    for key in {start} | result.keys():
        guards = graph.protectors.get(key)
        if guards:
            result.protectors[key] = sorted((graph.node(guard) for guard, _link in guards), key=lambda n: n.code)
    result.cycles = cycles_met(graph, set(up.parent) | set(down.parent))
    result.truncated = up.truncated or down.truncated
    return result


@dataclass
class Landscape:
    """An OPD's objects and what they depend on elsewhere (shared infrastructure of other OPDs, data of others)."""

    graph: object
    department_id: int
    own: list  # [Node] of the OPD, by code
    used: list  # [Hit] of other OPDs the OPD's objects need, nearest first (a path from one of the OPD's objects)
    depth: int = 0
    cycles: list = field(default_factory=list)  # the cycles the walk met (each ends it: every object counted once)
    truncated: bool = False  # objects lie beyond the depth limit

    def used_by_domain(self) -> list:
        return grouped(self.graph, self.used)


@without_collection_pauses
def landscape(graph, department_id: int, depth: int | None = None) -> Landscape:
    """The objects of one OPD and everything of other OPDs they depend on, ``depth`` steps at most: one walk
    from all the OPD's objects at once."""
    depth = check_depth(depth)
    own = sorted((node for node in graph.nodes.values() if node.department_id == department_id),
                 key=lambda node: node.code)
    starts = {node.key for node in own}
    parent, depth_of, frontier, level = {key: None for key in starts}, dict.fromkeys(starts, 0), list(starts), 0
    while frontier and level < depth:
        following = []
        for key in frontier:
            for other, link, forward in graph.dependencies.get(key, ()):
                if other not in parent:
                    parent[other] = (key, link, forward)
                    depth_of[other] = level + 1
                    following.append(other)
        frontier, level = following, level + 1
    truncated = any(other not in parent for key in frontier for other, _l, _f in graph.dependencies.get(key, ()))
    found = Walk(graph, None, parent, depth_of, truncated)
    order = graph.order()
    used = [Hit(key, graph.nodes[key], depth_of[key], found) for key in parent if key not in starts]
    used.sort(key=lambda hit: (hit.depth, order[hit.key[0]], hit.node.code))
    return Landscape(graph, department_id, own, used, depth, cycles_met(graph, set(parent)), truncated)

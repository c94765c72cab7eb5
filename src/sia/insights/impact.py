"""Impact analysis on the graph (``sia.insights.graph``): what is hit when an object fails or is retired.

``impact(graph, obj)`` walks the dependency edges from the object to everything that depends on it,
transitively (a server: the applications that run on it, the processes and services those support, the
data they write and the applications that read that data ...), breadth first, so that each hit carries the
shortest path that explains it. The walk stops at ``depth`` steps (at most ``MAX_DEPTH``: a deeper one is
refused with ``DepthError``); a cycle in the links (two applications that exchange data both ways) does not
stop it from ending, and the result names the objects that form each cycle met.

A hit is marked ``fails`` when the failure reaches it with no alternative left: along a link whose
relationship makes several objects alternatives (``LinkKind.any_of``: an application that runs on two
servers), the dependent fails only when all of them have failed; otherwise it is hit but degraded.

``single_points_of_failure(graph)``: the infrastructure objects whose failure alone brings down services
(with no alternative), most first.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .graph import without_collection_pauses

MAX_DEPTH = 12


class DepthError(ValueError):
    """A depth outside 1..MAX_DEPTH."""


class UnknownObject(LookupError):
    """An object that is not in the graph: it does not exist, or the reader may not see it."""


def check_depth(depth) -> int:
    if depth is None:
        return MAX_DEPTH
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise DepthError(_("Kedalaman harus bilangan bulat 1 sampai %(max)d, bukan %(depth)s.")
                         % {"max": MAX_DEPTH, "depth": depth})
    return depth


def parse_depth(raw) -> int:
    """A depth as a request gives it (``?depth=``, text): MAX_DEPTH when absent or blank, ``DepthError`` for anything
    but a whole number 1..MAX_DEPTH. The one reading of a depth for pages, diagrams and the API."""
    raw = "" if raw is None else str(raw).strip()
    if not raw:
        return MAX_DEPTH
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise DepthError(_("Kedalaman harus bilangan bulat 1 sampai %(max)d, bukan %(depth)s.")
                         % {"max": MAX_DEPTH, "depth": raw[:20]})
    return check_depth(int(raw))


def key_for(graph, obj) -> tuple:
    """The node key of ``obj`` (a model instance or a key) in ``graph``; ``UnknownObject`` when it is absent."""
    key = obj if isinstance(obj, tuple) else graph.key_of(obj)
    if key not in graph:
        raise UnknownObject(_("Objek tidak ditemukan."))
    return key


@dataclass(frozen=True)
class Step:
    """One link crossed: from ``source`` to ``target`` along ``link``, read holder -> target when ``forward``."""

    source: tuple
    target: tuple
    link: object  # LinkKind
    forward: bool

    def text(self, graph) -> str:
        return f"{graph.node(self.source).label} {self.link.phrase(self.forward)} {graph.node(self.target).label}"


class Hit:
    """One object reached, at ``depth`` links from the start; ``path`` (the links crossed, from the start) is
    read from the walk when asked for, so a walk of thousands of objects builds no path it does not show."""

    __slots__ = ("key", "node", "depth", "fails", "_walk")

    def __init__(self, key, node, depth, walk, fails=True):
        self.key, self.node, self.depth, self.fails, self._walk = key, node, depth, fails, walk

    def __repr__(self):
        return f"Hit({self.key}, depth={self.depth}, fails={self.fails})"

    @property
    def path(self) -> list:
        return self._walk.path(self.key)

    def explanation(self, graph=None) -> str:
        graph = graph or self._walk.graph
        return "; ".join(step.text(graph) for step in self.path)


@dataclass
class Walk:
    """A breadth-first walk along one adjacency (dependents or dependencies) of the graph."""

    graph: object
    start: tuple
    parent: dict  # key -> (previous key, link index, forward) or None for the start
    depth_of: dict
    truncated: bool  # objects lie beyond the depth limit

    def path(self, key) -> list:
        steps = []
        while self.parent[key] is not None:
            previous, link, forward = self.parent[key]
            steps.append(Step(previous, key, self.graph.links[link], forward))
            key = previous
        return steps[::-1]


def walk(graph, start: tuple, adjacency: dict, depth: int) -> Walk:
    parent, depth_of, frontier, level = {start: None}, {start: 0}, [start], 0
    truncated = False
    while frontier:
        if level == depth:
            truncated = any(other not in parent for key in frontier for other, _l, _f in adjacency.get(key, ()))
            break
        following = []
        for key in frontier:
            for other, link, forward in adjacency.get(key, ()):
                if other not in parent:
                    parent[other] = (key, link, forward)
                    depth_of[other] = level + 1
                    following.append(other)
        frontier, level = following, level + 1
    return Walk(graph, start, parent, depth_of, truncated)


def cycles_met(graph, reached) -> list[list]:
    """The cycles of the graph that ``reached`` objects lie on: for each, its objects among ``reached``."""
    member_of = cycle_members(graph)
    met: dict = {}
    for key in reached:
        component = member_of.get(key)
        if component is not None:
            met.setdefault(component, []).append(key)
    return list(met.values())


@without_collection_pauses
def cycle_members(graph) -> dict:
    """{key: cycle number} of the objects on a cycle of dependencies, computed once per graph (the cycles of
    the dependencies are those of the dependents: a strongly connected set is one both ways)."""
    if "cycles" not in graph.cache:
        graph.cache["cycles"] = {
            key: number for number, component in enumerate(cycles(graph.nodes, graph.dependents))
            for key in component}
    return graph.cache["cycles"]


def cycles(reached, adjacency: dict) -> list[list]:
    """The cycles among ``reached`` objects along ``adjacency``: each strongly connected set of two or more
    objects (or one that depends on itself), as a list of keys."""
    return [component for component, looped in components(reached, adjacency) if looped]


def components(reached, adjacency: dict) -> list[tuple[list, bool]]:
    """The strongly connected sets of ``reached`` along ``adjacency``, each as (keys, whether it is a cycle),
    a set after every set it leads to (Tarjan's order). Iterative: no recursion limit."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for root in reached:
        if root in index:
            continue
        work = [(root, iter(adjacency.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            key, edges = work[-1]
            advanced = False
            for other, _link, _forward in edges:
                if other not in reached:
                    continue
                if other not in index:
                    index[other] = low[other] = counter
                    counter += 1
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(adjacency.get(other, ()))))
                    advanced = True
                    break
                if other in on_stack:
                    low[key] = min(low[key], index[other])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[key])
            if low[key] == index[key]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == key:
                        break
                looped = len(component) > 1 or any(other == key for other, _l, _f in adjacency.get(key, ()))
                found.append((component, looped))
    return found


def failing(graph, start: tuple, reached) -> set:
    """The objects among ``reached`` that fail when ``start`` fails: a dependent fails when a needed dependency
    fails, or when every alternative of one link (``LinkKind.any_of``) has failed."""
    failed, queue, hits = {start}, [start], defaultdict(int)
    sizes, any_of, dependents = graph.alternatives, graph.any_of, graph.dependents
    while queue:
        key = queue.pop()
        for other, index, _forward in dependents.get(key, ()):
            if other in failed or (reached is not None and other not in reached):
                continue
            if any_of[index]:
                group = (other, index)
                hits[group] += 1
                if hits[group] < sizes[group]:
                    continue
            failed.add(other)
            queue.append(other)
    return failed


@dataclass
class Impact:
    """What is hit when ``node`` fails: ``hits`` by depth, the cycles met, whether the depth limit cut the walk."""

    graph: object
    node: object
    depth: int
    hits: list
    cycles: list = field(default_factory=list)
    truncated: bool = False

    @property
    def cycle_met(self) -> bool:
        return bool(self.cycles)

    @property
    def failing(self) -> list:
        return [hit for hit in self.hits if hit.fails]

    def of_kind(self, slug: str) -> list:
        return [hit for hit in self.hits if hit.key[0] == slug]

    def keys(self) -> set:
        return {hit.key for hit in self.hits}

    def by_domain(self) -> list[tuple]:
        """[(Kind group slug, label, [(OPD abbreviation, [hits])])], domains in their order, OPDs by name."""
        return grouped(self.graph, self.hits)

    def departments(self) -> set:
        return {hit.node.department_id for hit in self.hits}


def grouped(graph, hits) -> list[tuple]:
    domains: dict = {}
    for hit in hits:
        kind = graph.kind_of(hit.key)
        domain = domains.setdefault(kind.group, (kind.group_order, kind.group_label, defaultdict(list)))
        domain[2][hit.node.department_id].append(hit)
    result = []
    for slug, (_order, label, by_department) in sorted(domains.items(), key=lambda item: (item[1][0], item[0])):
        opds = sorted(by_department.items(), key=lambda item: graph.department_label(item[0]))
        result.append((slug, label, [(graph.department_label(d), department_hits) for d, department_hits in opds]))
    return result


@without_collection_pauses
def impact(graph, obj, depth: int | None = None) -> Impact:
    """Everything that depends on ``obj`` (a model instance or a node key), transitively, up to ``depth``."""
    depth = check_depth(depth)
    start = key_for(graph, obj)
    found = walk(graph, start, graph.dependents, depth)
    reached = set(found.parent)
    failed = failing(graph, start, reached)
    nodes, depth_of = graph.nodes, found.depth_of
    hits = [Hit(key, nodes[key], depth_of[key], found, key in failed) for key in found.parent if key != start]
    order = graph.order()
    hits.sort(key=lambda hit: (hit.depth, order[hit.key[0]], hit.node.code))
    return Impact(graph, graph.node(start), depth, hits, cycles_met(graph, reached), found.truncated)


class SinglePoint:
    """An object whose failure alone brings down ``count`` services; the services (and their OPDs) are read
    when asked for, so that ranking thousands of points lists none."""

    def __init__(self, node, count: int, bit: int, services: list, kill: dict):
        self.node, self.count, self._bit, self._all, self._kill = node, count, bit, services, kill

    def __repr__(self):
        return f"SinglePoint({self.node.key}, {self.count} services)"

    @functools.cached_property
    def services(self) -> list:
        return [service for service in self._all if self._kill.get(service.key, 0) & self._bit]

    @property
    def departments(self) -> set:
        return {service.department_id for service in self.services}


@without_collection_pauses
def single_points_of_failure(graph, minimum: int = 2, group: str | None = None,
                             service_kind: str | None = None) -> list[SinglePoint]:
    """The objects of ``group`` (infrastruktur) whose failure alone brings down at least ``minimum`` services
    (``service_kind``: the layanan kind), with no alternative left; most services first."""
    from sia.architecture.models import Service
    from sia.architecture.models.infrastructure import INFRASTRUCTURE

    group = group or INFRASTRUCTURE.slug
    service_kind = service_kind or Service.spec.slug
    candidates = [node.key for node in graph.of_group(group) if graph.dependents.get(node.key)]
    kill = kill_sets(graph, candidates)
    services = sorted(graph.of_kind(service_kind), key=lambda service: service.code)
    # How many services each candidate brings down, for every candidate at once: a binary counter per bit
    # position, kept as bit planes (plane j holds bit j of every candidate's count), one addition per service.
    planes: list[int] = []
    for service in services:
        carry = kill.get(service.key, 0)
        for j in range(len(planes)):
            if not carry:
                break
            planes[j], carry = planes[j] ^ carry, planes[j] & carry
        if carry:
            planes.append(carry)
    found = []
    for number, key in enumerate(candidates):
        count = sum(((plane >> number) & 1) << j for j, plane in enumerate(planes))
        if count >= minimum:
            found.append(SinglePoint(graph.node(key), count, 1 << number, services, kill))
    found.sort(key=lambda point: (-point.count, point.node.code))
    return found


def kill_sets(graph, candidates: list) -> dict:
    """{key: bits}: bit i set when the failure of ``candidates[i]`` alone brings the object down (the rule of
    ``failing``, for every candidate at once): the least fixed point of an object's own bit, or'ed with the bits
    of each needed dependency and with the and of the bits of each link's alternatives.

    Objects that need each other with no alternative (a cycle of needed links: an application that reads the
    data it writes) fall together, so they share one set of bits: they are merged first, and the fixed point
    runs over the merged groups, a strongly connected set at a time, dependencies first; a cycle that
    alternatives leave is passed over again, in dependency order, until nothing changes."""
    any_of, alternatives = graph.any_of, graph.alternatives

    def needed(dependent, index) -> bool:  # no alternative: a needed link, or the only object of its link
        return not any_of[index] or alternatives[(dependent, index)] == 1

    hard = {key: [edge for edge in edges if needed(edge[0], edge[1])] for key, edges in graph.dependents.items()}
    group_of = {}
    for number, (members, _looped) in enumerate(components(graph.nodes, hard)):
        for key in members:
            group_of[key] = number
    size = len(set(group_of.values()))
    own, needs, choices = [0] * size, [set() for _ in range(size)], [[] for _ in range(size)]
    for number, key in enumerate(candidates):
        own[group_of[key]] |= 1 << number
    for key, edges in graph.dependencies.items():
        group, soft = group_of[key], defaultdict(list)
        for other, index, _forward in edges:
            if not needed(key, index):
                soft[index].append(group_of[other])
            elif group_of[other] != group:
                needs[group].add(group_of[other])
        choices[group].extend(soft.values())
    followers = defaultdict(list)  # group -> [(group that depends on it, _, _)], the shape ``components`` reads
    for group in range(size):
        for other in needs[group] | {member for choice in choices[group] for member in choice}:
            followers[other].append((group, 0, True))
    kill = [0] * size

    def bits(group) -> int:
        value = own[group]
        for other in needs[group]:
            value |= kill[other]
        for choice in choices[group]:
            common = -1
            for other in choice:
                common &= kill[other]
            value |= common
        return value

    for component, looped in reversed(components(range(size), followers)):
        if not looped:
            kill[component[0]] = bits(component[0])
            continue
        order, changed = _reverse_postorder(component, followers), True
        while changed:  # passes in dependency order: few, as in any forward data-flow problem
            changed = False
            for group in order:
                value = bits(group)
                if value != kill[group]:
                    kill[group], changed = value, True
    return {key: kill[group] for key, group in group_of.items() if kill[group]}


def _reverse_postorder(members: list, followers: dict) -> list:
    """``members`` (one strongly connected set) ordered so that an object mostly comes after what it depends on:
    the reverse of a depth-first walk's finishing order along ``followers``, within the set."""
    inside, seen, finished = set(members), set(), []
    for root in members:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(followers.get(root, ())))]
        while stack:
            node, edges = stack[-1]
            for other, _index, _forward in edges:
                if other in inside and other not in seen:
                    seen.add(other)
                    stack.append((other, iter(followers.get(other, ()))))
                    break
            else:
                stack.pop()
                finished.append(node)
    return finished[::-1]

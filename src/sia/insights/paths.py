"""The shortest dependency path(s) between two objects of the graph (``sia.insights.graph``).

``dependency_paths(graph, a, b, depth)`` answers "how does this service come to need that server" and "how
does this server come to carry that service": it looks for ``b`` among what ``a`` needs, transitively (down,
along ``graph.dependencies``), and among what needs ``a`` (up, along ``graph.dependents``), breadth first, and
returns every shortest path found (each a list of ``impact.Step``, read from ``a``), at most ``limit`` of them.
Either way the walk stops at ``depth`` links (``impact.check_depth``: at most ``MAX_DEPTH``) and ends on a cycle
(an object is reached once per direction); the cycles the paths pass through are named.

Protection (a keamanan object protects a server) is no dependency and is not followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .graph import without_collection_pauses
from .impact import Step, check_depth, cycles_met, key_for

DOWN, UP = "down", "up"
PATH_LIMIT = 20


class SameObject(ValueError):
    """Both ends of the asked path are one object."""


@dataclass(frozen=True)
class Path:
    direction: str  # DOWN: the start depends on the end; UP: the end depends on the start
    steps: list  # [impact.Step], from the start


@dataclass
class Paths:
    graph: object
    source: object  # Node
    target: object  # Node
    depth: int
    paths: list = field(default_factory=list)  # [Path], all of the shortest length
    truncated: bool = False  # nothing found, and the walk stopped at the depth limit with objects left beyond
    limited: bool = False  # more shortest paths exist than ``paths`` lists
    cycles: list = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.paths)

    @property
    def length(self) -> int | None:
        return len(self.paths[0].steps) if self.paths else None


def _layers(start, goal, adjacency: dict, depth: int):
    """Breadth first from ``start`` until the level that holds ``goal``: ({key: [(previous, link, forward)]} for
    every key reached up to that level, with every predecessor at the level before it; the goal's level or None;
    whether the walk stopped at the depth limit with unreached objects left)."""
    parents, level_of, frontier, level = {start: []}, {start: 0}, [start], 0
    while frontier:
        if goal in level_of:
            return parents, level_of[goal], False
        if level == depth:
            beyond = any(other not in level_of for key in frontier for other, _l, _f in adjacency.get(key, ()))
            return parents, None, beyond
        following = []
        for key in frontier:
            for other, link, forward in adjacency.get(key, ()):
                seen = level_of.get(other)
                if seen is None:
                    level_of[other] = level + 1
                    parents[other] = [(key, link, forward)]
                    following.append(other)
                elif seen == level + 1:  # another shortest way in
                    parents[other].append((key, link, forward))
        frontier, level = following, level + 1
    return parents, (level_of[goal] if goal in level_of else None), False


def _enumerate(graph, parents, start, goal, limit: int) -> tuple[list, bool]:
    """Up to ``limit`` paths from ``start`` to ``goal`` through ``parents`` (each a list of Steps), and whether
    there are more."""
    found, more = [], False
    stack = [(goal, [])]
    while stack:
        key, tail = stack.pop()
        if key == start:
            if len(found) == limit:
                more = True
                break
            found.append(tail)
            continue
        for previous, link, forward in reversed(parents[key]):
            stack.append((previous, [Step(previous, key, graph.links[link], forward), *tail]))
    return found, more


@without_collection_pauses
def dependency_paths(graph, source, target, depth: int | None = None, limit: int = PATH_LIMIT) -> Paths:
    """Every shortest dependency path between ``source`` and ``target`` (model instances or node keys), down
    (``source`` needs ``target``) or up (``target`` needs ``source``), ``depth`` links at most. Raises
    ``impact.UnknownObject`` for an end not in the graph, ``impact.DepthError``, ``SameObject``."""
    depth = check_depth(depth)
    start, goal = key_for(graph, source), key_for(graph, target)
    if start == goal:
        raise SameObject(_("Objek asal dan tujuan sama; pilih dua objek yang berbeda."))
    result = Paths(graph, graph.node(start), graph.node(goal), depth)
    best, truncated = {}, False
    for direction, adjacency in ((DOWN, graph.dependencies), (UP, graph.dependents)):
        parents, level, beyond = _layers(start, goal, adjacency, depth)
        truncated = truncated or beyond
        if level is not None:
            best[direction] = (level, parents)
    if not best:
        result.truncated = truncated
        return result
    shortest = min(level for level, _parents in best.values())
    on_paths = set()
    for direction in (DOWN, UP):
        if direction not in best or best[direction][0] != shortest:
            continue
        room = limit - len(result.paths)
        steps, more = _enumerate(graph, best[direction][1], start, goal, room)
        if not steps and room == 0:
            more = True
        result.limited = result.limited or more
        for path in steps:
            result.paths.append(Path(direction, path))
            on_paths.update(step.source for step in path)
            on_paths.add(goal)
    result.cycles = cycles_met(graph, on_paths)
    return result

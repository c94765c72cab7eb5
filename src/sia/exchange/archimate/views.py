"""The views an export carries, generated from the model: one landscape per OPD (its objects and those of other
OPDs they are linked to) and one chain per service (a kind drawn as a ``BusinessService``: what it needs, step by
step, down to the infrastructure), each with its nodes laid out on a grid, a row per ArchiMate layer.

Which end of a relationship needs the other is ``sia.insights.graph.DEPENDENCY`` (a server *serves* the
application, so the application needs the server): the chain reads like the traceability pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sia.insights.graph import BOTH, DEPENDENCY, SOURCE, TARGET

from . import mapping

# Kinds whose objects start a service chain, by ArchiMate element type.
CHAIN_ROOTS = ("BusinessService",)
CHAIN_DEPTH = 4  # steps down from the service: its processes and data, their applications, what runs those
# Nodes of a chain at most, nearest first: shared data and servers reach far beyond one service, and a diagram of
# five rows of eight boxes is what a reader takes in (at 60 the chains were more than half of a large export:
# docs/benchmarks.md).
CHAIN_LIMIT = 40
VIEW_LIMIT = 400  # nodes per landscape at most (an OPD of thousands of objects: the first by layer and code)
NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN, PER_ROW = 160, 60, 30, 30, 20, 8
LAYER_ROWS = {key: index for index, (key, _label, _elements) in enumerate(mapping.LAYERS)}


@dataclass(frozen=True)
class Placed:
    element: str  # element identifier
    x: int
    y: int
    w: int = NODE_W
    h: int = NODE_H


@dataclass
class View:
    identifier: str
    name: str
    folder: str  # "landscape" or "chain"
    nodes: list  # [Placed]
    connections: list  # [Relationship] whose two ends are nodes
    truncated: bool = False


def layout(model, identifiers) -> list[Placed]:
    """The elements on a grid: a band per ArchiMate layer (strategy at the top, implementation at the bottom),
    ``PER_ROW`` to a line, in the order given."""
    bands = defaultdict(list)
    for identifier in identifiers:
        element = model.elements[identifier]
        bands[LAYER_ROWS[mapping.layer(element.xsi_type)[0]]].append(identifier)
    placed, y = [], MARGIN
    for band in sorted(bands):
        members = bands[band]
        for index, identifier in enumerate(members):
            column, line = index % PER_ROW, index // PER_ROW
            placed.append(Placed(identifier, MARGIN + column * (NODE_W + GAP_X), y + line * (NODE_H + GAP_Y)))
        y += ((len(members) - 1) // PER_ROW + 1) * (NODE_H + GAP_Y) + GAP_Y
    return placed


def _adjacency(model) -> dict:
    """{source element: {target element: [indexes of the relationships between them]}}, once per model."""
    found = model.__dict__.get("_adjacency")
    if found is None:
        found = defaultdict(dict)
        for index, rel in enumerate(model.relationships):
            found[rel.source].setdefault(rel.target, []).append(index)
        model._adjacency = found
    return found


def _connections(model, chosen: set) -> list:
    """The relationships between two of ``chosen``, in the model's order: from each member, whichever is shorter of
    its outgoing relationships and the members (a shared server serves thousands)."""
    adjacency, indexes = _adjacency(model), []
    for source in chosen:
        outgoing = adjacency.get(source)
        if not outgoing:
            continue
        if len(outgoing) <= len(chosen):
            indexes.extend(i for target, found in outgoing.items() if target in chosen for i in found)
        else:
            indexes.extend(i for target in chosen for i in outgoing.get(target, ()))
    return [model.relationships[index] for index in sorted(indexes)]


def _ordered(model, identifiers) -> list:
    """In the model's order: kind by kind, by code."""
    position = model.__dict__.get("_position")
    if position is None:
        position = model._position = {identifier: index for index, identifier in enumerate(model.elements)}
    return sorted(identifiers, key=position.__getitem__)


def _view(model, identifier, name, folder, members, truncated=False) -> View:
    members = _ordered(model, members)
    truncated = truncated or len(members) > VIEW_LIMIT
    members = members[:VIEW_LIMIT]
    chosen = set(members)
    return View(identifier, name, folder, layout(model, members), _connections(model, chosen), truncated)


def landscapes(model) -> list[View]:
    """One view per OPD with objects: its own and those of other OPDs one relationship away."""
    own = defaultdict(set)
    for element in model.elements.values():
        own[element.department_id].add(element.identifier)
    neighbours = defaultdict(set)
    for rel in model.relationships:
        neighbours[rel.source].add(rel.target)
        neighbours[rel.target].add(rel.source)
    views = []
    for department_id, (abbreviation, name) in model.departments.items():
        members = set(own.get(department_id, ()))
        if not members:
            continue
        for identifier in list(members):
            members |= neighbours.get(identifier, set())
        views.append(_view(model, f"id-view-opd-{department_id}", f"Lanskap {abbreviation or name}", "landscape",
                           members))
    return views


def _dependencies(model) -> dict:
    """{element: the elements it needs}, from each relationship's dependency rule."""
    needs = defaultdict(set)
    for rel in model.relationships:
        end = BOTH if rel.two_way else DEPENDENCY.get(rel.mapping.link.relationship, (None, ""))[0]
        if end in (TARGET, BOTH):  # the target depends on the source
            needs[rel.target].add(rel.source)
        if end in (SOURCE, BOTH):
            needs[rel.source].add(rel.target)
    return needs


def chains(model) -> list[View]:
    """One view per service: the service and what it needs, nearest first, ``CHAIN_DEPTH`` steps down and
    ``CHAIN_LIMIT`` objects at most (a truncated chain says so in its documentation)."""
    needs = _dependencies(model)
    position = {identifier: index for index, identifier in enumerate(model.elements)}
    views = []
    for element in model.elements.values():
        if element.xsi_type not in CHAIN_ROOTS:
            continue
        members, frontier, truncated = {element.identifier}, [element.identifier], False
        for _step in range(CHAIN_DEPTH):
            following = sorted({other for key in frontier for other in needs.get(key, ()) if other not in members},
                               key=position.__getitem__)
            room = CHAIN_LIMIT - len(members)
            if len(following) > room:
                following, truncated = following[:room], True
            if not following:
                break
            members.update(following)
            frontier = following
        code = element.prop(mapping.PROPERTY_CODE)
        views.append(_view(model, f"id-view-chain-{element.identifier[3:]}",
                           f"Rantai layanan {code} {element.name}".strip(), "chain", members, truncated))
    return views

"""The architecture of an instansi as an in-memory graph, read from the link declarations of every domain.

Nodes are the objects of every kind the registry declares (``sia.architecture.registry.domain_models``),
keyed ``(kind slug, pk)``; edges are the rows of every declared link (``sia.architecture.linkspec
.declared_links``: ForeignKeys, many-to-many tables and ``through`` rows). No model is named here: a new
domain declared with its ``DomainSpec`` and ``LinkSpec`` appears in the graph as it is.

Which way a failure travels along a link is decided by the link's ArchiMate relationship
(``DEPENDENCY``): a server *serves* the application that runs on it, so the application depends on the
server; a process *realizes* a service, so the service depends on the process; an application *reads*
data, so it depends on that data. An *association* (a keamanan object protects data, an application, a
server) is no dependency: it is kept apart as protection.

``load_graph(user, institution)`` reads with a constant number of queries, whatever the number of objects:
one per kind (its visible objects: code, name, OPD, review status, state as-is / to-be and the few facts ``FACTS``
the kind has), one per link (its FK column, its many-to-many table or its rows of their own), one for the OPD
names. Objects the user may not see (``sia.core.permissions.visible``) are absent, and so are the edges to them.

``Graph.in_view(AS_IS | TO_BE)`` is the same graph as it is today or as it is planned (``view_admits``), with no
query: the as-is and to-be diagrams and lists of the insights pages.
"""

from __future__ import annotations

import functools
import gc
from collections import defaultdict
from dataclasses import dataclass, field

from sia.architecture.choices import ArchitectureState, IntegrationDirection
from sia.architecture.kindgroups import group_of, kind_label
from sia.architecture.linkspec import declared_links
from sia.architecture.registry import domain_models
from sia.core import permissions

# Which end of a link depends on the other, per ArchiMate relationship, named by the ArchiMate end
# ("source": the holder unless ``archimate_reversed``), and whether several objects at the other end are
# alternatives to each other (``any``: the dependent fails only when all of them fail; two servers that run
# one application) or each needed (``all``: an application that reads two data items needs both).
SOURCE, TARGET, BOTH = "source", "target", "both"
DEPENDENCY = {
    # The served object depends on what serves it (server -> application -> process, service).
    "serving": (TARGET, "any"),
    # The realized object depends on what realizes it (process -> service).
    "realization": (TARGET, "any"),
    # What is written depends on its writers (process, application -> data).
    "access-write": (TARGET, "any"),
    # A reader depends on what it reads (data -> application, service).
    "access-read": (SOURCE, "all"),
    # An access of no stated direction is what SIA declares for holding: storage and komputasi awan *store* data,
    # so the data depends on its stores (a copy on a second store is an alternative).
    "access": (TARGET, "any"),
    "access-readwrite": (BOTH, "all"),
    # The receiver of a flow depends on its sender; a two-way integration both ways.
    "flow": (TARGET, "all"),
    "triggering": (TARGET, "any"),
    "assignment": (TARGET, "any"),
    # What is placed in or run by a container depends on it (facility -> server -> platform software;
    # physical host -> virtual server).
    "aggregation": (TARGET, "any"),
    # A whole depends on each of its parts (a sub-process fails: its parent process is hit).
    "composition": (SOURCE, "all"),
}
# Relationships that are no dependency; "association" is what keamanan objects hold to what they protect.
PROTECTION = "association"

# The views of the architecture (``in_view``): as-is, what exists today; to-be, what is planned and what of today
# stays (an as-is object an upgrade develops is replaced by it, one marked for retirement is gone).
AS_IS, TO_BE = "as-is", "to-be"
VIEWS = (AS_IS, TO_BE)
_UPGRADE = str(ArchitectureState.TO_BE_UPGRADE)

# Facts read with a kind's labels where the kind has the field (gaps, diagrams): none names a domain.
FACTS = ("end_of_support", "lifecycle", "producer_department", "custodian_department")


def without_collection_pauses(func):
    """Runs ``func`` with Python's cyclic garbage collector held off, and lets it run after. Loading and walking a
    graph of thousands of objects allocates tens of thousands of tuples and small objects, which would trigger
    full collections (each one a walk over every object the process holds: 100 ms and more with a large graph)
    in the middle of the work; what these functions build holds no reference cycle, so nothing is lost by
    deferring the collection until they return."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


@dataclass(frozen=True)
class Kind:
    """One object kind of the graph (a domain model)."""

    slug: str
    model: type
    label: str  # "Server", "Aplikasi"
    group: str  # the kind group's slug: "infrastruktur", "aplikasi" (a domain of one kind is its own group)
    group_label: str
    group_order: int
    facts: tuple[str, ...]


@dataclass(frozen=True)
class LinkKind:
    """One declared link (holder model, ``LinkSpec``) and how dependency flows along it."""

    index: int
    holder: str  # kind slug of the holder
    target: str  # kind slug of the linked object
    field: str
    meaning: str  # holder -> target ("berjalan di")
    inverse: str  # target -> holder ("menjalankan")
    relationship: str
    cross_opd: bool
    dependent: str | None  # "holder", "target", "both" or None (no dependency: protection, influence)
    any_of: bool  # several objects at the depended-on end are alternatives

    @property
    def protection(self) -> bool:
        return self.relationship == PROTECTION

    def phrase(self, forward: bool) -> str:
        return str(self.meaning if forward else self.inverse)


@dataclass(slots=True)
class Node:
    kind: str
    pk: int
    code: str
    name: str
    department_id: int | None
    status: str
    facts: dict = field(default_factory=dict)
    # Its place between as-is and to-be (``ArchitectureState``), whether an as-is object is to be retired, and the
    # pk of the as-is object of its kind a to-be upgrade develops: what ``in_view`` keeps.
    state: str = AS_IS
    retiring: bool = False
    upgrades: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name


def link_kinds() -> list[tuple[type, object, LinkKind]]:
    """(holder model, LinkSpec, LinkKind) of every declared link whose two ends are domains."""
    slugs = {model: model.spec.slug for model in domain_models()}
    found = []
    for holder, spec in declared_links():
        target = spec.target_model(holder)
        if holder not in slugs or target not in slugs:
            continue
        end, rule = DEPENDENCY.get(spec.relationship, (None, "all"))
        if end == BOTH:
            dependent = "both"
        elif end is None:
            dependent = None
        else:  # the ArchiMate source is the holder unless the declaration reverses it
            holder_is_source = not spec.archimate_reversed
            dependent = "holder" if (end == SOURCE) == holder_is_source else "target"
        found.append((holder, spec, LinkKind(
            index=len(found), holder=slugs[holder], target=slugs[target], field=spec.field, meaning=spec.meaning,
            inverse=spec.inverse, relationship=spec.relationship, cross_opd=spec.cross_opd, dependent=dependent,
            any_of=rule == "any",
        )))
    return found


class Graph:
    """Nodes, typed edges and the dependency view of one reader's architecture."""

    def __init__(self, kinds: dict, links: list[LinkKind], departments: dict):
        self.kinds = kinds
        self.links = links
        self.departments = departments  # {pk: (abbreviation, name)}
        self.nodes: dict[tuple, Node] = {}
        # Every edge from both ends: key -> [(other key, link index, forward)]; forward: holder -> target.
        self.neighbours: dict[tuple, list] = defaultdict(list)
        # key -> [(dependent key, link index, forward)]: what is hit when ``key`` fails.
        self.dependents: dict[tuple, list] = defaultdict(list)
        # key -> [(dependency key, link index, forward)]: what ``key`` needs.
        self.dependencies: dict[tuple, list] = defaultdict(list)
        # key -> [(protector key, link index)]: the keamanan objects that protect ``key``.
        self.protectors: dict[tuple, list] = defaultdict(list)
        # (dependent key, link index) -> how many objects it depends on through that link, for the links whose
        # objects are alternatives (``LinkKind.any_of``): it fails when that many have failed.
        self.alternatives: dict[tuple, int] = defaultdict(int)
        self.any_of = [link.any_of for link in links]
        self.edge_count = 0
        self.cache: dict = {}  # what is computed once per graph (its cycles, its gaps of the day)
        self.born: float | None = None  # when its rows were read (``sia.insights.graph_cache``)

    def __contains__(self, key) -> bool:
        return key in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def node(self, key) -> Node:
        return self.nodes[key]

    def kind_of(self, key) -> Kind:
        return self.kinds[key[0]]

    def key_of(self, obj) -> tuple[str, int]:
        return (type(obj).spec.slug, obj.pk)

    def department_label(self, department_id) -> str:
        abbreviation, _name = self.departments.get(department_id, ("", ""))
        return abbreviation

    def add_edge(self, link: LinkKind, holder: tuple, target: tuple, two_way: bool = False) -> None:
        if holder not in self.nodes or target not in self.nodes:
            return  # an end the reader may not see (or of another instansi): no edge
        self.edge_count += 1
        self.neighbours[holder].append((target, link.index, True))
        self.neighbours[target].append((holder, link.index, False))
        if link.protection:
            self.protectors[target].append((holder, link.index))
        dependent = "both" if two_way and link.dependent else link.dependent
        if dependent in ("holder", "both"):  # the holder needs the target
            self.dependents[target].append((holder, link.index, False))
            self.dependencies[holder].append((target, link.index, True))
            if link.any_of:
                self.alternatives[(holder, link.index)] += 1
        if dependent in ("target", "both"):
            self.dependents[holder].append((target, link.index, True))
            self.dependencies[target].append((holder, link.index, False))
            if link.any_of:
                self.alternatives[(target, link.index)] += 1

    def freeze(self) -> None:
        """Once loaded: plain dictionaries, which reading a missing key does not change (a graph kept between
        requests is read by several threads at once; see ``sia.insights.graph_cache``)."""
        for name in ("neighbours", "dependents", "dependencies", "protectors", "alternatives"):
            setattr(self, name, dict(getattr(self, name)))

    @without_collection_pauses
    def restricted(self, admits) -> Graph:
        """This graph as a reader sees it: the nodes ``admits(node)`` lets through and the edges between them, as
        ``load_graph`` would have read them for that reader (the same adjacency, in the same order), with no
        query. ``admits`` is the reader's ``ViewScope`` rule (``sia.architecture.policies``)."""
        graph = Graph(self.kinds, self.links, self.departments)
        nodes = graph.nodes = {key: node for key, node in self.nodes.items() if admits(node)}

        def kept(adjacency) -> dict:
            result = {}
            for key, edges in adjacency.items():
                if key in nodes:
                    edges = [edge for edge in edges if edge[0] in nodes]
                    if edges:
                        result[key] = edges
            return result

        graph.neighbours, graph.dependents = kept(self.neighbours), kept(self.dependents)
        graph.dependencies, graph.protectors = kept(self.dependencies), kept(self.protectors)
        alternatives, any_of = defaultdict(int), self.any_of
        for key, edges in graph.dependencies.items():
            for _other, index, _forward in edges:
                if any_of[index]:
                    alternatives[(key, index)] += 1
        graph.alternatives = dict(alternatives)
        graph.edge_count = sum(len(edges) for edges in graph.neighbours.values()) // 2
        return graph

    def in_view(self, view: str | None) -> Graph:
        """This graph in one view of the architecture, ``AS_IS`` or ``TO_BE`` (None: as it is, every object), with the
        links between the objects the view keeps only; computed once per graph (``in_view``)."""
        if view is None:
            return self
        key = ("view", view)
        found = self.cache.get(key)
        if found is None:
            found = in_view(self, view)
            found.born = self.born
            self.cache[key] = found
        return found

    def order(self) -> dict:
        """{kind slug: its group's order}: sorts hits layer by layer."""
        return {slug: kind.group_order for slug, kind in self.kinds.items()}

    def of_kind(self, slug: str) -> list[Node]:
        return [node for key, node in self.nodes.items() if key[0] == slug]

    def of_group(self, group: str) -> list[Node]:
        slugs = {kind.slug for kind in self.kinds.values() if kind.group == group}
        return [node for key, node in self.nodes.items() if key[0] in slugs]


def view_admits(graph: Graph, view: str):
    """The rule of ``view`` over ``graph``'s nodes: ``AS_IS`` keeps the objects that exist today (those marked for
    retirement too: they still run); ``TO_BE`` keeps every to-be object (new and upgrade) and the as-is objects that
    stay: not one a to-be upgrade in the graph develops (the upgrade takes its place), not one marked for
    retirement. Only the graph's own nodes decide, so a reader's graph never drops an as-is object for an upgrade
    the reader may not see."""
    if view == AS_IS:
        return lambda node: node.state == AS_IS
    if view != TO_BE:
        raise ValueError(f"unknown view {view!r}")
    replaced = {(node.kind, node.upgrades) for node in graph.nodes.values()
                if node.state == _UPGRADE and node.upgrades is not None}
    return lambda node: node.state != AS_IS or not (node.retiring or (node.kind, node.pk) in replaced)


def in_view(graph: Graph, view: str) -> Graph:
    """``graph`` restricted to ``view`` (``view_admits``): its nodes and the links between them, no query."""
    return graph.restricted(view_admits(graph, view))


@without_collection_pauses
def load_graph(user, institution=None) -> Graph:
    """The graph of what ``user`` may see, of one instansi (an ``Institution`` or its pk) or of every one the
    user reads. A constant number of queries: one per kind, one per declared link, one for the OPDs."""
    return _load(getattr(institution, "pk", institution), lambda queryset: permissions.visible(user, queryset))


@without_collection_pauses
def load_whole_graph(institution) -> Graph:
    """Every object of one instansi, whoever may see it, in the same queries as ``load_graph``. Never shown as it
    is: ``sia.insights.graph_cache`` keeps it between requests and gives each reader ``restricted`` to what they
    may see."""
    return _load(getattr(institution, "pk", institution), None)


def _load(institution_id, visible) -> Graph:
    from sia.organizations.models import Department

    kinds = {}
    for model in domain_models():
        group = group_of(model)
        names = {f.name for f in model._meta.concrete_fields}
        kinds[model.spec.slug] = Kind(
            slug=model.spec.slug, model=model, label=kind_label(model), group=group.slug,
            group_label=group.label, group_order=group.order,  # lazy: a kept graph serves every language
            facts=tuple(name for name in FACTS if name in names),
        )
    found = link_kinds()
    graph = Graph(kinds, [link for _holder, _spec, link in found], {})

    departments = Department.objects.all()
    if institution_id is not None:
        departments = departments.filter(institution_id=institution_id)
    graph.departments = {pk: (abbreviation, name) for pk, abbreviation, name in
                         departments.values_list("pk", "abbreviation", "name")}

    for kind in kinds.values():
        queryset = kind.model._default_manager.all()
        if institution_id is not None:
            queryset = queryset.filter(institution_id=institution_id)
        if visible is not None:
            queryset = visible(queryset)
        columns = [kind.model._meta.get_field(name).attname for name in kind.facts]
        rows = queryset.values_list("pk", "code", "name", "department_id", "status", "state", "retiring",
                                    "upgrades_id", *columns)
        for pk, code, name, department_id, status, state, retiring, upgrades, *facts in rows:
            graph.nodes[(kind.slug, pk)] = Node(kind.slug, pk, code, name, department_id, status,
                                                dict(zip(kind.facts, facts)), state, retiring, upgrades)

    for holder, spec, link in found:
        for source, target, two_way in _pairs(holder, spec, institution_id):
            graph.add_edge(link, (link.holder, source), (link.target, target), two_way)
    graph.freeze()
    return graph


def _pairs(holder, spec, institution_id):
    """(holder pk, target pk, two-way) of every row of one declared link: one query."""
    if spec.through:
        source_field = spec.through_fields[0]
        rows = spec.through_model()._default_manager.all()
        if institution_id is not None:
            rows = rows.filter(**{f"{source_field}__institution_id": institution_id})
        for source, target, attributes in spec.pairs(rows):
            yield source, target, attributes.get("direction") == IntegrationDirection.TWO_WAY
        return
    model_field = holder._meta.get_field(spec.field)
    if model_field.many_to_many:
        table = model_field.remote_field.through
        own, other = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        rows = table._default_manager.all()
        if institution_id is not None:
            rows = rows.filter(**{f"{own}__institution_id": institution_id})
        for source, target in rows.values_list(own, other):
            yield source, target, False
        return
    rows = holder._default_manager.filter(**{f"{model_field.attname}__isnull": False})
    if institution_id is not None:
        rows = rows.filter(institution_id=institution_id)
    for source, target in rows.values_list("pk", model_field.attname):
        yield source, target, False

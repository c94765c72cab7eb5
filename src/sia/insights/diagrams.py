"""Diagrams of the insights graph, drawn on the server with Graphviz: DOT source built from the graph, rendered
by the ``dot`` binary to SVG (pages) or PNG (documents).

Everything drawn comes from the graph (``sia.insights.graph``), which holds only what the reader may see: a draft
of another OPD is no node, no name and no count here. Each kind is styled from its declaration
(``diagram_style``: ArchiMate layer colour and a shape per element); OPDs are clusters; nodes link to their
object's page. A diagram shows at most ``max_nodes`` boxes: beyond that, per OPD and kind, the nearest objects
are kept and the rest become one "+ N lainnya" box (the focus object is always kept, and drawn thicker).

Builders (``trace_diagram``, ``impact_diagram``, ``landscape_diagram``, ``application_landscape_diagram``) return
the DOT source, a ``str`` (``Dot``) that also carries its legend and how many objects were left out; ``suffix``
ends the ids of its elements, so that two diagrams on one page (as-is and to-be side by side) keep theirs apart.
``render(source, fmt)`` runs ``dot`` (no shell, a timeout; ``DiagramError`` on any failure); ``inline_svg``
gives the SVG to put in a page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict

from django.utils.translation import gettext as _

from .access import object_url
from .diagram_style import LAYER_ORDER, Style, kind_style, lines, quote, shorten

MAX_NODES = 80
TIMEOUT = 20  # seconds for one run of dot
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
NAME_LIMIT = 32
DEPTH_WEIGHT = 3  # pruning: one step farther weighs as much as three more objects of the same group
EDGE_LABELS = 150  # more links than this are drawn without their phrase (dot lays labels out as nodes: slow)
FONT = "Helvetica,Arial,sans-serif"
PLACEHOLDER = ("placeholder", 0)


class DiagramError(RuntimeError):
    """Graphviz is missing, failed or took too long."""


class Dot(str):
    """DOT source, with what a page says beside the picture: ``legend`` [(Kind, Style)] of the kinds drawn,
    ``omitted`` (objects left out by pruning), ``shown`` (object boxes drawn), ``name`` (what its element ids begin
    with)."""

    name: str = ""
    legend: list
    omitted: int
    shown: int


# --- Which objects are drawn ---------------------------------------------------------------------------------

def prune(graph, items: dict, keep: set, max_nodes: int, departments=()):
    """Which of ``items`` ({key: depth}) are drawn: all when they fit in ``max_nodes``; otherwise the nearest of each
    group (an OPD's objects of one kind) first, in turn across groups and depths (an object of depth d comes with
    the (``DEPTH_WEIGHT`` x d)th object of depth 0 of another group), from ``max_nodes // 10`` OPDs at most (those
    of ``keep`` and ``departments`` first, then the nearest), and the rest as "+ N lainnya" boxes: one per group
    some object of which is drawn, one per OPD for its groups none of which is, one for the OPDs nothing of which
    is drawn. ``keep`` (the focus) is always drawn; boxes count within ``max_nodes``.

    Returns ({key: representative}, {box: ((OPD or None, kind or None), count, OPDs)}): a drawn key represents
    itself, one left out is represented by its box, ``("placeholder", number)``."""
    keys = set(items)
    if len(keys) <= max_nodes:
        return {key: key for key in keys}, {}
    order, nodes = graph.order(), graph.nodes
    groups: dict = defaultdict(list)
    for key in keys - keep:
        groups[(nodes[key].department_id, key[0])].append(key)
    ranked = []
    for members in groups.values():
        members.sort(key=lambda k: (items[k], order.get(k[0], 0), nodes[k].code, k[1]))
        for rank, key in enumerate(members):
            ranked.append((items[key] * DEPTH_WEIGHT + rank, items[key], order.get(key[0], 0), nodes[key].code,
                           key[1], key))
    ranked.sort(key=lambda row: row[:5])
    clusters = [*dict.fromkeys([*(nodes[key].department_id for key in keep), *departments])]
    limit = max(2, max_nodes // 10)
    sequence = []
    for row in ranked:
        department = nodes[row[-1]].department_id
        if department is not None and department not in clusters:
            if len(clusters) >= limit:
                continue
            clusters.append(department)
        sequence.append(row[-1])
    group_of = {key: (nodes[key].department_id, key[0]) for key in sequence}
    low, high = 0, min(len(sequence), max(0, max_nodes - len(keep)))  # the most drawn, with boxes, in max_nodes
    while low < high:
        middle = (low + high + 1) // 2
        if middle + len(keep) + _box_count(groups, group_of, sequence[:middle]) <= max_nodes:
            low = middle
        else:
            high = middle - 1
    kept = set(keep) | set(sequence[:low])
    boxes = _boxes(groups, group_of, sequence[:low])
    represent = {key: key for key in kept}
    placeholders = {}
    for number, (group, left) in enumerate(sorted(boxes.items(), key=lambda item: str(item[0])), start=1):
        box = ("placeholder", number)
        placeholders[box] = (group, len(left), len({nodes[key].department_id for key in left}))
        for key in left:
            represent[key] = box
    return represent, placeholders


def _where(groups: dict, group_of: dict, drawn: list):
    """For the objects ``drawn``: {group: how many of it are drawn} and the OPDs drawn."""
    counts: dict = defaultdict(int)
    for key in drawn:
        counts[group_of[key]] += 1
    return counts, {group[0] for group in counts}


def _box_count(groups: dict, group_of: dict, drawn: list) -> int:
    counts, departments = _where(groups, group_of, drawn)
    partial = sum(1 for group, count in counts.items() if count < len(groups[group]))
    rest = {group[0] if group[0] in departments else None for group in groups if group not in counts}
    return partial + len(rest)


def _boxes(groups: dict, group_of: dict, drawn: list) -> dict:
    """{(OPD, kind) / (OPD, None) / (None, None): [keys left out]} for the objects of ``groups`` not ``drawn``."""
    counts, departments = _where(groups, group_of, drawn)
    drawn = set(drawn)
    boxes: dict = defaultdict(list)
    for group, members in groups.items():
        if group in counts:
            if counts[group] < len(members):
                boxes[group].extend(key for key in members if key not in drawn)
        elif group[0] is not None and group[0] in departments:
            boxes[(group[0], None)].extend(members)
        else:
            boxes[(None, None)].extend(members)
    return boxes


# --- DOT source ----------------------------------------------------------------------------------------------

class Drawing:
    """Objects and links to draw, turned into DOT by ``source``."""

    def __init__(self, graph, focus=None, max_nodes: int | None = None, name: str = "diagram"):
        self.graph = graph
        self.focus = focus  # a key, or None
        self.max_nodes = max(2, int(max_nodes or MAX_NODES))
        self.name = re.sub(r"[^A-Za-z0-9_-]", "-", name)
        self.items: dict = {}  # key -> depth
        self.edges: list = []  # (holder key, target key, link index)
        self.focus_department = None
        if focus is not None:
            self.add(focus, 0)

    def add(self, key, depth: int) -> None:
        if key in self.graph.nodes and (key not in self.items or depth < self.items[key]):
            self.items[key] = depth

    def link(self, holder, target, index: int) -> None:
        self.edges.append((holder, target, index))

    def add_hits(self, hits) -> None:
        """Hits of a walk, each with the link that reached it (the last step of its path)."""
        for hit in hits:
            self.add(hit.key, hit.depth)
            step = _last_step(hit)
            if step is not None:
                previous, index, forward = step
                self.link(*((previous, hit.key) if forward else (hit.key, previous)), index)

    def add_protectors(self) -> None:
        """The keamanan objects that protect what is drawn, one step beyond it, with a dashed link."""
        for key, depth in list(self.items.items()):
            for guard, index in self.graph.protectors.get(key, ()):
                self.add(guard, depth + 1)
                self.link(guard, key, index)

    def links_among(self) -> None:
        """Every link between two objects to draw."""
        items = self.items
        for key in items:
            for other, index, forward in self.graph.neighbours.get(key, ()):
                if forward and other in items:
                    self.link(key, other, index)

    def source(self, legend: bool = True, rankdir: str = "TB", natural: bool = False) -> Dot:
        """The DOT source. ``natural``: every link drawn holder -> target with its meaning (integrations: sender to
        receiver); otherwise a dependent points at what it depends on, so layers read from services down to
        infrastructure."""
        graph = self.graph
        represent, placeholders = prune(graph, self.items, {self.focus} if self.focus else set(), self.max_nodes,
                                        [self.focus_department] if self.focus_department else [])
        ids = {}
        for number, key in enumerate(sorted(k for k in represent if represent[k] == k), start=1):
            ids[key] = f"n{number}"
        for box in placeholders:
            ids[box] = f"m{box[1]}"
        out = [
            f"digraph {quote(self.name)} {{",
            f"  graph [id={quote(self.name)}, rankdir={rankdir}, splines=true, newrank=true, nodesep=0.25, "
            f"ranksep=0.45, fontname={quote(FONT)}, fontsize=10, outputorder=edgesfirst, "
            f'bgcolor="transparent", tooltip=" "];',
            f'  node [fontname={quote(FONT)}, fontsize=9, margin="0.1,0.04", color="#4d4d4d", penwidth=1, '
            f'target="_top"];',
            f'  edge [fontname={quote(FONT)}, fontsize=8, color="#5c5c5c", fontcolor="#404040", arrowsize=0.6];',
        ]
        styles = {slug: kind_style(kind) for slug, kind in graph.kinds.items()}
        by_department: dict = defaultdict(list)
        kinds_drawn = set()
        for key, rep in represent.items():
            if rep == key:
                by_department[graph.nodes[key].department_id].append(self._node(ids[key], key, styles[key[0]]))
                kinds_drawn.add(key[0])
        for box, ((department_id, kind), count, departments) in placeholders.items():
            by_department[department_id].append(
                self._placeholder(ids[box], kind, department_id, count, departments, styles))
            if kind:
                kinds_drawn.add(kind)
        for department_id in sorted(by_department, key=lambda d: (d is not None, graph.department_label(d), d or 0)):
            if department_id is None:
                out.extend(by_department[department_id])
                continue
            abbreviation, name = graph.departments.get(department_id, ("", ""))
            own = department_id == self.focus_department
            out.append(f"  subgraph cluster_{int(department_id)} {{")
            out.append(f"    id={quote(f'{self.name}-opd-{int(department_id)}')}; "
                       f"label={quote(abbreviation or name)}; tooltip={quote(name or abbreviation, tooltip=True)}; "
                       f'style="rounded{",bold" if own else ""}"; color="#9aa5b1"; fontsize=10; labeljust=l;')
            out.extend("  " + line for line in by_department[department_id])
            out.append("  }")
        out.extend(self._edges(represent, ids, natural))
        drawn_legend = sorted(((graph.kinds[slug], styles[slug]) for slug in kinds_drawn),
                              key=lambda pair: (LAYER_ORDER[pair[1].layer], pair[0].group_order, pair[0].label))
        if legend and drawn_legend:
            out.extend(_legend(drawn_legend, self.name))
        out.append("}")
        dot = Dot("\n".join(out) + "\n")
        dot.legend = drawn_legend
        dot.omitted = sum(count for _group, count, _departments in placeholders.values())
        dot.shown = len(ids) - len(placeholders)
        dot.name = self.name
        return dot

    def _node(self, node_id, key, style: Style) -> str:
        graph, node = self.graph, self.graph.nodes[key]
        kind = graph.kinds[key[0]]
        abbreviation, _name = graph.departments.get(node.department_id, ("", ""))
        attributes = {"id": quote(f"{self.name}-{node_id}"), **style.attributes(),
                      "label": lines(node.code, shorten(node.name, NAME_LIMIT)),
                      "URL": quote(object_url(node, graph)),
                      "tooltip": lines(kind.label, node.code, node.name, abbreviation, tooltip=True)}
        attributes["shape"], attributes["fillcolor"] = quote(attributes["shape"]), quote(attributes["fillcolor"])
        attributes["style"] = quote(attributes["style"])
        if key == self.focus:
            attributes.update(penwidth="3", color='"#1a1a1a"', fontsize="10")
        return f"  {node_id} [{_attrs(attributes)}];"

    def _placeholder(self, node_id, kind, department_id, count, departments, styles) -> str:
        graph = self.graph
        style = styles.get(kind) if kind else None
        label = _("+ %(count)d lainnya") % {"count": count}
        what = graph.kinds[kind].label if kind else _("objek")
        tooltip = _("%(count)d %(kind)s lain tidak digambar") % {"count": count, "kind": what}
        if department_id is not None:
            tooltip = f"{tooltip} ({graph.department_label(department_id)})"
        elif departments > 1:
            tooltip = _("%(count)d objek lain dari %(opds)d OPD tidak digambar") % {"count": count, "opds": departments}
        fill = style.fill if style else "#f2f2f2"
        return (f"  {node_id} [id={quote(f'{self.name}-{node_id}')}, label={quote(label)}, tooltip={quote(tooltip, tooltip=True)}, "
                f'shape=box, style="filled,dashed", fillcolor={quote(fill)}, fontcolor="#333333"];')

    def _edges(self, represent, ids, natural) -> list:
        """One arrow per pair of boxes and link (one per pair, whatever the links, at a "+ N lainnya" box; none
        between two such boxes)."""
        graph, found = self.graph, {}
        for holder, target, index in self.edges:
            a, b = represent.get(holder), represent.get(target)
            if a is None or b is None or a == b or (a[0] == b[0] == PLACEHOLDER[0]):
                continue
            which = None if PLACEHOLDER[0] in (a[0], b[0]) else index
            existing = found.get((a, b, which)) or found.get((b, a, which))
            if existing is not None:
                existing[3] = existing[3] or existing[2] != index  # several links: drawn without a phrase
                continue
            found[(a, b, which)] = [holder, target, index, False]
        labels = len(found) <= EDGE_LABELS
        out = []
        for (a, b, _index), (holder, target, index, mixed) in found.items():
            link = graph.links[index]
            two_way = link.dependent == "both" or _two_way(graph, holder, target, index)
            if link.protection:  # drawn from the protected object, the arrow at it: the keamanan object sits below
                tail, head, label, extra = b, a, link.phrase(True), 'style=dashed, dir=back, color="#7a7a9a"'
            elif natural or two_way or link.dependent == "holder":
                tail, head, label, extra = a, b, link.phrase(True), "dir=both" if two_way else ""
            elif link.dependent == "target":
                tail, head, label, extra = b, a, link.phrase(False), ""
            else:  # a link of no dependency and no protection (an influence): drawn, not ranked
                tail, head, label, extra = a, b, link.phrase(True), "style=dotted, constraint=false"
            attributes = ", ".join(part for part in (
                f"label={quote(label)}" if labels and not mixed else "", extra) if part)
            out.append(f"  {ids[tail]} -> {ids[head]}" + (f" [{attributes}];" if attributes else ";"))
        return out


def _attrs(attributes: dict) -> str:
    return ", ".join(f"{name}={value}" for name, value in attributes.items())


def _legend(drawn, name) -> list:
    """One box per kind drawn, in a row (layers in ArchiMate's order), each with its kind's shape and colour."""
    out = ["  subgraph cluster_legend {", f"    id={quote(name + '-legenda')}; label={quote(_('Legenda'))}; "
           f'style="rounded"; color="#c8ced4"; fontsize=9; labeljust=l; rank=same;']
    for number, (kind, style) in enumerate(drawn, start=1):
        attributes = style.attributes()
        out.append(f"    legend{number} [id={quote(f'{name}-legenda-{number}')}, label={quote(kind.label)}, "
                   f"tooltip={quote(style.element or kind.label, tooltip=True)}, shape={quote(attributes['shape'])}, "
                   f"style={quote(attributes['style'])}, fillcolor={quote(attributes['fillcolor'])}, fontsize=8];")
    if len(drawn) > 1:  # invisible links keep the boxes in the legend's order
        out.append("    " + " -> ".join(f"legend{n}" for n in range(1, len(drawn) + 1)) + " [style=invis];")
    out.append("  }")
    return out


def _last_step(hit):
    walk = getattr(hit, "_walk", None)
    if walk is not None and hasattr(walk, "parent"):
        return walk.parent.get(hit.key)
    path = hit.path
    if not path:
        return None
    step = path[-1]
    return step.source, step.link.index, step.forward


def _two_way(graph, holder, target, index) -> bool:
    """A link row both ends depend on (a two-way integration)."""
    return ((target, index, True) in graph.dependencies.get(holder, ())
            and (holder, index, False) in graph.dependencies.get(target, ()))


# --- Builders --------------------------------------------------------------------------------------------------

def trace_diagram(found, max_nodes: int | None = None, legend: bool = True, suffix: str = "") -> Dot:
    """The traceability chain of ``found`` (``sia.insights.trace.Trace``): the object, what needs it (up) and what it
    needs (down), each linked along its path, and the keamanan objects protecting what is drawn (dashed)."""
    drawing = Drawing(found.graph, found.node.key, max_nodes, f"jejak-{found.node.kind}-{found.node.pk}{suffix}")
    drawing.add_hits(found.up)
    drawing.add_hits(found.down)
    drawing.add_protectors()
    return drawing.source(legend)


def impact_diagram(found, max_nodes: int | None = None, legend: bool = True, suffix: str = "") -> Dot:
    """What is hit when the object of ``found`` (``sia.insights.impact.Impact``) fails, each linked along its path."""
    drawing = Drawing(found.graph, found.node.key, max_nodes, f"dampak-{found.node.kind}-{found.node.pk}{suffix}")
    drawing.add_hits(found.hits)
    return drawing.source(legend)


def landscape_diagram(found, max_nodes: int | None = None, legend: bool = True, suffix: str = "") -> Dot:
    """An OPD's landscape (``sia.insights.trace.Landscape``): its own objects and what it uses of other OPDs, with
    every link between them."""
    drawing = Drawing(found.graph, None, max_nodes, f"lanskap-opd-{found.department_id}{suffix}")
    drawing.focus_department = found.department_id
    for node in found.own:
        drawing.add(node.key, 0)
    for hit in found.used:
        drawing.add(hit.key, hit.depth)
    drawing.links_among()
    return drawing.source(legend)


def application_kinds(graph) -> set:
    """The kinds declared as ArchiMate application components (the aplikasi kind)."""
    return {slug for slug, kind in graph.kinds.items() if kind_style(kind).element == "ApplicationComponent"}


def integration_links(graph) -> set:
    """The indexes of the links from an application to an application (integrations), from the declarations."""
    kinds = application_kinds(graph)
    return {link.index for link in graph.links if link.holder in kinds and link.target in kinds}


def application_landscape_diagram(graph, max_nodes: int | None = None, legend: bool = True, suffix: str = "") -> Dot:
    """The applications of the graph's instansi, grouped by OPD, with the integrations between them (sender to
    receiver; two-way both). Pruned, the most integrated applications of each OPD are kept."""
    kinds, links = application_kinds(graph), integration_links(graph)
    drawing = Drawing(graph, None, max_nodes, f"lanskap-aplikasi{suffix}")
    partners = {key: sum(1 for _other, index, _f in graph.neighbours.get(key, ()) if index in links)
                for key in graph.nodes if key[0] in kinds}
    most = max(partners.values(), default=0) + 1
    for key, count in partners.items():
        drawing.add(key, 1 - count / most)  # "nearest": the most integrated first, within a step
    for key in drawing.items:
        for other, index, forward in graph.neighbours.get(key, ()):
            if forward and index in links and other in drawing.items:
                drawing.link(key, other, index)
    return drawing.source(legend, rankdir="LR", natural=True)


# --- Rendering -------------------------------------------------------------------------------------------------

def render(source: str, fmt: str = "svg", timeout: float = TIMEOUT) -> bytes:
    """``source`` rendered by Graphviz's ``dot`` as ``fmt`` ("svg" or "png")."""
    if fmt not in FORMATS:
        raise DiagramError(f"unsupported format {fmt!r}")
    binary = shutil.which("dot")
    if binary is None:
        raise DiagramError("Graphviz dot is not installed")
    data = _staggered(source, timeout)
    try:
        done = subprocess.run([binary, f"-T{fmt}"], input=data, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise DiagramError(f"dot took longer than {timeout} s") from error
    except OSError as error:
        raise DiagramError(f"dot could not run: {error}") from error
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()[:500]
        raise DiagramError(f"dot failed (exit {done.returncode}): {message}")
    return done.stdout


# A top-down diagram with many objects at one depth (the 40 applications of a service) is one very wide row:
# Graphviz's ``unflatten`` staggers such rows over up to STAGGER rows, so the diagram keeps a readable shape.
STAGGER = 4


def _staggered(source: str, timeout: float) -> bytes:
    """``source`` (a top-down diagram) passed through ``unflatten -l STAGGER``; as it is when unflatten is missing,
    fails or the diagram runs left to right."""
    data = source.encode("utf-8")
    binary = shutil.which("unflatten")
    if binary is None or "rankdir=TB" not in source:
        return data
    try:
        done = subprocess.run([binary, "-l", str(STAGGER)], input=data, capture_output=True, timeout=timeout,
                              check=False)
    except (subprocess.TimeoutExpired, OSError):
        return data
    return done.stdout if done.returncode == 0 and done.stdout else data


_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*("[^"]*"|'[^']*')""")
_ROOT = re.compile(r"<svg\b[^>]*>")
_EDGE_ID = re.compile(r'id="(a_)?(edge\d+)"')
_SCRIPT = re.compile(r"<\s*script", re.I)  # dot writes none (label text is escaped); never let one through
_VIEWBOX = re.compile(r'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) [0-9.]+"')
_SIZE = re.compile(r"""\s(width|height)\s*=\s*("[^"]*"|'[^']*')""")


def inline_svg(source: str, label: str = "", timeout: float = TIMEOUT) -> str:
    """The SVG of ``source`` for a page: no XML prolog, DOCTYPE or comments, no ``style`` attribute (the CSP forbids
    inline style; dot draws with presentation attributes), and the root's height left out and its width set to the
    viewBox's, so that it scales down with its container (CSS ``max-width``; the viewBox kept), its edges' ids begun
with the diagram's name (``Dot.name``) like the rest. Everything in it is
    dot's output: dot escapes the text of labels."""
    svg = render(source, "svg", timeout).decode("utf-8")
    svg = _COMMENT.sub("", _PROLOG.sub("", svg, count=1))
    svg = _STYLE_ATTRIBUTE.sub("", svg)
    if getattr(source, "name", ""):  # dot numbers edges edge1, edge2...: two diagrams on a page keep theirs apart
        svg = _EDGE_ID.sub(lambda match: f'id="{match.group(1) or ""}{source.name}-{match.group(2)}"', svg)
    root = _ROOT.search(svg)
    if root is None or _SCRIPT.search(svg):
        raise DiagramError("dot produced no usable SVG")
    tag = _SIZE.sub("", root.group(0))
    box = _VIEWBOX.search(tag)
    width = f' width="{round(float(box.group(1)))}"' if box else ""  # its natural size at most (CSS max-width)
    aria = f' role="group" aria-label={_xml_attribute(label)}' if label else ""  # links inside stay reachable
    tag = tag.replace("<svg", f'<svg class="diagram-svg"{width}{aria}', 1)
    return (svg[:root.start()] + tag + svg[root.end():]).strip()


def _xml_attribute(text: str) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return f'"{text}"'

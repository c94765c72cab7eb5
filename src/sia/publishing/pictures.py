"""The diagrams of the document: per domain, its objects and the links among them in the as-is and the to-be view,
drawn by ``sia.insights.diagrams`` from the requester's graph and rendered as PNG at print resolution."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image

from sia.architecture.choices import ArchitectureState
from sia.insights import diagrams
from sia.insights.graph import AS_IS, TO_BE, load_graph

from .content import VALIDATED, Scope

DPI = 200  # print resolution of the pictures
MAX_NODES = 60  # boxes per diagram; the rest "+ N lainnya" (diagrams.prune)


@dataclass
class Picture:
    title: str
    png: bytes
    width_px: int
    height_px: int
    omitted: int

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px if self.width_px else 1.0


def document_graph(scope: Scope):
    """The requester's graph of the instansi, narrowed to the validated objects and to the OPD as the document is."""
    graph = load_graph(scope.user, scope.institution)
    department_id = getattr(scope.department, "pk", None)
    if scope.validated_only or department_id is not None:
        graph = graph.restricted(lambda node: (not scope.validated_only or node.status == VALIDATED)
                                 and (department_id is None or node.department_id == department_id))
    return graph


def _printed(source: str) -> str:
    """The DOT source drawn at ``DPI`` (graph attribute; the builders write one ``graph [...]`` line)."""
    return source.replace("  graph [", f"  graph [dpi={DPI}, ", 1)


def domain_pictures(graph, group) -> list[Picture]:
    """The as-is and the to-be diagram of the domain ``group`` (a KindGroup): each of its objects in that view and
    the links among them; a view with no object of the domain draws nothing."""
    found = []
    has_to_be = any(node.state != ArchitectureState.AS_IS for node in graph.of_group(group.slug))
    for view, title in ((AS_IS, _("Diagram %(domain)s kondisi saat ini (as-is)")),
                        (TO_BE, _("Diagram %(domain)s kondisi yang dituju (to-be)"))):
        if view == TO_BE and not has_to_be:
            continue
        viewed = graph.in_view(view)
        nodes = viewed.of_group(group.slug)
        if not nodes:
            continue
        drawing = diagrams.Drawing(viewed, None, MAX_NODES, f"dokumen-{group.slug}-{view}")
        for node in nodes:
            drawing.add(node.key, 0)
        drawing.links_among()
        source = drawing.source(legend=True)
        png = diagrams.render(_printed(source), "png", timeout=60)
        with Image.open(io.BytesIO(png)) as image:  # the resolution written in the file: Word sizes it by it
            width, height = image.size
            stamped = io.BytesIO()
            image.save(stamped, "PNG", dpi=(DPI, DPI))
            png = stamped.getvalue()
        found.append(Picture(title % {"domain": group.label}, png, width, height, source.omitted))
    return found

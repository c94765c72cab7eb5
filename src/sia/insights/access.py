"""What the pages, diagrams and API of ``sia.insights`` share: the reader's graph, loaded once per request, and
the object a URL names, as the reader may see it (404 otherwise: an object of another OPD in draft is as absent
as one that does not exist).

Kinds are named by their ``DomainSpec.slug`` ("server", "aplikasi"), as in the architecture pages, so a kind
declared tomorrow has its traceability and impact pages at once.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from sia.architecture import generation
from sia.architecture.registry import domain_models
from sia.core import permissions

from . import graph_cache
from .graph import Graph, Node

_CACHE = "_sia_insights_graphs"


def kind_models() -> dict:
    """{kind slug: model} of every declared domain kind."""
    return {model.spec.slug: model for model in domain_models()}


def institutions_for(user):
    """The active instansi whose architecture the user reads (all of them for a superuser), by name."""
    from sia.architecture.models import Service

    return permissions.readable_institutions(user, Service)


def graph_for(request, institution) -> Graph:
    """The graph of ``institution`` (an ``Institution`` or its pk) as ``request.user`` may see it, asked for once per
    request whatever the number of panels, diagrams and lists that read it, and kept between requests while the
    architecture does not change (``sia.insights.graph_cache``)."""
    institution_id = getattr(institution, "pk", institution)
    cache = request.__dict__.setdefault(_CACHE, {})
    if institution_id not in cache:
        cache[institution_id] = graph_cache.graph(request.user, institution_id, _token(request))
    return cache[institution_id]


def _token(request) -> str:
    """The architecture's generation, read once per request (``sia.insights.graph_cache``)."""
    cache = request.__dict__.setdefault(_CACHE, {})
    if "token" not in cache:
        cache["token"] = generation.token()
    return cache["token"]


def gaps_for(request, institution) -> list:
    """The gaps of ``institution`` as ``request.user`` is shown them (``gaps.gaps_seen``): found on the whole
    instansi, restricted to the reader's objects."""
    from .gaps import gaps_seen

    institution_id = getattr(institution, "pk", institution)
    return gaps_seen(graph_for(request, institution_id), graph_cache.whole(request.user, institution_id,
                                                                           _token(request)))


def object_or_404(request, kind: str, pk: int):
    """The architecture object of kind ``kind`` and ``pk`` if the user may see it; 404 for an unknown kind, an
    unknown object and one the user may not see alike. One query."""
    model = kind_models().get(kind)
    if model is None:
        raise Http404(_("Jenis objek tidak dikenal."))
    obj = permissions.visible(request.user, model).filter(pk=pk).select_related("department").first()
    if obj is None:
        raise Http404(_("Objek tidak ditemukan."))
    return obj


def department_or_404(request, pk: int):
    """The OPD ``pk`` if the user may see it (with its instansi); 404 otherwise, as for one that does not exist."""
    from sia.organizations.models import Department

    department = permissions.visible(request.user, Department).filter(pk=pk).select_related("institution").first()
    if department is None:
        raise Http404(_("OPD tidak ditemukan."))
    return department


def node_or_404(request, kind: str, pk: int) -> tuple[Graph, Node]:
    """(graph of the object's instansi, the object's node) for the object a URL names, or 404."""
    obj = object_or_404(request, kind, pk)
    graph = graph_for(request, obj.institution_id)
    node = graph.nodes.get((kind, obj.pk))
    if node is None:  # visible as a row, yet not in the graph: cannot happen with one visibility rule; be safe
        raise Http404(_("Objek tidak ditemukan."))
    return graph, node


def object_url(node: Node, graph: Graph) -> str:
    """The page of the object behind ``node``."""
    model = graph.kinds[node.kind].model
    return reverse(f"architecture:{model._meta.model_name}", args=[node.pk])

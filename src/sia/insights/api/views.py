"""``/api/insights/``: the graph of the architecture read through the API (read-only).

An object is named in the query string by its kind's slug and ID (``?kind=server&id=8``), as the pages under
/analisis/ name it in their path; the answer reads the graph of the object's instansi as the reader may see it
(``sia.insights.access``: loaded once per request, a constant number of queries). An object the reader may not
see answers exactly what an object that does not exist answers (404), and the objects of a walk the reader may
not see are not in the graph: their names never appear. The work is done by the plain functions of
``sia.insights`` (``impact``, ``trace``, ``paths``, ``gaps``); the views read parameters and render.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from sia.core.api.pagination import SiaLimitOffsetPagination
from sia.core.api.parameters import institution_parameter, integer_parameter

from ..access import gaps_for, graph_for, institutions_for, kind_models, object_or_404
from ..impact import MAX_DEPTH, DepthError, impact, parse_depth, single_points_of_failure
from ..paths import SameObject, dependency_paths
from ..trace import trace
from . import serializers as s

NOT_FOUND = _lazy("Objek tidak ditemukan atau tidak terlihat oleh Anda (jawaban yang sama untuk keduanya).")


def _kind_parameter(name="kind", required=True):
    return OpenApiParameter(name, str, required=required, enum=sorted(kind_models()), description=_lazy(
        "Slug jenis objek arsitektur (mis. server, aplikasi, layanan)."))


def _id_parameter(name="id", required=True):
    return OpenApiParameter(name, OpenApiTypes.INT, required=required, description=_lazy("ID objek."))


DEPTH = OpenApiParameter("depth", OpenApiTypes.INT, description=format_lazy(_lazy(
    "Kedalaman penelusuran, 1 sampai {max} tautan (bawaan: {max})."), max=MAX_DEPTH))
INSTANSI = OpenApiParameter("instansi", OpenApiTypes.INT, description=_lazy(
    "ID instansi; tanpa ini: satu-satunya instansi yang dapat Anda baca (wajib bila Anda membaca beberapa)."))
OBJECT_ERRORS = {404: OpenApiResponse(description=NOT_FOUND)}
INSTANSI_ERRORS = {404: OpenApiResponse(description=_lazy(
    "Instansi tidak ditemukan atau tidak dapat Anda baca, atau Anda belum anggota instansi mana pun."))}


class InsightsView(APIView):
    """Reading the parameters every endpoint shares; errors name the parameter (400) or are 404."""

    def kind(self, name="kind") -> str:
        raw = self.request.query_params.get(name, "")
        kinds = kind_models()
        if raw not in kinds:
            message = _("Jenis objek tidak dikenal; pilih salah satu: %(kinds)s.") % {"kinds": ", ".join(sorted(kinds))}
            if not raw:
                message = _("Wajib diisi: slug jenis objek (%(kinds)s).") % {"kinds": ", ".join(sorted(kinds))}
            raise ValidationError({name: [message]})
        return raw

    def integer(self, name, required=False, label=None) -> int | None:
        return integer_parameter(self.request, name, label or name, required)

    def depth(self) -> int:
        try:
            return parse_depth(self.request.query_params.get("depth"))
        except DepthError as error:
            raise ValidationError({"depth": [str(error)]}) from None

    def obj(self, kind_param="kind", id_param="id"):
        """(graph, node) of the object the parameters name, or 404 (unknown and hidden alike)."""
        kind = self.kind(kind_param)
        pk = self.integer(id_param, required=True, label=_("ID objek"))
        try:
            found = object_or_404(self.request, kind, pk)
        except Http404:
            raise NotFound(str(NOT_FOUND)) from None
        graph = graph_for(self.request, found.institution_id)
        node = graph.nodes.get((kind, found.pk))
        if node is None:  # visible as a row yet not in the graph: cannot happen with one visibility rule
            raise NotFound(str(NOT_FOUND))
        return graph, node

    def institution(self):
        """The instansi the ``instansi`` parameter names among those the user reads, or the only one."""
        return institution_parameter(self.request, institutions_for(self.request.user))


def _dependency(needs: set, needed: set, other, index) -> str | None:
    """Which way the link ``index`` to ``other`` is a dependency, given the object's own (other, link) pairs."""
    if (other, index) in needs:
        return "both" if (other, index) in needed else "needs"
    return "needed_by" if (other, index) in needed else None


class NeighboursView(InsightsView):
    """An object and every object linked to it, either end, with the link as read from the object: its meaning,
    ArchiMate relationship, whether it is a dependency and which way, and whether it is protection."""

    @extend_schema(parameters=[_kind_parameter(), _id_parameter()],
                   responses={200: s.NeighboursSerializer, **OBJECT_ERRORS})
    def get(self, request):
        graph, node = self.obj()
        render = s.Renderer(graph, request)
        order = graph.order()
        needs = {(other, index) for other, index, _f in graph.dependencies.get(node.key, ())}
        needed = {(other, index) for other, index, _f in graph.dependents.get(node.key, ())}
        rows = []
        for other, index, forward in graph.neighbours.get(node.key, ()):
            link = graph.links[index]
            rows.append((order[other[0]], graph.node(other).code, other[1], index, {
                "object": render.full(graph.node(other)),
                "link": {"field": link.field, "holder": link.holder, "meaning": link.phrase(forward),
                         "relationship": link.relationship,
                         "dependency": _dependency(needs, needed, other, index), "protection": link.protection},
            }))
        rows.sort(key=lambda row: row[:4])
        return Response({"object": render.full(node), "neighbours": [row[-1] for row in rows]})


class ImpactSetView(InsightsView):
    """Everything that depends on the object, transitively ("what if it fails or is retired"), nearest first:
    each hit with its depth, whether it fails with no alternative left, and the path that explains it; the counts
    by domain and OPD, the cycles met, and whether the depth limit cut the walk. ``hits`` is paged."""

    pagination_class = SiaLimitOffsetPagination

    @extend_schema(parameters=[_kind_parameter(), _id_parameter(), DEPTH,
                               OpenApiParameter("limit", OpenApiTypes.INT, description=_lazy(
                                   "Jumlah hit per halaman (bawaan 50, paling banyak 1000).")),
                               OpenApiParameter("offset", OpenApiTypes.INT)],
                   responses={200: s.ImpactSetSerializer, **OBJECT_ERRORS})
    def get(self, request):
        depth = self.depth()
        graph, node = self.obj()
        found = impact(graph, node.key, depth)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(found.hits, request, view=self)
        render = s.Renderer(graph, request)
        return Response({
            "object": render.full(node), "depth": found.depth, "count": len(found.hits),
            "failing": len(found.failing), "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "hits": [{"object": render.full(hit.node), "depth": hit.depth, "fails": hit.fails,
                      "path": render.steps(hit.path)} for hit in page],
            "by_domain": render.by_domain(found.by_domain()), "by_department": render.by_department(found.hits),
            "cycles": render.cycles(found.cycles), "truncated": found.truncated,
        })


class PathsView(InsightsView):
    """The shortest dependency path(s) between two objects, either way: down (the first needs the second: a
    service down to a server) or up (the second needs the first: a server up to a service); ``found`` false and
    no path when none lies within the depth."""

    @extend_schema(parameters=[_kind_parameter(), _id_parameter(), _kind_parameter("to_kind"),
                               _id_parameter("to_id"), DEPTH],
                   responses={200: s.PathsSerializer, **OBJECT_ERRORS})
    def get(self, request):
        depth = self.depth()
        graph, node = self.obj()
        to_kind = self.kind("to_kind")
        to_pk = self.integer("to_id", required=True, label=_("ID objek tujuan"))
        target = graph.nodes.get((to_kind, to_pk))
        if target is None:  # of another instansi, hidden or nonexistent: the same answer
            raise NotFound(str(NOT_FOUND))
        try:
            found = dependency_paths(graph, node.key, target.key, depth)
        except SameObject as error:
            raise ValidationError({"to_id": [str(error)]}) from None
        render = s.Renderer(graph, request)
        return Response({
            "source": render.full(node), "target": render.full(target), "depth": found.depth, "found": found.found,
            "length": found.length,
            "paths": [{"direction": path.direction, "steps": render.steps(path.steps)} for path in found.paths],
            "limited": found.limited, "truncated": found.truncated, "cycles": render.cycles(found.cycles),
        })


class TraceView(InsightsView):
    """The object's chain up (what needs it) and down (what it needs), with the keamanan objects protecting each;
    ``domain`` keeps the hits of some domains or kinds (the paths still pass through the others)."""

    @extend_schema(parameters=[
        _kind_parameter(), _id_parameter(), DEPTH,
        OpenApiParameter("domain", str, many=True, explode=True, description=_lazy(
            "Slug domain (kelompok jenis, mis. aplikasi, infrastruktur) atau jenis (mis. server); boleh berulang "
            "atau dipisah koma; kosong: semua.")),
    ], responses={200: s.TraceSerializer, **OBJECT_ERRORS})
    def get(self, request):
        depth = self.depth()
        graph, node = self.obj()
        domains = sorted({part.strip() for value in request.query_params.getlist("domain")
                          for part in value.split(",") if part.strip()})
        try:
            found = trace(graph, node.key, domains or None, depth)
        except ValueError as error:
            raise ValidationError({"domain": [str(error)]}) from None
        render = s.Renderer(graph, request)

        def hits(rows):
            return [{"object": render.full(hit.node), "depth": hit.depth, "path": render.steps(hit.path),
                     "protected_by": [render.brief(n) for n in found.protected_by(hit.key)]} for hit in rows]

        return Response({
            "object": render.full(node), "depth": found.depth, "domains": domains,
            "protected_by": [render.brief(n) for n in found.protected_by(node.key)],
            "up": hits(found.up), "down": hits(found.down), "cycles": render.cycles(found.cycles),
            "truncated": found.truncated,
        })


class GapsView(InsightsView):
    """The gaps of an instansi's architecture as the reader sees it (services with no application, data with no
    producer, unused infrastructure, ...), each with its objects; ``department`` keeps one OPD's."""

    @extend_schema(parameters=[INSTANSI, OpenApiParameter("department", OpenApiTypes.INT, description=_lazy(
        "ID OPD: hanya objek OPD ini."))], responses={200: s.GapsSerializer, **INSTANSI_ERRORS})
    def get(self, request):
        institution = self.institution()
        department = self.integer("department", label=_("ID OPD"))
        graph = graph_for(request, institution)
        if department is not None and department not in graph.departments:
            raise ValidationError({"department": [_("OPD ini tidak ada di instansi tersebut.")]})
        render = s.Renderer(graph, request)
        rows = []
        for gap in gaps_for(request, institution):
            nodes = [n for n in gap.nodes if department is None or n.department_id == department]
            reasons = [{"object": render.brief(n), "because": [render.brief(r) for r in gap.reasons[n.key]]}
                       for n in nodes if n.key in gap.reasons]
            rows.append({"slug": gap.slug, "label": str(gap.label), "count": len(nodes),
                         "objects": [render.full(n) for n in nodes], "reasons": reasons})
        return Response({"institution": {"id": institution.pk, "name": institution.name},
                         "department_id": department, "gaps": rows})


class SinglePointsView(InsightsView):
    """Infrastructure whose failure alone brings down at least ``minimum`` services with no alternative left,
    most services first, with the services and their OPDs."""

    @extend_schema(parameters=[INSTANSI, OpenApiParameter("minimum", OpenApiTypes.INT, description=_lazy(
        "Paling sedikit berapa layanan gagal (bawaan 2)."))],
        responses={200: s.SinglePointsSerializer, **INSTANSI_ERRORS})
    def get(self, request):
        institution = self.institution()
        minimum = self.integer("minimum", label=_("minimum"))
        if minimum == 0:
            raise ValidationError({"minimum": [_("Paling sedikit 1.")]})
        minimum = minimum or 2
        graph = graph_for(request, institution)
        render = s.Renderer(graph, request)
        points = [{
            "object": render.full(point.node), "count": point.count,
            "services": [render.full(service) for service in point.services],
            "departments": sorted({graph.department_label(d) for d in point.departments}),
        } for point in single_points_of_failure(graph, minimum=minimum)]
        return Response({"institution": {"id": institution.pk, "name": institution.name}, "minimum": minimum,
                         "points": points})


class RootView(APIView):
    """Links to the endpoints of the graph API."""

    NAMES = ("neighbours", "impact-sets", "paths", "traces", "gaps", "single-points-of-failure")

    @extend_schema(exclude=True)
    def get(self, request, format=None):
        return Response({name: reverse(f"insights-api:{name}", request=request, format=format)
                         for name in self.NAMES})

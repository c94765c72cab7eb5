from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from sia.core import permissions
from sia.core.api.fields import api_detail_url
from sia.core.api.views import SiaModelViewSet

from .. import crosswalk, filtersets, importer, mappings, tree
from ..models import Catalog, CatalogVersion, ReferenceNode
from . import serializers


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and retrieve through the permission module (the read-only twin of SiaModelViewSet)."""

    def get_queryset(self):
        return permissions.visible(self.request.user, super().get_queryset())


class CatalogViewSet(ScopedReadOnlyViewSet):
    """The six national reference architectures; ``current_version`` is the version in force."""

    queryset = Catalog.objects.prefetch_related(
        Prefetch("versions", queryset=CatalogVersion.objects.filter(is_current=True), to_attr="current_versions")
    ).order_by("order", "code")
    serializer_class = serializers.CatalogSerializer
    filterset_class = filtersets.CatalogFilterSet
    lookup_value_regex = r"\d+"


class CatalogVersionViewSet(ScopedReadOnlyViewSet):
    """Versions of the catalogs; superusers import a new version and publish a version."""

    queryset = CatalogVersion.objects.select_related("catalog").annotate(
        node_count=Count("nodes", filter=Q(nodes__institution__isnull=True))
    )
    serializer_class = serializers.CatalogVersionSerializer
    filterset_class = filtersets.CatalogVersionFilterSet
    action_permissions = {"publish": permissions.CHANGE}

    def _require_superuser(self):
        if not self.request.user.is_superuser:
            raise PermissionDenied(_("Hanya superuser yang dapat mengimpor atau menerbitkan versi katalog nasional."))

    @extend_schema(
        request=serializers.ImportRequestSerializer,
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description=_("1: hanya pratinjau, tidak menyimpan."))],
        responses={
            200: serializers.ImportResultSerializer, 201: serializers.ImportResultSerializer,
            400: serializers.ImportResultSerializer, 403: OpenApiResponse(description=_("Bukan superuser.")),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_version(self, request):
        """Validates a CSV/XLSX file and publishes it as a new version; nothing is written unless the file is clean.

        Re-importing a file identical to an existing version changes nothing (``created`` is false).
        """
        self._require_superuser()
        payload = serializers.ImportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        preview = importer.parse_catalog_file(data["file"], data["catalog"])
        dry_run = request.query_params.get("dry_run", "").lower() in {"1", "true", "ya", "yes"}
        result = {
            "valid": preview.is_clean, "created": False, "dry_run": dry_run, "rows": len(preview.rows),
            "levels": {str(level): n for level, n in preview.level_counts().items()},
            "problems": [{"line": p.line, "column": p.column, "message": p.message} for p in preview.problems],
            "version": None, "carried": 0, "not_carried": [],
        }
        if not preview.is_clean:
            return Response(serializers.ImportResultSerializer(result, context=self.get_serializer_context()).data,
                            status=status.HTTP_400_BAD_REQUEST)
        if dry_run:
            result["version"] = preview.identical_version()
            return Response(serializers.ImportResultSerializer(result, context=self.get_serializer_context()).data)
        try:
            version, created = importer.publish_version(
                preview, name=data["name"], source=data["source"], user=request.user,
                effective_date=data["effective_date"], completeness=data["completeness"], notes=data["notes"],
                publish=data["publish"],
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"name": error.messages})
        carry_over = getattr(version, "carry_over", None)
        result.update(
            created=created, version=version, carried=len(carry_over.carried) if carry_over else 0,
            not_carried=serializers.left_behind(carry_over),
        )
        return Response(
            serializers.ImportResultSerializer(result, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={200: serializers.PublishResultSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Makes this version the one in force for its catalog (publishing a draft).

        The instansi nodes (level 4+) of the version it replaces are carried over where their parent
        code exists in this version; ``not_carried`` lists the others, which stay in the old version.
        """
        version = self.get_object()  # a version the user may not see is not found (404) before any refusal (403)
        self._require_superuser()
        version = importer.make_current(version, user=request.user)
        fresh = self.get_queryset().get(pk=version.pk)
        fresh.carry_over = version.carry_over
        return Response(serializers.PublishResultSerializer(fresh, context=self.get_serializer_context()).data)


class ReferenceNodeViewSet(SiaModelViewSet):
    """Reference nodes: national ones read-only, an instansi's own nodes (under the deepest national ones) writable by its admin."""

    queryset = ReferenceNode.objects.select_related("version__catalog", "institution", "parent")
    serializer_class = serializers.ReferenceNodeSerializer
    filterset_class = filtersets.ReferenceNodeFilterSet
    action_permissions = {"children": permissions.VIEW, "crosswalk": permissions.VIEW, "mapped": permissions.VIEW}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            tree.attach_paths(page)
        return page

    def get_object(self):
        obj = super().get_object()
        tree.attach_paths([obj])
        return obj

    @extend_schema(filters=False, responses={200: serializers.ReferenceNodeSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        """The node's children that the user may see, in code order (for the tree)."""
        node = self.get_object()
        children = permissions.visible(request.user, self.queryset.filter(parent=node)).order_by("code")
        return Response(self.get_serializer(tree.attach_paths(children), many=True).data)

    @extend_schema(
        filters=False,
        parameters=[OpenApiParameter("target", str, enum=list(crosswalk.PARALLEL),
                                     required=True, description=_("Katalog tujuan: RAB, RAL atau RAD."))],
        responses={200: serializers.CrosswalkSerializer},
    )
    @action(detail=True, methods=["get"])
    def crosswalk(self, request, pk=None):
        """Proposes the matching nodes of a parallel catalog (RAB, RAL, RAD) in its version in force."""
        node = self.get_object()
        target = request.query_params.get("target", "").upper()
        if target not in crosswalk.PARALLEL or node.catalog_code not in crosswalk.PARALLEL:
            raise ValidationError({"target": _("Padanan tersedia antara RAB, RAL dan RAD; pilih target salah satunya.")})
        found = crosswalk.propose(node, target)
        visible = permissions.visible(request.user, self.queryset.filter(pk__in=[n.pk for n in found]))
        proposals = tree.attach_paths(sorted(visible, key=lambda n: n.code))
        data = {"source": node, "target": target, "proposals": proposals}
        return Response(serializers.CrosswalkSerializer(data, context=self.get_serializer_context()).data)

    @extend_schema(filters=False, responses={200: serializers.MappedEntrySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def mapped(self, request, pk=None):
        """The architecture entries mapped to this node that the user may see, domain by domain, by code.

        At most 50 per domain; the full list of a domain is its list filtered on ``reference_id``.
        """
        node = self.get_object()
        rows = [
            {"domain": group.domain, "id": entry.pk, "code": entry.code, "name": entry.name,
             "url": api_detail_url(entry, request), "status": entry.status}
            for group in mappings.mapped_entries(request.user, node)
            for entry in group.entries
        ]
        return Response(serializers.MappedEntrySerializer(rows, many=True).data)

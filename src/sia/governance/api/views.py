"""``/api/governance/``: the register's documents (with their file: upload multipart ``file``, ``download``) and the
members of the teams the decrees form, through the permission module."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from sia.core import permissions
from sia.core.api.views import SiaModelViewSet
from sia.evaluation.uploads import ALLOWED_MIMES

from .. import files
from ..filtersets import PolicyDocumentFilterSet, TeamMemberFilterSet
from ..models import PolicyDocument, TeamMember
from . import serializers


class PolicyDocumentViewSet(SiaModelViewSet):
    """Dokumen kebijakan: written by the koordinator; read by asesor, pimpinan, verifikator; operators read the
    documents in force."""

    queryset = PolicyDocument.objects.select_related("institution", "replaced_by", "blob").prefetch_related(
        "indicators")
    serializer_class = serializers.PolicyDocumentSerializer
    filterset_class = PolicyDocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    action_permissions = {"download": permissions.VIEW}

    def perform_destroy(self, instance):
        blob_id = instance.blob_id
        with transaction.atomic():
            super().perform_destroy(instance)
            files.drop_if_unused(blob_id)

    @extend_schema(responses={**{(200, mime): OpenApiTypes.BINARY for mime in sorted(ALLOWED_MIMES)},
                              (200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The document's file, to those who may read the document."""
        document = self.get_object()
        if document.blob_id is None:
            raise NotFound()
        return files.download_response(document)


class TeamMemberViewSet(SiaModelViewSet):
    """Anggota tim of the decrees forming the Tim Koordinasi SPBE and the Tim Evaluator/Asesor Internal."""

    queryset = TeamMember.objects.select_related("document")
    serializer_class = serializers.TeamMemberSerializer
    filterset_class = TeamMemberFilterSet

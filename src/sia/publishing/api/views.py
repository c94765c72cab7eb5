"""``/api/publishing/documents/``: request a Dokumen Arsitektur SPBE (POST, queued as a background job), follow its
progress (GET one), list the documents one may read, and download a finished one (GET ``download/``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from sia.core import permissions
from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.core.api.views import Conflict
from sia.core.views.media import stored_file_response

from sia.exchange.services import InstitutionRequired, resolve_institution
from ..choices import DocumentContent, DocumentLanguage, DocumentStatus
from ..jobs import expire_stalled, request_document
from ..models import DOCX_MIME, GeneratedDocument


class GeneratedDocumentSerializer(SiaModelSerializer):
    institution = RelatedObjectField(read_only=True)
    department = RelatedObjectField(read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    download = serializers.SerializerMethodField(help_text=gettext_lazy("Alamat unduhan bila sudah selesai."))
    waiting_long = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "Lama menunggu dalam antrean: pekerja latar belakang (sia db_worker) tampaknya tidak berjalan."))

    class Meta:
        model = GeneratedDocument
        fields = [
            "id", "url", "display", "institution", "department", "requested_by", "content", "language", "period",
            "version", "status", "progress", "stage", "waiting_long", "draft", "size", "error", "started_at",
            "finished_at",
            "download", "created", "updated",
        ]
        read_only_fields = fields

    def get_download(self, obj) -> str | None:
        if obj.status != DocumentStatus.DONE or not obj.file:
            return None
        request = self.context.get("request")
        path = f"/api/publishing/documents/{obj.pk}/download/"
        return request.build_absolute_uri(path) if request is not None else path


class DocumentRequestSerializer(serializers.Serializer):
    institution = serializers.CharField(required=False, help_text=gettext_lazy(
        "ID atau kode instansi (bila anggota beberapa)."))
    department = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2 ** 63 - 1,
                                          help_text=gettext_lazy("ID OPD; kosong: seluruh instansi."))
    content = serializers.ChoiceField(DocumentContent.choices, default=DocumentContent.VALIDATED)
    language = serializers.ChoiceField(DocumentLanguage.choices, default=DocumentLanguage.INDONESIAN)
    period = serializers.CharField(required=False, allow_blank=True, max_length=9,
                                   help_text=gettext_lazy("TTTT-TTTT; kosong: periode berjalan."))
    version = serializers.CharField(required=False, allow_blank=True, max_length=20)


class GeneratedDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dokumen Arsitektur SPBE: POST asks for one (written in the background: follow ``status`` and ``progress``),
    GET lists them (newest first) and ``download/`` gives the finished file."""

    queryset = GeneratedDocument.objects.select_related("institution", "department", "requested_by")
    serializer_class = GeneratedDocumentSerializer
    filterset_fields = ["status", "institution"]
    action_permissions = {"download": permissions.VIEW}

    def get_queryset(self):
        expire_stalled()
        return permissions.visible(self.request.user, super().get_queryset())

    @extend_schema(request=DocumentRequestSerializer,
                   responses={201: GeneratedDocumentSerializer,
                              200: OpenApiResponse(GeneratedDocumentSerializer, description=gettext_lazy(
                                  "Dokumen Anda dengan pilihan yang sama masih menunggu atau sedang dibuat: dokumen "
                                  "itu dijawab, tidak dibuat lagi.")),
                              400: OpenApiResponse(description=gettext_lazy(
                                  "Pilihan tidak sah (pesannya menyebut isiannya), atau sudah 3 dokumen Anda menunggu "
                                  "atau sedang dibuat (non_field_errors).")),
                              403: OpenApiResponse(description=_("Tidak berhak atas instansi atau OPD ini.")),
                              404: OpenApiResponse(description=_("Instansi tidak ditemukan."))})
    def create(self, request):
        """Queues a document of the instansi (or of one OPD) with the options given; answers its record (201). The
        requester's document of the same options still queued or being written is answered instead (200); at most
        3 of the requester's documents wait or are written at once (400)."""
        payload = DocumentRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        named = str(data.get("institution") or "").strip()
        if named.isascii() and named.isdigit() and int(named) >= 2 ** 63:  # no such ID (and no 64-bit overflow)
            raise NotFound(_("Instansi tidak ditemukan."))
        try:
            institution = resolve_institution(request.user, data.get("institution"))
        except InstitutionRequired:
            raise ValidationError({"institution": _("Anda anggota beberapa instansi: sebutkan instansinya.")})
        except Http404:
            raise NotFound(_("Instansi tidak ditemukan."))
        try:
            document = request_document(request.user, institution, department=data.get("department"),
                                        content=data["content"], language=data["language"],
                                        period=data.get("period", ""), version=data.get("version", ""))
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict")
                                  else {"non_field_errors": error.messages})
        return Response(self.get_serializer(document).data,
                        status=status.HTTP_200_OK if document.reused else status.HTTP_201_CREATED)

    @extend_schema(responses={(200, DOCX_MIME): OpenApiResponse(OpenApiTypes.BINARY, description=_("Berkas .docx")),
                              409: OpenApiResponse(description=_("Dokumen belum selesai dibuat atau gagal."))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The finished document (.docx), as it was written: never written again on download."""
        document = self.get_object()
        if document.status != DocumentStatus.DONE or not document.file:
            raise Conflict(_("Dokumen ini belum selesai dibuat."))
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Conflict(_("Berkas dokumen ini tidak ditemukan lagi; buat dokumen baru."))
        return stored_file_response(handle, mime=DOCX_MIME, filename=document.download_name)

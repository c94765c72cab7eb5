"""``/api/exchange/snapshot-jobs/``: instansi archives as background jobs. POST asks for the archive of an instansi
(202 and the job; its admins), ``restore/`` uploads an archive to restore (202; superusers), GET one follows its
progress, ``download/`` gives the finished archive, ``retry/`` queues a failed job again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from sia.core import permissions
from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.core.api.views import Conflict
from sia.core.views.media import stored_file_response
from sia.organizations.models import Institution

from ..choices import JobStatus
from ..models import SnapshotJob
from ..snapshot_jobs import JobRefused, expire_stalled, read_progress, request_export, request_restore, retry

ZIP_CONTENT_TYPE = "application/zip"


class SnapshotJobSerializer(SiaModelSerializer):
    institution = RelatedObjectField(read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    progress = serializers.SerializerMethodField(help_text=gettext_lazy("Kemajuan (%), terbaru selama berjalan."))
    stage = serializers.SerializerMethodField(help_text=gettext_lazy("Tahap yang sedang dikerjakan."))
    download = serializers.SerializerMethodField(help_text=gettext_lazy("Alamat unduhan arsip bila sudah selesai."))

    class Meta:
        model = SnapshotJob
        fields = [
            "id", "url", "display", "kind", "institution", "requested_by", "status", "progress", "stage",
            "credentials", "source_name", "code", "name", "confirm_users", "accept_password_hashes", "matched_users",
            "result", "size", "error", "started_at", "finished_at", "download", "created", "updated",
        ]
        read_only_fields = fields

    def _progress(self, obj) -> dict:
        cache = self.context.setdefault("_progress", {})
        if obj.pk not in cache:
            cache[obj.pk] = read_progress(obj)
        return cache[obj.pk]

    def get_progress(self, obj) -> int:
        return self._progress(obj)["percent"]

    def get_stage(self, obj) -> str:
        return self._progress(obj)["stage"]

    def get_download(self, obj) -> str | None:
        if obj.status != JobStatus.DONE or not obj.file:
            return None
        request = self.context.get("request")
        path = f"/api/exchange/snapshot-jobs/{obj.pk}/download/"
        return request.build_absolute_uri(path) if request is not None else path


class ExportRequestSerializer(serializers.Serializer):
    institution = serializers.CharField(help_text=gettext_lazy("ID atau kode instansi."))
    credentials = serializers.BooleanField(default=False, help_text=gettext_lazy(
        "Sertakan hash kata sandi pengguna (khusus superuser)."))


class RestoreRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("Arsip cadangan instansi (.zip) dari SIA."))
    code = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text=gettext_lazy(
        "Kode instansi baru (bila berbeda dari cadangan)."))
    name = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                 help_text=gettext_lazy("Nama instansi baru."))
    confirm_users = serializers.BooleanField(default=False, help_text=gettext_lazy(
        "Akun yang sudah ada dan dicocokkan menurut nama pengguna sudah Anda periksa."))
    accept_password_hashes = serializers.BooleanField(default=False, help_text=gettext_lazy(
        "Pakai hash kata sandi di cadangan untuk akun yang dibuat."))


class RetrySerializer(serializers.Serializer):
    confirm_users = serializers.BooleanField(required=False, help_text=gettext_lazy(
        "Pemulihan: akun yang sudah ada sudah Anda periksa."))
    accept_password_hashes = serializers.BooleanField(required=False, help_text=gettext_lazy(
        "Pemulihan: pakai hash kata sandi di cadangan."))


QUEUED = {202: OpenApiResponse(SnapshotJobSerializer, description=gettext_lazy(
              "Diantrekan: ikuti kemajuannya di alamat pekerjaan (juga di header Location).")),
          200: OpenApiResponse(SnapshotJobSerializer, description=gettext_lazy(
              "Permintaan yang sama masih menunggu atau berjalan: pekerjaan itu dijawab, tidak dibuat lagi.")),
          400: OpenApiResponse(description=gettext_lazy(
              "Isian tidak sah (pesannya menyebut isiannya), atau sudah 3 pekerjaan Anda menunggu (non_field_errors)."))}


class SnapshotJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Instansi archives (.zip) written or restored in the background: follow ``status`` and ``progress``."""

    queryset = SnapshotJob.objects.select_related("institution", "requested_by")
    serializer_class = SnapshotJobSerializer
    filterset_fields = ["status", "kind", "institution"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    action_permissions = {"download": "download", "retry": "retry"}

    def get_queryset(self):
        expire_stalled()
        return permissions.visible(self.request.user, super().get_queryset())

    def _queued(self, job) -> Response:
        data = self.get_serializer(job).data
        code = status.HTTP_200_OK if job.reused else status.HTTP_202_ACCEPTED
        return Response(data, status=code, headers={"Location": data["url"]})

    @staticmethod
    def _refusal(error):
        if isinstance(error, DjangoPermissionDenied):
            return PermissionDenied(str(error) or None)
        return ValidationError(error.message_dict if hasattr(error, "error_dict")
                               else {"non_field_errors": error.messages})

    @extend_schema(request=ExportRequestSerializer, responses={
        **QUEUED, 403: OpenApiResponse(description=gettext_lazy("Bukan admin instansi ini.")),
        404: OpenApiResponse(description=gettext_lazy("Instansi tidak ditemukan."))})
    def create(self, request):
        """Queues the archive of a whole instansi (its admins): 202 and the job to follow; the same request still
        pending answers that job (200)."""
        payload = ExportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        named = payload.validated_data["institution"].strip()
        found = permissions.visible(request.user, Institution.objects.all())
        if named.isascii() and named.isdigit() and int(named) < 2 ** 63:
            institution = found.filter(pk=int(named)).first() or found.filter(code=named).first()
        else:
            institution = found.filter(code=named).first()
        if institution is None:
            raise NotFound(_("Instansi tidak ditemukan."))
        try:
            job = request_export(request.user, institution, credentials=payload.validated_data["credentials"])
        except (DjangoPermissionDenied, DjangoValidationError) as error:
            raise self._refusal(error)
        return self._queued(job)

    @extend_schema(request={"multipart/form-data": RestoreRequestSerializer}, responses={
        **QUEUED, 403: OpenApiResponse(description=gettext_lazy("Bukan superuser."))})
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def restore(self, request):
        """Uploads an instansi archive and queues its restore (superusers): 202 and the job. Existing accounts the
        archive names fail the job with ``matched_users`` until it is retried with ``confirm_users``."""
        if not request.user.is_superuser:
            raise PermissionDenied(_("Hanya superuser yang dapat memulihkan instansi."))
        payload = RestoreRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            job = request_restore(request.user, data["file"], code=data.get("code", ""), name=data.get("name", ""),
                                  confirm_users=data["confirm_users"],
                                  accept_password_hashes=data["accept_password_hashes"])
        except (DjangoPermissionDenied, DjangoValidationError) as error:
            raise self._refusal(error)
        return self._queued(job)

    @extend_schema(request=RetrySerializer, responses={
        202: SnapshotJobSerializer, 409: OpenApiResponse(description=gettext_lazy("Pekerjaan ini tidak gagal."))})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queues a failed job again; a restore with the confirmations given now."""
        job = self.get_object()
        payload = RetrySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            job = retry(request.user, job, **payload.validated_data)
        except JobRefused as refused:
            raise Conflict(str(refused))
        except (DjangoPermissionDenied, DjangoValidationError) as error:
            raise self._refusal(error)
        job.reused = False
        return self._queued(job)

    @extend_schema(responses={(200, ZIP_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=_(
                                  "Arsip .zip: snapshot.json dan files/<sha256>.")),
                              409: OpenApiResponse(description=_("Arsip belum selesai dibuat atau gagal."))})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The finished archive, as it was written."""
        job = self.get_object()
        if job.status != JobStatus.DONE or not job.file:
            raise Conflict(_("Arsip ini belum selesai dibuat."))
        try:
            handle = job.file.open("rb")
        except FileNotFoundError:
            raise Conflict(_("Berkas arsip ini tidak ditemukan lagi; buat arsip baru."))
        return stored_file_response(handle, mime=ZIP_CONTENT_TYPE, filename=job.download_name)

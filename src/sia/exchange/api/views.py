import json
import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from sia.core import permissions
from sia.core.api.views import Conflict
from sia.organizations.models import Institution

from ..choices import ImportStatus
from ..models import ImportRecord
from ..services import (
    XLSX_CONTENT_TYPE, InstitutionRequired, export_file, may_upload, models_for, resolve_institution, template_file,
)
from ..archive import ExportError, is_archive, restore_archive, snapshot_rows, unpacked_bytes, write_archive
from ..snapshot import RestoreError
from ..snapshot_restore import UsersNeedConfirmation, restore_institution
from ..jobs import queue_commit, runs_as_job
from ..uploads import ImportRefused, commit_import, start_import
from .serializers import (
    ImportRecordSerializer, RestoreRefusedSerializer, RestoreResultSerializer, RestoreUploadSerializer, UploadSerializer,
)

ZIP_CONTENT_TYPE = "application/zip"
XLSX_RESPONSE = {
    (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=_("Berkas .xlsx")),
    404: OpenApiResponse(description=_("Domain atau instansi tidak dikenal, atau Anda belum anggota instansi mana pun.")),
}
DOMAIN = OpenApiParameter("domain", str, description=_(
    "Slug atau nama API domain (mis. proses-bisnis), atau slug kelompok jenis (jenis sekelompok berbagi satu buku "
    "kerja); kosong: semua."))
INSTITUTION = OpenApiParameter("institution", str, description=_("ID atau kode instansi (bila anggota beberapa)."))
FILTERS = [
    OpenApiParameter("q", str, description=_("Cari di ID, nama dan uraian.")),
    OpenApiParameter("department", str, description=_("Singkatan OPD.")),
    OpenApiParameter("status", str, many=True, description=_("Status review (boleh berulang).")),
    OpenApiParameter("state", str, many=True, description=_("Kondisi (boleh berulang).")),
    OpenApiParameter("reference", str, description=_("Awalan kode referensi, mis. RAB.09.")),
    OpenApiParameter("period", str, description=_("Periode, mis. 2025-2029.")),
]


class XlsxRenderer(BaseRenderer):
    """Downloads are bytes (errors are answered as JSON by ``DownloadView``)."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, default=str).encode()


class DownloadView(APIView):
    """A view answering a file: an error is JSON with a JSON content type, whatever ``?format=`` asked for."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return response


def _institution(request):
    try:
        return resolve_institution(request.user, request.query_params.get("institution"))
    except InstitutionRequired:
        raise ValidationError({"institution": _("Anda anggota beberapa instansi: sebutkan instansinya.")})


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


class TemplateView(DownloadView):
    """An Excel template of one domain (or all), empty or pre-filled with the objects you may see."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        parameters=[DOMAIN, INSTITUTION, OpenApiParameter("prefill", OpenApiTypes.BOOL,
                                                          description=_("1: isi dengan objek yang dapat Anda lihat."))],
        responses=XLSX_RESPONSE,
    )
    def get(self, request):
        prefill = request.query_params.get("prefill") in ("1", "true")
        content, name = template_file(request, _institution(request), models_for(request.query_params.get("domain")),
                                      prefill=prefill)
        return _download(content, name)


class ExportView(DownloadView):
    """The objects you may see as .xlsx, narrowed by the same filters as the domain's list endpoint."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(parameters=[DOMAIN, INSTITUTION, *FILTERS], responses=XLSX_RESPONSE)
    def get(self, request):
        content, name = export_file(request, _institution(request), models_for(request.query_params.get("domain")))
        return _download(content, name)


class ImportRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Excel uploads: POST a file for a preview (nothing written), then POST commit to write it all at once."""

    queryset = ImportRecord.objects.select_related("institution", "user")
    serializer_class = ImportRecordSerializer
    filterset_fields = ["status", "institution"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    action_permissions = {"commit": permissions.VIEW}

    def get_queryset(self):
        return permissions.visible(self.request.user, super().get_queryset())

    @extend_schema(request={"multipart/form-data": UploadSerializer},
                   responses={201: ImportRecordSerializer, 400: ImportRecordSerializer,
                              404: OpenApiResponse(description=_("Instansi tidak ditemukan."))})
    def create(self, request):
        """Uploads a workbook and returns its preview: counts and every problem (sheet, row, column)."""
        payload = UploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            institution = resolve_institution(request.user, payload.validated_data.get("institution"))
        except InstitutionRequired:
            raise ValidationError({"institution": _("Anda anggota beberapa instansi: sebutkan instansinya.")})
        except Http404:
            raise NotFound(_("Instansi tidak ditemukan."))
        if not may_upload(request.user, institution):
            raise PermissionDenied(_("Anda tidak berwenang mengunggah data arsitektur di instansi ini."))
        record = start_import(payload.validated_data["file"], user=request.user, institution=institution)
        code = status.HTTP_400_BAD_REQUEST if record.status == ImportStatus.REJECTED else status.HTTP_201_CREATED
        return Response(self.get_serializer(record).data, status=code)

    @extend_schema(request=None, responses={200: ImportRecordSerializer, 202: ImportRecordSerializer,
                                            400: ImportRecordSerializer,
                                            409: OpenApiResponse(description=_("Sudah disimpan atau ditolak."))})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Re-validates the stored file and writes every row in one transaction (only the uploader). Above
        ``SIA_IMPORT_JOB_ROWS`` rows the commit runs in the background: 202, and the record's ``job_progress``."""
        record = self.get_object()
        if record.user_id != request.user.pk:
            raise PermissionDenied(_("Hanya pengunggah yang dapat menyimpan unggahan ini."))
        if record.status not in (ImportStatus.PREVIEW, ImportStatus.FAILED):
            raise Conflict(_("Unggahan ini berstatus %(status)s.") % {"status": record.get_status_display().lower()})
        try:
            if runs_as_job(record):  # written in the background: 202, then GET the record for its progress
                queue_commit(record, user=request.user)
                code = status.HTTP_200_OK if record.status == ImportStatus.COMMITTED else status.HTTP_202_ACCEPTED
                return Response(self.get_serializer(record).data, status=code)
            commit_import(record, user=request.user)
        except ImportRefused:
            return Response(self.get_serializer(record).data, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None)
        return Response(self.get_serializer(record).data)


class ZipRenderer(XlsxRenderer):
    media_type = ZIP_CONTENT_TYPE
    format = "zip"


def _flag(request, name) -> bool:
    return request.query_params.get(name) in ("1", "true")


class SnapshotView(DownloadView):
    """The whole instansi as one .zip (organisation, architecture, assessments with their evidence files,
    the logo; no audit data), for its admins, written in the request: only an instansi of at most
    ``SIA_SNAPSHOT_SYNC_ROWS`` rows (else 409: ask for it as a background job, ``POST snapshot-jobs/``). Restore it
    with ``snapshot-jobs/restore/``, ``snapshots/restore/`` or ``sia restore_instansi``."""

    renderer_classes = [JSONRenderer, ZipRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("credentials", OpenApiTypes.BOOL,
                                     description=_("1: sertakan hash kata sandi pengguna (khusus superuser)."))],
        responses={(200, ZIP_CONTENT_TYPE): OpenApiResponse(
                       OpenApiTypes.BINARY, description=_("Arsip .zip: snapshot.json dan files/<sha256>.")),
                   409: OpenApiResponse(description=_(
                       "Berkas yang dibutuhkan tidak ada di penyimpanan server, atau instansi terlalu besar untuk "
                       "diunduh langsung (minta arsipnya lewat snapshot-jobs/)."))},
    )
    def get(self, request, institution_id):
        institution = get_object_or_404(permissions.visible(request.user, Institution.objects.all()), pk=institution_id)
        if not permissions.can(request.user, permissions.CHANGE, institution):
            raise PermissionDenied(_("Hanya admin instansi yang dapat mengekspor seluruh instansi."))
        credentials = _flag(request, "credentials")
        if credentials and not request.user.is_superuser:
            raise PermissionDenied(_("Hanya superuser yang dapat mengekspor hash kata sandi."))
        rows, limit = snapshot_rows(institution), settings.SIA_SNAPSHOT_SYNC_ROWS
        if rows > limit:  # a request never holds a worker for long: a large instansi is a background job
            raise Conflict(_(
                "Instansi ini terlalu besar untuk diunduh langsung (%(rows)d baris; batasnya %(limit)d). Minta "
                "arsipnya sebagai pekerjaan latar belakang: POST %(url)s dengan {\"institution\": %(id)d}.") % {
                "rows": rows, "limit": limit, "id": institution.pk,
                "url": reverse("exchange-api:snapshotjob-list", request=request)})
        output = tempfile.TemporaryFile()
        try:
            write_archive(institution, output, credentials=credentials, user=request.user)
        except ExportError as error:
            output.close()
            raise Conflict(str(error))
        output.seek(0)
        return FileResponse(output, as_attachment=True, filename=f"sia-instansi-{institution.code}.zip",
                            content_type=ZIP_CONTENT_TYPE)


class RestoreView(APIView):
    """Recreates an instansi from its .zip archive (superusers) in the request: only an archive of at most
    ``SIA_SNAPSHOT_SYNC_BYTES`` unpacked (else 409: upload it to ``snapshot-jobs/restore/``, a background job).
    ``?code=`` restores it under another code.

    Existing accounts matched by username are listed and, unless ``confirm_users=1``, the answer is 400
    with nothing written. Password hashes in the archive are used only with ``accept_password_hashes=1``."""

    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": RestoreUploadSerializer, "application/json": OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("code", str, description=_("Kode instansi baru (bila berbeda dari cadangan).")),
            OpenApiParameter("name", str, description=_("Nama instansi baru.")),
            OpenApiParameter("confirm_users", OpenApiTypes.BOOL, description=_(
                "1: Anda sudah memeriksa akun yang sudah ada dan dicocokkan menurut nama pengguna; mereka mendapat "
                "peran seperti di cadangan.")),
            OpenApiParameter("accept_password_hashes", OpenApiTypes.BOOL, description=_(
                "1: pakai hash kata sandi di cadangan untuk akun yang dibuat; tanpa ini akun baru dibuat tanpa kata "
                "sandi yang dapat dipakai.")),
        ],
        responses={201: RestoreResultSerializer, 400: RestoreRefusedSerializer,
                   409: OpenApiResponse(description=_("Arsip terlalu besar untuk dipulihkan langsung: unggah ke "
                                                      "snapshot-jobs/restore/."))},
    )
    def post(self, request):
        if not request.user.is_superuser:
            raise PermissionDenied(_("Hanya superuser yang dapat memulihkan instansi."))
        self._bounded(request)
        options = {
            "user": request.user, "code": request.query_params.get("code"), "name": request.query_params.get("name"),
            "confirm_users": _flag(request, "confirm_users"),
            "accept_password_hashes": _flag(request, "accept_password_hashes"),
        }
        data = request.data
        upload = data.get("file") if hasattr(data, "get") else None
        try:
            if upload is not None and hasattr(upload, "read"):
                head = upload.read(4)
                upload.seek(0)
                if is_archive(head):
                    result = restore_archive(upload, **options)
                else:
                    result = restore_institution(self._json(upload), **options)
            elif isinstance(data, dict) and "format" in data:
                result = restore_institution(dict(data), **options)
            else:
                raise ParseError(_("Kirim arsip cadangan instansi (.zip) sebagai berkas “file”."))
        except UsersNeedConfirmation as refused:
            return Response({"detail": str(refused), "matched_users": [u.as_dict() for u in refused.users]},
                            status=status.HTTP_400_BAD_REQUEST)
        except RestoreError as error:
            raise ValidationError({"detail": str(error)})
        institution = result.institution
        url = reverse("organizations-api:institution-detail", args=[institution.pk], request=request)
        return Response({"id": institution.pk, "code": institution.code, "name": institution.name, "url": url,
                         "matched_users": [u.as_dict() for u in result.matched_users],
                         "created_users": result.created_users, "files_written": result.files_written}, status=status.HTTP_201_CREATED)

    @staticmethod
    def _bounded(request) -> None:
        """A restore in the request only of a small archive (its unpacked size, read from its directory)."""
        upload = request.data.get("file") if hasattr(request.data, "get") else None
        if upload is not None and hasattr(upload, "read"):
            head = upload.read(4)
            upload.seek(0)
            size = unpacked_bytes(upload) if is_archive(head) else getattr(upload, "size", 0)
        else:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = settings.SIA_SNAPSHOT_SYNC_BYTES
        if size > limit:
            raise Conflict(_(
                "Arsip ini terlalu besar untuk dipulihkan langsung (%(size)d MB; batasnya %(limit)d MB). Unggah ke "
                "%(url)s: pemulihan berjalan di latar belakang.") % {
                "size": size // 2 ** 20, "limit": limit // 2 ** 20,
                "url": reverse("exchange-api:snapshotjob-restore", request=request)})

    @staticmethod
    def _json(upload) -> dict:
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ParseError(_("Berkas bukan arsip .zip maupun JSON: %(error)s") % {"error": error})
        if not isinstance(data, dict):
            raise ParseError(_("Kirim cadangan instansi sebagai objek JSON."))
        return data

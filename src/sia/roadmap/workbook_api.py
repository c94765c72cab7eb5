"""``/api/roadmap/workbook/``: the Peta Rencana workbook through the API. GET: the instansi's roadmap as .xlsx (every
member; ``?templat=1`` the empty template). POST: an uploaded workbook planned (every problem by sheet, row and
column) and, with ``commit=1`` and no problem, written in one transaction; otherwise nothing is written."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from sia.exchange.api.views import DownloadView, XlsxRenderer
from sia.exchange.services import XLSX_CONTENT_TYPE

from .workbook import build_workbook, download_name
from .workbook_commit import commit_workbook
from .workbook_import import may_upload, plan_upload
from .workbook_views import institution_for

INSTANSI = OpenApiParameter("instansi", OpenApiTypes.INT, description=_lazy(
    "ID instansi; tanpa ini: satu-satunya instansi yang dapat Anda baca (wajib bila Anda membaca beberapa)."))
TEMPLATE = OpenApiParameter("templat", OpenApiTypes.BOOL, description=_lazy("1: templat kosong, bukan ekspor."))
PROBLEMS = inline_serializer("RoadmapWorkbookProblem", many=True, fields={
    "sheet": serializers.CharField(), "row": serializers.IntegerField(allow_null=True),
    "column": serializers.CharField(), "message": serializers.CharField(), "level": serializers.CharField()})
RESULT = inline_serializer("RoadmapWorkbookResult", {
    "written": serializers.BooleanField(help_text=_lazy("Apakah berkas disimpan.")),
    "clean": serializers.BooleanField(help_text=_lazy("Berkas tanpa masalah.")),
    "counts": serializers.DictField(child=serializers.IntegerField(),
                                    help_text=_lazy("Baris baru (create), diubah (update) dan tetap (unchanged).")),
    "sheets": serializers.ListField(child=serializers.DictField()),
    "changes": serializers.ListField(child=serializers.DictField()),
    "problems": PROBLEMS,
})
UPLOAD = inline_serializer("RoadmapWorkbookUpload", {
    "file": serializers.FileField(help_text=_lazy("Ekspor atau templat Peta Rencana yang sudah diisi (.xlsx).")),
    "commit": serializers.BooleanField(required=False, default=False, help_text=_lazy(
        "true: simpan bila berkas tanpa masalah; false (bawaan): pratinjau saja.")),
})


class RoadmapWorkbookView(DownloadView):
    """The Peta Rencana SPBE of an instansi as an Excel workbook (sheets Sasaran, Inisiatif, Program, Kegiatan,
    Anggaran), and its upload: created or updated by code, all at once or not at all."""

    renderer_classes = [JSONRenderer, XlsxRenderer]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def institution(self, request):
        try:
            institution = institution_for(request, request.query_params.get("instansi", ""))
        except Http404 as error:
            raise NotFound(str(error) or _("Instansi tidak ditemukan atau tidak dapat Anda baca."))
        if institution is None:
            raise ValidationError({"instansi": [_("Anda membaca beberapa instansi: sebutkan ID instansinya.")]})
        return institution

    @extend_schema(parameters=[INSTANSI, TEMPLATE], responses={
        (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=_lazy("Berkas .xlsx")),
        404: OpenApiResponse(description=_lazy("Instansi tidak ditemukan atau tidak dapat Anda baca."))})
    def get(self, request):
        institution = self.institution(request)
        prefill = request.query_params.get("templat") not in ("1", "true")
        response = HttpResponse(build_workbook(institution, request.user, prefill=prefill),
                                content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, download_name(institution, prefill))
        return response

    @extend_schema(parameters=[INSTANSI], request={"multipart/form-data": UPLOAD},
                   responses={200: RESULT, 400: RESULT,
                              404: OpenApiResponse(description=_lazy("Instansi tidak ditemukan."))})
    def post(self, request):
        institution = self.institution(request)
        if not may_upload(request.user, institution):
            raise PermissionDenied(_("Anda tidak berwenang mengunggah Peta Rencana di instansi ini."))
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Lampirkan berkas Excel (.xlsx).")]})
        plan, content = plan_upload(upload, user=request.user, institution=institution)
        commit = str(request.data.get("commit", "")).lower() in ("1", "true", "ya")
        written = False
        if content is not None and plan.is_clean and commit:
            plan = commit_workbook(content, user=request.user, institution=institution, file_name=upload.name)
            written = plan.is_clean
        body = {"written": written, **plan.as_dict()}
        return Response(body, status=200 if plan.is_clean else 400)

"""``/api/exchange/archimate/``: the ArchiMate 3.1 Model Exchange File of an instansi. GET: what the user sees of its
architecture (every member), with the generated views or, ``views=false``, the model alone. POST: a file from Archi
or another tool, previewed (every problem, every change) and, with ``commit=true`` and no problem, written in one
transaction; the koordinator (admins) only."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from ..archimate.export import CONTENT_TYPE
from ..archimate.importer import may_import
from ..archimate.services import VIEWS_PARAMETER, download, institution_for, run_upload, views_wanted
from .views import DownloadView

INSTANSI = OpenApiParameter("instansi", OpenApiTypes.INT, description=_lazy(
    "ID instansi; tanpa ini: satu-satunya instansi yang dapat Anda baca (wajib bila Anda membaca beberapa)."))
VIEWS = OpenApiParameter(VIEWS_PARAMETER, OpenApiTypes.BOOL, default=True, description=_lazy(
    "true (bawaan): dengan tampilan yang dibuat SIA (satu per lanskap OPD dan per rantai layanan); false: model saja "
    "(elemen, relasi, properti, folder), berkas jauh lebih kecil. Nilai lain: 400."))
RESULT = inline_serializer("ArchimateImportResult", {
    "written": serializers.BooleanField(help_text=_lazy("Apakah berkas disimpan.")),
    "clean": serializers.BooleanField(help_text=_lazy("Berkas tanpa masalah.")),
    "counts": serializers.DictField(child=serializers.IntegerField(),
                                    help_text=_lazy("Objek baru (create), diubah (update) dan tetap (unchanged).")),
    "relationships": serializers.IntegerField(help_text=_lazy("Relasi yang dibaca sebagai tautan.")),
    "changes": serializers.ListField(child=serializers.DictField(), help_text=_lazy(
        "Setiap elemen: action (create, update, unchanged), kind, code, name, fields yang berubah, identifier.")),
    "links": serializers.ListField(child=serializers.DictField(), help_text=_lazy(
        "Tautan beratribut (mis. integrasi) yang dibuat (create) atau diubah (update).")),
    "removed": serializers.ListField(child=serializers.CharField(), help_text=_lazy(
        "Tautan beratribut yang tidak ada lagi di berkas, dihapus.")),
    "ignored": inline_serializer("ArchimateImportIgnored", many=True, fields={
        "subject": serializers.CharField(), "message": serializers.CharField(),
        "identifier": serializers.CharField()}, help_text=_lazy(
        "Bagian berkas yang diabaikan dan tidak menghalangi penyimpanan: Grouping, Junction dan relasinya.")),
    "problems": inline_serializer("ArchimateImportProblem", many=True, fields={
        "subject": serializers.CharField(), "message": serializers.CharField(),
        "identifier": serializers.CharField()}),
})
UPLOAD = inline_serializer("ArchimateUpload", {
    "file": serializers.FileField(help_text=_lazy("Berkas ArchiMate Model Exchange (.xml).")),
    "commit": serializers.BooleanField(required=False, default=False, help_text=_lazy(
        "true: simpan bila berkas tanpa masalah; false (bawaan): pratinjau saja.")),
})


class XmlRenderer(BaseRenderer):
    media_type = CONTENT_TYPE
    format = "xml"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class ArchimateView(DownloadView):
    """The instansi's architecture as an ArchiMate exchange file, and its import."""

    renderer_classes = [JSONRenderer, XmlRenderer]
    parser_classes = [MultiPartParser, FormParser]

    def institution(self, request):
        try:
            institution = institution_for(request.user, request.query_params.get("instansi", ""))
        except Http404 as error:
            raise NotFound(str(error) or _("Instansi tidak ditemukan atau tidak dapat Anda baca."))
        if institution is None:
            raise ValidationError({"instansi": [_("Anda membaca beberapa instansi: sebutkan ID instansinya.")]})
        return institution

    @extend_schema(parameters=[INSTANSI, VIEWS], responses={
        (200, CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=_lazy(
            "ArchiMate 3.1 Model Exchange File (.xml); header X-SIA-Omitted-Relationships: relasi yang tidak "
            "diizinkan ArchiMate dan tidak ditulis (disebut di dokumentasi model).")),
        400: OpenApiResponse(description=_lazy("Nilai views tidak dikenal, atau instansi tidak disebut.")),
        404: OpenApiResponse(description=_lazy("Instansi tidak ditemukan atau tidak dapat Anda baca."))})
    def get(self, request):
        institution = self.institution(request)
        try:
            views = views_wanted(request.query_params.get(VIEWS_PARAMETER))
        except ValueError as error:
            raise ValidationError({VIEWS_PARAMETER: [str(error)]})
        return download(request.user, institution, views=views)

    @extend_schema(parameters=[INSTANSI], request={"multipart/form-data": UPLOAD},
                   responses={200: RESULT, 400: RESULT,
                              403: OpenApiResponse(description=_lazy("Hanya koordinator (admin instansi).")),
                              404: OpenApiResponse(description=_lazy("Instansi tidak ditemukan."))})
    def post(self, request):
        institution = self.institution(request)
        if not may_import(request.user, institution):
            raise PermissionDenied(_("Hanya koordinator (admin instansi) yang dapat mengimpor berkas ArchiMate."))
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Lampirkan berkas ArchiMate Model Exchange (.xml).")]})
        commit = str(request.data.get("commit", "")).lower() in ("1", "true", "ya")
        result, _content = run_upload(upload, user=request.user, institution=institution, commit=commit)
        return Response(result.as_dict(), status=200 if result.is_clean else 400)

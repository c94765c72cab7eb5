"""An assessment's files: the XLSX export and the Berita Acara."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views import View

from . import exports
from .views import AssessmentMixin


class ExportXlsxView(LoginRequiredMixin, AssessmentMixin, View):
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return _download(
            exports.assessment_xlsx(assessment), exports.xlsx_name(assessment),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class BeritaAcaraView(LoginRequiredMixin, AssessmentMixin, View):
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return _download(
            exports.berita_acara_docx(assessment), exports.export_name(assessment, "berita-acara-penilaian-mandiri", "docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer

from ..jobs import read_progress
from ..models import ImportRecord


class ProblemSerializer(serializers.Serializer):
    sheet = serializers.CharField(help_text=_("Nama lembar; kosong untuk masalah berkas."))
    row = serializers.IntegerField(allow_null=True, help_text=_("Nomor baris seperti di Excel."))
    column = serializers.CharField(help_text=_("Judul kolom seperti di berkas."))
    message = serializers.CharField()
    level = serializers.ChoiceField(choices=["error", "warning"])


class SheetSummarySerializer(serializers.Serializer):
    sheet = serializers.CharField()
    domain = serializers.CharField()
    label = serializers.CharField()
    rows = serializers.IntegerField()
    create = serializers.IntegerField()
    update = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = serializers.IntegerField()


class ChangeSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update"])
    code = serializers.CharField()
    name = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())


class JobProgressSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text=_("check: baris diperiksa ulang; write: baris disimpan."))
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class ImportRecordSerializer(SiaModelSerializer):
    institution = RelatedObjectField(read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    problems = ProblemSerializer(many=True, read_only=True)
    sheets = SheetSummarySerializer(many=True, read_only=True)
    changes = ChangeSerializer(many=True, read_only=True)
    job_progress = serializers.SerializerMethodField(help_text=_(
        "Kemajuan penyimpanan di latar belakang selagi antre atau diproses: stage (check, write), done, total, "
        "percent; null selainnya."))

    class Meta:
        model = ImportRecord
        fields = [
            "id", "url", "display", "institution", "user", "file_name", "sha256", "size", "status", "domains",
            "created_count", "updated_count", "unchanged_count", "error_count", "warning_count", "problems", "sheets",
            "changes", "request_id", "committed_at", "rows_total", "rows_done", "job_started", "job_error",
            "job_progress", "created", "updated",
        ]
        read_only_fields = fields


    @extend_schema_field(JobProgressSerializer(allow_null=True))
    def get_job_progress(self, obj):
        return read_progress(obj) if obj.job_pending else None


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Templat atau ekspor SIA yang sudah diisi (.xlsx)."))
    institution = serializers.CharField(
        required=False, help_text=_("ID atau kode instansi; wajib bila Anda anggota beberapa instansi.")
    )


class RestoreUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_(
        "Arsip .zip hasil ekspor instansi (snapshot.json dan berkasnya); berkas JSON lama juga diterima bila semua "
        "berkas yang dirujuknya sudah ada di server ini."
    ))


class MatchedUserSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(),
                                  help_text=_("Peran yang diberikan salinan ini kepada akun tersebut."))


class RestoreResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()
    matched_users = MatchedUserSerializer(many=True, help_text=_(
        "Akun yang sudah ada di server ini, dicocokkan menurut nama pengguna, beserta peran yang mereka dapat."))
    created_users = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Akun yang dibuat; tanpa accept_password_hashes mereka belum punya kata sandi yang dapat dipakai."))
    files_written = serializers.IntegerField(help_text=_("Jumlah berkas (bukti dukung, logo) yang ditulis."))


class RestoreRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    matched_users = MatchedUserSerializer(many=True, required=False, help_text=_(
        "Bila ada: akun yang sudah ada dan akan dicocokkan; ulangi dengan confirm_users=1 setelah memeriksanya."))

import re
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from .choices import ImportStatus, JobStatus, SnapshotKind


class ImportRecord(BaseModel):
    """One Excel upload: who sent which file, what the preview found, and what its commit wrote."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengunggah")
    )
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.PositiveIntegerField(_("ukuran (bita)"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    domains = models.CharField(_("domain"), max_length=200, blank=True, help_text=_("Domain yang lembarnya ditemukan."))
    created_count = models.PositiveIntegerField(_("baris baru"), default=0)
    updated_count = models.PositiveIntegerField(_("baris diubah"), default=0)
    unchanged_count = models.PositiveIntegerField(_("baris tetap"), default=0)
    error_count = models.PositiveIntegerField(_("masalah"), default=0)
    warning_count = models.PositiveIntegerField(_("peringatan"), default=0)
    problems = models.JSONField(_("daftar masalah"), default=list, blank=True)
    sheets = models.JSONField(_("ringkasan per lembar"), default=list, blank=True)
    changes = models.JSONField(_("contoh perubahan"), default=list, blank=True)
    request_id = models.UUIDField(_("ID permintaan penyimpanan"), null=True, blank=True)
    committed_at = models.DateTimeField(_("disimpan pada"), null=True, blank=True)
    # A large commit runs as a background job (``sia.exchange.jobs``): its rows, when it started, why it failed.
    rows_total = models.PositiveIntegerField(_("baris untuk disimpan"), default=0)
    rows_done = models.PositiveIntegerField(_("baris selesai"), default=0)
    job_started = models.DateTimeField(_("mulai diproses"), null=True, blank=True)
    job_error = models.TextField(_("sebab gagal"), blank=True)

    class Meta:
        verbose_name = _("Unggahan Excel")
        verbose_name_plural = _("Riwayat Unggah")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("exchange:importrecord", args=[self.pk])

    @property
    def can_commit(self) -> bool:
        """A clean preview, or a job that failed without a problem in the file (a retry)."""
        return (self.status in (ImportStatus.PREVIEW, ImportStatus.FAILED) and not self.error_count
                and bool(self.created_count + self.updated_count))

    @property
    def job_pending(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def stored_name(self) -> str:
        return f"imports/{self.sha256}.xlsx"


def archive_path(instance, filename):
    """Where an instansi archive is kept: by instansi, named by the row and a random token (never by what users
    typed); the human name is only the download's (``SnapshotJob.download_name``)."""
    return f"arsip-instansi/{instance.institution_id}/{instance.pk}-{uuid.uuid4().hex}.zip"


def source_path(instance, filename):
    """Where an uploaded archive waits for its restore (no instansi yet): by the row and a random token."""
    return f"arsip-instansi/pulihkan/{instance.pk}-{uuid.uuid4().hex}.zip"


class SnapshotJob(BaseModel):
    """An instansi archive (.zip) written, or restored, by a background job: who asked, its options, how far it
    has come, why it failed, and the finished archive (an export) or the restored instansi (a restore)."""

    kind = models.CharField(_("jenis"), max_length=10, choices=SnapshotKind.choices, default=SnapshotKind.EXPORT)
    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("instansi"), help_text=_("Pemulihan: instansi yang dipulihkan, setelah selesai."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diminta oleh"),
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    credentials = models.BooleanField(_("dengan hash kata sandi"), default=False)
    # a restore: the uploaded archive and the restorer's decisions
    source = models.FileField(_("arsip diunggah"), upload_to=source_path, max_length=255, blank=True)
    source_name = models.CharField(_("nama berkas diunggah"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("SHA-256 arsip diunggah"), max_length=64, blank=True)
    code = models.CharField(_("kode instansi baru"), max_length=20, blank=True)
    name = models.CharField(_("nama instansi baru"), max_length=200, blank=True)
    confirm_users = models.BooleanField(_("pengguna yang ada dikonfirmasi"), default=False)
    accept_password_hashes = models.BooleanField(_("hash kata sandi dipakai"), default=False)
    matched_users = models.JSONField(_("pengguna yang sudah ada"), default=list, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    # the job
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    stage = models.CharField(_("tahap"), max_length=200, blank=True)
    file = models.FileField(_("arsip"), upload_to=archive_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), default=0)
    error = models.TextField(_("sebab gagal"), blank=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("Arsip instansi")
        verbose_name_plural = _("Arsip instansi")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["requested_by", "status"], name="exchange_snapjob_user_status")]

    def __str__(self):
        scope = self.institution.name if self.institution_id else (self.source_name or self.code)
        return f"{self.get_kind_display()} {scope} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("exchange:snapshotjob", args=[self.pk])

    @property
    def pending(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def may_retry(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def needs_confirmation(self) -> bool:
        """A restore refused until the restorer confirms the existing accounts it lists."""
        return self.kind == SnapshotKind.RESTORE and self.status == JobStatus.FAILED and bool(self.matched_users)

    @property
    def download_name(self) -> str:
        code = re.sub(r"[^\w]+", "-", str(self.institution.code if self.institution_id else "")).strip("-") or "x"
        stamp = (self.finished_at or self.created).strftime("%Y%m%d")
        return f"sia-instansi-{code}-{stamp}.zip".lower()

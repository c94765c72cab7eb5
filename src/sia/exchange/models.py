from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sia.core.models import BaseModel

from .choices import ImportStatus


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

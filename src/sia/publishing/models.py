"""A requested Dokumen Arsitektur SPBE: who asked for which instansi (and OPD) with which options, how far its
background job has come, and the finished file, kept and listed so that a download never writes it again."""

import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sia.architecture.models.base import PERIOD_VALIDATOR
from sia.core.models import BaseModel

from .choices import FINISHED, DocumentContent, DocumentLanguage, DocumentStatus

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_path(instance, filename):
    """Where the file is kept: by instansi, named by the row and a random token (never by what users typed: an OPD's
    abbreviation may hold "/" or ".."); the human name is only the download's (``download_name``)."""
    return f"documents/{instance.institution_id}/{instance.pk}-{uuid.uuid4().hex}.docx"


class GeneratedDocument(BaseModel):
    """One Dokumen Arsitektur SPBE: the request, its progress and, once written, its file."""

    institution = models.ForeignKey(
        "organizations.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi"),
    )
    department = models.ForeignKey(
        "organizations.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("perangkat daerah"), help_text=_("Kosongkan untuk dokumen seluruh instansi."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diminta oleh"),
    )
    content = models.CharField(_("isi"), max_length=20, choices=DocumentContent.choices,
                               default=DocumentContent.VALIDATED)
    language = models.CharField(_("bahasa"), max_length=5, choices=DocumentLanguage.choices,
                                default=DocumentLanguage.INDONESIAN)
    period = models.CharField(_("periode"), max_length=9, validators=[PERIOD_VALIDATOR],
                              help_text=_("Periode arsitektur, mis. 2025-2029."))
    version = models.CharField(_("versi dokumen"), max_length=20, default="1.0",
                               help_text=_("Ditulis di sampul, mis. 1.0 atau 2026-rev1."))
    status = models.CharField(_("status"), max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.QUEUED, editable=False)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0, editable=False)
    stage = models.CharField(_("tahap"), max_length=200, blank=True, editable=False)
    draft = models.BooleanField(_("draf"), default=False, editable=False,
                                help_text=_("Memuat objek yang belum divalidasi (bertanda air DRAF)."))
    file = models.FileField(_("berkas"), upload_to=document_path, max_length=255, blank=True, editable=False)
    size = models.PositiveIntegerField(_("ukuran (bita)"), default=0, editable=False)
    error = models.TextField(_("kesalahan"), blank=True, editable=False)
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("selesai dibuat"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Dokumen Arsitektur SPBE")
        verbose_name_plural = _("Dokumen Arsitektur SPBE")
        ordering = ["-created", "-pk"]

    def __str__(self):
        scope = self.department.abbreviation if self.department_id else self.institution.name
        return f"{_('Dokumen Arsitektur SPBE')} {scope} {self.period} v{self.version}"

    def get_absolute_url(self):
        return reverse("publishing:document", args=[self.pk])

    def clean(self):
        super().clean()
        if self.department_id and self.institution_id and self.department.institution_id != self.institution_id:
            raise ValidationError({"department": _("Perangkat daerah ini bukan milik instansi yang dipilih.")})
        if self.department_id and not self.department.is_active:
            raise ValidationError({"department": _("Perangkat daerah ini tidak aktif.")})
        if self.period and PERIOD_VALIDATOR.regex.match(self.period):
            start, end = (int(part) for part in self.period.split("-"))
            if end < start:
                raise ValidationError({"period": _("Tahun akhir periode tidak boleh sebelum tahun awalnya.")})

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def waiting_long(self) -> bool:
        """Queued for longer than a third of ``SIA_DOCUMENT_JOB_MINUTES``: the background worker seems not to run."""
        return (self.status == DocumentStatus.QUEUED and self.created is not None
                and self.created < timezone.now() - datetime.timedelta(minutes=queue_minutes()))

    @property
    def download_name(self) -> str:
        """The file's name in the download (only there): letters, digits, "-" and "."; no folder, no ".."."""
        scope = self.department.abbreviation if self.department_id else self.institution.code or self.institution.pk
        stamp = (self.finished_at or self.created).strftime("%Y%m%d")
        scope = re.sub(r"[^\w]+", "-", str(scope)).strip("-") or "opd"
        return f"dokumen-arsitektur-spbe-{scope}-{self.period}-{stamp}.docx".lower()


def queue_minutes() -> float:
    """How long a document may wait in the queue before its page says the worker seems not to run."""
    return settings.SIA_DOCUMENT_JOB_MINUTES / 3

"""Requesting a Dokumen Arsitektur SPBE and the background job that writes it.

``request_document`` is the one path for the page, the API and tests: it checks the permission, validates the
options through the model's ``full_clean`` (nothing is written on bad input) and queues ``generate_document``.
The job (django-tasks; the database backend in production and development, run at once in tests) writes the
document as the requester sees the architecture, reports its progress on the row as it goes, and keeps the
finished file; a failure is kept on the row with a message for users (the traceback only in the log).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from sia.architecture.models.base import current_period
from sia.core import permissions
from sia.core.permissions import ADD
from sia.organizations.models import Department

from .choices import DocumentStatus
from .models import GeneratedDocument

logger = logging.getLogger(__name__)
PENDING = (DocumentStatus.QUEUED, DocumentStatus.RUNNING)
MAX_PENDING = 3  # documents a user may have queued or being written at once


def request_document(user, institution, *, department=None, content=None, language=None, period="",
                     version="") -> GeneratedDocument:
    """Queues a document of ``institution`` (and one OPD) for ``user``. ``PermissionDenied`` when the user may not
    ask for it (another instansi; an operator for the whole instansi or another OPD), ``ValidationError`` naming
    the field for bad options, or (``too_many_pending``) when the user already has ``MAX_PENDING`` documents queued or
    being written; nothing is written then. The user's document of the same options still queued or being written
    is answered instead of a new one, marked ``reused``."""
    department = _department(institution, department)
    department_id = getattr(department, "pk", None)
    if not institution.is_active or not permissions.can_in(user, ADD, GeneratedDocument, institution.pk,
                                                            department_id):
        raise PermissionDenied(_("Anda tidak berhak membuat dokumen arsitektur instansi atau OPD ini."))
    document = GeneratedDocument(institution=institution, department=department, requested_by=user,
                                 period=period or current_period(), version=version or "1.0")
    if content:
        document.content = content
    if language:
        document.language = language
    document.full_clean()
    with transaction.atomic():
        # the user's row locked (PostgreSQL) so that two requests at once see each other's document
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        pending = GeneratedDocument.objects.filter(requested_by=user, status__in=PENDING)
        same = pending.filter(institution=institution, department=department, content=document.content,
                              language=document.language, period=document.period, version=document.version).first()
        if same is not None:  # asked twice (a double click, a retry): the one already on its way
            same.reused = True
            return same
        if pending.count() >= MAX_PENDING:
            raise ValidationError(_("Anda masih memiliki %(count)d dokumen yang menunggu atau sedang dibuat (paling "
                                    "banyak %(count)d sekaligus); tunggu hingga salah satunya selesai sebelum meminta "
                                    "dokumen baru.") % {"count": MAX_PENDING}, code="too_many_pending")
        document.save()
        generate_document.enqueue(document.pk)  # the database backend queues it in this same transaction
    document.refresh_from_db()
    document.reused = False
    return document


def _department(institution, department):
    """The OPD named by a Department or its pk, which must be one of ``institution``'s (``ValidationError``)."""
    if department in (None, ""):
        return None
    if isinstance(department, Department):
        found = department if department.institution_id == institution.pk else None
    else:
        try:
            pk = int(department)
        except (TypeError, ValueError):
            pk = 0
        found = Department.objects.filter(pk=pk, institution=institution).first() if 0 < pk < 2 ** 63 else None
    if found is None:
        raise ValidationError({"department": _("Perangkat daerah ini tidak ditemukan di instansi yang dipilih.")})
    return found


def expire_stalled() -> int:
    """Marks failed the documents whose job has run longer than ``SIA_DOCUMENT_JOB_MINUTES`` (its worker was stopped
    or killed mid-way: nothing else would ever finish them), so pages stop polling and say so. Returns how many."""
    limit = timezone.now() - datetime.timedelta(minutes=settings.SIA_DOCUMENT_JOB_MINUTES)
    stalled = GeneratedDocument.objects.filter(status=DocumentStatus.RUNNING, started_at__lt=limit)
    if not stalled.exists():  # read on every list, page and poll: one cheap query, a write only when needed
        return 0
    return stalled.update(
        status=DocumentStatus.FAILED, finished_at=timezone.now(),
        error=_("Pembuatan terhenti (pekerja latar belakang berhenti); buat dokumen baru."))


def report(document_id: int, progress: int, stage: str) -> None:
    """Writes the job's progress on its row (an UPDATE of its own, so readers see it while the job runs)."""
    GeneratedDocument.objects.filter(pk=document_id).update(progress=max(0, min(100, int(progress))), stage=stage[:200])


@task()
def generate_document(document_id: int) -> str:
    """The background job: writes the document, keeps its file and marks it done (or failed, with the message)."""
    from .builder import build_document

    document = GeneratedDocument.objects.select_related("institution", "department", "requested_by").filter(
        pk=document_id, status=DocumentStatus.QUEUED).first()
    if document is None:  # already taken by another worker, or gone
        return "skipped"
    started = timezone.now()
    taken = GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
        status=DocumentStatus.RUNNING, started_at=started, progress=1)
    if not taken:
        return "skipped"
    try:
        with translation.override(document.language):
            built = build_document(document, lambda percent, stage: report(document_id, percent, stage))
        name = document.download_name
        document.file.save(name, ContentFile(built.data), save=False)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.DONE, progress=100, stage="", file=document.file.name, size=len(built.data),
            draft=built.draft, finished_at=timezone.now())
        return "done"
    except Exception:  # the traceback goes to the log, the row tells users; the worker goes on with the next job
        logger.exception("Dokumen arsitektur %s gagal dibuat", document_id)
        GeneratedDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, finished_at=timezone.now(),
            error=_("Dokumen gagal dibuat karena kesalahan di server (#%(id)s); coba lagi atau hubungi admin.") % {
                "id": document_id})
        return "failed"

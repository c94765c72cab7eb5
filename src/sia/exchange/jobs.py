"""A large Excel commit as a background job, with its progress.

A preview of more than ``SIA_IMPORT_JOB_ROWS`` rows to write is committed by ``commit_job`` (django-tasks: the
database backend, worked by ``sia db_worker``, in production and development; at once in tests) instead of in the
request: ``queue_commit`` marks the record queued and queues the job in one transaction. The job runs the one commit
path (``uploads.commit_import``: re-validation, one transaction, history, review events, links) as the uploader,
and ends with the record committed, or failed with the reason (the problems naming sheet, row and column when the
data changed since the preview; nothing written either way). A failure without a problem in the file (the server
failed, the worker stopped) may be retried: the record may be committed again.

The progress cannot live in the record while the job runs: the commit is one transaction, which other connections
do not see before it ends (and on SQLite it holds the database's write lock). The job writes it instead into a small
file of the default storage (``imports/kemajuan/<id>.json``, overwritten every batch of rows; ``sia.core.jobs``),
which every
application server reads like the previewed workbook; the record gets the final figures when the job ends.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sia.core import jobs as core_jobs

from .choices import ImportStatus
from .models import ImportRecord
from .uploads import CHECKING, WRITING, ImportRefused, commit_import

logger = logging.getLogger(__name__)
STAGES = (CHECKING, WRITING)


def runs_as_job(record: ImportRecord) -> bool:
    """Is this preview large enough to be committed in the background?"""
    return record.created_count + record.updated_count > settings.SIA_IMPORT_JOB_ROWS


def progress_name(record_id: int) -> str:
    return f"imports/kemajuan/{record_id}.json"


def write_progress(record_id: int, stage: str, done: int, total: int) -> None:
    """The job's progress, readable by every process while its transaction is still open."""
    core_jobs.write_progress(progress_name(record_id), stage=stage, done=int(done), total=int(total))


def clear_progress(record_id: int) -> None:
    core_jobs.clear_progress(progress_name(record_id))


def read_progress(record: ImportRecord) -> dict:
    """``{"stage", "done", "total", "percent"}`` of a running job (nothing done yet when no report exists)."""
    found = {"stage": CHECKING, "done": 0, "total": record.rows_total}
    if record.status == ImportStatus.RUNNING:
        reported = core_jobs.read_progress(progress_name(record.pk)) or {}  # none: not written yet
        try:
            if reported.get("stage") in STAGES:
                found = {"stage": reported["stage"], "done": int(reported["done"]), "total": int(reported["total"])}
        except (KeyError, TypeError, ValueError):
            pass
    total = max(found["total"], 1)
    # checking every row is the first half of the work, writing them the second
    half = 0 if found["stage"] == CHECKING else 50
    found["percent"] = min(100, half + 50 * min(found["done"], total) // total)
    return found


def queue_commit(record: ImportRecord, *, user) -> ImportRecord:
    """Queues the commit of ``record`` by its uploader; ``ImportRefused`` when it may not be committed (already
    queued, running or done, or with problems)."""
    if record.user_id != user.pk:
        raise PermissionDenied(_("Hanya pengunggah yang dapat menyimpan unggahan ini."))
    with transaction.atomic():
        locked = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if not locked.can_commit:
            raise ImportRefused(_("Unggahan ini berstatus %(status)s; unggah ulang berkasnya.") % {
                "status": locked.get_status_display().lower()}, record)
        locked.status = ImportStatus.QUEUED
        locked.rows_total = locked.created_count + locked.updated_count
        locked.rows_done = 0
        locked.job_error = ""
        locked.job_started = None
        locked._history_user = user
        locked.save()
        commit_job.enqueue(locked.pk)  # the database backend queues it in this same transaction
    record.refresh_from_db()
    return record


def expire_stalled() -> int:
    """Marks failed the commits whose job has run longer than ``SIA_IMPORT_JOB_MINUTES`` (its worker was stopped:
    its transaction was rolled back, nothing was written), so that the page stops waiting and offers a retry."""
    limit = timezone.now() - datetime.timedelta(minutes=settings.SIA_IMPORT_JOB_MINUTES)
    stalled = ImportRecord.objects.filter(status=ImportStatus.RUNNING, job_started__lt=limit)
    if not stalled.exists():
        return 0
    return stalled.update(status=ImportStatus.FAILED, job_error=_(
        "Penyimpanan terhenti (pekerja latar belakang berhenti); tidak ada yang disimpan. Coba simpan lagi."))


@task()
def commit_job(record_id: int) -> str:
    """The background job: commits the record as its uploader, reporting rows checked and written."""
    taken = ImportRecord.objects.filter(pk=record_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, job_started=timezone.now(), rows_done=0)
    if not taken:  # already taken by another worker, or gone
        return "skipped"
    record = ImportRecord.objects.select_related("institution", "user").get(pk=record_id)
    try:
        commit_import(record, user=record.user, job=True,
                      progress=lambda stage, done, total: write_progress(record_id, stage, done, total))
        return "done"
    except ImportRefused as refused:  # the data changed since the preview: the problems are on the record
        ImportRecord.objects.filter(pk=record_id).update(status=ImportStatus.FAILED, job_error=refused.message)
        return "refused"
    except Exception:  # the traceback goes to the log, the record tells the uploader; nothing was written
        logger.exception("Unggahan Excel %s gagal disimpan", record_id)
        ImportRecord.objects.filter(pk=record_id).update(status=ImportStatus.FAILED, job_error=_(
            "Penyimpanan gagal karena kesalahan di server (#%(id)s); tidak ada yang disimpan. Coba simpan lagi, atau "
            "hubungi admin.") % {"id": record_id})
        return "failed"
    finally:
        clear_progress(record_id)

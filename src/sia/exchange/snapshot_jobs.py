"""Instansi archives as background jobs: the export of a whole instansi to a .zip and its restore from one.

``request_export`` and ``request_restore`` are the one path for the pages, the API and tests: they check the
permission (an export: the instansi's admins and superusers; a restore and a credentials export: superusers), check
the options through the model's ``full_clean`` and the upload through ``check_upload`` (nothing is written on bad
input), answer the user's same request still pending instead of a new one (marked ``reused``), refuse more than
``MAX_PENDING`` pending jobs of one user, and queue the job (django-tasks: the database backend, worked by
``sia db_worker``; at once in tests) in the same transaction as the row.

The jobs (``export_job``, ``restore_job``) report their progress in a small file of the default storage
(``sia.core.jobs``: the restore is one transaction, whose row updates nobody sees before it ends), keep the finished
archive by instansi (``arsip-instansi/<instansi pk>/<pk>-<token>.zip``), and end failed with a message for users: the
reason when it is known (a file missing, an archive corrupt, accounts to confirm), else a numbered server error whose
traceback goes only to the log. A failed job may be retried (``retry``), a restore with the confirmations it asked
for. ``sia export_instansi`` and ``sia restore_instansi`` stay synchronous: they are the command line.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sia.core import jobs as core_jobs
from sia.core import permissions
from sia.core.validators import check_upload

from .archive import ExportError, restore_archive, write_archive
from .choices import JobStatus, SnapshotKind
from .models import SnapshotJob
from .snapshot import RestoreError
from .snapshot_restore import UsersNeedConfirmation

logger = logging.getLogger(__name__)
PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)
MAX_PENDING = 3  # archive jobs a user may have queued or running at once
ZIP_MIMES = {"application/zip": {"zip"}}
RETRY = "retry"


class JobRefused(Exception):
    """A retry that cannot run (the job is not failed, its upload is gone); the message says why."""


def progress_name(job_id: int) -> str:
    return f"arsip-instansi/kemajuan/{job_id}.json"


def read_progress(job: SnapshotJob) -> dict:
    """``{"percent", "stage"}`` of the job: a running job's last report, else what its row says."""
    found = {"percent": job.progress, "stage": job.stage}
    if job.status == JobStatus.RUNNING:
        reported = core_jobs.read_progress(progress_name(job.pk)) or {}
        try:
            found = {"percent": max(0, min(100, int(reported["percent"]))), "stage": str(reported["stage"])[:200]}
        except (KeyError, TypeError, ValueError):  # not written yet
            pass
    return found


def _admits(user, institution) -> bool:
    return bool(institution.is_active and permissions.can_in(user, permissions.ADD, SnapshotJob, institution.pk))


def _queue(job: SnapshotJob, user, same) -> SnapshotJob:
    """Saves and queues ``job`` unless ``same`` (the user's pending jobs of the same request) finds one; in the
    caller's transaction, with the requester's row held so that the cap holds for two requests at once."""
    core_jobs.hold_requester(user)
    pending = SnapshotJob.objects.filter(requested_by=user, status__in=PENDING)
    found = same(pending).first()
    if found is not None:  # asked twice (a double click, a retry of the request): the one already on its way
        found.reused = True
        return found
    _within_cap(pending)
    job.save()
    return job


def _within_cap(pending) -> None:
    """``ValidationError`` when the user's ``pending`` jobs already reach ``MAX_PENDING`` (a new request, a retry)."""
    if pending.count() >= MAX_PENDING:
        raise ValidationError(_("Anda masih memiliki %(count)d arsip yang menunggu atau sedang diproses (paling banyak "
                                "%(count)d sekaligus); tunggu hingga salah satunya selesai.") % {"count": MAX_PENDING},
                              code="too_many_pending")


def request_export(user, institution, *, credentials: bool = False) -> SnapshotJob:
    """Queues the archive of ``institution`` for ``user``. ``PermissionDenied`` when the user is no admin of it (or
    asks for password hashes without being a superuser); ``ValidationError`` when too many jobs are pending."""
    if not _admits(user, institution):
        raise PermissionDenied(_("Hanya admin instansi yang dapat mengekspor seluruh instansi."))
    if credentials and not user.is_superuser:
        raise PermissionDenied(_("Hanya superuser yang dapat mengekspor hash kata sandi."))
    job = SnapshotJob(kind=SnapshotKind.EXPORT, institution=institution, requested_by=user,
                      credentials=bool(credentials))
    job.full_clean()
    with transaction.atomic():
        queued = _queue(job, user, lambda pending: pending.filter(
            kind=SnapshotKind.EXPORT, institution=institution, credentials=job.credentials))
        if queued is job:
            export_job.enqueue(job.pk)  # the database backend queues it in this same transaction
    return _answer(queued)


def request_restore(user, upload, *, code: str = "", name: str = "", confirm_users: bool = False,
                    accept_password_hashes: bool = False) -> SnapshotJob:
    """Keeps the uploaded archive and queues its restore (superusers). ``ValidationError`` naming the field for a
    bad file or option, or for too many pending jobs; nothing is kept then."""
    if not (user.is_authenticated and user.is_active and user.is_superuser):
        raise PermissionDenied(_("Hanya superuser yang dapat memulihkan instansi."))
    try:
        check_upload(upload, allowed_mimes=ZIP_MIMES, max_bytes=settings.SIA_SNAPSHOT_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = SnapshotJob(kind=SnapshotKind.RESTORE, requested_by=user, source_name=upload.name[-255:],
                      source_sha256=digest.hexdigest(), code=(code or "").strip(), name=(name or "").strip(),
                      confirm_users=bool(confirm_users), accept_password_hashes=bool(accept_password_hashes))
    job.full_clean(exclude=["source", "file"])
    with transaction.atomic():
        queued = _queue(job, user, lambda pending: pending.filter(
            kind=SnapshotKind.RESTORE, source_sha256=job.source_sha256, code=job.code, name=job.name,
            confirm_users=job.confirm_users, accept_password_hashes=job.accept_password_hashes))
        if queued is job:
            job.source.save("arsip.zip", File(upload), save=False)
            SnapshotJob.objects.filter(pk=job.pk).update(source=job.source.name)
            restore_job.enqueue(job.pk)
    return _answer(queued)


def _answer(job: SnapshotJob) -> SnapshotJob:
    reused = getattr(job, "reused", False)
    job.refresh_from_db()
    job.reused = reused
    return job


def retry(user, job: SnapshotJob, *, confirm_users: bool | None = None,
          accept_password_hashes: bool | None = None) -> SnapshotJob:
    """Queues a failed job again (a restore with the confirmations given now). ``PermissionDenied`` when the user may
    not; ``JobRefused`` when the job is not failed or its upload is gone; ``ValidationError`` for too many pending."""
    if not permissions.can(user, RETRY, job):
        raise PermissionDenied(_("Anda tidak berhak mengulang pekerjaan ini."))
    with transaction.atomic():
        core_jobs.hold_requester(user)
        locked = SnapshotJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.FAILED:
            raise JobRefused(_("Hanya pekerjaan yang gagal yang dapat diulang; yang ini berstatus %(status)s.") % {
                "status": locked.get_status_display().lower()})
        if locked.kind == SnapshotKind.RESTORE and not locked.source:
            raise JobRefused(_("Arsip yang diunggah tidak tersimpan lagi; unggah ulang arsipnya."))
        _within_cap(SnapshotJob.objects.filter(requested_by=user, status__in=PENDING))
        if confirm_users is not None:
            locked.confirm_users = bool(confirm_users)
        if accept_password_hashes is not None:
            locked.accept_password_hashes = bool(accept_password_hashes)
        locked.status, locked.progress, locked.stage, locked.error = JobStatus.QUEUED, 0, "", ""
        locked.started_at = locked.finished_at = None
        locked.requested_by = user if locked.kind == SnapshotKind.EXPORT else locked.requested_by
        locked._history_user = user
        locked.save()
        (export_job if locked.kind == SnapshotKind.EXPORT else restore_job).enqueue(locked.pk)
    return _answer(locked)


def expire_stalled() -> int:
    """Marks failed the jobs running longer than ``SIA_SNAPSHOT_JOB_MINUTES`` (their worker was stopped: a restore's
    transaction was rolled back), so that pages stop polling and offer a retry. Returns how many."""
    limit = timezone.now() - datetime.timedelta(minutes=settings.SIA_SNAPSHOT_JOB_MINUTES)
    stalled = SnapshotJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=limit)
    if not stalled.exists():  # read on every list, page and poll: one cheap query, a write only when needed
        return 0
    return stalled.update(status=JobStatus.FAILED, finished_at=timezone.now(), error=_(
        "Pekerjaan terhenti (pekerja latar belakang berhenti); tidak ada yang disimpan. Coba ulangi."))


def _take(job_id: int) -> SnapshotJob | None:
    taken = SnapshotJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=1, stage="")
    if not taken:  # already taken by another worker, or gone
        return None
    return SnapshotJob.objects.select_related("institution", "requested_by").get(pk=job_id)


def _reporter(job_id: int):
    last = {"percent": None}

    def report(percent: int, stage: str) -> None:
        percent = max(1, min(99, int(percent)))
        if percent != last["percent"]:
            last["percent"] = percent
            core_jobs.write_progress(progress_name(job_id), percent=percent, stage=str(stage)[:200])
    return report


def _fail(job_id: int, message: str, **more) -> str:
    SnapshotJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=timezone.now(), error=message,
                                                 **more)
    return "failed"


def _server_error(job: SnapshotJob) -> str:
    logger.exception("Arsip instansi (pekerjaan %s, %s) gagal", job.pk, job.kind)
    what = _("Ekspor") if job.kind == SnapshotKind.EXPORT else _("Pemulihan")
    return _fail(job.pk, _("%(what)s gagal karena kesalahan di server (#%(id)s); tidak ada yang disimpan. Coba ulangi, "
                           "atau hubungi admin server dengan nomor itu.") % {"what": what, "id": job.pk})


@task()
def export_job(job_id: int) -> str:
    """The background job: writes the archive as its requester (who must still be the instansi's admin)."""
    job = _take(job_id)
    if job is None:
        return "skipped"
    try:
        if not _admits(job.requested_by, job.institution):
            return _fail(job_id, _("Peminta tidak lagi admin instansi ini; arsip tidak dibuat."))
        if job.credentials and not (job.requested_by.is_active and job.requested_by.is_superuser):
            return _fail(job_id, _("Peminta tidak lagi superuser; arsip dengan hash kata sandi tidak dibuat."))
        with tempfile.TemporaryFile() as output:
            summary = write_archive(job.institution, output, credentials=job.credentials, user=job.requested_by,
                                    progress=_reporter(job_id))
            size = output.tell()
            output.seek(0)
            job.file.save("arsip.zip", File(output, name="arsip.zip"), save=False)
        SnapshotJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE, progress=100, stage="", file=job.file.name, size=size, finished_at=timezone.now(),
            result={"rows": summary.rows, "files": summary.files, "file_bytes": summary.file_bytes})
        return "done"
    except ExportError as error:  # a known reason (a stored file missing, rows the requester may not see)
        return _fail(job_id, str(error))
    except Exception:  # the traceback goes to the log, the row tells users; the worker goes on with the next job
        return _server_error(job)
    finally:
        core_jobs.clear_progress(progress_name(job_id))


@task()
def restore_job(job_id: int) -> str:
    """The background job: restores the uploaded archive with the restorer's decisions; the upload is removed once
    restored (kept after a failure, for a retry)."""
    job = _take(job_id)
    if job is None:
        return "skipped"
    try:
        if not (job.requested_by.is_active and job.requested_by.is_superuser):
            return _fail(job_id, _("Peminta tidak lagi superuser; tidak ada yang dipulihkan."))
        with job.source.open("rb") as source:
            result = restore_archive(source, user=job.requested_by, code=job.code or None, name=job.name or None,
                                     confirm_users=job.confirm_users,
                                     accept_password_hashes=job.accept_password_hashes, progress=_reporter(job_id))
        SnapshotJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE, progress=100, stage="", institution=result.institution, source="",
            finished_at=timezone.now(), matched_users=[user.as_dict() for user in result.matched_users],
            result={"code": result.institution.code, "name": result.institution.name,
                    "created_users": result.created_users, "files_written": result.files_written})
        job.source.delete(save=False)
        return "done"
    except UsersNeedConfirmation as refused:  # nothing written: the page lists them and asks for the confirmation
        return _fail(job_id, str(refused), matched_users=[user.as_dict() for user in refused.users])
    except RestoreError as error:  # a corrupt archive, a code taken, ...: nothing written
        return _fail(job_id, str(error))
    except Exception:
        return _server_error(job)
    finally:
        core_jobs.clear_progress(progress_name(job_id))

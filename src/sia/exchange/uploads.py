"""The life of an upload: checked and previewed (an ImportRecord in status "pratinjau", the file kept privately in
the default storage as ``imports/<sha256>.xlsx``, so any application server reads it back), then committed all at
once or not at all. The preview keeps its validated plan for the commit (``plan_store``).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core import stored_files
from sia.core.request_context import action_scope

from .choices import ImportStatus
from .collection import without_collector
from .committer import write_plan
from sia.core.workbooks import read_upload, safe_name
from .importer import CREATE, UNCHANGED, UPDATE, ImportPlan, plan_workbook
from . import plan_store
from .models import ImportRecord
from .problems import FileRejected, Problem

MAX_STORED_PROBLEMS = 2000
STALE_PREVIEW_SECONDS = 2 * 24 * 60 * 60
CHECKING, WRITING = "check", "write"  # the stages a commit reports its progress in


class ImportRefused(Exception):
    """A commit that could not run: already done, or the file has problems now."""

    def __init__(self, message: str, record: ImportRecord):
        super().__init__(message)
        self.message = message
        self.record = record


FOLDER = "imports"


def stored_name(sha256: str, suffix: str = ".xlsx") -> str:
    """The name in the default storage of a previewed file (a workbook; ArchiMate files use another suffix)."""
    return f"{FOLDER}/{sha256}{suffix}"


def store_file(content: bytes, sha256: str, suffix: str = ".xlsx") -> str:
    return stored_files.save_bytes(stored_name(sha256, suffix), content)


def load_stored(sha256: str, suffix: str = ".xlsx") -> bytes | None:
    return stored_files.read_bytes(stored_name(sha256, suffix)) if sha256 else None


def load_file(record: ImportRecord) -> bytes | None:
    return load_stored(record.sha256)


def remove_stale_previews() -> int:
    """Previews nobody committed for two days: their stored file goes unless another record still needs it."""
    limit = timezone.now() - timedelta(seconds=STALE_PREVIEW_SECONDS)
    stale = ImportRecord.objects.filter(status=ImportStatus.PREVIEW, created__lt=limit).exclude(sha256="")
    removed = 0
    for sha256 in set(stale.values_list("sha256", flat=True)):
        if ImportRecord.objects.filter(sha256=sha256, created__gte=limit).exists():
            continue
        name = stored_name(sha256)
        if stored_files.modified_before(name, STALE_PREVIEW_SECONDS):
            stored_files.delete(name)
            removed += 1
    return removed + plan_store.remove_stale(STALE_PREVIEW_SECONDS)


def _fill(record: ImportRecord, plan: ImportPlan) -> None:
    counts = plan.counts()
    record.created_count, record.updated_count, record.unchanged_count = counts[CREATE], counts[UPDATE], counts[UNCHANGED]
    record.error_count, record.warning_count = len(plan.errors), len(plan.warnings)
    record.problems = [p.as_dict() for p in plan.problems[:MAX_STORED_PROBLEMS]]
    record.sheets = plan.sheet_summary()
    record.changes = plan.changes()
    record.domains = ",".join(dict.fromkeys(sheet["domain"] for sheet in record.sheets))


@without_collector
def start_import(upload, *, user, institution) -> ImportRecord:
    """Checks the file, validates every row and records the preview; writes no architecture object."""
    if not user.is_authenticated:
        raise PermissionDenied
    record = ImportRecord(institution=institution, user=user, file_name=safe_name(getattr(upload, "name", "")),
                          size=getattr(upload, "size", 0) or 0)
    try:
        content = read_upload(upload)
    except FileRejected as error:
        record.status = ImportStatus.REJECTED
        record.error_count = 1
        record.problems = [Problem("", None, "", error.message).as_dict()]
        record._history_user = user
        record.save()
        return record
    record.sha256 = hashlib.sha256(content).hexdigest()
    plan_state = plan_store.state(user, institution)  # before reading: a change while it runs is seen at commit
    try:
        plan = plan_workbook(content, user=user, institution=institution)
    except FileRejected as error:
        plan = ImportPlan(institution=institution, user=user, problems=[Problem("", None, "", error.message)])
        record.status = ImportStatus.REJECTED
    else:
        store_file(content, record.sha256)
    _fill(record, plan)
    record._history_user = user
    record.save()
    if plan.is_clean:
        plan_store.keep(record, plan, plan_state=plan_state)
    remove_stale_previews()
    return record


@without_collector
def commit_import(record: ImportRecord, *, user, progress=None, job: bool = False) -> ImportRecord:
    """Writes every row of the preview's plan in one transaction: the plan the preview kept when neither the file
    nor anything its validation read changed since (``plan_store``), else the stored file read and validated again
    (the data may have changed since the preview); raises ImportRefused (nothing written) when that finds problems.
    A preview, or a failed job (a retry), may be committed; ``job`` is the background job's own call (``sia.exchange.jobs``), on
    the record it took. ``progress(stage, done, total)`` hears of the rows checked, then of the rows written."""
    if record.user_id != user.pk:
        raise PermissionDenied(_("Hanya pengunggah yang dapat menyimpan unggahan ini."))
    allowed = (ImportStatus.RUNNING,) if job else (ImportStatus.PREVIEW, ImportStatus.FAILED)
    if record.status not in allowed:
        raise ImportRefused(_("Unggahan ini berstatus %(status)s; unggah ulang berkasnya.") % {
            "status": record.get_status_display().lower()}, record)
    content = load_file(record)
    if content is None:
        raise ImportRefused(_("Berkas pratinjau sudah tidak tersimpan; unggah ulang berkasnya."), record)
    report = progress or (lambda stage, done, total: None)
    sha256 = hashlib.sha256(content).hexdigest()
    with action_scope() as request_id:
        with transaction.atomic():
            plan = plan_store.reuse(record, user=user, sha256=sha256)
            if plan is not None:
                report(CHECKING, len(plan.rows), len(plan.rows))
            else:
                plan = plan_workbook(content, user=user, institution=record.institution, lock=True,
                                     progress=lambda done, total: report(CHECKING, done, total))
            if plan.is_clean:
                write_plan(plan, user=user, reason=_("Unggah Excel %(name)s") % {"name": record.file_name},
                           progress=lambda done, total: report(WRITING, done, total))
                _fill(record, plan)
                record.status = ImportStatus.COMMITTED
                record.request_id = request_id
                record.committed_at = timezone.now()
                record.rows_done = record.created_count + record.updated_count
                record.job_error = ""
                record._history_user = user
                record.save()
        plan_store.discard(record.pk)  # committed, or refused for good (a failure above keeps it for the retry)
        if not plan.is_clean:
            _fill(record, plan)
            record._history_user = user
            record.save()
            raise ImportRefused(_("Data berubah sejak pratinjau dan kini ada masalah; tidak ada yang disimpan."), record)
    return record

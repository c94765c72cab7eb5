"""The commit: all or nothing, re-validated, every change in the audit trail under one request ID."""

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess, Service
from sia.exchange.choices import ImportStatus
from sia.exchange.models import ImportRecord
from sia.exchange.uploads import ImportRefused, commit_import, load_file, start_import
from tests.architecture.test_status_since import assert_stamped

from .helpers import edit, export, row_of, upload, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *", "Proses induk"]


def new_processes(n, parent=""):
    return workbook({"Proses Bisnis": [PB] + [["", "DISKOMINFO", f"Proses Baru {i}", parent] for i in range(n)]})


def test_preview_writes_nothing_and_keeps_the_file_privately(ex, world, settings):
    admin = world.users["admin"]
    before = BusinessProcess.objects.count()
    record = start_import(upload(new_processes(3), "isian OPD.xlsx"), user=admin, institution=world.inst)
    assert BusinessProcess.objects.count() == before
    assert (record.status, record.created_count, record.file_name, record.user) == (
        ImportStatus.PREVIEW, 3, "isian OPD.xlsx", admin)
    assert load_file(record) is not None
    assert default_storage.exists(f"imports/{record.sha256}.xlsx")
    assert record.sheets == [{"sheet": "Proses Bisnis", "domain": "proses-bisnis", "label": "Proses Bisnis", "rows": 3,
                              "create": 3, "update": 0, "unchanged": 0, "errors": 0}]


def test_commit_records_every_change_under_one_request_id(ex, world):
    admin = world.users["admin"]
    content = export(admin, world.inst, [BusinessProcess, Service])
    content = edit(content, [("Layanan", row_of(content, "Layanan", ex.service.code), "Tujuan", "Tujuan baru")])
    content = edit(content, [("Proses Bisnis", 10, "Nama *", "Proses Tambahan"),
                             ("Proses Bisnis", 10, "Perangkat daerah *", "DINKES")])
    record = start_import(upload(content), user=admin, institution=world.inst)
    assert (record.created_count, record.updated_count, record.unchanged_count) == (1, 1, 2)
    commit_import(record, user=admin)
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED and record.request_id and record.committed_at
    created = BusinessProcess.objects.get(name="Proses Tambahan")
    records = list(BusinessProcess.history.filter(request_id=record.request_id)) + list(
        Service.history.filter(request_id=record.request_id))
    assert sorted((r.history_type, r.code) for r in records) == [("+", created.code), ("~", ex.service.code)]
    assert all(r.history_user == admin and r.history_change_reason == "Unggah Excel unggahan.xlsx" for r in records)
    assert ImportRecord.history.filter(request_id=record.request_id, status=ImportStatus.COMMITTED).exists()
    assert workflow.conversation(created).get().user == admin


def test_commit_stamps_when_new_and_reopened_objects_entered_their_status(ex, world):
    """Their ``status_since`` (the review queues' order) is the time of their review event
    (tests/architecture/test_status_since.py)."""
    admin = world.users["admin"]
    for action, user in ((workflow.A.SUBMIT, "operator"), (workflow.A.VERIFY, "verifier")):
        workflow.apply(ex.service, action, world.users[user])
    content = export(admin, world.inst, [BusinessProcess, Service])
    content = edit(content, [("Layanan", row_of(content, "Layanan", ex.service.code), "Tujuan", "Tujuan baru")])
    content = edit(content, [("Proses Bisnis", 10, "Nama *", "Proses Tambahan"),
                             ("Proses Bisnis", 10, "Perangkat daerah *", "DINKES")])
    record = start_import(upload(content), user=admin, institution=world.inst)
    started = timezone.now()
    commit_import(record, user=admin)
    created = BusinessProcess.objects.get(name="Proses Tambahan")
    assert_stamped(created)
    ex.service.refresh_from_db()
    assert ex.service.status == ReviewStatus.DRAFT
    assert_stamped(ex.service)
    assert created.status_since >= started and ex.service.status_since >= started


def test_commit_is_all_or_nothing(ex, world, monkeypatch):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5)), user=admin, institution=world.inst)

    def failing(objects, user, **kwargs):
        original(objects, user, **kwargs)  # the objects and their review events are inserted, then it fails
        assert BusinessProcess.objects.filter(name__startswith="Proses Baru").count() == 5
        raise RuntimeError("disk penuh")

    original = workflow.record_creations
    monkeypatch.setattr(workflow, "record_creations", failing)
    before = (BusinessProcess.objects.count(), BusinessProcess.history.count())
    with pytest.raises(RuntimeError):
        commit_import(record, user=admin)
    assert (BusinessProcess.objects.count(), BusinessProcess.history.count()) == before
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEW


def test_commit_validates_again(ex, world):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(2, parent=ex.dinkes_process.code)), user=admin, institution=world.inst)
    assert record.error_count == 2  # a parent must be in the same OPD
    record = start_import(upload(new_processes(2, parent=ex.process.code)), user=admin, institution=world.inst)
    assert record.can_commit
    ex.process.code = "PB-DISKOMINFO-900"  # renamed by someone else in the meantime
    ex.process.save()
    with pytest.raises(ImportRefused) as refused:
        commit_import(record, user=admin)
    record.refresh_from_db()
    assert "berubah sejak pratinjau" in refused.value.message
    assert record.status == ImportStatus.PREVIEW and record.error_count == 2
    assert not BusinessProcess.objects.filter(name__startswith="Proses Baru").exists()


def test_only_the_uploader_commits_once(ex, world):
    operator = world.users["operator"]
    record = start_import(upload(new_processes(1)), user=operator, institution=world.inst)
    with pytest.raises(Exception) as denied:
        commit_import(record, user=world.users["admin"])
    assert denied.type.__name__ == "PermissionDenied"
    commit_import(record, user=operator)
    with pytest.raises(ImportRefused):
        commit_import(record, user=operator)
    assert BusinessProcess.objects.filter(name="Proses Baru 0").count() == 1


def test_operator_commit_reopens_nothing_it_may_not_touch(ex, world):
    BusinessProcess.objects.filter(pk=ex.process.pk).update(status=ReviewStatus.SUBMITTED)
    operator = world.users["operator"]
    content = export(operator, world.inst, [BusinessProcess])
    edited = edit(content, [("Proses Bisnis", row_of(content, "Proses Bisnis", ex.process.code), "Target IKU", "1%")])
    record = start_import(upload(edited), user=operator, institution=world.inst)
    assert [p["message"] for p in record.problems] == [
        f"Anda tidak berwenang mengubah {ex.process.code} (status Diajukan)."]
    with pytest.raises(ImportRefused):
        commit_import(record, user=operator)

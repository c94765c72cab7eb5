"""The commit takes the preview's validated plan when nothing it depended on changed, and validates again otherwise."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess, ReviewEvent, ValueListItem
from sia.exchange import plan_store, uploads
from sia.exchange.choices import ImportStatus
from sia.exchange.uploads import ImportRefused, commit_import, start_import
from sia.organizations.models import Membership

from .helpers import edit, export, row_of, upload, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *", "Proses induk"]


def new_processes(n, parent=""):
    return workbook({"Proses Bisnis": [PB] + [["", "DISKOMINFO", f"Proses Ulang {i}", parent] for i in range(n)]})


@pytest.fixture
def validations(monkeypatch):
    """Counts the validations of a whole file (``plan_workbook``) the commit runs."""
    calls = []
    original = uploads.plan_workbook

    def counting(*args, **kwargs):
        calls.append(kwargs.get("lock", False))
        return original(*args, **kwargs)

    monkeypatch.setattr(uploads, "plan_workbook", counting)
    return calls


def preview(world, content, user=None):
    user = user or world.users["admin"]
    record = start_import(upload(content), user=user, institution=world.inst)
    assert record.can_commit, record.problems
    return record


def test_the_commit_takes_the_previews_plan_with_every_guarantee(ex, world, validations):
    admin = world.users["admin"]
    record = preview(world, new_processes(3, parent=ex.process.code))
    assert default_storage.exists(plan_store.plan_name(record.pk))
    validations.clear()
    events = ReviewEvent.objects.count()
    commit_import(record, user=admin)
    assert validations == []  # neither read nor validated again
    record.refresh_from_db()
    assert (record.status, record.created_count) == (ImportStatus.COMMITTED, 3)
    created = list(BusinessProcess.objects.filter(name__startswith="Proses Ulang"))
    assert len(created) == 3 and all(p.parent_id == ex.process.pk and p.code for p in created)
    history = BusinessProcess.history.filter(request_id=record.request_id)
    assert sorted(h.code for h in history) == sorted(p.code for p in created)
    assert all(h.history_user == admin and h.history_type == "+" for h in history)
    assert ReviewEvent.objects.count() == events + 3 and workflow.conversation(created[0]).get().user == admin
    assert not default_storage.exists(plan_store.plan_name(record.pk))  # used once


def test_the_kept_plan_keeps_updates_and_warnings(ex, world, validations):
    admin = world.users["admin"]
    content = export(admin, world.inst, [BusinessProcess])
    version = ex.process.lock_version
    content = edit(content, [("Proses Bisnis", row_of(content, "Proses Bisnis", ex.process.code), "Target IKU", "80%")])
    record = preview(world, content)
    assert (record.created_count, record.updated_count) == (0, 1)
    validations.clear()
    commit_import(record, user=admin)
    assert validations == []
    ex.process.refresh_from_db()
    assert ex.process.kpi_target == "80%" and ex.process.lock_version == version + 1
    assert BusinessProcess.history.filter(request_id=record.request_id, history_type="~").count() == 1


def test_an_object_the_plan_names_changed_since_the_preview_validates_again(ex, world, validations):
    admin = world.users["admin"]
    record = preview(world, new_processes(2, parent=ex.process.code))
    ex.process.code = "PB-DISKOMINFO-901"  # renamed by someone else in the meantime
    ex.process.save()
    validations.clear()
    with pytest.raises(ImportRefused):
        commit_import(record, user=admin)
    assert validations == [True]
    record.refresh_from_db()
    assert {(p["sheet"], p["row"], p["column"]) for p in record.problems} == {
        ("Proses Bisnis", 2, "Proses induk"), ("Proses Bisnis", 3, "Proses induk")}
    assert not BusinessProcess.objects.filter(name__startswith="Proses Ulang").exists()


def test_a_change_elsewhere_in_the_architecture_validates_again_and_commits(ex, world, validations):
    record = preview(world, new_processes(2))
    ex.dinkes_process.name = "Pelayanan Kesehatan Rujukan"
    ex.dinkes_process.save()
    validations.clear()
    commit_import(record, user=world.users["admin"])
    assert validations == [True]
    assert BusinessProcess.objects.filter(name__startswith="Proses Ulang").count() == 2


@pytest.mark.parametrize("change", ["value list", "catalog", "membership", "next day", "stored file"])
def test_what_validation_read_changed_validates_again(ex, world, validations, monkeypatch, change):
    admin = world.users["admin"]
    record = preview(world, new_processes(2))
    if change == "value list":
        item = ValueListItem.objects.filter(institution=world.inst).first()
        item.name = f"{item.name} (lama)"
        item.save()
    elif change == "catalog":
        node = ex.node("RAB.09.03.04")
        node.name = f"{node.name} (revisi)"
        node.save()
    elif change == "membership":
        Membership.objects.filter(user=admin).first().save()
    elif change == "next day":
        tomorrow = plan_store.timezone.localdate() + datetime.timedelta(days=1)
        monkeypatch.setattr(plan_store.timezone, "localdate", lambda *a, **k: tomorrow)
    else:  # the stored workbook is not the one previewed any more
        other = new_processes(4)
        name = uploads.stored_name(record.sha256)
        default_storage.delete(name)
        default_storage.save(name, ContentFile(other))
    validations.clear()
    commit_import(record, user=admin)
    assert validations == [True]
    expected = 4 if change == "stored file" else 2
    assert BusinessProcess.objects.filter(name__startswith="Proses Ulang").count() == expected


def test_a_plan_sia_did_not_sign_is_never_loaded(ex, world, validations, monkeypatch):
    record = preview(world, new_processes(2))
    name = plan_store.plan_name(record.pk)
    with default_storage.open(name, "rb") as stream:
        data = bytearray(stream.read())
    data[-1] ^= 1  # one bit of the pickle changed
    default_storage.delete(name)
    default_storage.save(name, ContentFile(bytes(data)))
    monkeypatch.setattr(plan_store, "_load", lambda *args: pytest.fail("unpickled an unsigned plan"))
    validations.clear()
    commit_import(record, user=world.users["admin"])
    assert validations == [True]
    assert BusinessProcess.objects.filter(name__startswith="Proses Ulang").count() == 2


def test_a_preview_with_problems_keeps_no_plan(ex, world):
    record = start_import(upload(new_processes(2, parent=ex.dinkes_process.code)), user=world.users["admin"],
                          institution=world.inst)
    assert record.error_count == 2
    assert not default_storage.exists(plan_store.plan_name(record.pk))


def test_a_failed_commit_keeps_the_plan_for_the_retry(ex, world, validations, monkeypatch):
    admin = world.users["admin"]
    record = preview(world, new_processes(2))

    def failing(objects, user, **kwargs):
        raise RuntimeError("disk penuh")

    original = workflow.record_creations
    monkeypatch.setattr(workflow, "record_creations", failing)
    with pytest.raises(RuntimeError):
        commit_import(record, user=admin)
    assert not BusinessProcess.objects.filter(name__startswith="Proses Ulang").exists()
    monkeypatch.setattr(workflow, "record_creations", original)
    validations.clear()
    commit_import(record, user=admin)
    assert validations == []
    assert BusinessProcess.objects.filter(name__startswith="Proses Ulang").count() == 2

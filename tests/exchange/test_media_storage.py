"""Previewed files live in the default storage, not under MEDIA_ROOT: with an in-memory storage and a MEDIA_ROOT
nobody can write, a workbook previewed is committed (as a preview on one application server is committed on
another that shares only the database and the bucket)."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from sia.architecture.models import BusinessProcess
from sia.core import stored_files
from sia.exchange.choices import ImportStatus
from sia.exchange.uploads import commit_import, start_import

from .helpers import upload
from .test_commit import new_processes

pytestmark = pytest.mark.django_db

IN_MEMORY = {"BACKEND": "django.core.files.storage.InMemoryStorage"}


@pytest.fixture
def memory(settings):
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    settings.MEDIA_ROOT = "/proc/sia-no-media-here"  # nothing can be written there
    return default_storage


def test_a_preview_is_committed_from_the_storage_alone(ex, world, memory):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(2), "isian.xlsx"), user=admin, institution=world.inst)
    assert record.status == ImportStatus.PREVIEW
    assert memory.exists(f"imports/{record.sha256}.xlsx")
    committed = commit_import(record, user=admin)
    assert committed.status == ImportStatus.COMMITTED
    assert BusinessProcess.objects.filter(name__startswith="Proses Baru ").count() == 2


def test_stored_files_keep_one_copy_per_name_and_go_when_old(memory, monkeypatch):
    assert stored_files.names_in("imports") == [] and stored_files.read_bytes("imports/tidak-ada") is None
    assert stored_files.save_bytes("imports/a.xlsx", b"isi") == "imports/a.xlsx"
    assert stored_files.save_bytes("imports/a.xlsx", b"isi") == "imports/a.xlsx"
    stored_files.save_bytes("imports/b.xlsx", b"lain")
    assert sorted(stored_files.names_in("imports", ".xlsx")) == ["imports/a.xlsx", "imports/b.xlsx"]
    assert stored_files.read_bytes("imports/a.xlsx") == b"isi"
    written = memory.get_modified_time
    old = timezone.now() - timedelta(days=3)
    monkeypatch.setattr(memory._wrapped, "get_modified_time",
                        lambda name: old if name == "imports/a.xlsx" else written(name))
    assert stored_files.remove_older_than("imports", 2 * 24 * 3600) == 1
    assert stored_files.names_in("imports") == ["imports/b.xlsx"]
    stored_files.delete("imports/b.xlsx")
    stored_files.delete("imports/b.xlsx")  # gone already: nothing to do
    assert stored_files.names_in("imports") == []

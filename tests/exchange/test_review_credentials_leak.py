"""Review (issue 18): an instansi archive WITH password hashes is a superuser's only (``request_export`` refuses an
admin's ``credentials=True``), so an admin of the instansi must neither download a superuser's such archive nor
re-run it as their own by retrying it."""

import io
import zipfile

import pytest

from sia.exchange import snapshot_jobs
from sia.exchange.choices import JobStatus
from sia.exchange.snapshot_jobs import request_export, retry

pytestmark = pytest.mark.django_db

URL = "/api/exchange/snapshot-jobs/"


def test_an_admin_does_not_download_a_superusers_archive_with_password_hashes(ex, world, api):
    job = request_export(world.users["superuser"], world.inst, credentials=True)
    assert job.status == JobStatus.DONE and job.credentials
    with job.file.open("rb") as stream:
        assert "password" in zipfile.ZipFile(io.BytesIO(stream.read())).read("snapshot.json").decode()
    admin = world.users["admin"]
    assert api(admin).get(f"{URL}{job.pk}/download/").status_code in (403, 404)


def test_an_admin_does_not_rerun_a_superusers_credentials_export_as_their_own(ex, world, monkeypatch):
    monkeypatch.setattr(snapshot_jobs, "write_archive", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    job = request_export(world.users["superuser"], world.inst, credentials=True)
    assert job.status == JobStatus.FAILED
    monkeypatch.undo()
    admin = world.users["admin"]
    try:
        job = retry(admin, job)
    except Exception:  # refused: fine
        return
    assert not (job.status == JobStatus.DONE and job.credentials and job.requested_by_id == admin.pk)

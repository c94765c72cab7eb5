"""Instansi archives as background jobs (issue 18): progress, failure (a numbered message, the traceback only in the
log), retry, the same request answered with the pending job, the cap, who may download (an operator, another instansi's
admin and a former admin may not), the restore with its confirmations, the pages, and the bounded direct calls."""

import io
import logging
import re
import zipfile
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.storage import default_storage
from django.test import Client

from sia.architecture.models import BusinessProcess
from sia.core import jobs as core_jobs
from sia.exchange import snapshot_jobs
from sia.exchange.archive import ExportError, export_archive
from sia.exchange.choices import JobStatus, SnapshotKind
from sia.exchange.models import SnapshotJob
from sia.exchange.snapshot_jobs import (
    MAX_PENDING, JobRefused, read_progress, request_export, request_restore, retry,
)
from sia.core.roles import Role
from sia.organizations.models import Institution, Membership

from tests.api_contract import ApiContract

pytestmark = pytest.mark.django_db

URL = "/api/exchange/snapshot-jobs/"
STORED = re.compile(r"^arsip-instansi/(\d+)/(\d+)-[0-9a-f]{32}\.zip$")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def queued_only(monkeypatch):
    """No worker takes the jobs: they stay queued."""
    monkeypatch.setattr(snapshot_jobs, "export_job", SimpleNamespace(enqueue=lambda *a: None))
    monkeypatch.setattr(snapshot_jobs, "restore_job", SimpleNamespace(enqueue=lambda *a: None))


def archive_upload(content: bytes, name="cadangan.zip"):
    return SimpleUploadedFile(name, content, content_type="application/zip")


# --- progress, the kept archive -----------------------------------------------------------------------------------

def test_an_export_reports_its_progress_and_keeps_the_archive(ex, world, monkeypatch):
    seen = []
    original = core_jobs.write_progress

    def spying(name, **figures):
        original(name, **figures)
        job = SnapshotJob.objects.get(kind=SnapshotKind.EXPORT)
        assert job.status == JobStatus.RUNNING
        seen.append(read_progress(job))

    monkeypatch.setattr(core_jobs, "write_progress", spying)
    job = request_export(world.users["admin"], world.inst)
    assert job.status == JobStatus.DONE and job.progress == 100 and not job.reused
    percents = [step["percent"] for step in seen]
    assert percents == sorted(percents) and len(set(percents)) >= 3 and 0 < percents[0] and percents[-1] < 100
    stages = {step["stage"] for step in seen}
    assert {"Membaca data instansi", "Menulis arsip"} <= stages
    assert not default_storage.exists(snapshot_jobs.progress_name(job.pk))  # cleared at the end
    match = STORED.match(job.file.name)
    assert match and match.groups() == (str(world.inst.pk), str(job.pk))
    with job.file.open("rb") as stream:
        archive = zipfile.ZipFile(io.BytesIO(stream.read()))
    assert '"institution": "82"' in archive.read("snapshot.json").decode()
    assert job.size == job.file.size and job.result["rows"] > 0
    assert job.download_name.startswith("sia-instansi-82-")


# --- failure and retry ---------------------------------------------------------------------------------------------

def test_a_failed_export_tells_a_numbered_message_logs_the_traceback_and_may_be_retried(ex, world, monkeypatch,
                                                                                         caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("rahasia server: /srv/sia/media")

    monkeypatch.setattr(snapshot_jobs, "write_archive", broken)
    with caplog.at_level(logging.ERROR, logger="sia.exchange.snapshot_jobs"):
        job = request_export(world.users["admin"], world.inst)
    assert job.status == JobStatus.FAILED and job.may_retry and not job.file
    assert f"(#{job.pk})" in job.error and "rahasia" not in job.error and "Traceback" not in job.error
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "rahasia server" in str(logged[0].exc_info[1])
    # a known reason is told as it is
    monkeypatch.setattr(snapshot_jobs, "write_archive", lambda *a, **k: (_ for _ in ()).throw(
        ExportError("Berkas bukti/x.pdf tidak ada di penyimpanan server ini.")))
    job = retry(world.users["admin"], job)
    assert job.status == JobStatus.FAILED and job.error == "Berkas bukti/x.pdf tidak ada di penyimpanan server ini."
    monkeypatch.undo()
    job = retry(world.users["admin"], job)
    assert job.status == JobStatus.DONE and job.file and job.error == ""
    with pytest.raises(JobRefused):  # only a failed job
        retry(world.users["admin"], job)


def test_a_running_job_whose_worker_stopped_fails_and_may_be_retried(ex, world, settings, api):
    job = SnapshotJob.objects.create(institution=world.inst, requested_by=world.users["admin"],
                                     status=JobStatus.RUNNING)
    SnapshotJob.objects.filter(pk=job.pk).update(started_at=job.created.replace(year=job.created.year - 1))
    answer = api(world.users["admin"]).get(f"{URL}{job.pk}/").json()
    assert answer["status"] == JobStatus.FAILED and "terhenti" in answer["error"]
    retried = api(world.users["admin"]).post(f"{URL}{job.pk}/retry/", {}, format="json")
    assert retried.status_code == 202 and retried.json()["status"] == JobStatus.DONE
    assert api(world.users["admin"]).post(f"{URL}{job.pk}/retry/", {}, format="json").status_code == 409


# --- the same request, the cap -------------------------------------------------------------------------------------

def test_the_same_request_answers_the_pending_job_and_the_cap_holds(ex, world, monkeypatch, api):
    queued_only(monkeypatch)
    superuser = world.users["superuser"]
    first = request_export(superuser, world.inst)
    again = request_export(superuser, world.inst)
    assert again.pk == first.pk and again.reused and again.status == JobStatus.QUEUED
    response = api(superuser).post(URL, {"institution": world.inst.code}, format="json")
    assert response.status_code == 200 and response.json()["id"] == first.pk
    second = request_export(superuser, world.inst, credentials=True)  # other options: a job of its own
    response = api(superuser).post(URL, {"institution": world.other.pk}, format="json")
    assert response.status_code == 202 and response["Location"].endswith(f"{URL}{response.json()['id']}/")
    assert len({first.pk, second.pk, response.json()["id"]}) == MAX_PENDING
    before = SnapshotJob.objects.count()
    with pytest.raises(ValidationError) as raised:
        request_export(superuser, world.other, credentials=True)
    assert raised.value.code == "too_many_pending"
    response = api(superuser).post(URL, {"institution": world.other.code, "credentials": True}, format="json")
    assert response.status_code == 400 and "paling banyak 3" in response.json()["non_field_errors"][0]
    assert SnapshotJob.objects.count() == before
    # another user's jobs do not count; the same request still answers its job
    assert request_export(world.users["admin"], world.inst).status == JobStatus.QUEUED
    assert request_export(superuser, world.inst).reused


# --- who may ask, read, download and retry -------------------------------------------------------------------------

def test_only_the_instansi_admins_and_superusers_ask_read_and_download(ex, world, api):
    job = request_export(world.users["admin"], world.inst)
    for role in ("operator", "verifier", "leader"):
        with pytest.raises(PermissionDenied):
            request_export(world.users[role], world.inst)
        assert api(world.users[role]).post(URL, {"institution": world.inst.code}, format="json").status_code == 403
    assert api(world.users["other_admin"]).post(URL, {"institution": world.inst.code},
                                                format="json").status_code == 404
    with pytest.raises(PermissionDenied):  # password hashes: superusers only
        request_export(world.users["admin"], world.inst, credentials=True)
    # a second admin of the instansi reads and downloads it too
    second = Membership.objects.create(user=world.users["nobody"], institution=world.inst, role=Role.ADMIN).user
    archive = body(api(second).get(f"{URL}{job.pk}/download/"))
    with job.file.open("rb") as kept:
        assert archive == kept.read()  # the kept archive, not one written anew
    assert api(world.users["superuser"]).get(f"{URL}{job.pk}/download/").status_code == 200
    for role in ("operator", "verifier", "leader", "other_admin"):
        client = api(world.users[role])
        assert client.get(f"{URL}{job.pk}/download/").status_code == 404, role
        assert job.pk not in [row["id"] for row in client.get(URL).json()["results"]], role
        page = client_for(world.users[role])
        assert page.get(f"/pertukaran/arsip/{job.pk}/unduh/").status_code == 404, role
        if role != "other_admin":  # the page is every admin's, for their own instansi
            assert page.get("/pertukaran/arsip/").status_code == 403, role


def test_a_former_admin_may_no_longer_download_nor_retry(ex, world, api):
    admin = world.users["admin"]
    job = request_export(admin, world.inst)
    failed = SnapshotJob.objects.create(institution=world.inst, requested_by=admin, status=JobStatus.FAILED)
    Membership.objects.filter(user=admin).update(is_active=False)
    former = type(admin).objects.get(pk=admin.pk)
    assert api(former).get(f"{URL}{job.pk}/download/").status_code == 404
    assert api(former).post(f"{URL}{failed.pk}/retry/", {}, format="json").status_code == 404
    assert client_for(former).get(f"/pertukaran/arsip/{job.pk}/unduh/").status_code == 404
    with pytest.raises(PermissionDenied):
        retry(former, failed)
    with pytest.raises(PermissionDenied):
        request_export(former, world.inst)


def test_a_job_asked_by_an_admin_who_left_before_it_ran_writes_nothing(ex, world, monkeypatch):
    task = snapshot_jobs.export_job
    queued_only(monkeypatch)
    job = request_export(world.users["admin"], world.inst)
    Membership.objects.filter(user=world.users["admin"]).update(is_active=False)
    assert task.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file and "tidak lagi admin" in job.error


# --- restore -------------------------------------------------------------------------------------------------------

def test_a_restore_asks_for_the_confirmation_then_restores_on_retry(ex, world, api):
    content = export_archive(world.inst)
    superuser = world.users["superuser"]
    for role in ("admin", "operator"):
        with pytest.raises(PermissionDenied):
            request_restore(world.users[role], archive_upload(content), code="82-b")
        response = api(world.users[role]).post(f"{URL}restore/", {"file": archive_upload(content)},
                                               format="multipart")
        assert response.status_code == 403
    with pytest.raises(ValidationError) as raised:  # checked by content: not a zip
        request_restore(superuser, archive_upload(b"%PDF-1.4 bukan arsip", "cadangan.zip"))
    assert "file" in raised.value.message_dict
    response = api(superuser).post(f"{URL}restore/", {"file": archive_upload(content), "code": "82-b"},
                                   format="multipart")
    assert response.status_code == 202, response.content
    job = SnapshotJob.objects.get(pk=response.json()["id"])
    assert job.status == JobStatus.FAILED and job.needs_confirmation  # accounts of the archive exist here
    assert "koord" in [user["username"] for user in job.matched_users] and job.source
    assert not Institution.objects.filter(code="82-b").exists()
    response = api(superuser).post(f"{URL}{job.pk}/retry/", {"confirm_users": True}, format="json")
    assert response.status_code == 202 and response.json()["status"] == JobStatus.DONE, response.content
    job.refresh_from_db()
    restored = Institution.objects.get(code="82-b")
    assert job.institution == restored and job.result["code"] == "82-b" and not job.source
    assert BusinessProcess.objects.filter(department__institution=restored).count() == 2
    # a restore job is the superuser's only, even for the restored instansi's admins
    assert api(world.users["admin"]).get(f"{URL}{job.pk}/").status_code == 404


def test_a_restore_reports_its_progress_from_inside_its_transaction(ex, world, monkeypatch):
    content = export_archive(world.inst)
    seen = []
    original = core_jobs.write_progress

    def spying(name, **figures):
        original(name, **figures)
        seen.append(read_progress(SnapshotJob.objects.get(kind=SnapshotKind.RESTORE)))

    monkeypatch.setattr(core_jobs, "write_progress", spying)
    job = request_restore(world.users["superuser"], archive_upload(content), code="82-p", confirm_users=True)
    assert job.status == JobStatus.DONE, job.error
    percents = [step["percent"] for step in seen]
    assert percents == sorted(percents) and len(set(percents)) >= 3 and percents[-1] < 100
    assert {"Memeriksa arsip", "Memulihkan data"} <= {step["stage"] for step in seen}
    assert not default_storage.exists(snapshot_jobs.progress_name(job.pk))


def test_a_corrupt_archive_fails_with_its_reason_and_writes_nothing(ex, world):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("snapshot.json", '{"format": "sia-instansi/1", rusak')
    job = request_restore(world.users["superuser"], archive_upload(output.getvalue()), code="82-c",
                          confirm_users=True)
    assert "bukan JSON" in job.error
    assert job.status == JobStatus.FAILED and not job.needs_confirmation and "(#" not in job.error
    assert not Institution.objects.filter(code="82-c").exists()


# --- pages ---------------------------------------------------------------------------------------------------------

def test_the_admin_page_starts_an_export_polls_and_downloads(ex, world):
    client = client_for(world.users["admin"])
    page = client.get("/pertukaran/arsip/")
    assert page.status_code == 200 and "Buat arsip" in page.content.decode()
    assert "snapshot-restore" not in page.content.decode()  # the restore is for superusers
    response = client.post("/pertukaran/arsip/", {"institution": world.inst.pk})
    job = SnapshotJob.objects.get()
    assert response.status_code == 302, response.content and response["Location"] == job.get_absolute_url()
    status = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="snapshot-status"' in status and "hx-get" not in status and "Unduh arsip" in status
    download = client.get(f"/pertukaran/arsip/{job.pk}/unduh/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    queued = SnapshotJob.objects.create(institution=world.inst, requested_by=world.users["admin"])
    assert "hx-get" in client.get(queued.get_absolute_url()).content.decode()  # a queued one polls
    # an instansi the admin is no admin of cannot be chosen
    assert client.post("/pertukaran/arsip/", {"institution": world.other.pk}).status_code == 400


def test_the_superuser_page_restores_with_the_confirmations(ex, world):
    content = export_archive(world.inst)
    client = client_for(world.users["superuser"])
    assert "snapshot-restore" in client.get("/pertukaran/arsip/").content.decode()
    response = client.post("/pertukaran/arsip/pulihkan/", {"file": archive_upload(content), "code": "82-d"})
    job = SnapshotJob.objects.get(kind=SnapshotKind.RESTORE)
    assert response["Location"] == job.get_absolute_url() and job.needs_confirmation
    page = client.get(job.get_absolute_url()).content.decode()
    assert "snapshot-matched-users" in page and "koord" in page and "Konfirmasi dan pulihkan" in page
    client.post(f"/pertukaran/arsip/{job.pk}/ulangi/", {"confirm_users": "1"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Institution.objects.filter(code="82-d").exists()
    assert client_for(world.users["admin"]).post("/pertukaran/arsip/pulihkan/", {}).status_code == 403


def test_the_archive_page_query_count_does_not_grow(ex, world, count_queries, query_budget):
    client = client_for(world.users["admin"])
    SnapshotJob.objects.create(institution=world.inst, requested_by=world.users["admin"], status=JobStatus.DONE)
    client.get("/pertukaran/arsip/")
    few, _response = count_queries(lambda: client.get("/pertukaran/arsip/"))
    for number in range(12):
        SnapshotJob.objects.create(institution=world.inst, requested_by=world.users["superuser"],
                                   status=JobStatus.FAILED, error=f"Gagal {number}")
    many, response = count_queries(lambda: client.get("/pertukaran/arsip/"))
    assert response.status_code == 200 and response.content.decode().count("<tr>") == 14
    assert few == many == query_budget["exchange.snapshots"], (few, many)


# --- the direct calls of before, bounded ---------------------------------------------------------------------------

def test_the_direct_download_and_restore_answer_only_small_ones(ex, world, api, settings):
    url = f"/api/exchange/instances/{world.inst.pk}/snapshot/"
    assert api(world.users["admin"]).get(url).status_code == 200
    settings.SIA_SNAPSHOT_SYNC_ROWS = 3
    refused = api(world.users["admin"]).get(url)
    assert refused.status_code == 409 and "snapshot-jobs" in refused.json()["detail"]
    content = export_archive(world.inst)
    settings.SIA_SNAPSHOT_SYNC_BYTES = 100
    response = api(world.users["superuser"]).post("/api/exchange/snapshots/restore/?code=82-e&confirm_users=1",
                                                  {"file": archive_upload(content)}, format="multipart")
    assert response.status_code == 409 and "snapshot-jobs/restore/" in response.json()["detail"]
    assert not Institution.objects.filter(code="82-e").exists()


# --- the API contract ----------------------------------------------------------------------------------------------

class TestSnapshotJobApi(ApiContract):
    url = URL
    model = SnapshotJob
    read_only = ()
    hidden_from = ("other_admin", "operator", "leader")
    create_denied = ("leader", "operator", "other_admin")

    def make_object(self, w):
        return request_export(w.users["admin"], w.inst)

    def create_data(self, w) -> dict:
        return {"institution": w.inst.code}

    def update_data(self, w) -> dict:
        return {"credentials": True}

    def test_hidden_objects_are_not_found(self, world, api):
        obj = self.make_object(world)
        for role in self.hidden_from:
            client = api(world.users[role])
            assert obj.pk not in [row["id"] for row in client.get(self.url).json()["results"]], role
            assert client.get(self.detail(obj)).status_code == 404, role
            assert client.get(f"{self.detail(obj)}download/").status_code == 404, role

    def test_create_denied(self, world, api):
        before = self.model.objects.count()
        for role in self.create_denied:
            response = api(world.users[role]).post(self.url, self.create_data(world), format="json")
            expected = (404,) if role == "other_admin" else (403,)  # another instansi is not found
            assert response.status_code in expected, (role, response.status_code, response.content)
        assert self.model.objects.count() == before

    def test_create_update_delete(self, world, api):
        """Created through a request (202, the job), never changed nor deleted."""
        client = api(world.users[self.writer])
        created = client.post(self.url, self.create_data(world), format="json")
        assert created.status_code == 202, created.content
        url = created.json()["url"]
        assert created["Location"] == url and client.get(url).json()["status"] == JobStatus.DONE
        assert client.patch(url, self.update_data(world), format="json").status_code == 405
        assert client.put(url, self.update_data(world), format="json").status_code == 405
        assert client.delete(url).status_code == 405

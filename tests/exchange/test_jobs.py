"""A large commit as a background job: progress, failure writing nothing, retry, who sees the job and its result."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess, ReviewEvent
from sia.exchange import committer, importer, jobs
from sia.exchange.choices import ImportStatus
from sia.exchange.models import ImportRecord
from sia.exchange.uploads import ImportRefused, start_import

from .helpers import upload, workbook

pytestmark = pytest.mark.django_db

PB = ["ID", "Perangkat daerah *", "Nama *", "Proses induk"]


def new_processes(n, parent=""):
    return workbook({"Proses Bisnis": [PB] + [["", "DISKOMINFO", f"Proses Latar {i}", parent] for i in range(n)]})


@pytest.fixture
def small_jobs(settings, monkeypatch):
    """Five rows make a job; progress every two rows."""
    settings.SIA_IMPORT_JOB_ROWS = 4
    monkeypatch.setattr(committer, "BATCH", 2)
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def written():
    return (BusinessProcess.objects.filter(name__startswith="Proses Latar").count(),
            BusinessProcess.history.filter(name__startswith="Proses Latar").count(), ReviewEvent.objects.count())


def test_a_large_commit_runs_as_a_job_reporting_its_progress(ex, world, small_jobs, monkeypatch):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5)), user=admin, institution=world.inst)
    reports, seen = [], []
    original = jobs.write_progress

    def spying(record_id, stage, done, total):
        original(record_id, stage, done, total)
        reports.append((stage, done, total))
        seen.append(jobs.read_progress(ImportRecord.objects.get(pk=record_id)))

    monkeypatch.setattr(jobs, "write_progress", spying)
    events = ReviewEvent.objects.count()
    response = client_for(admin).post(reverse("exchange:importrecord_commit", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.rows_total, record.rows_done, record.job_error) == (ImportStatus.COMMITTED, 5, 5, "")
    # the preview's plan is taken as it is (``plan_store``): every row checked at once, then written batch by batch
    assert reports == [("check", 5, 5), ("write", 2, 5), ("write", 4, 5), ("write", 5, 5)]
    # read back while the job ran, as the page polls it: rows done of the total and the share of the whole work
    assert [(s["stage"], s["done"], s["percent"]) for s in seen][:4] == [
        ("check", 5, 50), ("write", 2, 70), ("write", 4, 90), ("write", 5, 100)]
    assert written() == (5, 5, events + 5)  # every object with its audit record and its review event
    assert not default_storage.exists(jobs.progress_name(record.pk))  # the progress report is gone with the job
    page = client_for(admin).get(record.get_absolute_url())
    assert "Tersimpan: 5 baris baru" in page.content.decode()


def test_a_job_validating_again_reports_the_rows_checked(ex, world, small_jobs, monkeypatch):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5)), user=admin, institution=world.inst)
    ex.dinkes_process.name = "Pelayanan Kesehatan Rujukan"  # a change since the preview: the file is validated again
    ex.dinkes_process.save()
    reports = []
    monkeypatch.setattr(jobs, "write_progress", lambda record_id, *report: reports.append(report))
    jobs.queue_commit(record, user=admin)
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED
    assert reports == [("check", 2, 5), ("check", 4, 5), ("check", 5, 5),
                       ("write", 2, 5), ("write", 4, 5), ("write", 5, 5)]


def test_a_small_commit_stays_in_the_request(ex, world, small_jobs, monkeypatch):
    monkeypatch.setattr(jobs, "commit_job", SimpleNamespace(enqueue=lambda *a: pytest.fail("queued")))
    admin = world.users["admin"]
    record = start_import(upload(new_processes(4)), user=admin, institution=world.inst)
    client_for(admin).post(reverse("exchange:importrecord_commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED and written()[0] == 4


def test_a_failed_job_writes_nothing_and_may_be_retried(ex, world, small_jobs, monkeypatch):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5)), user=admin, institution=world.inst)
    before = written()

    def failing(objects, user, **kwargs):
        original(objects, user, **kwargs)
        raise RuntimeError("disk penuh")

    original = workflow.record_creations
    monkeypatch.setattr(workflow, "record_creations", failing)
    jobs.queue_commit(record, user=admin)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "kesalahan di server" in record.job_error
    assert written() == before  # the objects of the first batch were rolled back with the rest
    assert record.can_commit
    page = client_for(admin).get(record.get_absolute_url()).content.decode()
    assert "Coba simpan lagi" in page and record.job_error in page
    monkeypatch.setattr(workflow, "record_creations", original)
    client_for(admin).post(reverse("exchange:importrecord_commit", args=[record.pk]))  # the retry
    record.refresh_from_db()
    assert (record.status, record.job_error, written()[0]) == (ImportStatus.COMMITTED, "", 5)


def test_a_job_finding_problems_names_them_and_writes_nothing(ex, world, small_jobs):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5, parent=ex.process.code)), user=admin, institution=world.inst)
    assert record.can_commit
    ex.process.code = "PB-DISKOMINFO-900"  # renamed by someone else before the job runs
    ex.process.save()
    before = written()
    jobs.queue_commit(record, user=admin)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "berubah sejak pratinjau" in record.job_error
    assert {(p["sheet"], p["row"], p["column"]) for p in record.problems} == {
        ("Proses Bisnis", row, "Proses induk") for row in range(2, 7)}
    assert written() == before and not record.can_commit  # changed data: upload again


def test_only_the_uploader_queues_and_only_once(ex, world, small_jobs, monkeypatch):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5)), user=admin, institution=world.inst)
    with pytest.raises(PermissionDenied):
        jobs.queue_commit(record, user=world.users["operator"])
    monkeypatch.setattr(jobs, "commit_job", SimpleNamespace(enqueue=lambda *a: None))  # no worker has taken it yet
    jobs.queue_commit(record, user=admin)
    assert record.status == ImportStatus.QUEUED
    with pytest.raises(ImportRefused):
        jobs.queue_commit(record, user=admin)  # a double click queues nothing more


def test_the_progress_page_is_the_uploaders_and_the_admins(ex, world, small_jobs):
    operator = world.users["operator"]
    record = start_import(upload(new_processes(5)), user=operator, institution=world.inst)
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING, rows_total=5,
                                                     job_started=timezone.now())
    jobs.write_progress(record.pk, "write", 3, 5)
    url = reverse("exchange:importrecord_progress", args=[record.pk])
    for user in (operator, world.users["admin"]):
        response = client_for(user).get(url, headers={"HX-Request": "true"})
        body = response.content.decode()
        assert response.status_code == 200 and "Menyimpan baris 3 dari 5" in body and 'hx-trigger="every 2s"' in body
        assert "HX-Refresh" not in response
    for user in (world.users["operator_dinkes"], world.users["verifier"], world.users["other_admin"]):
        assert client_for(user).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    page = client_for(operator).get(record.get_absolute_url()).content.decode()
    assert 'data-testid="import-job"' in page and "Menyimpan baris 3 dari 5" in page and 'id="commit"' not in page
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.COMMITTED)
    response = client_for(operator).get(url)
    assert response["HX-Refresh"] == "true" and "hx-trigger" not in response.content.decode()


def test_a_job_whose_worker_stopped_fails_and_may_be_retried(ex, world, settings):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(2)), user=admin, institution=world.inst)
    started = timezone.now() - datetime.timedelta(minutes=settings.SIA_IMPORT_JOB_MINUTES + 1)
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING, job_started=started)
    assert jobs.expire_stalled() == 1
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "pekerja latar belakang berhenti" in record.job_error
    assert record.can_commit and jobs.expire_stalled() == 0


def test_the_api_commits_a_large_upload_as_a_job(ex, world, small_jobs):
    admin = world.users["admin"]
    record = start_import(upload(new_processes(5)), user=admin, institution=world.inst)
    client = client_for(admin)
    response = client.post(f"/api/exchange/imports/{record.pk}/commit/")
    assert response.status_code == 200  # the test backend runs the job at once: done by the time it answers
    assert (response.json()["status"], response.json()["rows_done"], response.json()["job_progress"]) == (
        ImportStatus.COMMITTED, 5, None)
    assert client.post(f"/api/exchange/imports/{record.pk}/commit/").status_code == 409

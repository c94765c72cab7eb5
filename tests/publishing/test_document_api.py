"""Requesting, following and downloading a Dokumen Arsitektur SPBE: the API, the pages, the permissions, bad input
(a message naming the field, nothing written) and the background job on the database queue."""

import io

import pytest
from django.core.management import call_command
from docx import Document

from sia.architecture.choices import ReviewStatus
from sia.architecture.registry import domain_models
from sia.publishing.choices import DocumentContent, DocumentStatus
from sia.publishing.jobs import request_document
from sia.publishing.models import DOCX_MIME, GeneratedDocument

URL = "/api/publishing/documents/"


@pytest.fixture
def objects(world, kinds):
    obj = kinds.build(domain_models()[0])
    type(obj).objects.filter(pk=obj.pk).update(status=ReviewStatus.VALIDATED)
    return obj


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- API ---------------------------------------------------------------------------------------------------------

def test_api_request_follow_and_download(world, objects, api):
    client = api(world.users["admin"])
    response = client.post(URL, {"institution": world.inst.code, "period": "2025-2029", "version": "2.0",
                                 "language": "en"}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == DocumentStatus.DONE and created["progress"] == 100
    assert created["period"] == "2025-2029" and created["version"] == "2.0" and created["language"] == "en"
    assert created["requested_by"] == "koord" and created["download"].endswith(f"{created['id']}/download/")
    listed = client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]
    assert client.get(f"{URL}{created['id']}/").json()["size"] > 0
    download = client.get(f"{URL}{created['id']}/download/")
    assert download.status_code == 200 and download["Content-Type"] == DOCX_MIME
    assert "attachment" in download["Content-Disposition"] and ".docx" in download["Content-Disposition"]
    data = body(download)
    assert objects.code in "\n".join(cell.text for table in Document(io.BytesIO(data)).tables
                                     for row in table.rows for cell in row.cells)
    # The kept file is answered again, never written anew.
    stored = GeneratedDocument.objects.get(pk=created["id"])
    assert body(client.get(f"{URL}{created['id']}/download/")) == data
    assert GeneratedDocument.objects.get(pk=created["id"]).finished_at == stored.finished_at


def test_api_operator_only_for_own_opd(world, objects, api):
    client = api(world.users["operator"])
    assert client.post(URL, {"department": world.kominfo.pk}, format="json").status_code == 201
    for data in ({}, {"department": world.dinkes.pk}):
        before = GeneratedDocument.objects.count()
        response = client.post(URL, data, format="json")
        assert response.status_code == 403, data
        assert GeneratedDocument.objects.count() == before


def test_api_another_instansi_is_refused(world, objects, api):
    response = api(world.users["other_admin"]).post(URL, {"institution": world.inst.code}, format="json")
    assert response.status_code == 404
    response = api(world.users["other_admin"]).post(URL, {"department": world.kominfo.pk}, format="json")
    assert response.status_code == 400 and "department" in response.json()
    assert not GeneratedDocument.objects.exists()
    mine = request_document(world.users["admin"], world.inst)
    other = api(world.users["other_admin"])
    assert other.get(f"{URL}{mine.pk}/").status_code == 404
    assert other.get(f"{URL}{mine.pk}/download/").status_code == 404
    assert other.get(URL).json()["results"] == []


def test_readers_of_a_document(world, objects, api):
    """The requester and the instansi's admins read a document; other members of the instansi do not."""
    document = request_document(world.users["verifier"], world.inst)
    assert api(world.users["verifier"]).get(f"{URL}{document.pk}/").status_code == 200
    assert api(world.users["admin"]).get(f"{URL}{document.pk}/download/").status_code == 200
    for key in ("leader", "operator", "assessor"):
        assert api(world.users[key]).get(f"{URL}{document.pk}/").status_code == 404, key


@pytest.mark.parametrize("data, field", [
    ({"period": "2025"}, "period"),
    ({"period": "2029-2025"}, "period"),
    ({"content": "sebagian"}, "content"),
    ({"language": "fr"}, "language"),
    ({"version": "x" * 21}, "version"),
    ({"department": 2 ** 64}, "department"),
    ({"department": "DISKOMINFO"}, "department"),
    ({"department": 999999}, "department"),
])
def test_api_bad_input_names_the_field_and_writes_nothing(world, objects, api, data, field):
    response = api(world.users["admin"]).post(URL, {"institution": world.inst.code, **data}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize("institution", ["99999999", str(2 ** 70), "kode-tak-dikenal"])
def test_api_unknown_instansi_is_not_found(world, api, institution):
    response = api(world.users["admin"]).post(URL, {"institution": institution}, format="json")
    assert response.status_code == 404 and not GeneratedDocument.objects.exists()


def test_download_of_an_unfinished_document_is_a_conflict(world, api):
    document = GeneratedDocument.objects.create(institution=world.inst, requested_by=world.users["admin"],
                                                period="2025-2029")
    response = api(world.users["admin"]).get(f"{URL}{document.pk}/download/")
    assert response.status_code == 409
    assert api(world.users["admin"]).get(f"{URL}{document.pk}/").json()["download"] is None


def test_a_job_stopped_with_its_worker_is_marked_failed(world, api):
    import datetime

    from django.utils import timezone

    document = GeneratedDocument.objects.create(institution=world.inst, requested_by=world.users["admin"],
                                                period="2025-2029")
    fresh = GeneratedDocument.objects.create(institution=world.inst, requested_by=world.users["admin"],
                                             period="2025-2029")
    GeneratedDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.RUNNING, started_at=timezone.now() - datetime.timedelta(minutes=31))
    GeneratedDocument.objects.filter(pk=fresh.pk).update(status=DocumentStatus.RUNNING, started_at=timezone.now())
    answer = api(world.users["admin"]).get(f"{URL}{document.pk}/").json()
    assert answer["status"] == DocumentStatus.FAILED and "terhenti" in answer["error"]
    assert GeneratedDocument.objects.get(pk=fresh.pk).status == DocumentStatus.RUNNING


def test_a_failed_job_keeps_a_message_for_users(world, objects, monkeypatch):
    from sia.publishing import builder

    def broken(record, progress):
        raise RuntimeError("Graphviz hilang")

    monkeypatch.setattr(builder, "build_document", broken)
    document = request_document(world.users["admin"], world.inst)
    assert document.status == DocumentStatus.FAILED and "Graphviz hilang" not in document.error
    assert f"kesalahan di server (#{document.pk})" in document.error
    assert not document.file


# --- The background job on the database queue ---------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections as in production
def test_database_queue_and_worker(world, objects, settings):
    """With the database backend (production, development) the request only queues the job; the worker writes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    document = request_document(world.users["admin"], world.inst, content=DocumentContent.ALL)
    assert document.status == DocumentStatus.QUEUED and document.progress == 0 and not document.file
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.progress == 100 and document.file
    assert document.started_at <= document.finished_at


# --- Pages ---------------------------------------------------------------------------------------------------------

def test_page_request_progress_list_download(client, world, objects):
    client.force_login(world.users["admin"])
    page = client.get("/dokumen/")
    assert page.status_code == 200 and b"document-request" in page.content
    response = client.post("/dokumen/", {
        "institution": world.inst.pk, "department": "", "content": DocumentContent.VALIDATED, "language": "id",
        "period": "2025-2029", "version": "1.0"})
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response.url == f"/dokumen/{document.pk}/"
    detail = client.get(response.url)
    assert b"document-download" in detail.content and b"hx-trigger" not in detail.content
    listing = client.get("/dokumen/").content.decode()
    assert document.created.strftime("%Y") in listing and f"/dokumen/{document.pk}/unduh/" in listing
    download = client.get(f"/dokumen/{document.pk}/unduh/")
    assert download.status_code == 200 and download["Content-Type"] == DOCX_MIME


def test_page_polls_while_the_job_runs(client, world):
    document = GeneratedDocument.objects.create(institution=world.inst, requested_by=world.users["admin"],
                                                period="2025-2029")
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.RUNNING, progress=40,
                                                            stage="Menulis Server")
    client.force_login(world.users["admin"])
    partial = client.get(f"/dokumen/{document.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in partial and "40 %" in partial and "Menulis Server" in partial
    assert "<html" not in partial
    assert client.get(f"/dokumen/{document.pk}/unduh/").status_code == 404


def test_page_bad_input_and_refusals(client, world, objects):
    client.force_login(world.users["operator"])
    response = client.post("/dokumen/", {
        "institution": world.inst.pk, "department": "", "content": DocumentContent.VALIDATED, "language": "id"})
    assert response.status_code == 200 and "tidak berhak" in response.content.decode()
    response = client.post("/dokumen/", {
        "institution": world.inst.pk, "department": world.kominfo.pk, "content": DocumentContent.VALIDATED,
        "language": "id", "period": "20-25"})
    assert response.status_code == 200 and "TTTT-TTTT" in response.content.decode()
    assert not GeneratedDocument.objects.exists()
    # Another instansi's OPD is no choice; another's document is a 404.
    client.force_login(world.users["other_admin"])
    response = client.post("/dokumen/", {
        "institution": world.inst.pk, "content": DocumentContent.VALIDATED, "language": "id"})
    assert response.status_code == 200 and not GeneratedDocument.objects.exists()
    mine = request_document(world.users["admin"], world.inst)
    assert client.get(f"/dokumen/{mine.pk}/").status_code == 404
    assert client.get(f"/dokumen/{mine.pk}/unduh/").status_code == 404

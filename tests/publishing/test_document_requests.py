"""Requests of a Dokumen Arsitektur SPBE and what their job leaves: a request made twice answers the first, at most
three pending per user, the worker being down is said, a failure tells users no exception text, the stored file's
name owes nothing to what users typed, the stalled-job check writes only when there is a stalled job."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import BusinessProcess
from sia.organizations.models import Department
from sia.publishing.choices import DocumentContent, DocumentStatus
from sia.publishing.jobs import MAX_PENDING, request_document
from sia.publishing.models import GeneratedDocument
from tests.publishing.test_document import all_text, architecture, generate, read  # noqa: F401 (fixture)
from tests.roadmap.conftest import roadmap  # noqa: F401 (fixture)

URL = "/api/publishing/documents/"
VALIDATED = ReviewStatus.VALIDATED.value


def pending(user, institution, status=DocumentStatus.QUEUED, **options):
    document = GeneratedDocument.objects.create(institution=institution, requested_by=user,
                                                **{"period": "2025-2029", "version": "1.0", **options})
    GeneratedDocument.objects.filter(pk=document.pk).update(status=status)
    return document


# --- 4. asked twice; at most three pending ---------------------------------------------------------------------------

def test_the_same_request_answers_the_document_on_its_way(world, api):
    admin = world.users["admin"]
    queued = pending(admin, world.inst)
    running = pending(admin, world.inst, status=DocumentStatus.RUNNING, department=world.dinkes,
                      content=DocumentContent.ALL)
    again = request_document(admin, world.inst, period="2025-2029")
    assert again.pk == queued.pk and again.reused
    again = request_document(admin, world.inst, department=world.dinkes, content=DocumentContent.ALL,
                             period="2025-2029", version="1.0")
    assert again.pk == running.pk and again.reused
    assert GeneratedDocument.objects.count() == 2
    # Other options, or another requester: a document of its own.
    other = request_document(admin, world.inst, period="2025-2029", language="en")
    assert other.pk not in (queued.pk, running.pk) and not other.reused
    mine = request_document(world.users["verifier"], world.inst, period="2025-2029")
    assert mine.pk not in (queued.pk, running.pk)
    # The API answers the pending one with 200; a new one with 201.
    client = api(admin)
    response = client.post(URL, {"institution": world.inst.code, "period": "2025-2029"}, format="json")
    assert response.status_code == 200 and response.json()["id"] == queued.pk
    response = client.post(URL, {"institution": world.inst.code, "period": "2025-2029", "version": "2"},
                           format="json")
    assert response.status_code == 201 and response.json()["id"] not in (queued.pk, running.pk)


def test_the_page_goes_to_the_document_on_its_way(client, world):
    queued = pending(world.users["admin"], world.inst)
    client.force_login(world.users["admin"])
    response = client.post("/dokumen/", {"institution": world.inst.pk, "department": "",
                                         "content": DocumentContent.VALIDATED, "language": "id",
                                         "period": "2025-2029", "version": "1.0"}, follow=True)
    assert response.redirect_chain == [(f"/dokumen/{queued.pk}/", 302)]
    assert "sedang dibuat" in response.content.decode() and GeneratedDocument.objects.count() == 1


def test_at_most_three_pending_per_user(client, world, api):
    admin = world.users["admin"]
    for version in range(MAX_PENDING - 1):
        pending(admin, world.inst, version=str(version))
    pending(admin, world.inst, status=DocumentStatus.RUNNING, version="r")
    pending(world.users["verifier"], world.inst, version="x")  # another user's do not count
    pending(admin, world.inst, status=DocumentStatus.DONE, version="d")  # nor finished ones
    before = GeneratedDocument.objects.count()
    with pytest.raises(ValidationError) as raised:
        request_document(admin, world.inst, period="2025-2029", version="baru")
    assert raised.value.code == "too_many_pending" and "3" in raised.value.messages[0]
    response = api(admin).post(URL, {"institution": world.inst.code, "version": "baru"}, format="json")
    assert response.status_code == 400, response.content
    message = response.json()["non_field_errors"][0]
    assert "3 dokumen" in message and "paling banyak 3" in message
    client.force_login(admin)
    response = client.post("/dokumen/", {"institution": world.inst.pk, "department": "",
                                         "content": DocumentContent.VALIDATED, "language": "id", "version": "baru"})
    assert response.status_code == 200 and "paling banyak 3" in response.content.decode()
    assert GeneratedDocument.objects.count() == before
    # The same request as a pending one is still answered with it.
    assert request_document(admin, world.inst, period="2025-2029", version="0").reused
    # Another user may still ask.
    assert request_document(world.users["verifier"], world.inst, version="y").status == DocumentStatus.DONE


# --- 3. the worker does not run ---------------------------------------------------------------------------------

def test_a_long_wait_in_the_queue_says_the_worker_does_not_run(client, world, api, settings):
    settings.SIA_DOCUMENT_JOB_MINUTES = 30
    admin = world.users["admin"]
    fresh = pending(admin, world.inst)
    old = pending(admin, world.inst, version="2")
    GeneratedDocument.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(minutes=11))
    client.force_login(admin)
    partial = client.get(f"/dokumen/{old.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 10s"' in partial and "document-worker-down" in partial
    assert "tidak berjalan" in partial and "sia db_worker" in partial
    partial = client.get(f"/dokumen/{fresh.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in partial and "document-worker-down" not in partial
    assert api(admin).get(f"{URL}{old.pk}/").json()["waiting_long"] is True
    assert api(admin).get(f"{URL}{fresh.pk}/").json()["waiting_long"] is False


# --- 2. a failure tells users no exception text ----------------------------------------------------------------------

def test_a_failed_job_shows_a_message_and_logs_the_error(world, client, monkeypatch, caplog):
    from sia.publishing import builder

    def broken(record, progress):
        raise RuntimeError("Graphviz hilang di /opt/rahasia")

    monkeypatch.setattr(builder, "build_document", broken)
    document = request_document(world.users["admin"], world.inst)
    assert document.status == DocumentStatus.FAILED and not document.file
    assert document.error == (f"Dokumen gagal dibuat karena kesalahan di server (#{document.pk}); coba lagi atau "
                              "hubungi admin.")
    assert "Graphviz hilang di /opt/rahasia" in caplog.text  # the traceback is in the log
    client.force_login(world.users["admin"])
    page = client.get(f"/dokumen/{document.pk}/").content.decode()
    assert f"(#{document.pk})" in page and "RuntimeError" not in page and "rahasia" not in page


# --- 6. the stored file's name ---------------------------------------------------------------------------------------

def test_the_stored_name_owes_nothing_to_the_abbreviation(world, client, objects_validated):
    Department.objects.filter(pk=world.dinkes.pk).update(abbreviation="../x/y")
    world.dinkes.refresh_from_db()
    document = request_document(world.users["admin"], world.inst, department=world.dinkes, period="2025-2029")
    assert document.status == DocumentStatus.DONE, document.error
    assert re.fullmatch(rf"documents/{world.inst.pk}/{document.pk}-[0-9a-f]{{32}}\.docx", document.file.name)
    client.force_login(world.users["admin"])
    download = client.get(f"/dokumen/{document.pk}/unduh/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "dokumen-arsitektur-spbe-x-y-2025-2029-" in disposition and "/" not in disposition
    assert ".." not in disposition


@pytest.fixture
def objects_validated(world, kinds):
    obj = kinds.build(BusinessProcess)
    BusinessProcess.objects.filter(pk=obj.pk).update(status=VALIDATED)
    return obj


# --- 7. a validated-only document never names an unvalidated object ---------------------------------------------------

def test_links_to_unvalidated_objects_are_not_named(world, architecture):  # noqa: F811
    process = architecture["built"][BusinessProcess]
    parent = BusinessProcess.objects.create(department=world.kominfo, name="Induk yang masih draf")
    BusinessProcess.objects.filter(pk=process.pk).update(parent=parent)
    old_app = architecture["roadmap"].old_app
    type(old_app).objects.filter(pk=old_app.pk).update(status=ReviewStatus.DRAFT)
    text = all_text(read(generate(world.users["admin"], world.inst)[1]))
    assert parent.code not in text and "Induk yang masih draf" not in text
    assert old_app.code not in text and "Aplikasi lama" not in text
    assert "Aplikasi dikembangkan" in text  # the gap itself is written, its as-is object not named
    assert text.count("(belum divalidasi)") >= 2
    # With everything (and its status) they are named.
    text = all_text(read(generate(world.users["admin"], world.inst, content=DocumentContent.ALL)[1]))
    assert parent.code in text and f"{old_app.code} Aplikasi lama" in text and "(belum divalidasi)" not in text


# --- 8. the stalled-job check writes only when a job stalled ----------------------------------------------------------

def test_pages_and_polls_write_nothing_without_a_stalled_job(client, world, api, settings):
    admin = world.users["admin"]
    running = pending(admin, world.inst, status=DocumentStatus.RUNNING)
    GeneratedDocument.objects.filter(pk=running.pk).update(started_at=timezone.now())
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dokumen/").status_code == 200
        assert client.get(f"/dokumen/{running.pk}/", headers={"HX-Request": "true"}).status_code == 200
        assert api(admin).get(URL).status_code == 200
        assert api(admin).get(f"{URL}{running.pk}/").status_code == 200
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith("UPDATE") and "publishing_generateddocument" in q["sql"]]
    assert writes == []
    # A stalled one is still marked failed by the next read.
    GeneratedDocument.objects.filter(pk=running.pk).update(
        started_at=timezone.now() - datetime.timedelta(minutes=settings.SIA_DOCUMENT_JOB_MINUTES + 1))
    assert api(admin).get(f"{URL}{running.pk}/").json()["status"] == DocumentStatus.FAILED


def test_the_schema_documents_the_pending_answer():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    responses = schema["paths"][URL]["post"]["responses"]
    assert {"200", "201", "400", "403", "404"} <= set(responses)
    assert "sama" in responses["200"]["description"] and "non_field_errors" in responses["400"]["description"]
    assert responses["200"]["content"]["application/json"]["schema"] == (
        responses["201"]["content"]["application/json"]["schema"])
    document = schema["components"]["schemas"]["GeneratedDocument"]["properties"]
    assert document["waiting_long"]["readOnly"] is True

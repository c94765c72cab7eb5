"""The publishing journey of issue 15 in a real browser, on a slow island link, as the koordinator.

The koordinator asks for the Dokumen Arsitektur SPBE (typing its version and period) and watches it being written:
the production worker (django-tasks-db's, in a thread of this process) takes the job and is held mid-way just after
reporting a real progress step, and the status block, polled by htmx without a reload, shows “Sedang dibuat” with
that percentage and stage; released, it shows “Selesai” and the file downloads (read back with python-docx).
Then the koordinator exports the architecture to ArchiMate, edits three elements outside SIA (with lxml, as Archi
would save them), re-imports the file, sees a preview listing exactly those three changes, saves it, and the
database holds the three new names with nothing else changed."""

import io
import threading

import pytest
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from docx import Document
from lxml import etree
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.architecture.registry import domain_models
from sia.core.roles import Role
from sia.exchange.archimate import mapping
from sia.publishing import jobs
from sia.publishing.choices import DocumentStatus
from sia.publishing.models import GeneratedDocument
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..browser.watch import throttle, violations, watched
from ..browser.conftest import login
from ..exchange.archimate_helpers import NS, fill_every_kind
from ..kinds import Builder, prepare

pytestmark = pytest.mark.django_db(transaction=True)

VALIDATED = "Pengelolaan Data Statistik"
HOLD_AT = 40  # the worker stops after the first progress step at or past this percentage
MARK = "window.__journeyPage"  # set on the status page: still there once “Selesai” shows, so it was never reloaded


def world():
    """One instansi: an object of every kind (drafts, every link filled) in DISKOMINFOSAN, one validated proses
    bisnis (what the default “validated only” document shows), and its koordinator."""
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    prepare(inst)
    drafts = fill_every_kind(Builder(kominfo))
    validated = BusinessProcess.objects.create(
        department=kominfo, name=VALIDATED, status="divalidasi",
        reference=ReferenceNode.objects.current().national().get(code="RAB.09.03.04"))
    f.member(inst, Role.ADMIN, username="koordinator")
    return validated, drafts


class HeldWorker:
    """``sia db_worker --batch`` (the same Worker) in a thread, its job held right after it reports a progress step
    of ``at`` percent or more until ``release()``.

    The thread uses its own database connection and closes it. On the in-memory SQLite test database it shares the
    test's connection instead, as pytest-django's live server thread does: a connection of its own would reach the
    same shared-cache database, but shared-cache table locks fail at once (“database table is locked”) instead of
    waiting while the live server reads the rows the worker writes."""

    def __init__(self, monkeypatch, at: int):
        self.at = at
        self.reached, self.released = threading.Event(), threading.Event()
        self.errors: list = []
        self.result = None
        original = jobs.report

        def report(document_id, progress, stage):
            original(document_id, progress, stage)
            if progress >= self.at and not self.reached.is_set():
                self.reached.set()
                if not self.released.wait(60):
                    raise TimeoutError("the journey never released the document job")

        monkeypatch.setattr(jobs, "report", report)  # generate_document looks it up when it reports
        self.shared = {conn.alias: conn for conn in connections.all()
                       if conn.vendor == "sqlite" and conn.is_in_memory_db()}
        self.thread = threading.Thread(target=self._run, name="db-worker", daemon=True)

    def _run(self):
        for alias, conn in self.shared.items():
            connections[alias] = conn
        try:
            Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                   max_tasks=None, worker_id="journey-worker", excluded_queue_names=[]).run()
        except BaseException as error:  # reported by join()
            self.errors.append(error)
        finally:
            connections.close_all()  # its own connection; closing the shared in-memory one is ignored

    def start(self):
        for conn in self.shared.values():
            conn.inc_thread_sharing()
        self.thread.start()

    def release(self):
        self.released.set()

    def join(self):
        self.release()
        self.thread.join(60)
        for conn in self.shared.values():
            conn.dec_thread_sharing()
        assert not self.thread.is_alive(), "the worker thread did not finish"
        assert self.errors == []


def code_of(element) -> str:
    """The SIA code property of an exported element."""
    root = element.getroottree().getroot()
    definition = next(d.get("identifier") for d in root.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)
                      if d.findtext("a:name", namespaces=NS) == mapping.PROPERTY_CODE)
    return next(p.findtext("a:value", namespaces=NS) for p in element.iterfind("a:properties/a:property", NS)
                if p.get("propertyDefinitionRef") == definition)


def architecture() -> dict:
    """Every architecture object by its code: its row and, per many-to-many link, the linked objects."""
    rows = {}
    for model in domain_models():
        links = [field.name for field in model._meta.many_to_many]
        for obj in model.objects.prefetch_related(*links):
            row = {field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields}
            row.update({name: sorted(getattr(obj, name).values_list("pk", flat=True)) for name in links})
            rows[obj.code] = row
    return rows


def test_koordinator_generates_the_document_and_round_trips_archimate(new_page, settings, monkeypatch, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, as in production
    validated, drafts = world()
    page = new_page()
    seen = watched(page)
    login(page, "koordinator")
    throttle(page)  # the rest of the journey on the island's link

    # --- the document asked for, version and period typed -----------------------------------------------------
    page.goto("/pertukaran/")
    page.get_by_role("link", name="Buat atau unduh Dokumen Arsitektur SPBE").click()
    expect(page.get_by_role("heading", name="Dokumen Arsitektur SPBE", exact=True)).to_be_visible()
    typed = {"input[name=version]": "1.1", "input[name=period]": "2025-2029"}
    for selector, text in typed.items():
        page.locator(selector).fill("")
        page.locator(selector).press_sequentially(text, delay=20)
    for selector, text in typed.items():
        expect(page.locator(selector)).to_have_value(text)
    page.locator("#document-request button[type=submit]").click()

    status = page.locator("#document-status")
    expect(status.locator("h2")).to_have_text("Dalam antrean")
    expect(status).to_contain_text("sia db_worker")
    document = GeneratedDocument.objects.get()
    assert (document.status, document.version, document.period) == (DocumentStatus.QUEUED, "1.1", "2025-2029")
    page.wait_for_url(f"**{document.get_absolute_url()}")
    page.evaluate(f"{MARK} = true")

    # --- the worker takes it: held mid-way, the page shows how far it came --------------------------------------
    worker = HeldWorker(monkeypatch, HOLD_AT)
    worker.start()
    try:
        assert worker.reached.wait(60), "the worker never reached the held progress step"
        document.refresh_from_db()
        assert document.status == DocumentStatus.RUNNING
        assert HOLD_AT <= document.progress < 100 and document.stage
        expect(status.locator("h2")).to_have_text("Sedang dibuat")
        expect(status.locator("progress")).to_have_attribute("value", str(document.progress))
        expect(status).to_contain_text(f"{document.progress} % · {document.stage}")
        expect(status).not_to_contain_text("sia db_worker")
        worker.release()
        expect(status.locator("h2")).to_have_text("Selesai", timeout=30000)
    finally:
        worker.join()
    assert page.evaluate(MARK) is True  # the polling swapped the block in: the page was never reloaded
    document.refresh_from_db()
    assert (document.status, document.progress, document.draft) == (DocumentStatus.DONE, 100, False)
    assert document.requested_by.username == "koordinator" and document.size > 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    with page.expect_download() as download_info:
        status.locator("#document-download").click()
    download = download_info.value
    assert download.suggested_filename == document.download_name
    assert download.suggested_filename.startswith("dokumen-arsitektur-spbe-82-2025-2029-")
    saved = tmp_path / "dokumen.docx"
    download.save_as(saved)
    with document.file.open("rb") as kept:
        assert saved.read_bytes() == kept.read()  # the kept file, not one written anew
    docx = Document(io.BytesIO(saved.read_bytes()))
    assert docx.core_properties.version == "1.1"
    text = "\n".join([p.text for p in docx.paragraphs]
                     + [cell.text for table in docx.tables for row in table.rows for cell in row.cells])
    assert VALIDATED in text
    assert not any(obj.name in text for obj in drafts)  # only validated objects, the default
    assert violations(page) == []

    page.goto("/dokumen/")
    row = page.locator("#document-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Selesai")
    expect(row).to_contain_text("2025-2029 · v1.1")
    expect(row.get_by_role("link", name="Unduh")).to_have_attribute("href", f"{document.get_absolute_url()}unduh/")

    # --- ArchiMate: exported, three elements renamed outside SIA, re-imported -----------------------------------
    page.goto("/pertukaran/")
    expect(page.locator("#archimate-download")).to_be_visible()
    page.get_by_role("link", name="Impor berkas ArchiMate dan keterangannya").click()
    with page.expect_download() as download_info:
        page.click("#archimate-export")
    download = download_info.value
    assert download.suggested_filename.startswith("sia-archimate-82-")
    exported = tmp_path / "model.xml"
    download.save_as(exported)

    root = etree.parse(str(exported)).getroot()
    elements = list(root.iterfind("a:elements/a:element", NS))
    before = architecture()
    assert len(elements) == len(before)
    renamed = {}  # code: new name, three elements of three different ArchiMate types
    types = set()
    for element in elements:
        kind = element.get(f"{{{mapping.XSI}}}type")
        code = code_of(element)
        if kind in types or code == validated.code:
            continue
        name = element.find("a:name", NS)
        name.text = renamed[code] = f"{name.text} (diubah di Archi)"
        types.add(kind)
        if len(renamed) == 3:
            break
    assert len(renamed) == 3
    edited = tmp_path / "model-diubah.xml"
    edited.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    page.set_input_files("input[name=file]", str(edited))
    page.click("#archimate-preview")
    expect(page.locator(".flash.success")).to_contain_text(
        f"Berkas bersih: 0 objek baru, 3 diubah, {len(elements) - 3} tetap.")
    changes = page.locator("[data-testid=changes] tbody tr")
    expect(changes).to_have_count(3)
    for code, new_name in renamed.items():
        change = changes.filter(has=page.locator("td", has_text=code))
        expect(change).to_have_count(1)
        expect(change.locator("td").nth(0)).to_have_text("diubah")
        expect(change.locator("td").nth(3)).to_have_text(new_name)
    assert architecture() == before  # a preview writes nothing
    assert violations(page) == []

    page.click("#archimate-commit")
    expect(page.locator(".flash.success")).to_contain_text(
        f"Tersimpan: 0 objek baru, 3 diubah, {len(elements) - 3} tetap.")
    after = architecture()
    assert after.keys() == before.keys()  # nothing created or removed
    changed = {code: {field for field in row if row[field] != before[code][field]}
               for code, row in after.items() if row != before[code]}
    assert changed.keys() == renamed.keys()
    for code, new_name in renamed.items():
        assert after[code]["name"] == new_name
        assert changed[code] <= {"name", "updated", "lock_version"}, changed[code]
    assert GeneratedDocument.objects.count() == 1
    assert violations(page) == []
    assert seen == []

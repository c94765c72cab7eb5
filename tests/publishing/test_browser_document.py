"""The koordinator asks for the Dokumen Arsitektur SPBE, watches it being written by the background worker (the
status block polls while the job waits and runs) and downloads the finished file."""

import io

import pytest
from django.core.management import call_command
from docx import Document
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_koordinator_generates_follows_and_downloads_the_document(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued, as in production
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    f.member(inst, Role.ADMIN, username="koordinator")
    BusinessProcess.objects.create(
        department=kominfo, name="Pengelolaan Data Statistik", status="divalidasi",
        reference=ReferenceNode.objects.current().national().get(code="RAB.09.03.04"))

    page = new_page()
    login(page, "koordinator")
    page.goto("/pertukaran/")
    page.get_by_role("link", name="Buat atau unduh Dokumen Arsitektur SPBE").click()
    expect(page.get_by_role("heading", name="Dokumen Arsitektur SPBE", exact=True)).to_be_visible()
    page.fill("input[name=version]", "1.1")
    page.fill("input[name=period]", "2025-2029")
    page.locator("#document-request button[type=submit]").click()

    status = page.locator("#document-status")
    expect(status).to_contain_text("Dalam antrean")
    expect(status).to_contain_text("sia db_worker")
    call_command("db_worker", batch=True, interval=0, verbosity=0)  # the worker takes the job and writes it
    expect(status).to_contain_text("Selesai", timeout=15000)  # the polling shows it without a reload

    with page.expect_download() as download_info:
        page.locator("#document-download").click()
    download = download_info.value
    assert download.suggested_filename.startswith("dokumen-arsitektur-spbe-82-2025-2029-")
    saved = tmp_path / "dokumen.docx"
    download.save_as(saved)
    document = Document(io.BytesIO(saved.read_bytes()))
    assert "Pengelolaan Data Statistik" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)

    page.goto("/dokumen/")
    row = page.locator("#document-list tbody tr").first
    expect(row).to_contain_text("Selesai")
    expect(row.get_by_role("link", name="Unduh")).to_be_visible()

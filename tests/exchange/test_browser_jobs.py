"""A large upload saved in the background: the operator commits, the page follows the job (htmx polling, no inline
script) through rows written of the total, and shows the outcome once the job has ended, without a reload by hand."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.exchange import jobs
from sia.exchange.choices import ImportStatus
from sia.exchange.models import ImportRecord
from sia.reference.loader import ensure_default_catalogs

from .. import factories as f
from ..browser.conftest import login
from ..browser.watch import violations, watched

pytestmark = pytest.mark.django_db(transaction=True)


def workbook(count):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Proses Bisnis"
    sheet.append(["ID", "Perangkat daerah *", "Nama *", "Referensi"])
    for number in range(1, count + 1):
        sheet.append([f"PB-DISKOMINFOSAN-{number:03d}", "DISKOMINFOSAN", f"Pelayanan Data Sektoral {number}",
                      "RAB.09.03.04"])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_operator_follows_a_large_upload_saved_in_the_background(new_page, tmp_path, settings):
    settings.SIA_IMPORT_JOB_ROWS = 5
    # a queue no worker takes from yet: the test runs the job itself, while the page is open
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan")
    path = tmp_path / "isian-besar.xlsx"
    path.write_bytes(workbook(8))

    page = new_page()
    seen = watched(page)
    login(page, "operator.diskominfosan")
    page.goto("/pertukaran/unggah/?domain=proses-bisnis")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.edit button[type=submit].primary")
    expect(page.locator(".flash.success")).to_contain_text("disimpan di latar belakang")
    page.click("#commit")
    job = page.locator("[data-testid=import-job]")
    expect(job).to_contain_text("Menunggu diproses")
    expect(page.locator("#commit")).to_have_count(0)
    record = ImportRecord.objects.get(file_name="isian-besar.xlsx")
    assert record.status == ImportStatus.QUEUED and record.rows_total == 8

    # a worker takes it and reports: the page follows without being reloaded
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    jobs.write_progress(record.pk, "write", 4, 8)
    expect(page.locator("[data-testid=import-job-rows]")).to_have_text("Menyimpan baris 4 dari 8", timeout=10000)
    expect(job.locator("progress")).to_have_attribute("value", "75")

    ImportRecord.objects.filter(pk=record.pk).update(status=ImportStatus.QUEUED)
    assert jobs.commit_job.call(record.pk) == "done"
    answer = page.locator(".flash.success")
    expect(answer).to_contain_text("Tersimpan: 8 baris baru, 0 diubah, 0 tetap.", timeout=10000)
    expect(page.locator("[data-testid=import-status]")).to_have_text("Disimpan")
    expect(job).to_have_count(0)
    assert BusinessProcess.objects.filter(name__startswith="Pelayanan Data Sektoral").count() == 8
    assert violations(page) == [] and seen == []

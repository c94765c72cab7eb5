"""The instansi archive in a real browser (issue 18): the instansi's admin asks for the archive of the whole instansi,
the page follows the background job (htmx polling, no inline script) from the queue through a progress step to the
finished archive without being reloaded, and the archive downloads; a superuser uploads it on the slow link to restore
it under another code, is shown the existing accounts it names, confirms them, and the instansi is restored."""

import io
import zipfile

import pytest
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.core import jobs as core_jobs
from sia.core.roles import Role
from sia.exchange import snapshot_jobs
from sia.exchange.choices import JobStatus, SnapshotKind
from sia.exchange.models import SnapshotJob
from sia.organizations.models import Institution
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..browser.conftest import login
from ..browser.watch import throttle, violations, watched

pytestmark = pytest.mark.django_db(transaction=True)

MARK = "window.__snapshotPage"  # set on the job's page: still there once "Selesai" shows, so it was never reloaded


def world():
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    BusinessProcess.objects.create(department=kominfo, name="Pengelolaan Data Statistik Sektoral",
                                   reference=ReferenceNode.objects.current().national().get(code="RAB.09.03.04"))
    f.member(inst, Role.ADMIN, username="koordinator")
    f.user("superadmin", is_superuser=True, is_staff=True)
    return inst


def follow(page, job, text):
    """The status block of ``job``'s page, once it says ``text``."""
    status = page.locator("#snapshot-status")
    expect(status.locator("h2")).to_have_text(text, timeout=15000)
    return status


def test_admin_exports_the_instansi_and_a_superuser_restores_it(new_page, settings, tmp_path):
    # a queue no worker takes from: the test runs each job itself while the page is open
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    inst = world()
    page = new_page()
    seen = watched(page)
    login(page, "koordinator")

    # --- the admin asks for the archive ---------------------------------------------------------------------------
    page.goto("/pertukaran/")
    page.get_by_role("link", name="Buat atau unduh arsip seluruh instansi (.zip)").click()
    expect(page.get_by_role("heading", name="Arsip instansi", exact=True)).to_be_visible()
    expect(page.locator("#snapshot-restore")).to_have_count(0)  # the restore is for superusers
    page.locator("#snapshot-export button[type=submit]").click()
    job = SnapshotJob.objects.get()
    page.wait_for_url(f"**{job.get_absolute_url()}")
    status = follow(page, job, "Dalam antrean")
    expect(status).to_contain_text("sia db_worker")
    page.evaluate(f"{MARK} = true")

    # a worker takes it and reports a step: the page shows it
    SnapshotJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    core_jobs.write_progress(snapshot_jobs.progress_name(job.pk), percent=57, stage="Menulis arsip")
    follow(page, job, "Sedang berjalan")
    expect(page.locator("[data-testid=snapshot-progress]")).to_have_text("57 % · Menulis arsip")
    expect(status.locator("progress")).to_have_attribute("value", "57")

    SnapshotJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert snapshot_jobs.export_job.call(job.pk) == "done"
    follow(page, job, "Selesai")
    assert page.evaluate(MARK) is True  # swapped in by the polling, never reloaded
    job.refresh_from_db()
    with page.expect_download() as download_info:
        page.click("#snapshot-download")
    download = download_info.value
    assert download.suggested_filename == job.download_name
    saved = tmp_path / "arsip.zip"
    download.save_as(saved)
    with job.file.open("rb") as kept:
        assert saved.read_bytes() == kept.read()
    assert '"institution": "82"' in zipfile.ZipFile(io.BytesIO(saved.read_bytes())).read("snapshot.json").decode()
    page.goto("/pertukaran/arsip/")
    row = page.locator("#snapshot-list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Selesai")
    assert violations(page) == [] and seen == []

    # --- a superuser restores it under another code, on the slow link ----------------------------------------------
    page = new_page()
    seen = watched(page)
    login(page, "superadmin")
    page.goto("/pertukaran/arsip/")
    throttle(page)
    form = page.locator("#snapshot-restore")
    form.locator("input[name=file]").set_input_files(str(saved))
    form.locator("input[name=code]").press_sequentially("82-salinan", delay=20)
    expect(form.locator("input[name=code]")).to_have_value("82-salinan")
    form.locator("button[type=submit]").click()
    restore = SnapshotJob.objects.get(kind=SnapshotKind.RESTORE)
    page.wait_for_url(f"**{restore.get_absolute_url()}", timeout=30000)
    follow(page, restore, "Dalam antrean")
    assert snapshot_jobs.restore_job.call(restore.pk) == "failed"  # koordinator exists here: to be confirmed
    follow(page, restore, "Gagal")
    expect(page.locator("#snapshot-matched-users")).to_contain_text("koordinator")
    assert not Institution.objects.filter(code="82-salinan").exists()
    page.locator("#snapshot-retry input[name=confirm_users]").check()
    page.locator("#snapshot-retry button[type=submit]").click()
    follow(page, restore, "Dalam antrean")
    assert snapshot_jobs.restore_job.call(restore.pk) == "done"
    follow(page, restore, "Selesai")
    expect(page.locator("#snapshot-restored")).to_contain_text("(82-salinan) dipulihkan")
    copy = Institution.objects.get(code="82-salinan")
    assert copy.pk != inst.pk
    assert BusinessProcess.objects.filter(department__institution=copy).count() == 1
    assert violations(page) == [] and seen == []

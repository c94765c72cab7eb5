"""In a real browser under the strict CSP: the verifikator marks a local copy of SRIKANDI “not a copy”, finds the
mark in the list with who and why, undoes it after the confirmation, and the flag is back."""

import pytest
from playwright.sync_api import expect

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.portfolio.models import DuplicateDismissal

from .. import factories as f
from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)
from ..core.test_browser_csp import watched

pytestmark = pytest.mark.django_db(transaction=True)


def test_verifikator_dismisses_a_national_flag_and_undoes_it(new_page):
    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi dan Informatika", abbreviation="DISKOMINFO")
    f.member(inst, Role.VERIFIER, username="verifikator")
    local = Application.objects.create(department=kominfo, name="Aplikasi Tata Naskah Dinas dan Kearsipan Dinamis",
                                       function="Naskah dinas, arsip dinamis", status=ReviewStatus.VALIDATED)

    page = new_page()
    seen = watched(page)
    login(page, "verifikator")
    page.goto("/portofolio/duplikat/")
    flag = page.locator("[data-testid=duplicate-row]").filter(has_text=local.name).filter(has_text="SRIKANDI")
    expect(flag).to_have_count(1)
    flag.locator("summary", has_text="Bukan duplikat").click()
    flag.locator("textarea[name=reason]").fill("Hanya arsip statis daerah; naskah dinas sudah memakai SRIKANDI.")
    flag.get_by_role("button", name="Tandai bukan duplikat").click()
    expect(page.locator(".flash").first).to_contain_text("ditandai bukan duplikat")
    expect(flag).to_have_count(0)
    mark = DuplicateDismissal.objects.get()
    assert (mark.first, mark.second, mark.national.name[:8]) == (local, None, "SRIKANDI")

    page.get_by_test_id("dismissals-link").click()
    row = page.locator("[data-testid=dismissal-row]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Hanya arsip statis daerah")
    expect(row).to_contain_text("verifikator")
    row.get_by_role("link", name="Batalkan").click()
    expect(page.locator("h1")).to_contain_text("Batalkan tanda bukan duplikat?")
    assert DuplicateDismissal.objects.exists()  # asked first
    page.get_by_role("button", name="Ya, batalkan").click()
    expect(page.locator("[data-testid=dismissal-row]")).to_have_count(0)
    assert not DuplicateDismissal.objects.exists()
    page.goto("/portofolio/duplikat/")
    expect(page.locator("[data-testid=duplicate-row]").filter(has_text=local.name).filter(has_text="SRIKANDI")) \
        .to_have_count(1)
    assert page.evaluate("window.__cspViolations || []") == [] and seen == []

"""The kegiatan's journey through the forms and the review: the DISKOMINFO operator follows "tambah kegiatan" for a
gap, fills the kegiatan and its years (a negative pagu first: the form answers and keeps what was typed), saves and
submits it; the verifikator returns it with a comment; the operator reads the comment, fixes the RKA and submits
again; the verifikator verifies and the koordinator validates."""

import pytest
from playwright.sync_api import expect

from sia.architecture.choices import ReviewStatus
from sia.roadmap.models import Activity

from tests.browser.conftest import browser, login, new_page, page  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def review(page, activity, action, comment=""):
    page.goto(activity.get_absolute_url())
    if comment:
        page.fill("#review textarea[name=comment]", comment)
    page.click(f"#review button[value={action}]")
    expect(page.locator(".flash").first).to_be_visible()


def test_a_kegiatan_for_a_gap_is_added_returned_fixed_and_validated(roadmap, world, new_page):
    operator = new_page()
    login(operator, "op.kominfo")
    operator.goto(f"/peta-rencana/kegiatan/tambah/?gap=server:{roadmap.retiring.pk}&program={roadmap.security.pk}")
    expect(operator.locator(f"input[name=gaps][value='server:{roadmap.retiring.pk}']")).to_be_checked()
    operator.fill("input[name=name]", "Migrasi server tua ke pusat data")
    operator.fill("input[name=start_year]", "2026")
    operator.fill("input[name=end_year]", "2027")
    operator.fill("input[name='years-0-year']", "2026")
    operator.fill("input[name='years-0-budget']", "-150000000")
    operator.click("form.edit button[type=submit].primary")
    expect(operator.locator("[data-error-summary]")).to_be_visible()
    expect(operator.get_by_text("Pagu tidak boleh negatif.").first).to_be_visible()
    expect(operator.locator("input[name=name]")).to_have_value("Migrasi server tua ke pusat data")
    assert not Activity.objects.filter(name="Migrasi server tua ke pusat data").exists()
    operator.fill("input[name='years-0-budget']", "150000000")
    operator.fill("input[name='years-0-rka']", "100000000")
    operator.click("form.edit button[type=submit].primary")
    expect(operator.locator("h1")).to_contain_text("Migrasi server tua ke pusat data")
    activity = Activity.objects.get(name="Migrasi server tua ke pusat data")
    expect(operator.get_by_role("link", name="Server tua").first).to_be_visible()
    review(operator, activity, "ajukan")
    expect(operator.locator("#review")).to_contain_text("diajukan")

    verifier = new_page()
    login(verifier, "verif")
    review(verifier, activity, "kembalikan", "RKA 2026 belum sama dengan pagu.")
    activity.refresh_from_db()
    assert activity.status == ReviewStatus.RETURNED

    operator.goto(activity.get_absolute_url())
    expect(operator.locator("#review")).to_contain_text("RKA 2026 belum sama dengan pagu.")
    operator.click("a.button:has-text('Ubah')")
    operator.fill("input[name='years-0-rka']", "150000000")
    operator.click("form.edit button[type=submit].primary")
    expect(operator.locator("h1")).to_contain_text("Migrasi server tua ke pusat data")
    review(operator, activity, "ajukan")

    review(verifier, activity, "verifikasi")
    expect(verifier.locator("#review button[value=validasi]")).to_have_count(0)
    koordinator = new_page()
    login(koordinator, "koord")
    review(koordinator, activity, "validasi")
    activity.refresh_from_db()
    assert activity.status == ReviewStatus.VALIDATED
    assert activity.years.get().rka == 150000000

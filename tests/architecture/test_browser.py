"""The workshop journey: an operator drafts a process, a service and a data item and submits them;
the verifikator returns the service; the operator fixes it; it is verified and validated; the
dashboard's completeness for the OPD follows."""

import re

import pytest
from playwright.sync_api import expect

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.reference.loader import ensure_default_catalogs

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def pick_reference(page, field, query, code):
    """Types into the reference picker and chooses the suggested node."""
    box = page.locator(f"input[type=search][name={field}_text]")
    box.fill(query)
    option = page.locator(".refpicker-results").get_by_text(code).first
    option.wait_for()
    option.click()


def tick(page, field, text):
    """Ticks an option of a link field's checklist."""
    page.locator(f"#field-{field} .checklist-option", has_text=text).first.click()


def pick_link(page, field, query, text):
    """Searches a cross-OPD link's picker and adds the result."""
    page.locator(f"#field-{field} [data-picker-query]").fill(query)
    page.locator(f"#field-{field} [data-picker-option]", has_text=text).first.click()


def save(page):
    page.click("form.edit button[type=submit].primary")


def test_workshop_review_journey(new_page, live_server):
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    f.function(kominfo, 1, "Perumusan kebijakan teknis di bidang statistik")
    f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan")
    f.member(inst, Role.VERIFIER, username="verifikator")
    f.member(inst, Role.ADMIN, username="koordinator")

    admin = new_page()
    login(admin, "koordinator")
    admin.goto("/")
    row = admin.locator("#panel-architecture tr[data-department=DISKOMINFOSAN]")
    for domain in range(3):
        expect(row.locator(f"td[data-domain='{domain}'] .num")).to_have_text("0")

    operator = new_page()
    login(operator, "operator.diskominfosan")
    operator.goto("/arsitektur/proses-bisnis/tambah/")
    operator.fill("#id_name", "Pengelolaan Data Statistik Sektoral")
    pick_reference(operator, "reference", "statistik", "RAB.09.03.04")
    tick(operator, "functions", "Perumusan kebijakan")
    save(operator)
    expect(operator.locator("h1")).to_contain_text("Pengelolaan Data Statistik Sektoral")
    process = BusinessProcess.objects.get()

    operator.goto(f"/arsitektur/layanan/tambah/?processes={process.pk}")
    operator.fill("#id_name", "Layanan Portal Satu Data")
    expect(operator.locator("input[name=reference_text]")).to_have_value(re.compile("RAL.01.43.04"))
    save(operator)
    expect(operator.locator("h1")).to_contain_text("Layanan Portal Satu Data")
    service = Service.objects.get()
    assert service.reference.code == "RAL.01.43.04"

    operator.goto("/arsitektur/data/tambah/")
    operator.fill("#id_name", "Data Statistik Sektoral")
    pick_reference(operator, "reference", "RAD.09.03.04", "RAD.09.03.04")
    pick_link(operator, "processes", "statistik", "Pengelolaan Data Statistik")
    save(operator)
    expect(operator.locator("h1")).to_contain_text("Data Statistik Sektoral")

    operator.goto("/arsitektur/layanan/")
    operator.check(f"input[name=selected][value='{service.pk}']")
    operator.click("#bulk-submit button[type=submit]")
    expect(operator.locator(".flash.success")).to_contain_text("1 objek diajukan")
    for obj in (process, DataItem.objects.get()):
        operator.goto(obj.get_absolute_url())
        operator.click("button[name=action][value=ajukan]")
        expect(operator.locator(".badge.status-diajukan").first).to_be_visible()

    verifier = new_page()
    login(verifier, "verifikator")
    verifier.goto("/arsitektur/perlu-tindakan/")
    verifier.get_by_role("link", name=re.compile("Layanan Portal Satu Data")).click()
    verifier.fill("#id_comment", "Tujuan layanan belum diisi.")
    verifier.click("button[name=action][value=kembalikan]")
    expect(verifier.locator(".badge.status-dikembalikan").first).to_be_visible()

    operator.goto("/arsitektur/perlu-tindakan/")
    operator.get_by_role("link", name=re.compile("Layanan Portal Satu Data")).click()
    expect(operator.locator("ol.conversation")).to_contain_text("Tujuan layanan belum diisi.")
    operator.get_by_role("link", name="Ubah", exact=True).click()
    operator.fill("#id_purpose", "Menyediakan data statistik sektoral yang mudah diakses.")
    save(operator)
    operator.click("button[name=action][value=ajukan]")
    expect(operator.locator(".badge.status-diajukan").first).to_be_visible()

    verifier.goto(service.get_absolute_url())
    verifier.click("button[name=action][value=verifikasi]")
    expect(verifier.locator(".badge.status-diverifikasi").first).to_be_visible()

    admin.goto(service.get_absolute_url())
    admin.click("button[name=action][value=validasi]")
    expect(admin.locator(".badge.status-divalidasi").first).to_be_visible()
    service.refresh_from_db()
    assert service.status == S.VALIDATED

    admin.goto("/")
    for domain in range(3):
        expect(row.locator(f"td[data-domain='{domain}'] .num")).to_have_text("1")
        expect(row.locator(f"td[data-domain='{domain}'] .pct")).to_have_text(re.compile(r"^\d+%$"))

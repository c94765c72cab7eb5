"""The search picker of a cross-OPD link in a browser: found with the keyboard, added, removed, saved;
and without JavaScript the codes typed into its code box."""

import pytest
from playwright.sync_api import expect

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess, DataItem
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def setting():
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi dan Informatika", abbreviation="DISKOMINFO")
    dinkes = f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    operator = f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfo")
    dinkes_operator = f.member(inst, Role.OPERATOR, dinkes, username="operator.dinkes")
    verifier = f.member(inst, Role.VERIFIER, username="verifikator")
    admin = f.member(inst, Role.ADMIN, username="koordinator")
    node = ReferenceNode.objects.current().national().get(code="RAB.09.03.04")
    own = BusinessProcess.objects.create(department=kominfo, name="Pengelolaan Data Statistik", reference=node)
    theirs = BusinessProcess.objects.create(department=dinkes, name="Surveilans Statistik Kesehatan", reference=node)
    workflow.apply(theirs, workflow.A.SUBMIT, dinkes_operator)
    workflow.apply(theirs, workflow.A.VERIFY, verifier)
    workflow.apply(theirs, workflow.A.VALIDATE, admin)
    data = DataItem.objects.create(department=kominfo, name="Data Statistik Sektoral")
    data.processes.set([own])
    return operator, own, theirs, data


def test_search_add_with_the_keyboard_remove_and_save(page):
    _operator, own, theirs, data = setting()
    login(page, "operator.diskominfo")
    page.goto(f"/arsitektur/data/{data.pk}/ubah/")
    field = page.locator("#field-processes")
    expect(field.locator(f"input[type=checkbox][value='{own.pk}']")).to_be_checked()
    query = field.get_by_label("Cari untuk menambah (kode, nama atau OPD)")
    expect(query).to_be_visible()
    query.fill("kesehatan")
    option = field.locator("[data-picker-option]", has_text=theirs.code)
    expect(option).to_have_count(1)
    query.press("Enter")  # to the first result, never a submit
    expect(page.locator("h1")).to_contain_text("Ubah")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    added = field.locator(f"input[type=checkbox][value='{theirs.pk}']")
    expect(added).to_be_checked()
    expect(query).to_be_focused()
    expect(field.locator("[data-picker-status]")).to_contain_text("ditambahkan")
    expect(option).to_be_disabled()
    query.fill("statistik")
    expect(field.locator("[data-picker-option]:not([disabled])")).to_have_count(0)  # both already chosen
    field.get_by_label(f"{own.code} {own.name} (DISKOMINFO)").uncheck()
    page.click("form.edit button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("Data Statistik Sektoral")
    assert list(data.processes.all()) == [theirs]


def test_without_javascript_codes_are_typed(browser, live_server):
    _operator, own, theirs, data = setting()
    context = browser.new_context(base_url=live_server.url, locale="id-ID", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, "operator.diskominfo")
        page.goto(f"/arsitektur/data/{data.pk}/ubah/")
        field = page.locator("#field-processes")
        expect(field.locator("[data-picker-search]")).to_be_hidden()
        page.locator("#id_processes_codes").fill(f"{theirs.code.lower()}, PB-TIDAK-ADA")
        page.click("form.edit button[type=submit].primary")
        expect(page.locator("#field-processes .error")).to_contain_text("PB-TIDAK-ADA")
        expect(page.locator("#id_processes_codes")).to_have_value(f"{theirs.code.lower()}, PB-TIDAK-ADA")
        page.locator("#id_processes_codes").fill(theirs.code)
        page.click("form.edit button[type=submit].primary")
        expect(page.locator("h1")).to_contain_text("Data Statistik Sektoral")
        assert set(data.processes.all()) == {own, theirs}
    finally:
        context.close()

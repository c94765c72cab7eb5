"""Journeys through the reference catalog in a real browser (Playwright, Debian's chromium)."""

import re

import pytest
from playwright.sync_api import expect

from sia.core.roles import Role
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    ensure_default_catalogs()  # a flushed transactional database gets the catalogs back here
    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    kominfo = f.department(inst, name="Dinas Komunikasi dan Informatika", abbreviation="DISKOMINFO")
    return {
        "koordinator": f.member(inst, Role.ADMIN, username="koordinator"),
        "operator": f.member(inst, Role.OPERATOR, kominfo, username="operator.kominfo"),
        "pimpinan": f.member(inst, Role.LEADER, username="pimpinan"),
        "inst": inst,
    }


def kearsipan():
    return ReferenceNode.objects.current().get(code="RAB.09.06.06", institution__isnull=True)


def expand(page, code):
    item = page.locator(f'li[data-code="{code}"]').first
    item.locator("summary").first.click()
    expect(item.locator('ul[role="group"] li[role="treeitem"]').first).to_be_visible()
    return item


def test_search_kearsipan_open_the_node_and_see_its_path(page, people):
    login(page, "pimpinan")
    page.goto("/referensi/RAB/")
    expect(page.locator('li[role="treeitem"]')).to_have_count(9)
    page.fill("#ref-q", "kearsipan")
    result = page.locator('#search-results li[data-code="RAB.09.06.06"]')
    expect(result).to_be_visible()
    expect(page.locator("#search-results li")).to_have_count(1)
    result.get_by_role("link", name="Penyelenggaraan Kearsipan").click()
    page.wait_for_url(re.compile(r"/referensi/simpul/\d+/$"))
    path = page.get_by_test_id("node-path")
    expect(path).to_contain_text("RAB.09 Pemerintahan Umum")
    expect(path).to_contain_text("RAB.09.06 Aparatur Negara")
    expect(path).to_contain_text("RAB.09.06.06 Penyelenggaraan Kearsipan")
    expect(page.get_by_test_id("crosswalk")).to_contain_text("RAL.02.04.06")


def test_koordinator_adds_a_level_four_node_and_sees_it_in_the_tree(page, people):
    login(page, "koordinator")
    page.goto(kearsipan().get_absolute_url())
    page.get_by_role("link", name="Tambah simpul instansi").click()
    page.wait_for_url(re.compile(r"/referensi/simpul/tambah/"))
    page.wait_for_load_state("load")  # htmx is ready before we type
    # The picker: choose the parent again by typing words and picking an option.
    picker = page.locator("[data-refpicker]")
    picker.locator("input[type=search]").fill("kearsipan")
    option = picker.locator('[data-refpicker-option]', has_text="RAB.09.06.06")
    option.click()
    expect(picker.locator("[data-refpicker-path]")).to_have_text("Pemerintahan Umum › Aparatur Negara › Penyelenggaraan Kearsipan")
    expect(picker.locator("input[type=hidden]")).to_have_value(str(kearsipan().pk))
    expect(page.locator("input[name=code]")).to_have_value("RAB.09.06.06.01")
    page.fill("input[name=name]", "Pengelolaan Arsip Dinamis")
    page.click("form.edit button[type=submit].primary")
    page.wait_for_url(re.compile(r"/referensi/simpul/\d+/$"))
    expect(page.get_by_test_id("node-path")).to_contain_text("RAB.09.06.06.01 Pengelolaan Arsip Dinamis")

    page.goto("/referensi/RAB/")
    expand(page, "RAB.09")
    expand(page, "RAB.09.06")
    leaf = expand(page, "RAB.09.06.06").locator('li[data-code="RAB.09.06.06.01"]')
    expect(leaf).to_contain_text("Pengelolaan Arsip Dinamis")
    expect(leaf.locator(".badge.own")).to_have_text("instansi")


def test_operator_cannot_add_a_node(page, people):
    login(page, "operator.kominfo")
    page.goto(kearsipan().get_absolute_url())
    expect(page.get_by_test_id("node-path")).to_be_visible()
    expect(page.get_by_role("link", name="Tambah simpul instansi")).to_have_count(0)
    response = page.goto(f"/referensi/simpul/tambah/?parent={kearsipan().pk}")
    assert response.status == 403
    assert not ReferenceNode.objects.filter(institution__isnull=False).exists()

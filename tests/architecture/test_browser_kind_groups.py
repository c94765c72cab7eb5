"""An operator opens the Arsitektur menu of a domain declared as a kind group: the group is a heading
with one entry per kind, and an entry leads to that kind's list."""

import dataclasses

import pytest
from playwright.sync_api import expect

from sia.architecture.kindgroups import KindGroup
from sia.architecture.models import DataItem, Service
from sia.core.roles import Role

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_group_heading_with_its_kinds_in_the_menu(new_page, live_server, monkeypatch):
    group = KindGroup("layanan-data", "Layanan dan Data", order=25)
    for model in (Service, DataItem):
        monkeypatch.setattr(model, "spec", dataclasses.replace(model.spec, group=group))
    inst = f.institution(name="Kota Contoh", code="8271")
    kominfo = f.department(inst, name="Dinas Kominfo", abbreviation="DISKOMINFO")
    f.member(inst, Role.OPERATOR, kominfo, username="operator.kominfo")

    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 800})
    login(page, "operator.kominfo")
    menu = page.locator("details.menu", has=page.locator("summary", has_text="Arsitektur"))
    menu.locator("summary").click()
    heading = menu.locator(".menu-heading", has_text="Layanan dan Data")
    expect(heading).to_be_visible()
    kinds = heading.locator("xpath=following-sibling::ul[@class='menu-sub']/li/a")
    expect(kinds).to_have_text(["Layanan", "Data dan Informasi"])
    expect(menu.locator("ul").first.locator(":scope > li > a", has_text="Layanan")).to_have_count(0)
    page.screenshot(path="/tmp/k_menu.png")
    kinds.nth(1).click()
    page.wait_for_url("**/arsitektur/data/")
    expect(page.locator("h1")).to_contain_text("Data")

"""The koordinator opens the delete page of a server that an application of another OPD runs on: the page
lists the application (code, name, OPD) instead of a delete button, with no console error or CSP violation;
once the application no longer runs on it, the server is deleted from the same page."""

import pytest
from playwright.sync_api import expect

from sia.architecture.models import Application, Server
from sia.core.roles import Role

from .. import factories as f
from .. import kinds
from ..browser.conftest import login
from ..browser.watch import violations, watched

pytestmark = pytest.mark.django_db(transaction=True)


def test_delete_page_lists_what_still_uses_the_server(new_page):
    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    kinds.prepare(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    dinkes = f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    f.member(inst, Role.ADMIN, username="koordinator")
    server = kinds.Builder(kominfo).build(Server, name="Server Bersama")
    application = kinds.Builder(dinkes).build(Application, name="Sistem Informasi Puskesmas", servers=[server])

    page = new_page()
    seen = watched(page)
    login(page, "koordinator")
    page.goto(f"{server.get_absolute_url()}hapus/")
    used_by = page.locator("[data-used-by] li")
    expect(used_by).to_have_count(1)
    expect(used_by).to_contain_text(application.code)
    expect(used_by).to_contain_text("Sistem Informasi Puskesmas")
    expect(used_by).to_contain_text("DINKES")
    expect(page.get_by_role("button", name="Ya, hapus")).to_have_count(0)
    assert violations(page) == [] and seen == []

    application.servers.clear()
    page.reload()
    page.get_by_role("button", name="Ya, hapus").click()
    page.wait_for_load_state("networkidle")
    assert not Server.objects.filter(pk=server.pk).exists()
    assert violations(page) == [] and seen == []

"""Koordinator sets up an OPD and its operator; the operator sees only that OPD; pimpinan reads only."""

import re

import pytest
from playwright.sync_api import expect

from sia.core.roles import Role

from .. import factories as f
from ..browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_koordinator_creates_opd_and_operator_who_sees_only_it(new_page, live_server):
    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    f.member(inst, Role.ADMIN, username="koordinator")
    f.member(inst, Role.LEADER, username="pimpinan")

    page = new_page()
    login(page, "koordinator")
    page.get_by_role("link", name="Beranda").first.wait_for()
    page.goto("/organisasi/opd/")
    page.get_by_role("link", name="Tambah Perangkat Daerah").click()
    page.fill("#id_name", "Dinas Komunikasi, Informatika dan Persandian")
    page.fill("#id_abbreviation", "DISKOMINFOSAN")
    page.fill("#id_code", "2.16.0.00.0.00.01.0000")
    page.select_option("#id_kind", "dinas")
    page.fill("#id_functions-0-description", "Perumusan kebijakan teknis di bidang komunikasi dan informatika")
    page.click("button[type=submit].primary")
    expect(page.locator("h1")).to_have_text("Dinas Komunikasi, Informatika dan Persandian")
    expect(page.locator("ol.functions")).to_contain_text("Perumusan kebijakan teknis")

    page.goto("/organisasi/anggota/tambah/")
    page.fill("#id_username", "operator.diskominfosan")
    page.fill("#id_first_name", "Operator Diskominfosan")
    page.fill("#id_password", "Sandi-Operator-2024")
    page.select_option("#id_role", Role.OPERATOR.value)
    page.select_option("#id_department", label="Dinas Komunikasi, Informatika dan Persandian")
    page.click("button[type=submit].primary")
    expect(page.locator(".flash.success")).to_contain_text("ditambahkan")

    operator = new_page()
    login(operator, "operator.diskominfosan", "Sandi-Operator-2024")
    operator.goto("/organisasi/opd/")
    rows = operator.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("DISKOMINFOSAN")
    expect(operator.get_by_role("link", name="Tambah Perangkat Daerah")).to_have_count(0)
    dinkes_id = inst.departments.get(abbreviation="DINKES").pk
    response = operator.goto(f"/organisasi/opd/{dinkes_id}/")
    assert response.status == 404

    leader = new_page()
    login(leader, "pimpinan")
    leader.goto(f"/organisasi/opd/{dinkes_id}/")
    expect(leader.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
    response = leader.goto(f"/organisasi/opd/{dinkes_id}/ubah/")
    assert response.status == 403
    leader.goto(f"/organisasi/opd/{dinkes_id}/riwayat/")
    expect(leader.locator("ol.history")).to_contain_text(re.compile("Dibuat", re.I))

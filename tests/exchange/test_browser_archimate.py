"""The koordinator exports the instansi's architecture to ArchiMate, edits three elements outside SIA (here with
lxml, as Archi would save them), imports the file, sees the preview of the three changed elements, and saves it."""

import pytest
from lxml import etree
from playwright.sync_api import expect

from sia.architecture.models import BusinessProcess
from sia.core.roles import Role

from .. import factories as f
from ..browser.conftest import login
from ..kinds import Builder, prepare
from .archimate_helpers import NS, fill_every_kind

pytestmark = pytest.mark.django_db(transaction=True)


def test_koordinator_exports_edits_in_archi_and_reimports(new_page, tmp_path):
    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    kominfo = f.department(inst, name="Dinas Komunikasi dan Informatika", abbreviation="DISKOMINFO")
    f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    prepare(inst)
    fill_every_kind(Builder(kominfo))
    f.member(inst, Role.ADMIN, username="koord")

    page = new_page()
    login(page, "koord")
    page.goto("/pertukaran/")
    expect(page.locator("#archimate-download")).to_be_visible()  # the exchange page offers the download
    page.get_by_role("link", name="Impor berkas ArchiMate dan keterangannya").click()
    with page.expect_download() as download_info:
        page.click("#archimate-export")
    download = download_info.value
    assert download.suggested_filename.startswith("sia-archimate-82-")
    exported = tmp_path / "model.xml"
    download.save_as(exported)

    root = etree.parse(str(exported)).getroot()
    names = {}
    for node in list(root.iterfind("a:elements/a:element", NS))[:3]:
        name = node.find("a:name", NS)
        names[name.text] = f"{name.text} (diubah di Archi)"
        name.text = names[name.text]
    edited = tmp_path / "model-diubah.xml"
    edited.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    page.set_input_files("input[name=file]", str(edited))
    page.click("#archimate-preview")
    rows = page.locator("[data-testid=changes] tbody tr")
    expect(rows).to_have_count(3)
    for new_name in names.values():
        expect(page.locator("[data-testid=changes]")).to_contain_text(new_name)
    page.click("#archimate-commit")
    expect(page.locator(".flash.success")).to_contain_text("0 objek baru, 3 diubah")
    # the first elements of the file are proses bisnis (kinds in domain order)
    assert BusinessProcess.objects.filter(name__in=names.values()).count() == 3

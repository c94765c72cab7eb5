"""The infrastruktur journey of issue 12 in a real browser: the Diskominfosan operator records a server in the
province data centre; once it is validated, the Dinkes operator finds it in their application's “berjalan di”
picker (a search across the OPDs of the instansi) and links it; the server's page shows the application
under “Menjalankan Aplikasi” with its OPD, to Dinkes at once and to Diskominfosan once the application is
validated. The Dinkes operator still cannot change Diskominfosan's server. Typing is done on a slow link;
nothing typed is lost and no page reports a console error or a CSP violation."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from sia.architecture import workflow
from sia.architecture.choices import FacilityType, ReviewStatus, ServerType
from sia.architecture.models import Application, ComputingFacility, Server
from sia.core.roles import Role
from sia.reference.models import ReferenceNode

from .. import factories as f
from .. import kinds
from ..browser.conftest import login
from ..browser.watch import FAST_LINK, throttle, violations, watched
from .test_browser import pick_reference, save

pytestmark = pytest.mark.django_db(transaction=True)

def world():
    """One instansi: Diskominfosan runs the province data centre (validated: every OPD reads it), Dinkes has
    a server room and an application (a draft)."""
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    kinds.prepare(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    dinkes = f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan")
    f.member(inst, Role.OPERATOR, dinkes, username="operator.dinkes")
    verifier = f.member(inst, Role.VERIFIER, username="verifikator")
    admin = f.member(inst, Role.ADMIN, username="koordinator")
    centre = ComputingFacility.objects.create(
        department=kominfo, name="Pusat Data Pemerintah Provinsi", facility_type=FacilityType.DATA_CENTRE,
        location="Sofifi", status=ReviewStatus.VALIDATED,
    )
    # a server room of Dinkes, so that the facility is chosen among several
    ComputingFacility.objects.create(department=dinkes, name="Ruang Server Dinkes",
                                     facility_type=FacilityType.COMPUTING_CENTRE, status=ReviewStatus.VALIDATED)
    application = kinds.Builder(dinkes).build(Application, name="Sistem Informasi Puskesmas")
    return {"centre": centre, "application": application, "kominfo": kominfo, "dinkes": dinkes,
            "verifier": verifier, "admin": admin}


def review(obj, data):
    """Submitted by its OPD's operator (unless it was), verified and validated (reviewing is another journey)."""
    obj.refresh_from_db()
    if obj.status == ReviewStatus.DRAFT:
        operator = get_user_model().objects.get(username=f"operator.{obj.department.abbreviation.lower()}")
        workflow.apply(obj, workflow.A.SUBMIT, operator)
    workflow.apply(obj, workflow.A.VERIFY, data["verifier"])
    workflow.apply(obj, workflow.A.VALIDATE, data["admin"])


def test_server_in_the_data_centre_runs_the_dinkes_application(new_page):
    data = world()
    centre, application = data["centre"], data["application"]
    before = kinds.values_of(application)

    # --- the Diskominfosan operator records a server in the data centre, on a slow link -------------------
    kominfo = new_page()
    kominfo.set_viewport_size({"width": 1366, "height": 900})
    kominfo_seen = watched(kominfo)
    login(kominfo, "operator.diskominfosan")
    menu = kominfo.locator("details.menu", has=kominfo.locator("summary", has_text="Arsitektur"))
    menu.locator("summary").click()
    group = menu.locator(".menu-heading", has_text="Infrastruktur")
    expect(group).to_be_visible()
    group.locator("xpath=following-sibling::ul[@class='menu-sub']/li/a", has_text="Server").first.click()
    kominfo.wait_for_url("**/arsitektur/server/")
    kominfo.locator(".pagehead a.button.primary", has_text="Tambah").click()
    kominfo.wait_for_url("**/arsitektur/server/tambah/")

    cdp = throttle(kominfo)
    typed = {
        "#id_name": "Server Aplikasi Kesehatan 01",
        "#id_description": "Server virtual untuk aplikasi layanan kesehatan di pusat data provinsi.",
        "#id_processor": "Intel Xeon Silver 4314",
        "#id_cpu_cores": "16",
        "#id_memory_gb": "64",
        "#id_storage_gb": "500",
        "#id_location": "Rak B-04, Pusat Data Sofifi",
    }
    for selector, text in typed.items():
        kominfo.locator(selector).press_sequentially(text, delay=20)
    kominfo.select_option("#id_server_type", ServerType.PHYSICAL.value)
    kominfo.select_option("#id_facility", label=str(centre))
    pick_reference(kominfo, "reference", "RAI.03.01.01", "RAI.03.01.01")
    for selector, text in typed.items():
        expect(kominfo.locator(selector)).to_have_value(text)
    cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    save(kominfo)
    expect(kominfo.locator("h1")).to_contain_text("Server Aplikasi Kesehatan 01")
    server = Server.objects.get()
    assert (server.department, server.facility, server.server_type) == (data["kominfo"], centre, ServerType.PHYSICAL)
    assert (server.processor, server.cpu_cores, server.memory_gb, server.storage_gb) == (
        "Intel Xeon Silver 4314", 16, Decimal("64"), Decimal("500"))
    assert server.description == typed["#id_description"] and server.location == typed["#id_location"]
    assert server.reference == ReferenceNode.objects.current().national().get(code="RAI.03.01.01")
    expect(kominfo.locator("dl.fields")).to_contain_text(str(centre))
    expect(kominfo.locator(".pagehead .actions a", has_text="Ubah")).to_have_count(1)  # its own OPD's draft
    kominfo.click("button[name=action][value=ajukan]")
    expect(kominfo.locator(".badge.status-diajukan").first).to_be_visible()
    assert violations(kominfo) == []

    # --- the Dinkes operator links their application to it --------------------------------------------
    dinkes = new_page()
    dinkes.set_viewport_size({"width": 1366, "height": 900})
    dinkes_seen = watched(dinkes)
    login(dinkes, "operator.dinkes")
    dinkes.goto(application.get_absolute_url())
    dinkes.locator(".pagehead .actions a.button", has_text="Ubah").click()
    dinkes.wait_for_url(f"**/arsitektur/aplikasi/{application.pk}/ubah/")
    field = dinkes.locator("#field-servers")
    query = field.get_by_label("Cari untuk menambah (kode, nama atau OPD)")
    # another OPD's server under review is not offered yet
    query.fill(server.code)
    expect(field.locator("[data-picker-status]")).to_contain_text("Tidak ada yang cocok")
    review(server, data)

    query.fill("")
    cdp = throttle(dinkes)
    query.press_sequentially("kesehatan diskominfosan", delay=40)
    option = field.locator("[data-picker-option]", has_text=server.code)
    expect(option).to_have_count(1, timeout=20000)
    expect(option).to_contain_text("Server Aplikasi Kesehatan 01 (DISKOMINFOSAN)")
    expect(query).to_have_value("kesehatan diskominfosan")  # the answers came back while typing: nothing lost
    option.click()
    chosen = field.locator(f"input[type=checkbox][value='{server.pk}']")
    expect(chosen).to_be_checked()
    expect(field.locator("[data-picker-status]")).to_contain_text("ditambahkan")
    cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    save(dinkes)
    expect(dinkes.locator("h1")).to_contain_text("Sistem Informasi Puskesmas")
    application.refresh_from_db()
    assert list(application.servers.all()) == [server]
    after = kinds.values_of(application)
    assert after.pop("servers") == {server.pk} and before.pop("servers") == set()
    assert after == before  # nothing else changed
    runs_on = dinkes.locator(".links section", has=dinkes.locator("h2", has_text="Berjalan di Server"))
    expect(runs_on.locator("a", has_text=server.code)).to_be_visible()
    assert violations(dinkes) == []

    # --- the server's page shows the application and its OPD -----------------------------------------
    runs_on.locator("a", has_text=server.code).click()
    dinkes.wait_for_url(f"**{server.get_absolute_url()}")
    runs = dinkes.locator(".links section", has=dinkes.locator("h2", has_text="Menjalankan Aplikasi"))
    entry = runs.locator("li", has_text="Sistem Informasi Puskesmas")
    expect(entry).to_be_visible()
    expect(entry.locator("[data-link-opd]")).to_have_text("· Dinas Kesehatan")
    expect(dinkes.locator("dl.fields")).to_contain_text(str(centre))
    # ...but Dinkes cannot change Diskominfosan's server
    expect(dinkes.locator(".pagehead .actions a", has_text="Ubah")).to_have_count(0)
    expect(dinkes.locator(".pagehead .actions a", has_text="Hapus")).to_have_count(0)
    for url in (f"{server.get_absolute_url()}ubah/", f"{server.get_absolute_url()}hapus/"):
        assert dinkes.request.get(url, max_redirects=0).status in (403, 404), url
    assert violations(dinkes) == []

    # Diskominfosan sees the Dinkes draft once it is validated
    kominfo.goto(server.get_absolute_url())
    runs = kominfo.locator(".links section", has=kominfo.locator("h2", has_text="Menjalankan Aplikasi"))
    expect(runs).to_contain_text("Belum ada.")
    review(application, data)
    kominfo.reload()
    entry = runs.locator("li", has_text="Sistem Informasi Puskesmas")
    expect(entry).to_be_visible()
    expect(entry.locator("[data-link-opd]")).to_have_text("· Dinas Kesehatan")
    expect(entry.locator("a")).to_have_attribute("href", application.get_absolute_url())
    assert violations(kominfo) == []

    assert kominfo_seen == [] and dinkes_seen == []
    server.refresh_from_db()
    assert server.status == ReviewStatus.VALIDATED and server.name == "Server Aplikasi Kesehatan 01"

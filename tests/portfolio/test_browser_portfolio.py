"""The portfolio journey in a real browser: an operator proposes a new application on a slow link and sees the
similar existing ones appear while typing, saves and submits it; the verifikator opens it and records the
clearance with a reason; the koordinator opens the duplicates page and marks a pair as not a duplicate."""

import time

import pytest
from playwright.sync_api import expect

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application, BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.portfolio.models import Clearance, DuplicateDismissal
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode

from .. import factories as f
from ..architecture.test_browser import pick_link, pick_reference, save
from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)
from ..core.test_browser_csp import watched

pytestmark = pytest.mark.django_db(transaction=True)

SIMILAR = "/portofolio/aplikasi-serupa/"
# A slow link: 750 kbit/s both ways and 600 ms round trip, so that every request is still out while typing goes on.
SLOW_LINK = {"offline": False, "latency": 600, "downloadThroughput": 750 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8}


def node(code):
    return ReferenceNode.objects.current().national().get(code=code)


def portfolio_world():
    """Two OPDs with their own staff systems (a duplicate pair), a third OPD whose operator proposes one more."""
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    seed_value_lists(inst)
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    bkd = f.department(inst, name="Badan Kepegawaian Daerah", abbreviation="BKD")
    dinkes = f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan")
    f.member(inst, Role.VERIFIER, username="verifikator")
    f.member(inst, Role.ADMIN, username="koordinator")
    staff = BusinessProcess.objects.create(department=bkd, name="Pengelolaan Data Pegawai", reference=node("RAB.09.06.03"),
                                           status=ReviewStatus.VALIDATED)
    own = BusinessProcess.objects.create(department=kominfo, name="Administrasi Kepegawaian Diskominfosan",
                                         reference=node("RAB.09.06.03"))
    simpeg = Application.objects.create(
        department=bkd, name="SIMPEG", function="Pengelolaan data pegawai, mutasi, kenaikan pangkat dan cuti ASN",
        reference=node("RAA.01.02"), status=ReviewStatus.VALIDATED,
    )
    simpeg.processes.set([staff])
    dinkes_staff = Application.objects.create(
        department=dinkes, name="Sistem Informasi Kepegawaian Dinas Kesehatan",
        function="Data pegawai, cuti dan kenaikan pangkat pegawai dinas", reference=node("RAA.01.02"),
        status=ReviewStatus.VALIDATED,
    )
    return {"simpeg": simpeg, "dinkes_staff": dinkes_staff, "own_process": own, "kominfo": kominfo}


def similar_requests(page):
    """Start and end times of the requests for similar applications, filled in as they go and come back."""
    log = []
    page.on("request", lambda r: SIMILAR in r.url and log.append([r.url, time.monotonic(), None]))
    page.on("requestfinished", lambda r: SIMILAR in r.url and [
        entry.__setitem__(2, time.monotonic()) for entry in log if entry[0] == r.url and entry[2] is None][:1])
    return log


def test_operator_proposes_verifikator_clears_koordinator_dismisses(new_page):
    data = portfolio_world()

    # --- the operator proposes a new staff application, on a slow link -----------------------------------
    operator = new_page()
    csp_operator = watched(operator)  # the htmx panel runs under the strict CSP: no violation, no page error
    login(operator, "operator.diskominfosan")
    operator.goto("/arsitektur/aplikasi/tambah/")
    panel = operator.locator("#similar-apps")
    expect(panel).to_contain_text("Aplikasi serupa yang sudah ada")
    expect(panel.locator("[data-testid=similar-item]")).to_have_count(0)
    cdp = operator.context.new_cdp_session(operator)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    log = similar_requests(operator)

    operator.select_option("#id_state", ArchitectureState.TO_BE_NEW.value)
    operator.locator("#id_name").press_sequentially("Sistem Informasi Kepegawaian Diskominfosan", delay=60)
    operator.locator("#id_function").press_sequentially("Data pegawai, cuti dan pangkat", delay=60)
    typed = operator.locator("#id_name").input_value()
    # the existing staff applications appear, with the reasons, while the form is being written
    items = panel.locator("[data-testid=similar-item]")
    expect(items.filter(has_text="SIMPEG")).to_be_visible(timeout=20000)
    expect(items.filter(has_text="Sistem Informasi Kepegawaian Dinas Kesehatan")).to_be_visible()
    expect(panel.locator(".reasons").first).not_to_be_empty()
    # debounced: far fewer requests than keystrokes; what was typed meanwhile is intact
    assert 1 <= len(log) <= 6, log
    assert typed == "Sistem Informasi Kepegawaian Diskominfosan"
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                   "uploadThroughput": -1})

    pick_reference(operator, "reference", "RAA.01.02", "RAA.01.02")
    pick_link(operator, "processes", "Kepegawaian", "Administrasi Kepegawaian")
    save(operator)
    expect(operator.locator("h1")).to_contain_text("Sistem Informasi Kepegawaian Diskominfosan")
    proposed = Application.objects.get(department=data["kominfo"], state=ArchitectureState.TO_BE_NEW)
    expect(operator.locator("#kliring [data-testid=clearance-pending]")).to_be_visible()
    expect(operator.locator("#kliring")).not_to_contain_text("Catat kliring")  # operators do not record it
    operator.click("button[name=action][value=ajukan]")
    expect(operator.locator(".badge.status-diajukan").first).to_be_visible()

    # --- the verifikator opens it and records the clearance with a reason ---------------------------------
    verifier = new_page()
    csp_verifier = watched(verifier)
    login(verifier, "verifikator")
    verifier.goto(proposed.get_absolute_url())
    clearance = verifier.locator("#kliring")
    expect(clearance.locator("[data-testid=similar-item]").filter(has_text="SIMPEG")).to_be_visible()
    clearance.locator("input[name=decision][value=pakai-yang-ada]").check()
    clearance.locator("#id_reused_application").select_option(value=str(data["simpeg"].pk))
    clearance.locator("#id_reason").fill("SIMPEG BKD sudah mencakup data pegawai seluruh OPD; cukup tambah hak akses.")
    clearance.locator("button[type=submit]", has_text="Catat kliring").click()
    expect(verifier.locator("[data-testid=clearance-decision]")).to_contain_text("Pakai aplikasi yang sudah ada")
    expect(verifier.locator("[data-testid=clearance-decision]")).to_contain_text("SIMPEG BKD sudah mencakup")
    expect(verifier.locator("ol.conversation")).to_contain_text("Kliring: Pakai aplikasi yang sudah ada")
    saved = Clearance.objects.get(application=proposed)
    assert saved.decided_by.username == "verifikator" and saved.reused_application == data["simpeg"]

    operator.reload()
    expect(operator.locator("[data-testid=clearance-decision]")).to_contain_text("SIMPEG BKD sudah mencakup")
    for page in (operator, verifier):
        assert page.evaluate("window.__cspViolations || []") == []
    assert csp_operator == [] and csp_verifier == []

    # --- the koordinator opens the duplicates page and marks one pair as not a duplicate -------------------
    koordinator = new_page()
    login(koordinator, "koordinator")
    koordinator.goto("/")
    koordinator.locator("nav.mainnav summary", has_text="Arsitektur").click()
    koordinator.get_by_role("link", name="Duplikat aplikasi").click()
    rows = koordinator.locator("[data-testid=duplicate-row]")
    pair = rows.filter(has_text="SIMPEG").filter(has_text="Sistem Informasi Kepegawaian Dinas Kesehatan")
    expect(pair).to_have_count(1)
    expect(pair.locator(".reasons li").first).not_to_be_empty()
    before = rows.count()
    pair.locator("summary", has_text="Bukan duplikat").click()
    pair.locator("textarea[name=reason]").fill(
        "Aplikasi Dinkes mengelola STR dan SIP tenaga kesehatan, bukan kepegawaian ASN seperti SIMPEG.")
    pair.get_by_role("button", name="Tandai bukan duplikat").click()
    expect(koordinator.get_by_text("ditandai bukan duplikat")).to_be_visible()
    expect(rows.filter(has_text="SIMPEG").filter(has_text="Sistem Informasi Kepegawaian Dinas Kesehatan")).to_have_count(0)
    expect(rows).to_have_count(before - 1)
    koordinator.reload()  # and it stays so
    expect(rows.filter(has_text="SIMPEG").filter(has_text="Sistem Informasi Kepegawaian Dinas Kesehatan")).to_have_count(0)
    assert DuplicateDismissal.objects.filter(first__in=[data["simpeg"], data["dinkes_staff"]],
                                             second__in=[data["simpeg"], data["dinkes_staff"]]).count() == 1

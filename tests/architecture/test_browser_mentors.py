"""The mentors journey (issue 17): the koordinator opens "Beban mentor", moves DINKES from one mentor to the
verifikator in one step (htmx, no page load), and the verifikator's review queue on the home page then lists DINKES's
items first, before an older item of an OPD they do not mentor; no console error or CSP violation on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess
from sia.core.roles import Role
from sia.organizations import mentors
from sia.organizations.models import MentorAssignment
from sia.reference.loader import ensure_default_catalogs

from .. import factories as f
from ..browser.conftest import login
from ..browser.watch import violations, watched
from .conftest import node
from .test_mentors import events

pytestmark = pytest.mark.django_db(transaction=True)


def submitted(department, operator, name, days):
    obj = BusinessProcess.objects.create(department=department, name=name, reference=node("RAB.09.03.04"))
    workflow.apply(obj, workflow.A.SUBMIT, operator)
    events(obj).filter(action=workflow.A.SUBMIT).update(created=timezone.now() - timedelta(days=days))
    workflow.restamp(BusinessProcess, [obj.pk])
    return obj


def test_koordinator_moves_an_opd_and_the_verifikators_queue_follows(new_page, live_server):
    ensure_default_catalogs()
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    kominfo = f.department(inst, name="Dinas Komunikasi, Informatika dan Persandian", abbreviation="DISKOMINFOSAN")
    dinkes = f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    f.member(inst, Role.ADMIN, username="koordinator")
    verifier = f.member(inst, Role.VERIFIER, username="verifikator", first_name="Verifikator Arsitektur")
    other = f.member(inst, Role.VERIFIER, username="verifikator2", first_name="Rahmawati", last_name="Umasugi")
    older = submitted(kominfo, f.member(inst, Role.OPERATOR, kominfo, username="operator.diskominfosan"),
                      "Pengelolaan Data Statistik Sektoral", 9)
    newer = submitted(dinkes, f.member(inst, Role.OPERATOR, dinkes, username="operator.dinkes"),
                      "Pelayanan Imunisasi", 2)
    mentors.assign(dinkes, other)

    reviewer = new_page()
    reviewer_problems = watched(reviewer)
    login(reviewer, "verifikator")
    reviewer.goto("/")
    rows = reviewer.locator("[data-testid=queue-verifikasi] tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-code", older.code)  # nothing mentored yet: oldest first

    admin = new_page()
    admin_problems = watched(admin)
    login(admin, "koordinator")
    admin.goto("/")
    menu_entry = admin.locator("nav a[href='/arsitektur/beban-mentor/']")  # in the Arsitektur menu
    expect(menu_entry).to_have_count(1)
    admin.goto(menu_entry.get_attribute("href"))
    expect(admin.locator("h1")).to_contain_text("Beban mentor")
    summary = admin.locator("[data-testid=mentor-summary]")
    expect(summary.locator("tr[data-mentor=verifikator2] td").nth(1)).to_have_text("1")  # DINKES's item waits
    expect(summary.locator("tr[data-mentor=verifikator] td").nth(1)).to_have_text("0")
    expect(admin.locator("[data-testid=unassigned] tr[data-department=DISKOMINFOSAN]")).to_be_visible()
    row = admin.locator("[data-testid=mentor-verifikator2] tr[data-department=DINKES]")
    row.locator("select[name=mentor]").select_option(label="Verifikator Arsitektur")
    admin.evaluate("window.__notReloaded = true")
    row.get_by_role("button", name="Pindahkan").click()
    expect(admin.locator("[data-testid=mentor-answer]")).to_have_text(
        "OPD DINKES kini dibina oleh Verifikator Arsitektur.")
    assert admin.evaluate("window.__notReloaded === true")  # swapped in place, one step
    expect(admin.locator("[data-testid=mentor-verifikator] tr[data-department=DINKES]")).to_be_visible()
    expect(admin.locator("[data-testid=mentor-verifikator2] tr[data-department=DINKES]")).to_have_count(0)
    expect(summary.locator("tr[data-mentor=verifikator] td").nth(1)).to_have_text("1")
    assert MentorAssignment.objects.get(department=dinkes).mentor == verifier

    reviewer.goto("/")
    expect(rows.nth(0)).to_have_attribute("data-code", newer.code)  # their OPD's item first
    expect(rows.nth(0)).to_contain_text("binaan Anda")
    expect(rows.nth(1)).to_have_attribute("data-code", older.code)
    reviewer.locator("[data-testid=start-verifikasi]").click()
    expect(reviewer.locator("h1")).to_contain_text("Pelayanan Imunisasi")
    assert violations(admin) == [] and violations(reviewer) == []
    assert admin_problems == [] and reviewer_problems == []

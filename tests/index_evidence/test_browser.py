"""The asesor reads what SIA's records say about indicator 13 of the 2026 Indeks Pemdi self-assessment and, in one
click, attaches today's application inventory as its evidence."""

import re

import pytest
from playwright.sync_api import expect

from sia.evaluation.models import Evidence

from ..browser.conftest import browser, login, new_page, page  # noqa: F401
from .conftest import build_records, make_assessment

pytestmark = pytest.mark.django_db(transaction=True)


def test_assessor_attaches_the_application_inventory_from_the_panel(world, pemdi, page):
    build_records(world)
    assessment = make_assessment(world, pemdi, year=2026)
    login(page, "asesor1")

    page.goto(f"/evaluasi/penilaian/{assessment.pk}/indikator/13/")
    panel = page.get_by_test_id("index-facts")
    expect(panel.get_by_role("heading")).to_have_text("Menurut catatan SIA")
    row = panel.locator("tr", has=page.get_by_role("link", name="Aplikasi tercatat", exact=True))
    expect(row.locator("td.num")).to_have_text("5")
    expect(panel.locator("tr", has_text="yang menerapkan aplikasi umum nasional")).to_contain_text("1 dari 5 (20%)")

    page.get_by_role("button", name="Lampirkan inventaris aplikasi hari ini sebagai bukti").click()
    expect(page.locator(".flash.answer")).to_contain_text("dilampirkan sebagai Indikator13a-Inventaris_aplikasi_per_")
    evidence = Evidence.objects.get(assessment=assessment)
    expect(page.get_by_test_id("evidence-list")).to_contain_text(evidence.file_name)
    expect(page.get_by_test_id("evidence-list")).to_contain_text(evidence.title)

    # the facts link to where they come from: the instansi's application list
    row.get_by_role("link", name="Aplikasi tercatat").click()
    expect(page).to_have_url(re.compile(r"/arsitektur/aplikasi/\?institution=82$"))

"""The Peta Rencana journey of issue 14 in a real browser, on the demo province (``sia demo``).

The koordinator finds the gap “new application replacing three duplicates” (the Portal Web Terpadu Perangkat Daerah,
a to-be new application of Diskominfosan and the only demo gap without a kegiatan) in the gap catalog, follows
“Tambah kegiatan”, types a kegiatan for 2026 with its pagu on a slow link (nothing typed is lost), saves it, sees it
on the timeline in the Aplikasi group and in the 2026 Aplikasi pagu of the budget page and its charts, and the gap no
longer warns: the catalog names the kegiatan and the overview's “gap tanpa kegiatan” no longer lists it.
No page reports a console error or a CSP violation."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from playwright.sync_api import expect

from sia.architecture.choices import ArchitectureState
from sia.architecture.demo_applications import PORTAL_OPD
from sia.architecture.models import Application
from sia.organizations.models import Department
from sia.roadmap.choices import Area, BudgetSource
from sia.roadmap.figures import budget_by_year_and_area
from sia.roadmap.models import Activity, ActivityGap, Program
from sia.roadmap.overview_views import amount, rupiah

from ..browser.watch import FAST_LINK, throttle, violations, watched
from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)
from .. import demo as demo_data

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Pembangunan Portal Web Terpadu Perangkat Daerah"
OUTPUT = "Satu portal multisitus untuk seluruh perangkat daerah, menggantikan tiga situs web OPD"
PAGU = Decimal("1250000000")
YEAR = 2026
MILLION = Decimal(1_000_000)


def demo():
    """The demo province; its portal gap (no kegiatan yet), program PR-04 and Diskominfosan."""
    demo_data.build()
    portal = Application.objects.get(institution__code="82", name=PORTAL_OPD)
    assert portal.state == ArchitectureState.TO_BE_NEW and portal.department.abbreviation == "DISKOMINFOSAN"
    assert not ActivityGap.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                          object_id=portal.pk).exists()
    program = Program.objects.get(initiative__target__institution=portal.institution, code="PR-04")
    assert program.area == Area.APPLICATIONS and program.initiative.target.period == "2025-2029"
    return portal, program


def chart_value(page, chart: str, label: str) -> str:
    """The value a bar chart (SVG) writes beside its bar ``label``."""
    row = page.locator(f"svg[data-chart='{chart}'] g", has=page.locator("text:not(.viz-value)", has_text=label))
    expect(row).to_have_count(1)
    return row.locator("text.viz-value").text_content().strip()


def aplikasi_cell(page, year: int):
    """The cell of the Aplikasi area in ``year``'s row of the budget page's area table."""
    column = [area.value for area in Area].index(Area.APPLICATIONS.value) + 2  # after the year heading, 1-based
    return page.locator(f"[data-testid=rm-area-table] tbody tr[data-year='{year}'] > :nth-child({column})")


def test_koordinator_closes_the_portal_gap_with_a_kegiatan_in_2026(new_page):
    portal, program = demo()
    kominfo = Department.objects.get(institution=portal.institution, abbreviation="DISKOMINFOSAN")
    before = budget_by_year_and_area(portal.institution, years=(2025, 2029))
    aplikasi_before = before.get(YEAR, {}).get(Area.APPLICATIONS.value, Decimal(0))
    year_before = sum(before.get(YEAR, {}).values(), Decimal(0))
    area_before = sum((per_area.get(Area.APPLICATIONS.value, Decimal(0)) for per_area in before.values()), Decimal(0))

    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    seen = watched(page)
    login(page, "koordinator", "sia-demo-2024")

    # --- the budget before: the 2026 Aplikasi cell and the charts' figures ------------------------------------
    page.goto(reverse("roadmap:budget"))
    expect(page.locator("h1")).to_contain_text("2025-2029")
    expect(page.locator("[data-testid=rm-area-table] caption")).to_have_text("Dalam juta rupiah")
    cell_before = aplikasi_cell(page, YEAR).text_content().strip()
    assert cell_before == amount(aplikasi_before, MILLION)
    assert chart_value(page, "pagu-per-tahun", str(YEAR)) == rupiah(year_before)
    assert chart_value(page, "pagu-per-area", str(Area.APPLICATIONS.label)) == rupiah(area_before)
    assert violations(page) == []

    page.goto(reverse("roadmap:overview"))
    unclosed = page.locator("[data-testid=rm-unclosed-gaps]")
    expect(unclosed.locator(f"[data-testid=rm-gap-row][data-object='{portal.code}']")).to_contain_text(PORTAL_OPD)
    unclosed_before = int(unclosed.locator("h2 .badge").text_content())
    assert violations(page) == []

    # --- the gap in the catalog, through the menu ----------------------------------------------------------
    menu = page.locator("details.menu", has=page.locator("summary", has_text="Arsitektur"))
    menu.locator("summary").click()
    menu.get_by_role("link", name="Katalog kesenjangan").click()
    page.wait_for_url(f"**{reverse('architecture:gap_catalog')}")
    gap = page.locator(f"[data-testid=gap-row][data-object='{portal.code}']")
    expect(gap).to_have_count(1)
    expect(gap).to_contain_text(PORTAL_OPD)
    notes = gap.locator("[data-testid=gap-notes]")
    expect(notes.locator(".gap-note.warning")).to_have_text("Belum ada kegiatan")
    assert violations(page) == []
    notes.get_by_role("link", name="Tambah kegiatan").click()
    page.wait_for_url("**/peta-rencana/kegiatan/tambah/?gap=*")
    expect(page.locator(f"input[name=gaps][value='aplikasi:{portal.pk}']")).to_be_checked()

    # --- the kegiatan typed on a slow link --------------------------------------------------------------------
    cdp = throttle(page)
    typed = {
        "input[name=name]": NAME,
        "[name=output]": OUTPUT,
        "input[name=start_year]": str(YEAR),
        "input[name=end_year]": str(YEAR),
        "input[name='years-0-year']": str(YEAR),
        "input[name='years-0-budget']": str(PAGU),
    }
    page.select_option("select[name=program]", str(program.pk))
    page.select_option("select[name=department]", str(kominfo.pk))
    expect(page.locator("input[name='years-0-budget']")).to_have_value("")  # no 0 to type ahead of
    for selector, text in typed.items():
        page.locator(selector).press_sequentially(text, delay=20)
    page.select_option("select[name='years-0-source']", BudgetSource.APBD.value)
    for selector, text in typed.items():
        expect(page.locator(selector)).to_have_value(text)
    expect(page.locator("select[name=program]")).to_have_value(str(program.pk))
    expect(page.locator("select[name=department]")).to_have_value(str(kominfo.pk))
    expect(page.locator(f"input[name=gaps][value='aplikasi:{portal.pk}']")).to_be_checked()
    cdp.send("Network.emulateNetworkConditions", FAST_LINK)
    page.click("form.edit button[type=submit].primary")

    # --- the kegiatan's page names the gap ----------------------------------------------------------------------
    expect(page.locator("h1")).to_contain_text(NAME)
    activity = Activity.objects.get(name=NAME)
    assert (activity.program, activity.department, activity.start_year, activity.end_year, activity.output) == (
        program, kominfo, YEAR, YEAR, OUTPUT)
    assert activity.code.startswith("KG-DISKOMINFOSAN-"), activity.code
    year = activity.years.get()
    assert (year.year, year.budget, year.source) == (YEAR, PAGU, BudgetSource.APBD)
    link = activity.gaps.get()
    assert (link.content_type.model_class(), link.object_id) == (Application, portal.pk)
    page.wait_for_url(f"**{activity.get_absolute_url()}")
    expect(page.get_by_role("link", name=str(portal))).to_be_visible()
    assert violations(page) == []

    # --- on the timeline: a row in the Aplikasi group spanning the 2026 column --------------------------------
    page.goto(reverse("roadmap:overview"))
    page.locator("nav.tabs").get_by_role("link", name="Linimasa").click()
    page.wait_for_url("**/peta-rencana/linimasa/**")
    aplikasi = page.locator(f"tbody[data-area='{Area.APPLICATIONS.value}']")
    row = aplikasi.locator(f"[data-testid=rm-row][data-code='{activity.code}']")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_contain_text(NAME)
    years = [int(text.split()[0]) for text in page.locator("table[data-testid=rm-timeline] thead th.rm-year")
             .all_inner_texts()]
    bar = row.locator("td.rm-cell")
    expect(bar).to_have_attribute("colspan", "1")
    expect(bar).to_contain_text(str(YEAR))
    before_cells = row.locator("td:not(.rm-cell)").evaluate_all(
        "cells => cells.filter(c => c.nextElementSibling && c.nextElementSibling.classList.contains('rm-cell'))"
        ".map(c => c.colSpan)")
    assert sum(before_cells) == years.index(YEAR), (years, before_cells)
    assert violations(page) == []

    # --- on the budget page: the 2026 Aplikasi cell and the charts grew by the pagu ---------------------------
    page.locator("nav.tabs").get_by_role("link", name="Anggaran dan keterpaduan").click()
    page.wait_for_url("**/peta-rencana/anggaran/**")
    cell_after = aplikasi_cell(page, YEAR).text_content().strip()
    assert cell_after != cell_before
    assert cell_after == amount(aplikasi_before + PAGU, MILLION)
    assert chart_value(page, "pagu-per-tahun", str(YEAR)) == rupiah(year_before + PAGU)
    assert chart_value(page, "pagu-per-area", str(Area.APPLICATIONS.label)) == rupiah(area_before + PAGU)
    assert violations(page) == []

    # --- the gap no longer warns ------------------------------------------------------------------------------
    page.goto(reverse("architecture:gap_catalog"))
    notes = page.locator(f"[data-testid=gap-row][data-object='{portal.code}'] [data-testid=gap-notes]")
    expect(notes.get_by_role("link", name=f"{activity.code} ({YEAR})")).to_have_attribute(
        "href", activity.get_absolute_url())
    expect(notes.locator(".gap-note.warning")).to_have_count(0)
    expect(notes).not_to_contain_text("Tambah kegiatan")
    assert violations(page) == []
    page.goto(reverse("roadmap:overview"))
    unclosed = page.locator("[data-testid=rm-unclosed-gaps]")
    expect(unclosed.locator("h2 .badge")).to_have_text(str(unclosed_before - 1))
    expect(unclosed.locator(f"[data-testid=rm-gap-row][data-object='{portal.code}']")).to_have_count(0)
    expect(unclosed).not_to_contain_text(PORTAL_OPD)
    assert violations(page) == []
    assert seen == []

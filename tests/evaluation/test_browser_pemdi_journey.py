"""The 2026 Indeks Pemdi journey in the browser, on the slow link: the asesor creates the 2026 assessment (the
instrument in force for the year preselected) and is its team's penanggung jawab; the asesor types indicator 5's
SDI and its year and sees its value 3,75, then attaches the application inventory from indicator 13's "Menurut catatan SIA" panel to an
evidence item and sees it under that item, and uploads a file of her own onto another item in one step (the upload
form, opened from the items panel's link of level 2, offers that level's items); the koordinator compares 2026 with 2024, each index on its own scale.
No console error and no CSP violation on any page."""

import pytest
from playwright.sync_api import expect

from sia.evaluation import services
from sia.evaluation.choices import TeamRole
from sia.evaluation.models import Assessment, Evidence, EvidenceItem
from sia.evaluation.pdf import minimal_pdf

from ..browser.conftest import login, new_page  # noqa: F401
from ..browser.watch import throttle, violations, watched
from ..index_evidence.conftest import build_records, pemdi, spbe  # noqa: F401
from .conftest import DEMO_LEVELS

pytestmark = pytest.mark.django_db(transaction=True)

def _spbe_2024(world, spbe):  # noqa: F811
    assessment = Assessment.objects.create(institution=world.inst, year=2024, framework=spbe)
    indicators = {i.number: i for i in spbe.indicators.all()}
    for number, level in DEMO_LEVELS.items():
        services.set_level(assessment, indicators[number], level, user=world.users["assessor"])
    return assessment


def test_pemdi_2026_journey(world, spbe, pemdi, new_page):  # noqa: F811
    build_records(world)
    _spbe_2024(world, spbe)
    asesor = world.users["assessor"]

    page = new_page()
    seen_asesor = watched(page)
    login(page, "asesor1")
    throttle(page)
    page.goto("/evaluasi/penilaian/tambah/?year=2026")
    expect(page.locator("select[name=framework]")).to_have_value(str(pemdi.pk))
    expect(page.locator(f"select[name=institution] option[value='{world.other.pk}']")).to_have_count(0)  # own only
    page.select_option("select[name=institution]", str(world.inst.pk))
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#tim")).to_have_text("Tim Asesor Internal")
    expect(page.locator("#tim ~ ul > li")).to_have_count(1)
    expect(page.locator("#tim ~ ul > li")).to_contain_text(f"{asesor} · Penanggung jawab")
    assessment = Assessment.objects.get(institution=world.inst, year=2026)
    assert assessment.framework_id == pemdi.pk
    assert list(assessment.team.values_list("user", "role")) == [(asesor.pk, TeamRole.LEAD)]
    assert violations(page) == []

    page.goto(f"/evaluasi/penilaian/{assessment.pk}/indikator/5/")
    page.locator("input[name=source_value]").press_sequentially("68,75", delay=60)
    page.locator("input[name=source_year]").press_sequentially("2025", delay=60)
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_test_id("external-formula")).to_have_text("SDI 68,75 (2025) → 3,75")
    expect(page.get_by_test_id("indicator-value")).to_have_text("3,75")
    assert violations(page) == []

    page.goto(f"/evaluasi/penilaian/{assessment.pk}/indikator/13/")
    panel = page.get_by_test_id("index-facts")
    expect(panel.get_by_role("heading")).to_have_text("Menurut catatan SIA")
    panel.get_by_label("Butir untuk inventaris aplikasi").select_option("I13-L2-01")
    panel.get_by_role("button", name="Lampirkan inventaris aplikasi hari ini sebagai bukti").click()
    expect(page.locator(".flash.answer")).to_contain_text("Pada butir I13-L2-01.")
    evidence = Evidence.objects.get(assessment=assessment, indicator__number=13)
    assert evidence.item.code == "I13-L2-01"
    expect(page.get_by_test_id("item-I13-L2-01")).to_contain_text(str(evidence))
    expect(page.get_by_test_id("item-I13-L2-02")).not_to_contain_text(str(evidence))
    assert violations(page) == []

    # a file of her own, uploaded and put on item I13-L2-02 in one step, from the items panel's link of level 2
    page.get_by_test_id("upload-level-2").click()
    form = page.locator("#evidence-form")
    item = form.get_by_label("Butir bukti dukung")
    expect(item.locator("option")).to_have_count(
        1 + EvidenceItem.objects.filter(framework=pemdi, indicator__number=13, level=2).count())  # "none" + level 2
    form.get_by_label("Judul dokumen").press_sequentially("Peta Rencana SPBE 2026", delay=40)
    form.locator("input[name=file]").set_input_files(files=[{
        "name": "peta-rencana.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf(["Peta Rencana SPBE 2026"])}])
    item.select_option("I13-L2-02")
    form.get_by_role("button", name="Lampirkan").click()
    expect(page.locator("[data-focus-answer]")).to_contain_text("dilampirkan pada butir I13-L2-02")
    uploaded = Evidence.objects.get(assessment=assessment, indicator__number=13, original_name="peta-rencana.pdf")
    assert uploaded.item.code == "I13-L2-02" and uploaded.file_name.startswith("Indikator13b-Peta_Rencana_SPBE_2026")
    expect(page.get_by_test_id("item-I13-L2-02")).to_contain_text(uploaded.file_name)
    expect(page.get_by_test_id("item-I13-L2-01")).not_to_contain_text(uploaded.file_name)
    assert violations(page) == []

    koordinator = new_page()
    seen = watched(koordinator)
    login(koordinator, "koord")
    koordinator.goto(f"/evaluasi/penilaian/{assessment.pk}/perbandingan/")
    sides = koordinator.get_by_test_id("compare-cross-side")
    expect(sides).to_have_count(2)
    # the older year on the left: 2.49 on the SPBE scale, 1 + (3.75 - 1) × 5 / 100 = 1.1375 on the Pemdi one
    expect(koordinator.get_by_test_id("compare-cross-index")).to_have_text(["2,49", "1,14"])
    expect(sides.nth(0)).to_contain_text("Indeks SPBE")
    expect(sides.nth(0).get_by_test_id("compare-cross-predicate")).to_have_text("Cukup")
    expect(sides.nth(1)).to_contain_text("Indeks Pemdi")
    expect(sides.nth(1).get_by_test_id("compare-cross-predicate")).to_have_text("Kurang")
    expect(sides.nth(1).get_by_test_id("compare-cross-bands")).to_contain_text("Merintis")
    assert violations(koordinator) == []
    assert seen == [] and seen_asesor == []

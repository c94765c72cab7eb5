"""The two journeys of the SPBE self-assessment: the asesor scores indicator 11 with evidence and sees the
index move; the koordinator plans the cheapest way from 2.49 (Cukup) to 2.60 (Baik)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sia.core.roles import Role
from sia.evaluation import services
from sia.evaluation.choices import Stage, TeamRole
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import Assessment, AssessmentTeamMember, Evidence, IndicatorScore
from sia.evaluation.pdf import minimal_pdf

from .. import factories as f
from ..browser.conftest import login
from .conftest import DEMO_LEVELS

pytestmark = pytest.mark.django_db(transaction=True)


def province_at_249() -> Assessment:
    """The demo province's 2024 self-assessment at 2.49 (committed data: the live server reads it)."""
    framework = install_default_frameworks()[0]  # the database is flushed between browser tests
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    asesor = f.member(inst, Role.ASSESSOR, username="asesor", first_name="Asesor", last_name="Internal")
    koordinator = f.member(inst, Role.ADMIN, username="koordinator")
    assessment = Assessment.objects.create(institution=inst, year=2024, framework=framework)
    AssessmentTeamMember.objects.create(assessment=assessment, user=koordinator, role=TeamRole.LEAD)
    AssessmentTeamMember.objects.create(assessment=assessment, user=asesor, role=TeamRole.ASSESSOR)
    indicators = {i.number: i for i in framework.indicators.all()}
    for number, level in DEMO_LEVELS.items():
        services.set_level(assessment, indicators[number], level, user=asesor)
    return assessment


def shown_number(locator) -> Decimal:
    return Decimal(locator.inner_text().strip().replace(",", "."))


def test_assessor_scores_indicator_11_with_evidence_and_sees_the_index_change(new_page):
    assessment = province_at_249()
    page = new_page()
    login(page, "asesor")

    page.goto("/evaluasi/penilaian/")
    page.get_by_role("link", name="2024").click()
    expect(page.get_by_test_id("assessment-index")).to_have_text("2,49")
    expect(page.get_by_test_id("assessment-predicate")).to_have_text("Cukup")

    page.get_by_role("link", name="Tingkat Kematangan Arsitektur SPBE Instansi Pusat/Pemerintah Daerah").click()
    expect(page.locator("h1")).to_contain_text("Indikator 11.")
    # the five level criteria side by side, the current level (2) marked
    expect(page.locator(".criterion")).to_have_count(5)
    expect(page.locator(".criterion[data-level='3']")).to_contain_text("telah mencakup seluruh referensi dan domain")
    expect(page.locator(".criterion.chosen")).to_have_attribute("data-level", "2")
    expect(page.get_by_test_id("stage-index")).to_have_text("2,49")

    page.locator("input[name=level][value='3']").check()
    page.fill("textarea[name=fakta]", "Dokumen Arsitektur SPBE Provinsi 2024 telah ditetapkan dengan Peraturan Gubernur.")
    page.fill("textarea[name=analisis]", "Dokumen memuat seluruh referensi dan domain arsitektur.")
    page.fill("textarea[name=justifikasi]", "Belum berpedoman pada Arsitektur SPBE Nasional dan belum direviu (tingkat 4).")
    page.get_by_role("button", name="Simpan tingkat").click()

    expect(page.get_by_test_id("stage-index")).to_have_text("2,52")  # 2.49 + 2.50/100 = 2.515
    expect(page.get_by_test_id("index-change")).to_contain_text("2,49")
    expect(page.locator(".criterion.chosen")).to_have_attribute("data-level", "3")
    expect(page.get_by_test_id("stage-history")).to_contain_text("Dokumen Arsitektur SPBE Provinsi 2024")

    evidence = page.locator("#evidence-form")
    evidence.locator("input[name=title]").fill("Dokumen Arsitektur SPBE 2024")
    evidence.locator("input[name=file]").set_input_files(
        files=[{"name": "arsitektur-spbe.pdf", "mimeType": "application/pdf",
                "buffer": minimal_pdf(["Arsitektur SPBE Provinsi Maluku Utara 2024"])}]
    )
    evidence.get_by_role("button", name="Lampirkan").click()
    expect(page.get_by_test_id("evidence-list")).to_contain_text("Indikator11a-Dokumen_Arsitektur_SPBE_2024.pdf")

    page.goto(assessment.get_absolute_url())
    expect(page.get_by_test_id("assessment-index")).to_have_text("2,52")

    score = IndicatorScore.objects.get(assessment=assessment, indicator__number=11, stage=Stage.SELF)
    assert score.level == 3 and score.assessed_by.username == "asesor" and score.justifikasi.startswith("Belum")
    stored = Evidence.objects.get(assessment=assessment, indicator__number=11)
    assert stored.blob.mime == "application/pdf" and len(stored.blob.sha256) == 64


def test_coordinator_plans_from_249_to_baik(new_page):
    assessment = province_at_249()
    page = new_page()
    login(page, "koordinator")

    page.goto(assessment.get_absolute_url())
    expect(page.get_by_test_id("assessment-index")).to_have_text("2,49")
    page.get_by_role("link", name="Perencana target").click()

    expect(page.get_by_test_id("plan-current-index")).to_have_text("2,49")
    expect(page.get_by_test_id("plan-target")).to_have_text("2,60")
    assert shown_number(page.get_by_test_id("plan-final-index")) >= Decimal("2.60")
    steps = page.get_by_test_id("plan-steps").locator("tbody tr")
    expect(steps).to_have_count(4)
    expect(steps.last).to_contain_text("Baik")
    expect(page.get_by_test_id("plan-message")).to_contain_text("2,6")

    # the target box writes the decimal as the page does
    expect(page.locator("input[name=target]")).to_have_value("2,6")
    # a further target, typed with a decimal comma: out of reach one level per indicator, reachable with jumps
    page.fill("input[name=target]", "3,5")
    page.get_by_role("button", name="Hitung rencana").click()
    expect(page.get_by_test_id("plan-target")).to_have_text("3,50")
    expect(page.get_by_test_id("plan-message")).to_contain_text("paling banyak 1 tingkat")
    page.get_by_label("Izinkan lompatan dua tingkat").check()
    page.get_by_role("button", name="Hitung rencana").click()
    expect(page.get_by_test_id("plan-message")).not_to_contain_text("tidak dapat dicapai")
    assert shown_number(page.get_by_test_id("plan-final-index")) >= Decimal("3.50")


def test_planner_shows_the_servers_refusal_of_an_effort(new_page):
    """htmx 2 does not swap 4xx answers by default; the htmx-config meta of base.html makes it do so."""
    assessment = province_at_249()
    page = new_page()
    login(page, "koordinator")
    page.goto(f"/evaluasi/penilaian/{assessment.pk}/perencana/")
    expect(page.locator("input[name=e_11_3]")).to_have_attribute("inputmode", "decimal")
    page.locator("#planner-form summary").click()
    page.fill("input[name=e_11_3]", "0")
    page.get_by_role("button", name="Hitung rencana").click()
    expect(page.get_by_test_id("plan-errors")).to_contain_text("Upaya indikator 11 ke tingkat 3")
    expect(page.locator("header.topbar")).to_have_count(1)


def test_saving_a_level_after_the_stage_was_locked_shows_the_read_only_panel(new_page):
    assessment = province_at_249()
    page = new_page()
    login(page, "asesor")
    page.goto(f"/evaluasi/penilaian/{assessment.pk}/indikator/11/")
    page.locator("input[name=level][value='4']").check()
    services.lock_stage(assessment, user=assessment.team.get(role=TeamRole.LEAD).user)  # meanwhile
    page.get_by_role("button", name="Simpan tingkat").click()
    expect(page.get_by_test_id("score-notice")).to_contain_text("sudah dikunci")
    expect(page.locator("header.topbar")).to_have_count(1)  # not the whole page inside #score-panel
    expect(page.locator("input[name=level]")).to_have_count(0)
    expect(page.get_by_test_id("chosen-level")).to_have_text("2")
    assert IndicatorScore.objects.get(assessment=assessment, indicator__number=11, stage=Stage.SELF).level == 2

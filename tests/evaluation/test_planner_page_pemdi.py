"""The planner page on PermenPANRB 8/2026: band floors as targets, margin, effort presets saved with the assessment.

The hand-checked case: every indicator at 2.50 except 19 (weight 10) and 20 (weight 15) at 1.50, so the index is
(75 × 2.50 + 25 × 1.50) / 100 = 2.25 (Cukup) and the default target is the Baik floor 2.50 (a gain of 25 weight
points). One level per indicator: a 2.50 indicator can reach 3.50 (gain = its weight, at most 5), 19 and 20 can
reach 2.50 (gains 10 and 15). Uniform efforts: 19 + 20 reach exactly 2.50 for 2; with a margin of 0.05 (goal
2.55, 30 points) a third indicator of weight 5 is needed: 3. Increasing efforts (a step to level k costs k − 1):
19 + 20 cost 2 + 2 = 4; with the margin, + one step to level 4 (3): 7.
"""

import re
from decimal import Decimal

import pytest
from django.test import Client

from sia.evaluation.frameworks import install_default_frameworks, spec_for
from sia.evaluation.models import Assessment, AssessmentTeamMember, IndicatorScore
from sia.evaluation.planner import plan_for

TARGET = "permenpanrb-8-2026"
VALUES = {n: Decimal("2.50") for n in range(1, 21)} | {19: Decimal("1.50"), 20: Decimal("1.50")}


@pytest.fixture
def pemdi_2026(world, db):
    pemdi = next(v for v in install_default_frameworks() if v.code == TARGET)
    assessment = Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"], role="asesor")
    spec = spec_for(pemdi)
    indicators = {i.number: i for i in pemdi.indicators.all()}
    for number, value in VALUES.items():
        IndicatorScore.objects.create(assessment=assessment, indicator=indicators[number], stage="mandiri",
                                      value=value, level=spec.level_of(value), assessed_by=world.users["assessor"])
    return assessment


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def url(assessment):
    return f"/evaluasi/penilaian/{assessment.pk}/perencana/"


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def figure(page, testid):
    return re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', page).group(1).strip()


def raised(page):
    return [int(n) for n in re.findall(r"/indikator/(\d+)/", re.search(r'data-testid="plan-steps">(.*?)</table>', page).group(1))]


def test_the_hand_checked_case_by_the_planner_itself(pemdi_2026):
    spec = spec_for(pemdi_2026.framework)
    plan = plan_for(VALUES, spec)
    assert plan.current_index == Decimal("2.25") and plan.target == Decimal("2.50")
    assert plan.total_effort == 2 and sorted(s.indicator for s in plan.steps) == [19, 20]
    assert plan_for(VALUES, spec, margin=Decimal("0.05")).total_effort == 3
    assert plan_for(VALUES, spec, preset={"scheme": "increasing", "margin": "0.05"}).total_effort == 7


def test_the_default_page_plans_to_the_baik_floor_with_external_indicators_blocked(world, pemdi_2026,
                                                                                 django_assert_max_num_queries):
    client = client_for(world.users["assessor"])
    client.get(url(pemdi_2026))
    with django_assert_max_num_queries(12):
        page = text(client.get(url(pemdi_2026)))
    assert figure(page, "plan-target") == "2,50" and figure(page, "plan-effort") == "2"
    assert sorted(raised(page)) == [19, 20]
    assert "1,50 → 2,50" in page  # values, not only levels
    assert "Indeks Pemdi" in page
    explanation = re.search(r'data-testid="plan-explanation">(.*?)</ul>', page).group(1)
    assert "Indikator yang tidak dinaikkan: 5, 6, 7, 18." in explanation  # SDI, SJIG, EPSS blocked by default
    assert re.search(r'<input type="checkbox" name="block_external"[^>]*checked', page)


def test_a_margin_and_an_increasing_preset_saved_with_the_assessment(world, pemdi_2026):
    client = client_for(world.users["assessor"])
    data = {"target": "2,50", "margin": "0,05", "scheme": "increasing", "block_external": "on",
            "save_preset": "on"}
    page = text(client.post(url(pemdi_2026), data, HTTP_HX_REQUEST="true"))
    assert figure(page, "plan-effort") == "7" and 'data-testid="plan-notice"' in page
    assert {19, 20} <= set(raised(page)) and len(raised(page)) == 3
    final = Decimal(figure(page, "plan-final-index").replace(",", "."))
    assert final >= Decimal("2.55")
    assert "Margin keamanan 0,05" in page and "langkah ke tingkat k berupaya k − 1" in page
    pemdi_2026.refresh_from_db()
    assert pemdi_2026.planner_preset == {"scheme": "increasing", "factors": {}, "blocked": [],
                                         "block_external": True, "margin": "0.05"}
    # the saved preset is the page's default from now on
    page = text(client.get(url(pemdi_2026)))
    assert figure(page, "plan-effort") == "7"
    assert re.search(r'<option value="increasing" selected>', page)


def test_changing_the_preset_redraws_the_effort_table(world, pemdi_2026):
    client = client_for(world.users["assessor"])
    page = text(client.get(url(pemdi_2026)))
    drawn = re.search(r'name="table_preset" value="([^"]*)"', page).group(1)
    data = {"target": "2,50", "scheme": "increasing", "block_external": "on",
            "table_preset": drawn.replace("&quot;", '"')}
    data |= {name: value for name, value in re.findall(r'name="(e_\d+_\d+)"[^>]*value="([^"]*)"', page)}
    page = text(client.post(url(pemdi_2026), data))
    assert figure(page, "plan-effort") == "4"  # the uniform table drawn before does not count
    assert re.search(r'name="e_20_4"[^>]*value="3"', page)


def test_a_bad_factor_is_refused_naming_the_indicator_and_nothing_saved(world, pemdi_2026):
    client = client_for(world.users["assessor"])
    response = client.post(url(pemdi_2026), {"target": "2,50", "f_13": "0", "save_preset": "on"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Faktor upaya indikator 13" in figure(text(response), "plan-error")
    pemdi_2026.refresh_from_db()
    assert pemdi_2026.planner_preset is None


def test_a_blocked_indicator_stays_put_and_a_reader_cannot_save(world, pemdi_2026):
    data = {"target": "2,50", "b_20": "on", "block_external": "on"}
    page = text(client_for(world.users["assessor"]).post(url(pemdi_2026), data, HTTP_HX_REQUEST="true"))
    assert "tidak dapat dicapai" in page or 20 not in raised(page)
    response = client_for(world.users["leader"]).post(url(pemdi_2026), data | {"save_preset": "on"})
    assert response.status_code == 403
    pemdi_2026.refresh_from_db()
    assert pemdi_2026.planner_preset is None


def test_a_broken_saved_preset_is_named_and_the_default_used(world, pemdi_2026):
    Assessment.objects.filter(pk=pemdi_2026.pk).update(planner_preset={"blocked": [99]})
    page = text(client_for(world.users["leader"]).get(url(pemdi_2026)))
    assert "Indikator 99 tidak ada dalam instrumen" in page and figure(page, "plan-effort") == "2"


def test_two_level_jumps_when_asked(world, pemdi_2026):
    # goal 3.00, 75 more weight points: one level each, 19 and 20 give 25 and the rest comes 4-5 points per effort;
    # with jumps, 19 and 20 rise 1.50 → 3.50 (10 and 15 more points for one effort each): cheaper, some rise twice
    client = client_for(world.users["assessor"])
    data = {"target": "3,00", "block_external": "on"}
    page = text(client.post(url(pemdi_2026), data, HTTP_HX_REQUEST="true"))
    one = figure(page, "plan-effort")
    page = text(client.post(url(pemdi_2026), data | {"allow_jumps": "on"}, HTTP_HX_REQUEST="true"))
    jumps = raised(page)
    assert len(jumps) > len(set(jumps)) and Decimal(figure(page, "plan-effort")) < Decimal(one.replace(",", "."))

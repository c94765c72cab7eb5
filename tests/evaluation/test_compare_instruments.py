"""Comparing a 2026 Indeks Pemdi assessment with the 2024 Indeks SPBE one: side by side, each on its own scale."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from sia.evaluation import compare, services
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.frameworks import spec_for
from sia.evaluation.models import Assessment, AssessmentTeamMember, IndicatorScore

from .conftest import DEMO_LEVELS, make_assessment

TARGET = "permenpanrb-8-2026"
# twenty Pemdi values; weights from the file; the index is checked against scoring on the stored values
PEMDI_VALUES = {n: Decimal("2.10") for n in range(1, 21)} | {1: Decimal("3.26"), 13: Decimal("1.50")}


@pytest.fixture
def pemdi(db):
    return next(v for v in install_default_frameworks() if v.code == TARGET)


@pytest.fixture
def pemdi_2026(world, pemdi):
    assessment = Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"], role="asesor")
    set_values(assessment, PEMDI_VALUES, world.users["assessor"])
    return assessment


def set_values(assessment, values, user):
    """Stores 8/2026 values (and their levels) for the current stage."""
    spec = spec_for(assessment.framework)
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    for number, value in values.items():
        IndicatorScore.objects.create(
            assessment=assessment, indicator=indicators[number], stage=assessment.current_stage, value=value,
            level=spec.level_of(value), assessed_by=user,
        )


def page(user, assessment, query=""):
    if isinstance(user, Client):
        client = user
    else:
        client = Client()
        client.force_login(user)
    response = client.get(f"/evaluasi/penilaian/{assessment.pk}/perbandingan/{query}")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_both_indices_on_their_own_scale_never_one_on_the_other(world, assessment, pemdi_2026):
    columns = services.year_over_year([assessment, pemdi_2026])
    assert columns[1].change is None and columns[1].other_framework  # no change across instruments
    cross = compare.cross_comparison(columns[1], columns[0])
    assert cross.left.assessment == assessment and cross.right.assessment == pemdi_2026  # older instrument left
    assert cross.left.index == services.current_summary(assessment).result.index == Decimal("2.49")
    assert cross.right.index == services.current_summary(pemdi_2026).result.index
    assert cross.left.index_name == "Indeks SPBE" and cross.right.index_name == "Indeks Pemdi"
    assert [b["name"] for b in cross.right.bands] == ["Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"]
    assert cross.right.bands[0]["name_id"] == "Merintis"
    assert cross.left.bands != cross.right.bands
    # nothing on the comparison is a difference of the two indices
    assert not any(isinstance(v, Decimal) and v in {cross.right.index - cross.left.index} for v in vars(cross).values())


def test_the_bridge_lists_which_spbe_indicators_fed_which_pemdi_ones(world, assessment, pemdi_2026):
    columns = services.year_over_year([assessment, pemdi_2026])
    cross = compare.cross_comparison(columns[0], columns[1])
    mapping, notice = compare.listed_mapping("permenpanrb-59-2020", "permenpanrb-8-2026")
    assert notice == "" and cross.mapping_code == mapping.code
    rows = {row.number: row for row in cross.bridge}
    assert sorted(rows) == list(range(1, 21))
    assert [s["number"] for s in rows[1].sources] == [p.source for p in mapping.sources_of(1)]
    assert rows[1].value == Decimal("3.26") and rows[13].value == Decimal("1.50")
    first_source = rows[1].sources[0]["number"]
    assert rows[1].sources[0]["level"] == DEMO_LEVELS[first_source]  # the SPBE level, as the SPBE year has it
    assert not rows[5].sources  # SDI: no SPBE counterpart


def test_the_page_shows_both_sides_with_their_bands_and_links(world, assessment, pemdi_2026,
                                                            django_assert_max_num_queries):
    client = Client()
    client.force_login(world.users["admin"])
    page(client, pemdi_2026)
    with django_assert_max_num_queries(14):  # session, user, grants, two assessments' scores and locks, indicators
        text = page(client, pemdi_2026)
    sides = re.findall(r'data-testid="compare-cross-index" title="[^"]*">([\d,]+)<', text)
    spbe = services.current_summary(assessment).result.index_display
    pemdi_index = services.current_summary(pemdi_2026).result.index_display
    assert sides == [str(spbe).replace(".", ","), str(pemdi_index).replace(".", ",")]
    assert "Indeks SPBE" in text and "Indeks Pemdi" in text and "Merintis" in text
    bridge = re.search(r'data-testid="compare-bridge">(.*?)</table>', text).group(1)
    assert f"/penilaian/{pemdi_2026.pk}/indikator/1/" in bridge and f"/penilaian/{assessment.pk}/indikator/" in bridge
    assert "Belum ada tahun lain dengan kerangka yang sama" in text  # no aspects set against another instrument
    assert 'data-testid="compare-change"' in text and "+" not in re.search(
        r'data-testid="compare-years">(.*?)</table>', text).group(1).split("compare-change")[-1][:40]


def test_same_instrument_keeps_year_over_year_and_shows_no_cross_section_without_another(world, framework, assessment):
    make_assessment(world, framework, levels={n: max(1, lv - 1) for n, lv in DEMO_LEVELS.items()}, year=2023)
    text = page(world.users["leader"], assessment)
    assert 'data-testid="compare-cross"' not in text
    assert 'data-testid="compare-indicators"' in text and "Domain dan Aspek" in text


def test_all_three_years_the_cross_section_picks_the_latest_earlier_other_instrument(world, framework, assessment,
                                                                                   pemdi_2026):
    old = make_assessment(world, framework, levels={n: max(1, lv - 1) for n, lv in DEMO_LEVELS.items()}, year=2023)
    text = page(world.users["admin"], pemdi_2026)
    side_years = re.findall(r'data-testid="compare-cross-side"> <div class="sub"><a href="[^"]*">(\d+)</a>', text)
    assert side_years == ["2024", "2026"]
    text = page(world.users["admin"], pemdi_2026, f"?dengan={old.pk}")
    side_years = re.findall(r'data-testid="compare-cross-side"> <div class="sub"><a href="[^"]*">(\d+)</a>', text)
    assert side_years == ["2023", "2026"]
    # from the SPBE side, the Pemdi year is the partner
    text = page(world.users["admin"], assessment)
    assert 'data-testid="compare-cross"' in text and "Indeks Pemdi" in text

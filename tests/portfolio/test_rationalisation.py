"""The TIME rule (sia.portfolio.rationalisation) over the whole 5 × 5 × 5 grid of scores, and the database
expression that filters and counts the portfolio page agreeing with it at every point."""

import itertools

import pytest

from sia.architecture.models import Application
from sia.portfolio import rationalisation as rules
from sia.portfolio.models import ApplicationAssessment
from sia.portfolio.rationalisation import CRITICAL, HIGH_FIT, Recommendation, recommend

from .. import factories as f

GRID = list(itertools.product(range(1, 6), repeat=3))


def expected(functional, technical, criticality):
    """The rule as the page states it, written out independently of the module."""
    high_f, high_t = functional >= 3, technical >= 3
    if high_f and high_t:
        return "invest"
    if high_f:
        return "migrate"
    if high_t:
        return "tolerate"
    return "migrate" if criticality >= 4 else "eliminate"


def test_thresholds_are_the_documented_ones():
    assert (HIGH_FIT, CRITICAL) == (3, 4)


@pytest.mark.parametrize("functional,technical,criticality", GRID)
def test_every_point_of_the_grid(functional, technical, criticality):
    assert recommend(functional, technical, criticality) == expected(functional, technical, criticality)


@pytest.mark.parametrize("scores,result", [
    ((5, 5, 1), Recommendation.INVEST),
    ((3, 3, 3), Recommendation.INVEST),  # "sedang" counts as high on both
    ((5, 1, 5), Recommendation.MIGRATE),  # needed function on weak technology
    ((1, 5, 5), Recommendation.TOLERATE),  # sound technology, poor fit: criticality changes nothing
    ((2, 2, 3), Recommendation.ELIMINATE),
    ((1, 1, 1), Recommendation.ELIMINATE),
    ((2, 2, 4), Recommendation.MIGRATE),  # critical: never eliminated without a successor
    ((1, 1, 5), Recommendation.MIGRATE),
])
def test_quadrants_and_the_critical_exception(scores, result):
    assert recommend(*scores) == result


def test_quadrant_counts_over_the_grid():
    found = {value: 0 for value in Recommendation.values}
    for point in GRID:
        found[recommend(*point)] += 1
    # 3 high × 3 high × 5 = 45 invest; 45 migrate (high f, low t) + 2×2×2 critical low/low; 30 tolerate; 12 eliminate
    assert found == {"invest": 45, "migrate": 30 + 8, "tolerate": 30, "eliminate": 12}


def test_reason_names_the_critical_exception():
    assert "kritis" in rules.reason(1, 2, 5)
    assert rules.reason(5, 5, 5) == str(rules.REASONS[Recommendation.INVEST])


@pytest.mark.django_db
def test_database_expression_agrees_with_the_function_over_the_grid():
    inst = f.institution()
    dept = f.department(inst, abbreviation="DUJI")
    apps = []
    for functional, technical, criticality in GRID:
        app = Application.objects.create(department=dept, name=f"Aplikasi {functional}{technical}{criticality}")
        ApplicationAssessment.objects.create(application=app, functional_fit=functional, technical_fit=technical,
                                             criticality=criticality)
        apps.append(app)
    unassessed = Application.objects.create(department=dept, name="Aplikasi belum dinilai")
    annotated = rules.portfolio(Application.objects.filter(department=dept))
    by_pk = {app.pk: app.time_recommendation for app in annotated}
    for app, point in zip(apps, GRID):
        assert by_pk[app.pk] == recommend(*point), point
    assert by_pk[unassessed.pk] is None
    counts = rules.counts(annotated)
    assert counts == {"invest": 45, "migrate": 38, "tolerate": 30, "eliminate": 12, "none": 1}
    assert rules.portfolio(Application.objects.all(), recommendation="tolerate").count() == 30
    assert list(rules.portfolio(Application.objects.all(), recommendation="none")) == [unassessed]


def test_points_at_one_position_are_spread_so_none_hides_another():
    from sia.core.charts import spread

    offsets = spread(20, 7)
    assert offsets[0] == (0.0, 0.0) and len(offsets) == 20 and len(set(offsets)) == 20


@pytest.mark.django_db
def test_portfolio_chart_markup_and_its_table():
    import re

    from sia.portfolio.views_rationalisation import portfolio_chart

    inst = f.institution()
    dept = f.department(inst, abbreviation="DUJI")
    for n, scores in enumerate([(5, 5, 1), (5, 5, 5), (5, 5, 3), (1, 1, 5), (2, 4, 2)]):
        app = Application.objects.create(department=dept, name=f"Aplikasi {n}")
        ApplicationAssessment.objects.create(application=app, functional_fit=scores[0], technical_fit=scores[1],
                                             criticality=scores[2])
    chart = portfolio_chart(rules.portfolio(Application.objects.all()))
    svg = str(chart.svg)
    assert "style=" not in svg and "<script" not in svg
    circles = re.findall(r'<circle class="viz-point ?(\w*)" cx="([\d.]+)" cy="([\d.]+)" r="(\d+)"', svg)
    assert len(circles) == 5 and len({(x, y) for _css, x, y, _r in circles}) == 5  # three share (5, 5): spread
    assert sorted(int(r) for *_rest, r in circles) == [3, 4, 5, 7, 7]  # the radius grows with criticality
    assert [css for css, *_ in circles].count("critical") == 2
    for label in ("Tolerate", "Invest", "Eliminate", "Migrate"):
        assert f">{label}</text>" in svg
    assert chart.headers[0] == "Aplikasi" and len(chart.rows) == 5
    assert ["DUJI", 1, 1, 5, Recommendation.MIGRATE.label] in [row[1:] for row in chart.rows]

"""The TIME portfolio is the applications in use or being built: planned and retired ones are neither listed nor
counted under "Belum dinilai", only counted apart; one query counts both."""

import re

import pytest

from sia.architecture.choices import ApplicationLifecycle as L
from sia.architecture.models import Application
from sia.portfolio import rationalisation as rules
from sia.portfolio.models import ApplicationAssessment

pytestmark = pytest.mark.django_db

URL = "/portofolio/rasionalisasi/"


def app(dept, name, lifecycle=L.PRODUCTION, scores=None):
    extra = {"retirement_year": 2022} if lifecycle == L.RETIRED else {}
    application = Application.objects.create(department=dept, name=name, lifecycle=lifecycle, **extra)
    if scores:
        ApplicationAssessment.objects.create(application=application, functional_fit=scores[0],
                                             technical_fit=scores[1], criticality=scores[2])
    return application


@pytest.fixture
def lifecycles(world):
    world.in_use = app(world.kominfo, "Aplikasi Dipakai", scores=(4, 4, 4))
    world.building = app(world.kominfo, "Aplikasi Dibangun", L.DEVELOPMENT)
    world.planned = app(world.dinkes, "Aplikasi Direncanakan", L.PLANNED)
    world.retired = app(world.dinkes, "Aplikasi Dihentikan", L.RETIRED)
    world.retired_assessed = app(world.dinkes, "Aplikasi Dihentikan Dinilai", L.RETIRED, scores=(1, 1, 1))
    return world


def test_portfolio_and_tally_keep_the_live_applications(lifecycles):
    w = lifecycles
    assert set(rules.portfolio(Application.objects.all())) == {w.in_use, w.building}
    counts, left_out = rules.tally(Application.objects.all())
    assert counts == {"invest": 1, "migrate": 0, "tolerate": 0, "eliminate": 0, "none": 1}
    assert left_out == {L.PLANNED: 1, L.RETIRED: 2}
    assert counts == rules.counts(rules.portfolio(Application.objects.all()))  # the two counts agree


def test_the_page_lists_and_counts_only_live_applications(client, lifecycles):
    w = lifecycles
    client.force_login(w.users["assessor"])
    html = client.get(URL).content.decode()
    for shown in (w.in_use, w.building):
        assert f'id="app-{shown.pk}"' in html
    for hidden in (w.planned, w.retired, w.retired_assessed):
        assert f'id="app-{hidden.pk}"' not in html
    counts = re.search(r'data-testid="time-counts">(.*?)</p>', html, re.S).group(1)
    assert "Belum dinilai: 1" in counts and "Eliminate (hentikan): 0" in counts
    left_out = re.search(r'data-testid="time-left-out">(.*?)</p>', html, re.S).group(1)
    assert "Direncanakan 1" in left_out and "Dihentikan 2" in left_out
    assert html.count('class="viz-point') == 1  # the retired one assessed earlier is not drawn
    none = client.get(URL, {"recommendation": "none"}).content.decode()
    assert f'id="app-{w.building.pk}"' in none and f'id="app-{w.planned.pk}"' not in none


def test_the_filter_narrows_the_left_out_count_too(client, lifecycles):
    w = lifecycles
    client.force_login(w.users["admin"])
    html = client.get(URL, {"department": w.kominfo.pk}).content.decode()
    assert 'data-testid="time-left-out"' not in html  # nothing left out in DISKOMINFO
    html = client.get(URL, {"department": w.dinkes.pk}).content.decode()
    assert "Dihentikan 2" in re.search(r'data-testid="time-left-out">(.*?)</p>', html, re.S).group(1)


def test_queries_do_not_grow_with_planned_and_retired_applications(client, lifecycles, count_queries, query_budget):
    client.force_login(lifecycles.users["assessor"])
    few, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200
    for n in range(15):
        app(lifecycles.dinkes, f"Rencana {n}", L.PLANNED)
        app(lifecycles.kominfo, f"Lama {n}", L.RETIRED, scores=(2, 2, 2))
        app(lifecycles.kominfo, f"Dipakai {n}", scores=(3, 3, 3))
    many, response = count_queries(lambda: client.get(URL))
    assert many == few, (few, many)
    assert many <= query_budget["portfolio.rationalisation"]

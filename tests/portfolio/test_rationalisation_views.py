"""The rationalisation page, the assessment form and the TIME panel of an application's page."""

import re

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application
from sia.portfolio.models import ApplicationAssessment

pytestmark = pytest.mark.django_db

URL = "/portofolio/rasionalisasi/"


def app(dept, name, scores=None, **kw):
    application = Application.objects.create(department=dept, name=name, **kw)
    if scores:
        functional, technical, criticality = scores
        ApplicationAssessment.objects.create(application=application, functional_fit=functional,
                                             technical_fit=technical, criticality=criticality)
    return application


def portfolio(world, n):
    """``n`` applications per OPD with scores in every quadrant, one of them not assessed."""
    made = []
    quadrants = [(5, 5, 3), (5, 1, 3), (1, 5, 3), (1, 1, 2), (1, 1, 5), None]
    for dept in (world.kominfo, world.dinkes):
        for i in range(n):
            made.append(app(dept, f"Aplikasi {dept.abbreviation} {i}", quadrants[i % len(quadrants)]))
    return made


def test_page_lists_scores_recommendations_chart_and_rule(client, world):
    apps = portfolio(world, 6)
    client.force_login(world.users["assessor"])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for application in apps:
        assert f'id="app-{application.pk}"' in html
    assert 'data-chart="portofolio-time"' in html and "<circle" in html
    assert html.count('class="viz-point') == 10  # the assessed ones only
    assert 'data-chart-table="portofolio-time"' in html  # the same points as a table
    for label in ("Invest", "Migrate", "Tolerate", "Eliminate"):
        assert f">{label}</text>" in html  # quadrant labels
    assert "kekritisan 4 ke atas" in html  # the rule, on the page
    counts = re.search(r'data-testid="time-counts">(.*?)</p>', html, re.S).group(1)
    assert "Invest (kembangkan): 2" in counts and "Migrate (pindahkan/ganti platform): 4" in counts
    assert "Belum dinilai: 2" in counts


def test_filters_by_opd_and_recommendation(client, world):
    apps = portfolio(world, 6)
    client.force_login(world.users["admin"])
    html = client.get(URL, {"department": world.dinkes.pk, "recommendation": "migrate"}).content.decode()
    shown = {a.name for a in apps if f'id="app-{a.pk}"' in html}
    assert shown == {"Aplikasi DINKES 1", "Aplikasi DINKES 4"}  # low tech; and critical low/low
    html = client.get(URL, {"recommendation": "none"}).content.decode()
    assert {a.name for a in apps if f'id="app-{a.pk}"' in html} == {"Aplikasi DISKOMINFO 5", "Aplikasi DINKES 5"}


def test_an_operator_sees_their_opd_and_validated_applications_only(client, world):
    own = app(world.kominfo, "Aplikasi Sendiri", (4, 4, 4))
    other_draft = app(world.dinkes, "Draf OPD Lain", (4, 4, 4))
    other_validated = app(world.dinkes, "Tervalidasi OPD Lain", (2, 2, 2))
    Application.objects.filter(pk=other_validated.pk).update(status=ReviewStatus.VALIDATED)
    client.force_login(world.users["operator"])
    html = client.get(URL).content.decode()
    assert f'id="app-{own.pk}"' in html and f'id="app-{other_validated.pk}"' in html
    assert f'id="app-{other_draft.pk}"' not in html and "Draf OPD Lain" not in html
    assert "penilaian/" not in html  # operators do not assess


def test_query_count_does_not_grow_with_applications(client, world, count_queries, query_budget):
    client.force_login(world.users["assessor"])
    portfolio(world, 3)
    small, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200
    portfolio(world, 30)
    large, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200
    assert large == small, (small, large)
    assert large <= query_budget["portfolio.rationalisation"]


@pytest.mark.parametrize("role,status", [
    ("assessor", 200), ("admin", 200), ("verifier", 403), ("leader", 403), ("operator", 403), ("other_admin", 404),
])
def test_who_may_open_the_assessment_form(client, world, role, status):
    application = app(world.kominfo, "Aplikasi Dinilai")
    client.force_login(world.users[role])
    response = client.get(reverse("portfolio:assessment", args=[application.pk]))
    assert response.status_code == status
    if status == 200:
        assert 'name="functional_fit" value=""' not in response.content.decode()  # five levels, no empty one


def test_assessor_scores_an_application_and_sees_the_recommendation(client, world):
    application = app(world.kominfo, "SIMPEG Lama")
    client.force_login(world.users["assessor"])
    url = reverse("portfolio:assessment", args=[application.pk])
    response = client.post(url, {"functional_fit": 2, "technical_fit": 1, "criticality": 5, "note": "Kritis."})
    assert response.status_code == 302
    assessment = ApplicationAssessment.objects.get(application=application)
    assert (assessment.functional_fit, assessment.technical_fit, assessment.criticality) == (2, 1, 5)
    assert assessment.assessed_by == world.users["assessor"]
    assert assessment.history.first().history_user == world.users["assessor"]
    # changing it keeps one assessment
    client.post(url, {"functional_fit": 4, "technical_fit": 4, "criticality": 5})
    assert ApplicationAssessment.objects.get(application=application).functional_fit == 4
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-testid="time-recommendation">Invest' in page and "Ubah penilaian" in page


def test_a_score_out_of_range_is_refused(client, world):
    application = app(world.kominfo, "Aplikasi Uji")
    client.force_login(world.users["admin"])
    response = client.post(reverse("portfolio:assessment", args=[application.pk]),
                           {"functional_fit": 6, "technical_fit": 0, "criticality": 3})
    assert response.status_code == 400
    assert not ApplicationAssessment.objects.exists()


def test_refused_post_writes_nothing(client, world):
    application = app(world.kominfo, "Aplikasi Uji")
    client.force_login(world.users["verifier"])
    response = client.post(reverse("portfolio:assessment", args=[application.pk]),
                           {"functional_fit": 3, "technical_fit": 3, "criticality": 3})
    assert response.status_code == 403
    assert not ApplicationAssessment.objects.exists()


def test_application_page_shows_no_time_panel_to_those_who_neither_see_nor_give_scores(client, world):
    application = app(world.kominfo, "Aplikasi Tanpa Nilai")
    client.force_login(world.users["operator"])
    assert 'id="rasionalisasi"' not in client.get(application.get_absolute_url()).content.decode()
    client.force_login(world.users["assessor"])
    assert "Nilai aplikasi ini" in client.get(application.get_absolute_url()).content.decode()


def test_a_large_portfolio_is_drawn_one_mark_per_score_pair(client, world, monkeypatch, count_queries):
    from sia.portfolio import views_rationalisation

    portfolio(world, 12)  # 20 assessed applications on 5 score pairs
    client.force_login(world.users["admin"])
    monkeypatch.setattr(views_rationalisation, "MAX_POINTS", 10)
    few, response = count_queries(lambda: client.get(URL))
    html = response.content.decode()
    assert html.count('class="viz-point') == 4  # (5,5), (5,1), (1,5), (1,1): low/low critical or not share a mark
    assert "Satu tanda per pasangan nilai" in html
    table = re.search(r'data-chart-table="portofolio-time">(.*?)</table>', html, re.S).group(1)
    assert '<th scope="row">Fungsional 1, teknis 1</th><td>8</td><td>4</td>' in table
    portfolio(world, 24)
    many, _ = count_queries(lambda: client.get(URL))
    assert many == few

"""``/api/portfolio/assessments/``: the API contract, the read-only recommendation, filters and query count."""

import itertools

import pytest

from sia.architecture.models import Application
from sia.portfolio.models import ApplicationAssessment

from ..api_contract import ApiContract

pytestmark = pytest.mark.django_db

URL = "/api/portfolio/assessments/"
_names = itertools.count(1)


def new_app(w, dept=None):
    return Application.objects.create(department=dept or w.kominfo, name=f"Aplikasi API {next(_names)}")


class TestAssessmentApi(ApiContract):
    url = URL
    model = ApplicationAssessment
    writer = "assessor"
    read_only = ("leader", "verifier", "operator")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "verifier", "operator", "other_admin")

    def make_object(self, w):
        return ApplicationAssessment.objects.create(application=new_app(w), functional_fit=4, technical_fit=2,
                                                    criticality=3)

    def create_data(self, w):
        return {"application": new_app(w).code, "functional_fit": 5, "technical_fit": 5, "criticality": 2}

    def update_data(self, w):
        return {"technical_fit": 1}


def test_recommendation_is_computed_and_read_only(world, api):
    client = api(world.users["admin"])
    created = client.post(URL, {"application": new_app(world).pk, "functional_fit": 1, "technical_fit": 1,
                                "criticality": 5, "recommendation": "invest"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["recommendation"] == "migrate" and "kritis" in body["recommendation_reason"]
    assert body["assessed_by"] == world.users["admin"].username
    changed = client.patch(body["url"], {"functional_fit": 5, "technical_fit": 5}, format="json")
    assert changed.json()["recommendation"] == "invest"


def test_one_assessment_per_application_and_scores_in_range(world, api):
    client = api(world.users["assessor"])
    app = new_app(world)
    assert client.post(URL, {"application": app.pk, "functional_fit": 3, "technical_fit": 3, "criticality": 3},
                       format="json").status_code == 201
    again = client.post(URL, {"application": app.pk, "functional_fit": 3, "technical_fit": 3, "criticality": 3},
                        format="json")
    assert again.status_code == 400
    bad = client.post(URL, {"application": new_app(world).pk, "functional_fit": 6, "technical_fit": 0,
                            "criticality": 3}, format="json")
    assert bad.status_code == 400 and {"functional_fit", "technical_fit"} <= set(bad.json())


def test_filter_by_recommendation_and_constant_queries(world, api, count_queries, query_budget):
    client = api(world.users["assessor"])
    for i in range(3):
        ApplicationAssessment.objects.create(application=new_app(world), functional_fit=1, technical_fit=5,
                                             criticality=3)
    ApplicationAssessment.objects.create(application=new_app(world), functional_fit=5, technical_fit=5, criticality=3)
    rows = client.get(URL, {"recommendation": "tolerate"}).json()["results"]
    assert len(rows) == 3 and {r["recommendation"] for r in rows} == {"tolerate"}
    small, _ = count_queries(lambda: client.get(URL))
    for i in range(20):
        ApplicationAssessment.objects.create(application=new_app(world, world.dinkes), functional_fit=2,
                                             technical_fit=2, criticality=2)
    large, response = count_queries(lambda: client.get(URL))
    assert response.status_code == 200 and large == small
    assert large <= query_budget["portfolio.api.assessments"]

"""``/api/portfolio/clearances/``: the API contract, the shared rule and the operator's refusal."""

import itertools

import pytest

from sia.architecture import workflow
from sia.architecture.choices import ArchitectureState
from sia.architecture.models import Application
from sia.portfolio.models import Clearance

from ..api_contract import ApiContract

pytestmark = pytest.mark.django_db

URL = "/api/portfolio/clearances/"
_names = itertools.count(1)


def proposed(w, dept=None, state=ArchitectureState.TO_BE_NEW):
    return Application.objects.create(department=dept or w.kominfo, name=f"Usulan API {next(_names)}", state=state)


class TestClearanceApi(ApiContract):
    url = URL
    model = Clearance
    writer = "verifier"
    read_only = ("leader", "assessor", "operator")
    hidden_from = ("other_admin", "operator_dinkes")
    create_denied = ("leader", "assessor", "operator", "other_admin")

    def make_object(self, w):
        return Clearance.objects.create(application=proposed(w), decision="lanjut", reason="Belum ada yang serupa.")

    def create_data(self, w):
        return {"application": proposed(w).code, "decision": "ditolak", "reason": "Pakai layanan pusat."}

    def update_data(self, w):
        return {"reason": "Alasan diperjelas."}


def test_the_api_records_like_the_web(world, api):
    client = api(world.users["verifier"])
    app, existing = proposed(world), proposed(world, world.dinkes, ArchitectureState.AS_IS)
    created = client.post(URL, {"application": app.pk, "decision": "pakai-yang-ada", "reused_application": existing.code,
                                "reason": "Sudah ada di Dinkes."}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["decided_by"] == world.users["verifier"].username
    assert "Kliring: Pakai aplikasi yang sudah ada" in list(workflow.conversation(app))[-1].comment


@pytest.mark.parametrize("body,field", [
    ({"decision": "pakai-yang-ada", "reason": "Ada."}, "reused_application"),
    ({"decision": "lanjut", "reason": ""}, "reason"),
])
def test_the_shared_rule_answers_400(world, api, body, field):
    response = api(world.users["verifier"]).post(URL, {"application": proposed(world).pk, **body}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Clearance.objects.exists()


def test_an_existing_application_is_not_cleared(world, api):
    app = proposed(world, state=ArchitectureState.AS_IS)
    response = api(world.users["verifier"]).post(URL, {"application": app.pk, "decision": "lanjut",
                                                       "reason": "Boleh."}, format="json")
    assert response.status_code == 400 and "application" in response.json()


def test_the_operator_of_the_proposal_reads_but_cannot_record(world, api):
    app = proposed(world)
    client = api(world.users["operator"])
    response = client.post(URL, {"application": app.pk, "decision": "lanjut", "reason": "Saya setujui."}, format="json")
    assert response.status_code == 403 and not Clearance.objects.exists()
    Clearance.objects.create(application=app, decision="lanjut", reason="Lanjut.")
    assert [row["application"]["id"] for row in client.get(URL).json()["results"]] == [app.pk]

"""What a new application may be told to use instead: an existing application still in use, never a retired one
nor another to-be new proposal. One rule (``clearance.problems``) for the model, the form and the API; the form
offers only the applications it allows (``clearance.reuse_targets``)."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sia.architecture.choices import ApplicationLifecycle, ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.architecture.values import seed_value_lists
from sia.portfolio import clearance as rules
from sia.portfolio.forms import ClearanceForm
from sia.portfolio.models import Clearance, ClearanceDecision

pytestmark = pytest.mark.django_db

RETIRED_MESSAGE = "Aplikasi ini sudah dihentikan; pilih aplikasi yang masih dipakai."
PROPOSAL_MESSAGE = "Aplikasi ini juga usulan aplikasi baru; pilih aplikasi yang sudah ada."


@pytest.fixture
def targets(world):
    seed_value_lists(world.inst)
    make = Application.objects.create
    world.proposed = make(department=world.kominfo, name="Aplikasi Surat Diskominfo", state=ArchitectureState.TO_BE_NEW)
    world.in_use = make(department=world.dinkes, name="Aplikasi Surat Dinkes", status=ReviewStatus.VALIDATED)
    world.building = make(department=world.dinkes, name="Aplikasi Surat Baru",
                          lifecycle=ApplicationLifecycle.DEVELOPMENT, state=ArchitectureState.TO_BE_UPGRADE)
    world.retired = make(department=world.dinkes, name="e-Surat Lama", lifecycle=ApplicationLifecycle.RETIRED,
                         retirement_year=2023)
    world.other_proposal = make(department=world.dinkes, name="Usulan Surat Dinkes", state=ArchitectureState.TO_BE_NEW)
    return world


def reuse(w, target):
    return Clearance(application=w.proposed, decision=ClearanceDecision.REUSE, reused_application=target,
                     reason="Pakai yang sudah ada.")


def test_problems_refuse_a_retired_application_and_another_proposal(targets):
    assert rules.problems(reuse(targets, targets.retired)) == {"reused_application": RETIRED_MESSAGE}
    assert rules.problems(reuse(targets, targets.other_proposal)) == {"reused_application": PROPOSAL_MESSAGE}
    assert rules.problems(reuse(targets, targets.in_use)) == {}
    assert rules.problems(reuse(targets, targets.building)) == {}  # an existing one being upgraded is fine


def test_record_writes_nothing_for_a_refused_target(targets):
    with pytest.raises(ValidationError) as error:
        rules.record(targets.proposed, targets.users["verifier"], decision=ClearanceDecision.REUSE,
                     reason="Pakai e-Surat.", reused_application=targets.retired)
    assert RETIRED_MESSAGE in str(error.value)
    assert not Clearance.objects.exists()


def test_the_form_offers_only_applications_that_can_be_used(targets):
    form = ClearanceForm(application=targets.proposed, user=targets.users["verifier"])
    offered = set(form.fields["reused_application"].queryset)
    assert offered == {targets.in_use, targets.building}


def test_the_short_list_of_a_large_instansi_leaves_them_out_too(targets, monkeypatch):
    """Past ``MAX_CHOICES`` the form offers the similar ones and the one chosen before: still never these."""
    monkeypatch.setattr(ClearanceForm, "MAX_CHOICES", 1)
    matches = [SimpleNamespace(application=app) for app in (targets.in_use, targets.retired, targets.other_proposal)]
    form = ClearanceForm(application=targets.proposed, matches=matches, user=targets.users["verifier"])
    assert list(form.fields["reused_application"].queryset) == [targets.in_use]


def test_the_page_form_refuses_a_retired_application(client, targets):
    client.force_login(targets.users["verifier"])
    response = client.post(reverse("portfolio:clearance", args=[targets.proposed.pk]), {
        "decision": ClearanceDecision.REUSE, "reused_application": targets.retired.pk, "reason": "Pakai e-Surat.",
    })
    assert response.status_code == 400
    assert not Clearance.objects.exists()


def test_the_api_refuses_a_retired_application_or_another_proposal(api, targets):
    client = api(targets.users["verifier"])
    for target, message in ((targets.retired, RETIRED_MESSAGE), (targets.other_proposal, PROPOSAL_MESSAGE)):
        response = client.post("/api/portfolio/clearances/", {
            "application": targets.proposed.code, "decision": ClearanceDecision.REUSE,
            "reused_application": target.code, "reason": "Pakai yang itu.",
        }, format="json")
        assert response.status_code == 400, response.content
        assert message in str(response.json())
    assert not Clearance.objects.exists()

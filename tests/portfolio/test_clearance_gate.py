"""The clearance rules the review of a to-be new application (``sia.portfolio.clearance.review_gate``, through
``sia.core.review_gates``): none recorded, no verification; "ditolak" or "pakai-yang-ada", neither verification
nor validation. Through the workflow functions, the page action, the API action and bulk application."""

import pytest
from django.urls import reverse

from sia.architecture import workflow
from sia.architecture.choices import ArchitectureState, ReviewStatus, ValueListKind
from sia.architecture.models import Application, ValueListItem
from sia.architecture.values import seed_value_lists
from sia.portfolio import clearance as rules
from sia.portfolio.models import ClearanceDecision

pytestmark = pytest.mark.django_db

A = workflow.A
PENDING = "Catat keputusan kliring sebelum memverifikasi aplikasi baru."


@pytest.fixture
def proposal(world):
    """A to-be new staff application of DISKOMINFO, submitted; DINKES already runs one."""
    seed_value_lists(world.inst)
    world.existing = Application.objects.create(
        department=world.dinkes, name="Sistem Informasi Kepegawaian", function="Data pegawai, cuti dan pangkat",
        status=ReviewStatus.VALIDATED,
    )
    world.proposed = Application.objects.create(
        department=world.kominfo, name="Sistem Informasi Kepegawaian Diskominfo", function="Data pegawai dan cuti",
        state=ArchitectureState.TO_BE_NEW, status=ReviewStatus.SUBMITTED,
    )
    return world


def decide(w, decision, **kw):
    reason = {ClearanceDecision.CLEARED: "Belum ada yang serupa.", ClearanceDecision.REJECTED: "Tidak dianggarkan.",
              ClearanceDecision.REUSE: "Pakai yang sudah ada."}[decision]
    return rules.record(w.proposed, w.users["verifier"], decision=decision, reason=reason, **kw)


def status(application):
    application.refresh_from_db()
    return application.status


def test_no_clearance_no_verification(proposal):
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(proposal.proposed, A.VERIFY, proposal.users["verifier"])
    assert error.value.messages == [PENDING]
    assert status(proposal.proposed) == ReviewStatus.SUBMITTED
    # the verifikator may still return it
    workflow.apply(proposal.proposed, A.RETURN, proposal.users["verifier"], "Tunggu kliring.")
    assert status(proposal.proposed) == ReviewStatus.RETURNED


def test_cleared_goes_through_verification_and_validation(proposal):
    decide(proposal, ClearanceDecision.CLEARED)
    workflow.apply(proposal.proposed, A.VERIFY, proposal.users["verifier"])
    workflow.apply(proposal.proposed, A.VALIDATE, proposal.users["admin"])
    assert status(proposal.proposed) == ReviewStatus.VALIDATED


def test_rejected_blocks_verification_and_validation(proposal):
    decide(proposal, ClearanceDecision.REJECTED)
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(proposal.proposed, A.VERIFY, proposal.users["verifier"])
    assert "Kliring menolak aplikasi baru ini" in error.value.messages[0]
    # verified before the decision changed to "ditolak": validation is refused too
    Application.objects.filter(pk=proposal.proposed.pk).update(status=ReviewStatus.VERIFIED)
    proposal.proposed.refresh_from_db()
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(proposal.proposed, A.VALIDATE, proposal.users["admin"])
    assert "Kliring menolak aplikasi baru ini" in error.value.messages[0]
    assert status(proposal.proposed) == ReviewStatus.VERIFIED
    workflow.apply(proposal.proposed, A.RETURN, proposal.users["verifier"], "Ditolak kliring.")  # returning is free
    assert status(proposal.proposed) == ReviewStatus.RETURNED


def test_reuse_blocks_and_names_the_application_to_use(proposal):
    decide(proposal, ClearanceDecision.REUSE, reused_application=proposal.existing)
    for action, user, before in ((A.VERIFY, "verifier", ReviewStatus.SUBMITTED),
                                 (A.VALIDATE, "admin", ReviewStatus.VERIFIED)):
        Application.objects.filter(pk=proposal.proposed.pk).update(status=before)
        proposal.proposed.refresh_from_db()
        with pytest.raises(workflow.TransitionError) as error:
            workflow.apply(proposal.proposed, action, proposal.users[user])
        assert f"memakai “{proposal.existing}”" in error.value.messages[0]
        assert status(proposal.proposed) == before


def test_reuse_of_a_national_application_names_it(proposal):
    national = ValueListItem.objects.filter(institution=proposal.inst, kind=ValueListKind.NATIONAL_APP).first()
    decide(proposal, ClearanceDecision.REUSE, reused_national=national)
    problems = rules.review_gate(proposal.proposed, A.VERIFY, proposal.users["verifier"])
    assert len(problems) == 1 and f"“{national}”" in problems[0]


def test_changing_the_decision_to_cleared_lets_it_through(proposal):
    decide(proposal, ClearanceDecision.REJECTED)
    decide(proposal, ClearanceDecision.CLEARED)
    workflow.apply(proposal.proposed, A.VERIFY, proposal.users["verifier"])
    assert status(proposal.proposed) == ReviewStatus.VERIFIED


def test_validation_of_a_new_application_verified_without_clearance_is_refused(proposal):
    Application.objects.filter(pk=proposal.proposed.pk).update(status=ReviewStatus.VERIFIED)
    proposal.proposed.refresh_from_db()
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(proposal.proposed, A.VALIDATE, proposal.users["admin"])
    assert error.value.messages == ["Catat keputusan kliring sebelum memvalidasi aplikasi baru."]


@pytest.mark.parametrize("state", [ArchitectureState.AS_IS, ArchitectureState.TO_BE_UPGRADE])
def test_applications_that_are_not_new_need_no_clearance(proposal, state):
    Application.objects.filter(pk=proposal.proposed.pk).update(state=state)
    proposal.proposed.refresh_from_db()
    workflow.apply(proposal.proposed, A.VERIFY, proposal.users["verifier"])
    workflow.apply(proposal.proposed, A.VALIDATE, proposal.users["admin"])
    assert status(proposal.proposed) == ReviewStatus.VALIDATED


def test_the_page_action_refuses_and_says_why(client, proposal):
    client.force_login(proposal.users["verifier"])
    url = reverse("architecture:application_action", args=[proposal.proposed.pk])
    html = client.post(url, {"action": A.VERIFY}, follow=True).content.decode()
    assert PENDING in html
    assert status(proposal.proposed) == ReviewStatus.SUBMITTED
    assert 'data-testid="clearance-pending"' in html and "diverifikasi setelah kliring dicatat" in html
    decide(proposal, ClearanceDecision.REUSE, reused_application=proposal.existing)
    html = client.post(url, {"action": A.VERIFY}, follow=True).content.decode()
    assert "Kliring memutuskan memakai" in html and 'data-testid="clearance-blocks-review"' in html
    assert status(proposal.proposed) == ReviewStatus.SUBMITTED
    decide(proposal, ClearanceDecision.CLEARED)
    client.post(url, {"action": A.VERIFY})
    assert status(proposal.proposed) == ReviewStatus.VERIFIED


def test_the_api_action_refuses_with_400_and_the_message(api, proposal):
    client = api(proposal.users["verifier"])
    url = f"/api/architecture/applications/{proposal.proposed.pk}/verify/"
    response = client.post(url, {}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == [PENDING]
    decide(proposal, ClearanceDecision.REJECTED)
    response = client.post(url, {}, format="json")
    assert response.status_code == 400 and "Kliring menolak" in response.json()["detail"][0]
    decide(proposal, ClearanceDecision.CLEARED)
    response = client.post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == ReviewStatus.VERIFIED


def test_bulk_application_reports_each_refused_new_application(proposal):
    other = Application.objects.create(department=proposal.kominfo, name="Aplikasi Biasa",
                                       status=ReviewStatus.SUBMITTED)
    done, failed = workflow.bulk_apply([proposal.proposed, other], A.VERIFY, proposal.users["verifier"])
    assert done == [other] and failed == [(proposal.proposed, PENDING)]

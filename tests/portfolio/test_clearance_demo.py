"""On the demo data: the retired "e-Surat Pemprov Malut" is neither a duplicate candidate nor offered to a new mail
application, and the clearances rule the review of the two new applications waiting for it."""

import pytest

from sia.architecture import workflow
from sia.architecture.choices import ApplicationLifecycle, ArchitectureState, ReviewStatus
from sia.portfolio import clearance
from sia.portfolio.duplicates import duplicate_candidates
from sia.portfolio.forms import ClearanceForm
from sia.portfolio.models import ClearanceDecision

from .test_demo import demo, user  # noqa: F401 (the module's demo fixture)

pytestmark = pytest.mark.django_db

A = workflow.A


def test_the_retired_mail_system_is_no_candidate_and_not_offered(demo):  # noqa: F811
    esurat = demo.get(name="e-Surat Pemprov Malut")
    assert esurat.lifecycle == ApplicationLifecycle.RETIRED
    candidates = duplicate_candidates(esurat.institution_id)
    assert esurat.pk not in {c.first_id for c in candidates} | {c.second_id for c in candidates}
    mail = demo.get(name="Aplikasi Surat Menyurat DLH")  # the new mail application cleared in the demo
    verifier = user("verifikator")
    similar = clearance.similar(mail, verifier)
    assert similar and esurat not in {m.application for m in similar}
    offered = ClearanceForm(application=mail, matches=similar, user=verifier).fields["reused_application"].queryset
    assert esurat not in offered
    assert not offered.filter(state=ArchitectureState.TO_BE_NEW).exists()


def test_the_waiting_staff_system_is_verified_only_after_its_clearance(demo):  # noqa: F811
    waiting = demo.get(state=ArchitectureState.TO_BE_NEW, status=ReviewStatus.SUBMITTED, clearance__isnull=True)
    verifier = user("verifikator")
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(waiting, A.VERIFY, verifier)
    assert error.value.messages == ["Catat keputusan kliring sebelum memverifikasi aplikasi baru."]
    clearance.record(waiting, verifier, decision=ClearanceDecision.CLEARED,
                     reason="Kebutuhan khusus Dishub belum dilayani SIMPEG BKD.")
    workflow.apply(waiting, A.VERIFY, verifier)
    assert waiting.status == ReviewStatus.VERIFIED


def test_the_mail_application_told_to_use_srikandi_is_not_verified(demo):  # noqa: F811
    mail = demo.get(name="Aplikasi Surat Menyurat DLH")
    assert mail.status == ReviewStatus.RETURNED
    workflow.apply(mail, A.SUBMIT, user(f"operator.{mail.department.abbreviation.lower()}"))
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(mail, A.VERIFY, user("verifikator"))
    assert "SRIKANDI" in error.value.messages[0]

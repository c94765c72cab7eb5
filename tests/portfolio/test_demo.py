"""The demo portfolio decisions (``sia.portfolio.demo``): scores spread over the four TIME recommendations,
one pair marked "not a duplicate", one clearance recorded, and one new application waiting for its clearance."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.test.utils import override_settings

from sia.architecture import workflow
from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.portfolio import clearance
from sia.portfolio.duplicates import duplicate_candidates
from sia.portfolio.models import ApplicationAssessment, Clearance, ClearanceDecision, DuplicateDismissal
from sia.portfolio.rationalisation import Recommendation, recommend

from .. import demo as demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """``sia demo`` once for the module, inside a transaction rolled back at its end."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))), django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            demo_data.build()
            yield Application.objects.filter(institution__code="82")
        finally:
            for alias, atomic in zip(connections, atomics):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def user(username):
    return get_user_model().objects.get(username=username)


def match_name(match) -> str:
    return (match.application or match.national).name


def test_most_applications_are_assessed_with_every_time_recommendation(demo):
    assessments = list(ApplicationAssessment.objects.select_related("application"))
    assert len(assessments) >= 0.8 * demo.count()
    for assessment in assessments:
        assessment.full_clean()
        assert assessment.application.state != ArchitectureState.TO_BE_NEW  # nothing to score before it exists
    spread = Counter(recommend(a.functional_fit, a.technical_fit, a.criticality) for a in assessments)
    assert set(spread) == set(Recommendation.values)
    assert min(spread.values()) >= 5, spread
    assert {a.assessed_by.username for a in assessments} == {"asesor"}
    # The duplicates of shared and national applications are the ones to eliminate.
    eliminated = {a.application.name for a in assessments
                  if recommend(a.functional_fit, a.technical_fit, a.criticality) == Recommendation.ELIMINATE}
    assert {"SIMPEG Dinkes", "Tata Naskah Dinas Elektronik (TNDE)", "Lapor Dikbud (Pengaduan Pendidikan)"} <= eliminated


def test_the_dismissed_pair_looks_alike_and_stays_out_of_the_candidates(demo):
    dismissal = DuplicateDismissal.objects.select_related("first", "second").get()
    dismissal.full_clean()
    assert dismissal.first.department_id != dismissal.second.department_id and dismissal.reason
    assert dismissal.decided_by.username == "verifikator"
    institution_id = dismissal.institution_id
    pair = (dismissal.first_id, dismissal.second_id)
    candidates = duplicate_candidates(institution_id)
    assert pair not in {(c.first_id, c.second_id) for c in candidates}
    assert len({c.group for c in candidates}) >= 3  # staff, mail, finance, complaint systems, websites ...
    DuplicateDismissal.objects.filter(pk=dismissal.pk).delete()
    assert pair in {(c.first_id, c.second_id) for c in duplicate_candidates(institution_id)}, "it must look alike"


def test_a_clearance_is_recorded_on_a_new_application(demo):
    decision = Clearance.objects.select_related("application", "reused_national").get()
    decision.full_clean()
    app = decision.application
    assert app.state == ArchitectureState.TO_BE_NEW and app.status == ReviewStatus.RETURNED
    assert decision.decision == ClearanceDecision.REUSE and decision.reused_national.name.startswith("SRIKANDI")
    assert decision.decided_by.username == "verifikator"
    # The clearance note reads in the conversation just before the verifikator returned the application.
    actions = [event.action for event in workflow.conversation(app)]
    assert actions[-2:] == [workflow.A.COMMENT, workflow.A.RETURN]
    # What the verifikator saw: the mail systems that already exist, SRIKANDI among them.
    assert any("SRIKANDI" in match_name(m) for m in clearance.similar(app, user("verifikator")))


def test_a_new_application_waits_for_the_verifikators_clearance(demo):
    waiting = demo.filter(state=ArchitectureState.TO_BE_NEW, status=ReviewStatus.SUBMITTED, clearance__isnull=True)
    assert waiting.count() == 1
    app = waiting.get()
    verifier = user("verifikator")
    assert clearance.may_record(verifier, app)
    assert not clearance.may_record(user(f"operator.{app.department.abbreviation.lower()}"), app)
    # It overlaps applications that already exist: the staff system of the BKD and the national SIASN.
    similar = clearance.similar(app, verifier)
    assert "Sistem Informasi Kepegawaian (SIMPEG) BKD" in {m.application.name for m in similar if m.application}
    assert any("SIASN" in match_name(m) for m in similar)

"""Clearance of a new application (sia.portfolio.clearance): the rule, who records it, what it leaves behind,
and the similar existing applications it is decided against."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sia.architecture import workflow
from sia.architecture.choices import ArchitectureState, ReviewStatus, ValueListKind
from sia.architecture.models import Application, ValueListItem
from sia.architecture.values import seed_value_lists
from sia.portfolio import clearance as rules
from sia.portfolio.models import Clearance, ClearanceDecision

from .. import factories as f

pytestmark = pytest.mark.django_db

NEW = ArchitectureState.TO_BE_NEW


@pytest.fixture
def proposal(world):
    """A to-be new staff application proposed by DISKOMINFO while DINKES already runs one (validated)."""
    seed_value_lists(world.inst)
    world.existing = Application.objects.create(
        department=world.dinkes, name="Sistem Informasi Kepegawaian", function="Data pegawai, cuti dan pangkat",
        status=ReviewStatus.VALIDATED,
    )
    world.proposed = Application.objects.create(
        department=world.kominfo, name="Sistem Informasi Kepegawaian Diskominfo", function="Data pegawai dan cuti",
        state=NEW,
    )
    world.national = ValueListItem.objects.filter(institution=world.inst, kind=ValueListKind.NATIONAL_APP).first()
    return world


def build(w, **kw):
    data = {"application": w.proposed, "decision": ClearanceDecision.CLEARED, "reason": "Belum ada yang serupa."}
    data.update(kw)
    return Clearance(**data)


def test_a_valid_clearance_has_no_problems(proposal):
    assert rules.problems(build(proposal)) == {}
    assert rules.problems(build(proposal, decision=ClearanceDecision.REUSE, reused_application=proposal.existing)) == {}
    assert rules.problems(build(proposal, decision=ClearanceDecision.REUSE, reused_national=proposal.national)) == {}


@pytest.mark.parametrize("change,field", [
    ({"reason": "  "}, "reason"),
    ({"decision": ClearanceDecision.REUSE}, "reused_application"),  # reuse of what?
    ({"decision": ClearanceDecision.REJECTED, "reused_application": "existing"}, "reused_application"),
    ({"decision": ClearanceDecision.REUSE, "reused_application": "existing", "reused_national": "national"},
     "reused_national"),
    ({"decision": ClearanceDecision.REUSE, "reused_application": "proposed"}, "reused_application"),
])
def test_problems_by_field(proposal, change, field):
    change = {k: getattr(proposal, v) if v in ("existing", "national", "proposed") else v for k, v in change.items()}
    assert field in rules.problems(build(proposal, **change))


def test_only_a_to_be_new_application_is_cleared(proposal):
    assert "application" in rules.problems(build(proposal, application=proposal.existing))
    with pytest.raises(PermissionDenied):
        rules.record(proposal.existing, proposal.users["verifier"], decision=ClearanceDecision.CLEARED, reason="x")


def test_another_instansi_application_or_national_item_is_refused(proposal):
    other = f.department(proposal.other, abbreviation="LAIN")
    foreign = Application.objects.create(department=other, name="Aplikasi Instansi Lain")
    seed_value_lists(proposal.other)
    foreign_item = ValueListItem.objects.filter(institution=proposal.other, kind=ValueListKind.NATIONAL_APP).first()
    problems = rules.problems(build(proposal, decision=ClearanceDecision.REUSE, reused_application=foreign))
    assert problems["reused_application"] == "Aplikasi ini milik instansi lain."
    problems = rules.problems(build(proposal, decision=ClearanceDecision.REUSE, reused_national=foreign_item))
    assert "reused_national" in problems


def test_model_clean_applies_the_same_rule(proposal):
    with pytest.raises(ValidationError) as error:
        build(proposal, reason="").full_clean()
    assert "reason" in error.value.message_dict


def test_verifikator_records_with_who_when_and_a_line_in_the_review_conversation(proposal):
    verifier = proposal.users["verifier"]
    saved = rules.record(proposal.proposed, verifier, decision=ClearanceDecision.REUSE,
                         reused_application=proposal.existing, reason="Pakai SIMPEG Dinkes; tambahkan modul.")
    assert (saved.decided_by, saved.decision, saved.reused_application) == (verifier, "pakai-yang-ada", proposal.existing)
    assert saved.history.first().history_user == verifier
    turn = list(workflow.conversation(proposal.proposed))[-1]
    assert turn.user == verifier and "Kliring: Pakai aplikasi yang sudah ada" in turn.comment
    assert "Pakai SIMPEG Dinkes" in turn.comment and proposal.existing.code in turn.comment
    # changing the decision keeps one clearance, its history holds both
    rules.record(proposal.proposed, proposal.users["admin"], decision=ClearanceDecision.CLEARED, reason="Modul beda.")
    assert Clearance.objects.filter(application=proposal.proposed).count() == 1
    clearance = Clearance.objects.get(application=proposal.proposed)
    assert clearance.decided_by == proposal.users["admin"] and clearance.reused_application is None
    assert clearance.history.count() == 2


@pytest.mark.parametrize("role", ["operator", "assessor", "leader", "other_admin"])
def test_others_cannot_record(proposal, role):
    with pytest.raises(PermissionDenied):
        rules.record(proposal.proposed, proposal.users[role], decision=ClearanceDecision.CLEARED, reason="Saya setuju.")
    assert not Clearance.objects.exists()


def test_an_invalid_decision_writes_nothing(proposal):
    with pytest.raises(ValidationError):
        rules.record(proposal.proposed, proposal.users["verifier"], decision=ClearanceDecision.REUSE, reason="Pakai.")
    assert not Clearance.objects.exists()
    assert not [e for e in workflow.conversation(proposal.proposed) if "Kliring" in e.comment]


def test_similar_lists_the_existing_one_with_reasons_and_follows_what_is_typed(proposal):
    matches = rules.similar(proposal.proposed, proposal.users["verifier"])
    assert matches and matches[0].application == proposal.existing and matches[0].reasons
    assert all(m.application != proposal.proposed for m in matches)
    typed = rules.similar(proposal.proposed, proposal.users["verifier"], name="Portal Pariwisata", function="Wisata")
    assert proposal.existing not in [m.application for m in typed]
    assert rules.similar(Application(institution_id=proposal.inst.pk), proposal.users["verifier"], name=" ") == []


def test_similar_shows_an_operator_only_what_they_may_see(proposal):
    draft = Application.objects.create(department=proposal.dinkes, name="Sistem Informasi Kepegawaian Puskesmas",
                                       function="Data pegawai dan cuti")
    seen = {m.application for m in rules.similar(proposal.proposed, proposal.users["operator"]) if m.application}
    assert proposal.existing in seen and draft not in seen
    seen = {m.application for m in rules.similar(proposal.proposed, proposal.users["verifier"]) if m.application}
    assert draft in seen

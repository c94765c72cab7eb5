"""Domain rules of the keamanan kinds (issue 12): validity periods, maturity values, audits and their
follow-up, the RAK's instansi nodes, and what a measure protects (across OPDs, never another instansi)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sia.architecture import completeness
from sia.architecture.choices import AuditType, FollowUpStatus
from sia.architecture.kindgroups import group_of
from sia.architecture.models import (
    SECURITY, Application, DataItem, IncidentHandling, SecurityAudit, SecurityAwareness, SecurityFeasibility,
    SecurityImprovement, SecurityStandard, Server, VulnerabilityAssessment,
)
from sia.architecture.registry import domain_models
from tests.kinds import Builder, institution_node

pytestmark = pytest.mark.django_db

def today() -> datetime.date:
    """The instansi's date when the test runs, as the app reads it: a date taken at import went stale in a run that
    crossed midnight in Jakarta (17:00 UTC) between collecting the tests and running them."""
    return timezone.localdate()


def refused(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def test_the_group_holds_seven_kinds_on_the_rak_from_its_top():
    kinds = [model for model in domain_models() if group_of(model) == SECURITY]
    assert set(kinds) == {SecurityStandard, SecurityAwareness, VulnerabilityAssessment, SecurityImprovement,
                          IncidentHandling, SecurityAudit, SecurityFeasibility}
    assert {(model.spec.catalog, model.spec.reference_levels) for model in kinds} == {("RAK", (1, None))}


def test_an_instansi_node_at_the_top_of_the_rak_is_accepted_and_another_instansi_s_is_not(kinds, world):
    own = institution_node("RAK", 1, world.inst)
    standard = SecurityStandard(department=world.kominfo, name="Kebijakan keamanan", reference=own)
    standard.full_clean()
    foreign = institution_node("RAK", 1, world.other, variant=1)
    standard.reference = foreign
    assert refused(standard)["reference"] == ["Simpul referensi ini milik instansi lain."]


def test_a_standard_cannot_end_before_it_starts(kinds, world):
    standard = SecurityStandard(department=world.kominfo, name="SOP", valid_from=datetime.date(2025, 6, 1),
                                valid_until=datetime.date(2025, 1, 1))
    assert refused(standard)["valid_until"] == ["Tanggal akhir penerapan tidak boleh sebelum tanggal mulai penerapan."]


def test_a_maturity_value_lies_between_zero_and_five(kinds, world):
    improvement = SecurityImprovement(department=world.kominfo, name="Program", maturity_value=Decimal("5.5"))
    assert "maturity_value" in refused(improvement)
    improvement.maturity_value = Decimal("3.25")
    improvement.full_clean()


def test_a_negative_count_is_refused(kinds, world):
    handling = IncidentHandling(department=world.kominfo, name="CSIRT", incident_count=-2)
    assert "incident_count" in refused(handling)
    assessment = VulnerabilityAssessment(department=world.kominfo, name="VA", findings_high=-1)
    assert "findings_high" in refused(assessment)


def test_an_audit_s_follow_up_is_done_after_the_audit(kinds, world):
    audit = SecurityAudit(department=world.kominfo, name="Audit BSSN", audit_type=AuditType.EXTERNAL,
                          auditor="BSSN", audit_date=datetime.date(2025, 3, 1))
    audit.follow_up_status = FollowUpStatus.DONE
    audit.follow_up_date = datetime.date(2025, 2, 1)
    assert refused(audit)["follow_up_date"] == ["Tanggal tindak lanjut selesai tidak boleh sebelum tanggal audit."]
    audit.follow_up_status = FollowUpStatus.IN_PROGRESS
    audit.follow_up_date = datetime.date(2025, 4, 1)
    assert refused(audit)["follow_up_date"] == [
        "Tanggal tindak lanjut selesai hanya untuk tindak lanjut “Selesai”."]
    audit.follow_up_status = FollowUpStatus.DONE
    audit.full_clean()


def test_a_measure_protects_objects_of_other_opds_but_not_of_another_instansi(kinds, world):
    audit = kinds.build(SecurityAudit)
    application = Builder(world.dinkes).build(Application)
    server = Builder(world.dinkes).build(Server)
    assert audit.link_problems("protected_applications", [application]) == []
    assert audit.link_problems("protected_servers", [server]) == []
    audit.protected_applications.add(application)
    assert list(application.protected_by_securityaudit.all()) == [audit]
    far_data = Builder(world.far).build(DataItem)
    assert audit.link_problems("protected_data", [far_data]) == [f"“{far_data}” milik instansi lain."]


def test_expired_standards_and_audits_without_follow_up_are_warned(kinds, world):
    kinds.build(SecurityStandard, valid_from=today() - datetime.timedelta(days=800),
                valid_until=today() - datetime.timedelta(days=1))
    kinds.build(SecurityStandard, valid_until=today() + datetime.timedelta(days=100))
    kinds.build(SecurityAudit, audit_date=today(), follow_up_status=FollowUpStatus.OPEN)
    kinds.build(SecurityAudit, audit_date=today(), follow_up_status=FollowUpStatus.DONE)
    kinds.build(SecurityAudit, audit_date=today(), follow_up_status=FollowUpStatus.NOT_NEEDED)
    found = completeness.warnings_by_kind(
        {model: model.objects.all() for model in (SecurityStandard, SecurityAudit)}, [world.kominfo])
    assert found["architecture.securitystandard"] == {world.kominfo.pk: ["1 melewati tanggal akhir penerapan"]}
    assert found["architecture.securityaudit"] == {world.kominfo.pk: ["1 tanpa tindak lanjut selesai"]}

"""An instansi snapshot carries the portfolio's decisions (assessments, clearances, “not a duplicate”) and a
restore re-attaches them to the restored applications."""

import pytest

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.architecture.values import seed_value_lists
from sia.exchange.snapshot import uncovered_models
from sia.exchange.snapshot_export import export_institution
from sia.exchange.snapshot_restore import restore_institution
from sia.portfolio.models import ApplicationAssessment, Clearance, ClearanceDecision, DuplicateDismissal

pytestmark = pytest.mark.django_db


def test_portfolio_rows_survive_a_snapshot_round_trip(world):
    seed_value_lists(world.inst)
    old = Application.objects.create(department=world.dinkes, name="SIMPEG Dinkes", status=ReviewStatus.VALIDATED)
    new = Application.objects.create(department=world.kominfo, name="e-Pegawai", state=ArchitectureState.TO_BE_NEW)
    ApplicationAssessment.objects.create(application=old, functional_fit=4, technical_fit=2, criticality=5,
                                         assessed_by=world.users["admin"])
    Clearance.objects.create(application=new, decision=ClearanceDecision.REUSE, reused_application=old,
                             reason="Pakai SIMPEG yang sudah ada.", decided_by=world.users["verifier"])
    first, second = sorted((old, new), key=lambda a: a.pk)
    DuplicateDismissal.objects.create(institution=world.inst, first=first, second=second, reason="Beda fungsi.")
    assert uncovered_models() == []

    restored = restore_institution(export_institution(world.inst), code="9993", confirm_users=True).institution

    apps = {a.name: a for a in Application.objects.filter(institution=restored)}
    assessment = ApplicationAssessment.objects.get(application=apps["SIMPEG Dinkes"])
    assert (assessment.functional_fit, assessment.technical_fit, assessment.criticality) == (4, 2, 5)
    clearance = Clearance.objects.get(application=apps["e-Pegawai"])
    assert clearance.reused_application == apps["SIMPEG Dinkes"] and clearance.decided_by == world.users["verifier"]
    dismissal = DuplicateDismissal.objects.get(institution=restored)
    assert {dismissal.first, dismissal.second} == set(apps.values()) and dismissal.first.pk < dismissal.second.pk

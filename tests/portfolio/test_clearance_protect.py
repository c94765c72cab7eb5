"""A "reuse" clearance keeps naming the application it reuses: that application cannot be deleted under it."""

import pytest
from django.db.models import ProtectedError

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.architecture.values import seed_value_lists
from sia.portfolio.models import Clearance, ClearanceDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def reused(world):
    seed_value_lists(world.inst)
    existing = Application.objects.create(department=world.dinkes, name="SIMPEG Dinkes", status=ReviewStatus.DRAFT)
    proposed = Application.objects.create(department=world.kominfo, name="e-Pegawai",
                                          state=ArchitectureState.TO_BE_NEW)
    Clearance.objects.create(application=proposed, decision=ClearanceDecision.REUSE, reused_application=existing,
                             reason="Pakai SIMPEG Dinkes.")
    return existing


def test_the_reused_application_cannot_be_deleted(reused):
    with pytest.raises(ProtectedError):
        reused.delete()


def test_the_api_refuses_to_delete_it_and_keeps_the_decision(reused, api, world):
    response = api(world.users["admin"]).delete(f"/api/architecture/applications/{reused.pk}/")
    assert response.status_code == 409, response.content
    assert Application.objects.filter(pk=reused.pk).exists()
    assert Clearance.objects.get().reused_application_id == reused.pk

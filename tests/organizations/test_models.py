import pytest
from django.core.exceptions import ValidationError

from sia.core.request_context import action_scope
from sia.core.roles import Role
from sia.organizations.models import Department, Membership, WorkUnit

from .. import factories as f

pytestmark = pytest.mark.django_db


def test_department_code_unique_within_institution(world):
    duplicate = Department(institution=world.inst, name="Lain", abbreviation="LAIN", code=world.kominfo.code, kind="dinas")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Kode OPD ini sudah dipakai" in str(error.value)


def test_same_code_allowed_in_other_institution(world):
    Department(institution=world.other, name="Lain", abbreviation="LAIN", code=world.kominfo.code, kind="dinas").full_clean()


def test_abbreviation_unique_case_insensitive(world):
    clash = Department(institution=world.inst, name="X", abbreviation="diskominfo", code="9.99", kind="dinas")
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "Singkatan ini sudah dipakai" in str(error.value)


def test_work_unit_parent_must_be_in_same_department(world):
    parent = f.work_unit(world.dinkes)
    unit = WorkUnit(department=world.kominfo, parent=parent, name="Bidang X", echelon="IV")
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "perangkat daerah yang sama" in str(error.value)


def test_work_unit_tree_refuses_cycles(world):
    top = f.work_unit(world.kominfo, name="Atas")
    child = f.work_unit(world.kominfo, name="Bawah", parent=top)
    top.parent = child
    with pytest.raises(ValidationError) as error:
        top.full_clean()
    assert "bawahannya" in str(error.value)


def test_operator_membership_requires_department(world):
    membership = Membership(user=f.user(), institution=world.inst, role=Role.OPERATOR)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "Operator OPD harus" in str(error.value)


def test_membership_department_must_belong_to_institution(world):
    membership = Membership(user=f.user(), institution=world.inst, role=Role.OPERATOR, department=world.far)
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_changes_are_recorded_with_user_values_and_request_id(world):
    department = world.kominfo
    with action_scope() as request_id:
        department.name = "Dinas Kominfo dan Persandian"
        department._history_user = world.users["admin"]
        department.save()
    latest = department.history.first()
    assert latest.history_type == "~"
    assert latest.name == "Dinas Kominfo dan Persandian"
    assert latest.prev_record.name == "Dinas Komunikasi dan Informatika"
    assert latest.history_user == world.users["admin"]
    assert latest.request_id == request_id


def test_deletion_is_recorded(world):
    unit = f.work_unit(world.kominfo)
    pk = unit.pk
    unit.delete()
    assert WorkUnit.history.filter(id=pk, history_type="-").exists()


def test_user_history_never_stores_password(world):
    user = world.users["admin"]
    user.set_password("kata-sandi-baru-123")
    user.save()
    record = user.history.first()
    assert not hasattr(record, "password")

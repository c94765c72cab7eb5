import pytest

from sia.core import permissions as p
from sia.core.roles import Role
from sia.organizations.models import Department, Membership, WorkUnit

from .. import factories as f

pytestmark = pytest.mark.django_db


def ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_operator_sees_only_own_department(world):
    op = world.users["operator"]
    assert ids(p.visible(op, Department)) == {world.kominfo.pk}
    assert p.can(op, p.VIEW, world.kominfo)
    assert not p.can(op, p.VIEW, world.dinkes)
    assert not p.can(op, p.VIEW, world.far)


def test_operator_changes_nothing_in_organizations(world):
    op = world.users["operator"]
    assert not p.can(op, p.CHANGE, world.kominfo)
    assert not p.can_in(op, p.ADD, Department, world.inst.pk)


def test_admin_manages_own_institution_only(world):
    admin = world.users["admin"]
    assert ids(p.visible(admin, Department)) == {world.kominfo.pk, world.dinkes.pk}
    assert p.can(admin, p.CHANGE, world.kominfo)
    assert p.can(admin, p.DELETE, world.dinkes)
    assert not p.can(admin, p.VIEW, world.far)
    assert not p.can(admin, p.CHANGE, world.far)
    assert p.can_in(admin, p.ADD, Department, world.inst.pk)
    assert not p.can_in(admin, p.ADD, Department, world.other.pk)


@pytest.mark.parametrize("role", ["leader", "verifier", "assessor"])
def test_read_roles_see_institution_but_change_nothing(world, role):
    user = world.users[role]
    assert ids(p.visible(user, Department)) == {world.kominfo.pk, world.dinkes.pk}
    for action in (p.ADD, p.CHANGE, p.DELETE):
        assert not p.can(user, action, world.kominfo)


def test_work_units_follow_their_department(world):
    mine, theirs = f.work_unit(world.kominfo), f.work_unit(world.dinkes)
    assert ids(p.visible(world.users["operator"], WorkUnit)) == {mine.pk}
    assert p.can(world.users["admin"], p.CHANGE, theirs)


def test_user_without_membership_sees_nothing(world):
    nobody = world.users["nobody"]
    assert not p.visible(nobody, Department).exists()
    assert not p.can_anywhere(nobody, p.VIEW, Department)


def test_inactive_membership_grants_nothing(world):
    op = world.users["operator"]
    Membership.objects.filter(user=op).update(is_active=False)
    p.forget_grants(op)
    assert not p.visible(op, Department).exists()


def test_superuser_sees_every_institution(world):
    assert ids(p.visible(world.users["superuser"], Department)) == {world.kominfo.pk, world.dinkes.pk, world.far.pk}


def test_anonymous_user_has_no_rights(world):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not p.visible(anon, Department).exists()
    assert not p.can(anon, p.VIEW, world.kominfo)


def test_membership_visibility(world):
    assert ids(p.visible(world.users["verifier"], Membership)) == {
        Membership.objects.get(user=world.users["verifier"]).pk
    }
    assert p.visible(world.users["leader"], Membership).count() == 6  # every member of the first instansi


def test_unregistered_model_is_an_error():
    from django.contrib.auth.models import Group

    with pytest.raises(LookupError):
        p.policy_for(Group)


def test_user_choices_stop_at_the_institution(world):
    from sia.core.models import User

    offered = set(p.choices(world.users["admin"], User).values_list("username", flat=True))
    assert {"koord", "op.kominfo", "tanpa.peran"} <= offered
    assert "koord.lain" not in offered


def test_operator_role_needs_a_department_to_see_anything(world):
    user = f.user("op.tanpa.opd")
    Membership.objects.bulk_create([Membership(user=user, institution=world.inst, role=Role.OPERATOR)])
    assert not p.visible(user, Department).exists()

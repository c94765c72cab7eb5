"""The grants read on every request (``organizations.apps.grant_rows``): each user's own active memberships in
active instansi, from SQL compiled once for every user."""

import pytest

from sia.core import compiled
from sia.organizations.apps import grant_rows
from sia.organizations.models import Membership

pytestmark = pytest.mark.django_db


def expected(user) -> list[tuple]:
    return sorted(Membership.objects.filter(user=user, is_active=True, institution__is_active=True)
                  .values_list("institution_id", "department_id", "role"))


def test_every_user_reads_their_own_grants_from_one_compiled_query(world, monkeypatch):
    compiled.clear()
    made = []
    real = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda queryset: made.append(queryset) or real(queryset))
    for user in world.users.values():
        assert sorted(grant_rows(user)) == expected(user), user.username
    assert len(made) == 1
    assert grant_rows(world.users["operator"]) == [(world.inst.pk, world.kominfo.pk, "operator")]
    assert grant_rows(world.users["nobody"]) == []


def test_an_inactive_membership_or_instansi_grants_nothing(world):
    Membership.objects.filter(user=world.users["operator"]).update(is_active=False)
    assert grant_rows(world.users["operator"]) == []
    world.other.is_active = False
    world.other.save()
    assert grant_rows(world.users["other_admin"]) == [] and grant_rows(world.users["admin"]) != []

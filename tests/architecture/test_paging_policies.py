"""The parts a list is read in (``Policy.scope_parts``) cover everything ``permissions.visible`` gives, for policies
whose ``scope`` is more than the OR of their grants (an integration follows its source application; national
reference nodes are everyone's): a member of two instansi missed those rows on PostgreSQL's paged lists."""

import pytest
from django.db import connection

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, ApplicationIntegration, BusinessProcess
from sia.core import paging, permissions
from sia.core.roles import Role
from sia.organizations.models import Membership
from sia.reference.models import ReferenceNode

pytestmark = pytest.mark.django_db


def covered(user, model):
    """The rows of ``visible`` that the parts (when there are any) hold, as one set."""
    visible = permissions.visible(user, model)
    parts = permissions.policy_for(model).scope_parts(user)
    if parts is None:
        return set(visible.values_list("pk", flat=True))
    found = set()
    for part in parts:
        found |= set(visible.filter(part).values_list("pk", flat=True))
    return found


@pytest.fixture
def two_instansi_operator(world):
    operator = world.users["operator"]
    Membership.objects.create(user=operator, institution=world.other, role=Role.OPERATOR, department=world.far)
    permissions.forget_grants(operator)
    return operator


def test_an_integration_of_another_opds_validated_application_stays_in_the_list(arch, world, two_instansi_operator):
    area = arch.node("RAA.01.01")
    own = Application.objects.create(department=world.kominfo, name="SIMPEG", reference=area)
    theirs = Application.objects.create(department=world.dinkes, name="SIKDA Generik", reference=area)
    Application.objects.filter(pk=theirs.pk).update(status=ReviewStatus.VALIDATED)
    theirs.refresh_from_db()
    row = ApplicationIntegration(source=theirs, target=own, data_exchanged="Data pasien")
    row.full_clean()
    row.save()
    operator = two_instansi_operator
    visible = set(permissions.visible(operator, ApplicationIntegration).values_list("pk", flat=True))
    assert row.pk in visible
    assert covered(operator, ApplicationIntegration) == visible
    if connection.features.supports_slicing_ordering_in_compound:
        parted = paging.paged(permissions.visible(operator, ApplicationIntegration), operator)
        assert parted.count() == len(visible)


def test_national_reference_nodes_stay_in_the_list_of_a_member_of_two_instansi(arch, world, two_instansi_operator):
    operator = two_instansi_operator
    visible = set(permissions.visible(operator, ReferenceNode).values_list("pk", flat=True))
    assert ReferenceNode.objects.filter(pk__in=visible, institution__isnull=True).exists()
    assert covered(operator, ReferenceNode) == visible


def test_every_policy_s_parts_cover_what_the_user_sees(arch, world, two_instansi_operator):
    """Every registered model whose policy gives parts for this user: their OR within ``visible`` is ``visible``."""
    from sia.core.permissions import _registry

    Membership.objects.create(user=two_instansi_operator, institution=world.inst, role=Role.ADMIN)
    Membership.objects.create(user=two_instansi_operator, institution=world.other, role=Role.LEADER)
    permissions.forget_grants(two_instansi_operator)
    for model in list(_registry) + [BusinessProcess]:
        assert covered(two_instansi_operator, model) == set(
            permissions.visible(two_instansi_operator, model).values_list("pk", flat=True)), model.__name__


@pytest.mark.parametrize("ordering", [["department", "code"], ["-department"], ["institution", "-code"]])
def test_an_ordering_by_a_foreign_key_is_read_as_it_is(world, ordering):
    """``order_by("department")`` sorts by the OPD's own ordering (its name), not by its ID: the parts, which sort
    by the table's columns, would give another order than the plain query (``?ordering=department`` in the API)."""
    third = BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes", code="PB-A",
                                           status=ReviewStatus.VALIDATED)
    BusinessProcess.objects.create(department=world.kominfo, name="Proses Kominfo", code="PB-B")
    operator = world.users["operator"]
    queryset = permissions.visible(operator, BusinessProcess).order_by(*ordering)
    assert paging._ordering(queryset) is None
    assert paging.paged(queryset, operator) is queryset
    if connection.features.supports_slicing_ordering_in_compound:
        assert third.pk in {row.pk for row in paging.paged(queryset, operator)}


def test_the_api_ordered_by_opd_gives_the_opds_order(world, api):
    """Sorted by OPD means by the OPD's name (DINKES, "Dinas Kesehatan", before DISKOMINFO, made first)."""
    theirs = BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes", code="PB-B",
                                            status=ReviewStatus.VALIDATED)
    own = BusinessProcess.objects.create(department=world.kominfo, name="Proses Kominfo", code="PB-A")
    body = api(world.users["operator"]).get("/api/architecture/business-processes/?ordering=department").json()
    assert [row["id"] for row in body["results"]] == [theirs.pk, own.pk]
    assert body["count"] == 2

"""An operator's list read part by part (own OPD; other OPDs' validated objects) gives exactly the rows, order and
count of the one ``WHERE a OR b`` query, on every page, with filters, ordering and through the API; an operator never
gets another OPD's draft through it; on SQLite (no ordering inside a compound query) the queryset is used as it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture.models import BusinessProcess
from sia.core import paging, permissions
from sia.core.paging import PartedRows

from .. import factories as f

pytestmark = pytest.mark.django_db
STATUSES = ["draf", "diajukan", "dikembalikan", "diverifikasi", "divalidasi"]
needs_compound_order = pytest.mark.skipif(
    not connection.features.supports_slicing_ordering_in_compound,
    reason="this database cannot order inside a compound query: the plain query is used")


@pytest.fixture
def rows(world):
    third = f.department(world.inst, name="Badan Perencanaan", abbreviation="BAPPEDA")
    made = []
    for i in range(140):
        department = (world.kominfo, world.dinkes, third)[i % 3]
        made.append(BusinessProcess(institution=world.inst, department=department, name=f"Proses {i:03d}",
                                    code=f"PB-{(i * 37) % 1000:03d}-{i:03d}", status=STATUSES[i % 5]))
    made.append(BusinessProcess(institution=world.other, department=world.far, name="Proses lain",
                                code="PB-000-LAIN", status="divalidasi"))
    return BusinessProcess.objects.bulk_create(made)


def plain_pages(queryset, size):
    everything = list(queryset.order_by(*paging._ordering(queryset)))
    return [everything[i:i + size] for i in range(0, len(everything), size)], len(everything)


@needs_compound_order
@pytest.mark.parametrize("ordering", [None, ["-code"], ["name"], ["status", "-code"]])
@pytest.mark.parametrize("narrowing", [{}, {"name__icontains": "1"}, {"status": "divalidasi"}])
def test_parts_give_the_rows_count_and_order_of_the_plain_query(world, rows, ordering, narrowing):
    operator = world.users["operator"]
    queryset = permissions.visible(operator, BusinessProcess).filter(**narrowing)
    if ordering:
        queryset = queryset.order_by(*ordering)
    parted = paging.paged(queryset, operator)
    assert isinstance(parted, PartedRows)
    pages, total = plain_pages(queryset, 20)
    assert parted.count() == total
    for number, expected in enumerate(pages):
        assert [row.pk for row in parted[number * 20:number * 20 + 20]] == [row.pk for row in expected]
    assert parted[total:total + 20] == []


@needs_compound_order
def test_an_operator_gets_no_other_opds_draft_and_nothing_of_another_instansi(world, rows):
    operator = world.users["operator"]
    parted = paging.paged(permissions.visible(operator, BusinessProcess), operator)
    seen = parted[0:1000]
    assert seen and len(seen) == parted.count()
    for row in seen:
        assert row.institution_id == world.inst.pk
        assert row.department_id == world.kominfo.pk or row.status == "divalidasi"
    assert {row.pk for row in seen} == {row.pk for row in rows if row.institution_id == world.inst.pk and (
        row.department_id == world.kominfo.pk or row.status == "divalidasi")}


def test_a_single_rule_or_a_joined_ordering_is_read_as_it_is(world, rows):
    admin, operator = world.users["admin"], world.users["operator"]
    queryset = permissions.visible(admin, BusinessProcess)
    assert paging.paged(queryset, admin) is queryset  # the instansi: one index range already
    by_opd = permissions.visible(operator, BusinessProcess).order_by("department__name", "code")
    assert paging.paged(by_opd, operator) is by_opd  # an ordering through a join has no index of the table
    if not connection.features.supports_slicing_ordering_in_compound:
        mine = permissions.visible(operator, BusinessProcess)
        assert paging.paged(mine, operator) is mine


def test_the_rule_is_the_or_of_its_disjoint_parts(world, rows):
    operator = world.users["operator"]
    policy = permissions.policy_for(BusinessProcess)
    parts = policy.scope_parts(operator)
    assert len(parts) == 2
    visible = set(permissions.visible(operator, BusinessProcess).values_list("pk", flat=True))
    found = [set(BusinessProcess.objects.filter(part).values_list("pk", flat=True)) for part in parts]
    assert found[0] | found[1] == visible and not found[0] & found[1]
    assert policy.scope_parts(world.users["admin"]) is None
    assert policy.scope_parts(world.users["superuser"]) is None


@needs_compound_order
@pytest.mark.parametrize("url", ["/arsitektur/proses-bisnis/", "/api/architecture/business-processes/?limit=25"])
def test_the_operators_list_page_and_api_read_the_parts(client, world, rows, url):
    operator = world.users["operator"]
    client.force_login(operator)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert any("UNION ALL" in query["sql"] for query in ctx.captured_queries)
    expected = list(permissions.visible(operator, BusinessProcess).order_by("code", "pk"))
    if url.startswith("/api/"):
        body = response.json()
        assert body["count"] == len(expected)
        assert [row["id"] for row in body["results"]] == [row.pk for row in expected[:25]]
        client.get(url + "&offset=25")
        second = client.get(url + "&offset=25").json()
        assert [row["id"] for row in second["results"]] == [row.pk for row in expected[25:50]]
    else:
        page = response.context["page"]
        assert page.paginator.count == len(expected)
        assert [row.pk for row in page.object_list] == [row.pk for row in expected[:50]]


@pytest.mark.parametrize("second", ["operator_elsewhere", "admin_too"])
def test_parts_of_several_memberships_are_disjoint_and_cover_what_the_user_sees(world, rows, second):
    from sia.core.roles import Role
    from sia.organizations.models import Membership

    operator = world.users["operator"]
    if second == "operator_elsewhere":  # KOMINFO here, DKL in the other instansi: 4 parts
        Membership.objects.create(user=operator, institution=world.other, role=Role.OPERATOR, department=world.far)
    else:  # also the koordinator of the instansi: the first part (the instansi) holds the others
        Membership.objects.create(user=operator, institution=world.inst, role=Role.ADMIN)
    permissions.forget_grants(operator)
    parts = permissions.policy_for(BusinessProcess).scope_parts(operator)
    assert len(parts) == (4 if second == "operator_elsewhere" else 3)
    visible = set(permissions.visible(operator, BusinessProcess).values_list("pk", flat=True))
    found = [set(BusinessProcess.objects.filter(part).values_list("pk", flat=True)) for part in parts]
    assert set().union(*found) == visible and sum(map(len, found)) == len(visible)
    if connection.features.supports_slicing_ordering_in_compound:
        queryset = permissions.visible(operator, BusinessProcess)
        parted = paging.paged(queryset, operator)
        assert parted.count() == len(visible)
        assert [row.pk for row in parted[0:1000]] == list(queryset.order_by("code", "pk").values_list("pk", flat=True))

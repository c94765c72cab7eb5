"""Issue 3: a node lists the architecture entries mapped to it ("Dipetakan oleh"), as each user may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture.choices import ReviewStatus
from sia.architecture.registry import domain_models

from .helpers import mapped_process, node, own_node

pytestmark = pytest.mark.django_db

NODES = "/api/reference/nodes/"


@pytest.fixture
def entries(world):
    target = node("RAB.09.06.06")
    return {
        "kominfo_draft": mapped_process(world.kominfo, target, "Arsip Kominfo"),
        "dinkes_draft": mapped_process(world.dinkes, target, "Arsip Dinkes draf"),
        "dinkes_validated": mapped_process(world.dinkes, target, "Arsip Dinkes valid", status=ReviewStatus.VALIDATED),
        "other_instansi": mapped_process(world.far, target, "Arsip kota lain", status=ReviewStatus.VALIDATED),
        "elsewhere": mapped_process(world.kominfo, node("RAB.09.06.05"), "Pelayanan publik"),
    }


def page(client, user, target):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/referensi/simpul/{target.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_node_page_lists_mapped_entries_the_user_may_see(client, world, entries):
    html, _count = page(client, world.users["operator"], node("RAB.09.06.06"))
    assert 'data-testid="mapped-by"' in html and "Dipetakan oleh" in html
    assert "Arsip Kominfo" in html and "Arsip Dinkes valid" in html
    assert "Arsip Dinkes draf" not in html  # another OPD's draft
    assert "Arsip kota lain" not in html and "Pelayanan publik" not in html
    assert entries["kominfo_draft"].get_absolute_url() in html
    html, _count = page(client, world.users["operator_dinkes"], node("RAB.09.06.06"))
    assert "Arsip Dinkes draf" in html and "Arsip Kominfo" not in html
    html, _count = page(client, world.users["other_admin"], node("RAB.09.06.06"))
    assert "Arsip kota lain" in html and "Arsip Kominfo" not in html and "Arsip Dinkes" not in html


def test_mapped_entries_cost_one_query_per_domain(client, world, query_budget):
    target = node("RAB.09.06.06")
    _html, empty = page(client, world.users["admin"], target)
    for n in range(55):
        mapped_process(world.kominfo if n % 2 else world.dinkes, target, f"Proses {n:02d}")
    html, many = page(client, world.users["admin"], target)
    assert empty == many <= query_budget["reference.node"], (empty, many)
    assert html.count('data-testid="mapped-entry"') == 50
    assert "50 dari 55" in html


def test_mapped_action(world, api, entries):
    target = node("RAB.09.06.06")
    rows = api(world.users["operator"]).get(f"{NODES}{target.pk}/mapped/").json()
    assert sorted(r["name"] for r in rows) == ["Arsip Dinkes valid", "Arsip Kominfo"]
    row = next(r for r in rows if r["name"] == "Arsip Kominfo")
    process = entries["kominfo_draft"]
    assert row == {"domain": "business-processes", "id": process.pk, "code": process.code, "name": "Arsip Kominfo",
                   "url": f"http://testserver/api/architecture/business-processes/{process.pk}/", "status": "draf"}
    dinkes = api(world.users["operator_dinkes"]).get(f"{NODES}{target.pk}/mapped/").json()
    assert sorted(r["name"] for r in dinkes) == ["Arsip Dinkes draf", "Arsip Dinkes valid"]
    other = api(world.users["other_admin"]).get(f"{NODES}{target.pk}/mapped/").json()
    assert [r["name"] for r in other] == ["Arsip kota lain"]


def test_mapped_action_query_count_is_constant(world, api, django_assert_max_num_queries):
    target = node("RAB.09.06.06")
    for n in range(60):
        mapped_process(world.kominfo, target, f"Proses {n:02d}")
    client = api(world.users["admin"])
    with django_assert_max_num_queries(4 + len(domain_models())):
        rows = client.get(f"{NODES}{target.pk}/mapped/").json()
    assert len(rows) == 50


def test_mapped_action_on_a_hidden_node_is_not_found(world, api):
    own = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    assert api(world.users["other_admin"]).get(f"{NODES}{own.pk}/mapped/").status_code == 404
    assert api(world.users["operator"]).get(f"{NODES}{own.pk}/mapped/").status_code == 200


def test_schema_lists_the_mapped_action(client):
    body = client.get("/api/schema/").content.decode()
    assert "/api/reference/nodes/{id}/mapped/" in body and "MappedEntry" in body

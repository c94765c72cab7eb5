"""Drafts do not leak through links: an operator of another OPD who may read a validated object sees
none of the owning OPD's drafts it links to, in the API (detail and list) and on the pages (detail
and list). The owner and the admin still see them."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem
from sia.core import permissions

pytestmark = pytest.mark.django_db

SECRET = "Rencana Rahasia Kominfo"


@pytest.fixture
def leak(arch, world):
    """DISKOMINFO's validated data item links to two DISKOMINFO draft processes; its validated
    process ``child`` has a draft parent."""
    draft = BusinessProcess.objects.create(department=world.kominfo, name=SECRET)
    arch.data.processes.add(draft)
    child = BusinessProcess.objects.create(department=world.kominfo, name="Proses Anak Tervalidasi", parent=draft)
    DataItem.objects.filter(pk=arch.data.pk).update(status=S.VALIDATED)
    BusinessProcess.objects.filter(pk=child.pk).update(status=S.VALIDATED)
    child.refresh_from_db()
    arch.data.refresh_from_db()
    arch.draft, arch.child = draft, child
    return arch


def secrets(arch) -> list[str]:
    """Names and codes of the drafts another OPD's operator must not read."""
    return [SECRET, arch.draft.code, arch.process.code]


def assert_hidden(text, arch, who=""):
    for secret in secrets(arch):
        assert secret not in text, (who, secret)


def test_api_detail_leaves_out_hidden_links_and_hides_the_name_of_a_hidden_parent(leak, world, api):
    client = api(world.users["operator_dinkes"])
    data = client.get(f"/api/architecture/data-items/{leak.data.pk}/")
    assert data.status_code == 200
    assert data.json()["processes"] == []
    assert_hidden(data.content.decode(), leak)
    child = client.get(f"/api/architecture/business-processes/{leak.child.pk}/")
    assert child.status_code == 200
    assert child.json()["parent"] == {"id": leak.draft.pk, "url": None, "display": str(permissions.HIDDEN)}
    assert_hidden(child.content.decode(), leak)


@pytest.mark.parametrize("role", ["operator", "admin", "verifier"])
def test_api_detail_shows_the_links_to_those_who_may_see_them(leak, world, api, role):
    client = api(world.users[role])
    data = client.get(f"/api/architecture/data-items/{leak.data.pk}/").json()
    assert sorted(p["display"] for p in data["processes"]) == sorted([str(leak.process), str(leak.draft)])
    child = client.get(f"/api/architecture/business-processes/{leak.child.pk}/").json()
    assert child["parent"]["display"] == str(leak.draft)


def test_api_list_hides_them_too(leak, world, api):
    client = api(world.users["operator_dinkes"])
    for url in ("/api/architecture/data-items/", "/api/architecture/business-processes/",
                "/api/architecture/services/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_hidden(response.content.decode(), leak, url)
    rows = client.get("/api/architecture/data-items/").json()["results"]
    assert [row["processes"] for row in rows if row["id"] == leak.data.pk] == [[]]
    admin_rows = api(world.users["admin"]).get("/api/architecture/business-processes/").json()["results"]
    assert [r["parent"]["display"] for r in admin_rows if r["id"] == leak.child.pk] == [str(leak.draft)]


def test_html_detail_pages_hide_them(leak, world, client):
    client.force_login(world.users["operator_dinkes"])
    for obj in (leak.data, leak.child):
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200
        assert_hidden(response.content.decode(), leak, obj)
    assert str(permissions.HIDDEN) in client.get(leak.child.get_absolute_url()).content.decode()


def test_html_detail_pages_show_them_to_the_owner(leak, world, client):
    client.force_login(world.users["operator"])
    assert SECRET in client.get(leak.data.get_absolute_url()).content.decode()
    assert SECRET in client.get(leak.child.get_absolute_url()).content.decode()


def test_html_list_column_hides_a_hidden_parent(leak, world, client):
    client.force_login(world.users["operator_dinkes"])
    body = client.get(reverse("architecture:businessprocess_list")).content.decode()
    assert "Proses Anak Tervalidasi" in body
    assert_hidden(body, leak)
    client.force_login(world.users["admin"])
    assert SECRET in client.get(reverse("architecture:businessprocess_list")).content.decode()


def test_link_reader_decides_architecture_links_without_queries(leak, world, django_assert_num_queries):
    reader = permissions.LinkReader(world.users["operator_dinkes"])
    permissions.grants(world.users["operator_dinkes"])
    objects = [leak.draft, leak.child, leak.process, leak.data]
    with django_assert_num_queries(0):
        assert reader.visible(objects) == [leak.child, leak.data]
        assert reader.visible_ids(BusinessProcess, {leak.child.pk}) == {leak.child.pk}


def _more_links(world, n):
    for i in range(n):
        draft = BusinessProcess.objects.create(department=world.kominfo, name=f"{SECRET} {i}")
        item = DataItem.objects.create(department=world.kominfo, name=f"Data Tervalidasi {i}")
        item.processes.set([draft])
        child = BusinessProcess.objects.create(department=world.kominfo, name=f"Anak {i}", parent=draft)
        for obj in (item, child):
            type(obj).objects.filter(pk=obj.pk).update(status=S.VALIDATED)


@pytest.mark.parametrize("url, key", [
    ("/api/architecture/data-items/", "architecture.api.dataitem_list"),
    ("/api/architecture/business-processes/", "architecture.api.businessprocess_list"),
])
def test_api_list_with_hidden_links_keeps_its_query_budget(leak, world, api, count_queries, query_budget, url, key):
    client = api(world.users["operator_dinkes"])
    client.get(url)
    few, _ = count_queries(lambda: client.get(url))
    _more_links(world, 12)
    many, response = count_queries(lambda: client.get(url))
    assert SECRET not in response.content.decode()
    assert few == many <= query_budget[key], (few, many)


def test_html_list_with_hidden_parents_keeps_its_query_budget(leak, world, client, count_queries, query_budget):
    client.force_login(world.users["operator_dinkes"])
    url = reverse("architecture:businessprocess_list")
    client.get(url)
    few, _ = count_queries(lambda: client.get(url))
    _more_links(world, 12)
    many, response = count_queries(lambda: client.get(url))
    assert SECRET not in response.content.decode()
    assert few == many == query_budget["architecture.businessprocess_list.other_opd"], (few, many)

"""A link shows on both ends in the API (issue 12): one object's GET lists, under ``incoming_links``, the
objects that hold a link to it (read from the declarations, ``linkspec.declared_links()``), as far as the
reader may see them; every kind's list filters by each link it holds (``?servers=8``)."""

import pytest

from sia.architecture.api.incoming import incoming_ends
from sia.architecture.choices import ReviewStatus, ServerType
from sia.architecture.linkspec import declared_links
from sia.architecture.models import Application, SecurityStandard, Server
from sia.architecture.usage import incoming_declarations
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

LINKS = declared_links()


def detail(client, obj):
    response = client.get(f"/api/architecture/{obj.spec.api_name}/{obj.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def ends(body) -> set:
    return {(end["kind"], end["link"], end["id"]) for end in body["incoming_links"]}


def link_field_of(model, link_name):
    return next(link for link in model.spec.links if link.field == link_name)


def make_link(kinds, holder_obj, link):
    """Makes ``holder_obj`` hold ``link`` to an object of the link's target kind; returns that object."""
    holder = type(holder_obj)
    if link.through:
        return getattr(kinds.link_row(holder_obj, link), link.through_fields[1])
    target = kinds.build(link.target_model(holder), name="Ujung tautan")
    field = holder._meta.get_field(link.field)
    if field.many_to_many:
        getattr(holder_obj, link.field).add(target)
    else:  # a ForeignKey: the API reads what is stored (the rules on it have their own tests)
        holder.objects.filter(pk=holder_obj.pk).update(**{field.attname: target.pk})
    return target


@pytest.fixture
def dinkes(world, kinds):
    return Builder(world.dinkes)


@pytest.fixture
def server(kinds):
    return kinds.build(Server, name="Server fisik bersama", server_type=ServerType.PHYSICAL)


def test_server_lists_what_runs_on_it_what_it_hosts_and_what_protects_it(api, world, kinds, dinkes, server):
    app = dinkes.build(Application, name="SIMPUS", servers=[server], status=ReviewStatus.VALIDATED)  # another OPD
    virtual = kinds.build(Server, name="VM aplikasi", server_type=ServerType.VIRTUAL, host=server)
    standard = kinds.build(SecurityStandard, name="Standar keamanan server", protected_servers=[server])

    body = detail(api(world.users["admin"]), server)

    by_id = {(end["kind"], end["id"]): end for end in body["incoming_links"]}
    assert by_id[("applications", app.pk)] == {
        "kind": "applications", "kind_name": "Aplikasi", "link": "servers", "meaning": "menjalankan", "id": app.pk, "code": app.code,
        "name": "SIMPUS", "department": "DINKES", "url": f"http://testserver/api/architecture/applications/{app.pk}/",
    }
    assert by_id[("servers", virtual.pk)]["link"] == "host"
    assert by_id[("security-standards", standard.pk)]["link"] == "protected_servers"
    assert ends(body) == {("applications", "servers", app.pk), ("servers", "host", virtual.pk),
                          ("security-standards", "protected_servers", standard.pk)}


def test_a_draft_of_another_opd_is_left_out_for_whoever_may_not_see_it(api, world, kinds, dinkes, server):
    server.status = ReviewStatus.VALIDATED
    server.save()
    draft = dinkes.build(Application, name="Draf Dinkes", servers=[server])
    published = dinkes.build(Application, name="Terbit Dinkes", servers=[server], status=ReviewStatus.VALIDATED)

    seen_by_operator = {end["id"] for end in detail(api(world.users["operator"]), server)["incoming_links"]}
    assert seen_by_operator == {published.pk}
    seen_by_dinkes = {end["id"] for end in detail(api(world.users["operator_dinkes"]), server)["incoming_links"]}
    assert seen_by_dinkes == {draft.pk, published.pk}


def test_lists_and_writes_do_not_carry_incoming_links(api, world, server):
    client = api(world.users["admin"])
    listed = client.get("/api/architecture/servers/").json()["results"]
    assert listed and all("incoming_links" not in row for row in listed)
    patched = client.patch(f"/api/architecture/servers/{server.pk}/", {"name": "Server diganti",
                                                                         "lock_version": server.lock_version},
                           format="json")
    assert patched.status_code == 200, patched.content
    assert "incoming_links" not in patched.json()


def holders(kinds, dinkes, server, n):
    """``n`` objects linking to ``server``, through as many declarations as there are kinds to spread over."""
    makers = [
        lambda i: dinkes.build(Application, name=f"Aplikasi {i}", servers=[server]),
        lambda i: kinds.build(Server, name=f"VM {i}", server_type=ServerType.VIRTUAL, host=server),
        lambda i: kinds.build(SecurityStandard, name=f"Standar {i}", protected_servers=[server]),
    ]
    return [makers[i % len(makers)](i) for i in range(n)]


def test_query_count_does_not_grow_with_incoming_links(api, world, kinds, dinkes, server, count_queries):
    client = api(world.users["admin"])
    detail(client, server)  # warm up: the user's memberships are read once
    holders(kinds, dinkes, server, 2)
    few, response = count_queries(lambda: detail(client, server))
    assert len(response["incoming_links"]) == 2
    holders(kinds, dinkes, server, 10)
    many, response = count_queries(lambda: detail(client, server))
    assert len(response["incoming_links"]) == 12
    assert few == many, (few, many)

    # The incoming links of every declaration that points to servers cost one query (a UNION), however many
    # declarations and objects link.
    assert len(incoming_declarations(Server)) > 1
    queries, found = count_queries(lambda: incoming_ends(server, world.users["admin"]))
    assert len(found) == 12
    assert queries == 1, queries


def test_link_filter_on_the_holders_list(api, world, kinds, dinkes, server):
    other_server = kinds.build(Server, name="Server lain")
    on_it = dinkes.build(Application, name="Di server ini", servers=[server])
    dinkes.build(Application, name="Di server lain", servers=[other_server])
    client = api(world.users["admin"])

    found = client.get("/api/architecture/applications/", {"servers": server.pk})
    assert found.status_code == 200
    assert [row["id"] for row in found.json()["results"]] == [on_it.pk]
    assert client.get("/api/architecture/applications/", {"servers": 987654}).json()["count"] == 0
    for bad in ("abc", "8.5", "SRV-DISKOMINFO-001", "9" * 30):
        refused = client.get("/api/architecture/applications/", {"servers": bad})
        assert refused.status_code == 400, (bad, refused.content)
        assert "servers" in refused.json()


def test_link_filter_does_not_reveal_links_to_what_the_reader_may_not_see(api, world, dinkes):
    hidden = dinkes.build(Server, name="Server draf Dinkes")
    dinkes.build(Application, name="Aplikasi terbit", servers=[hidden], status=ReviewStatus.VALIDATED)
    operator = api(world.users["operator"])  # DISKOMINFO: sees the validated application, not the draft server
    assert operator.get("/api/architecture/applications/", {"servers": hidden.pk}).json()["count"] == 0
    admin = api(world.users["admin"])
    assert admin.get("/api/architecture/applications/", {"servers": hidden.pk}).json()["count"] == 1


def test_the_schema_documents_incoming_links_and_link_filters(api, world):
    schema = api(world.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    retrieve = schema["paths"]["/api/architecture/servers/{id}/"]["get"]["responses"]["200"]
    ref = retrieve["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    field = schema["components"]["schemas"][ref]["properties"]["incoming_links"]
    assert field["readOnly"] is True and field["type"] == "array"
    item = schema["components"]["schemas"][field["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"kind", "kind_name", "link", "meaning", "id", "code", "name", "department", "url"} <= set(item["properties"])
    listed = schema["paths"]["/api/architecture/servers/"]["get"]["responses"]["200"]["content"]["application/json"]
    page = schema["components"]["schemas"][listed["schema"]["$ref"].rsplit("/", 1)[1]]
    row = schema["components"]["schemas"][page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert "incoming_links" not in row["properties"]
    parameters = {p["name"]: p for p in schema["paths"]["/api/architecture/applications/"]["get"]["parameters"]}
    assert parameters["servers"]["schema"]["type"] == "integer"


# --- every declared link, from the declarations ----------------------------------------------------------

@pytest.mark.parametrize("holder,link", LINKS, ids=[f"{m.spec.slug}-{link.field}" for m, link in LINKS])
def test_every_declared_link_shows_at_its_target_and_filters_its_holders(api, world, kinds, holder, link):
    holder_obj = kinds.build(holder, name="Pemegang tautan")
    target = make_link(kinds, holder_obj, link)
    client = api(world.users["admin"])

    body = detail(client, target)
    assert (holder.spec.api_name, link.field, holder_obj.pk) in ends(body)
    end = next(e for e in body["incoming_links"] if (e["link"], e["id"]) == (link.field, holder_obj.pk))
    assert end["meaning"] == str(link.inverse) and end["code"] == holder_obj.code

    listed = client.get(f"/api/architecture/{holder.spec.api_name}/", {link.field: target.pk})
    assert listed.status_code == 200, listed.content
    assert holder_obj.pk in {row["id"] for row in listed.json()["results"]}
    elsewhere = kinds.build(holder, name="Tanpa tautan ini")
    assert elsewhere.pk not in {row["id"] for row in listed.json()["results"]}

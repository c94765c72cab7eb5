"""An architecture object that other objects still link to (any declared link: many-to-many, ForeignKey, a
link kept in its own model, self-links) is not deleted, on the web page or through the API: the page lists
what still uses it (as far as the user may see; the rest counted), the API answers 409 with the same, and
nothing changes. Once unlinked it can be deleted. ``sia.architecture.usage`` decides, one query per incoming
link declaration."""

import pytest
from django.urls import reverse

from sia.architecture import usage
from sia.architecture.linkspec import declared_links
from sia.architecture.choices import ServerType
from sia.architecture.models import Application, SecurityStandard, Server
from tests.kinds import Builder

pytestmark = pytest.mark.django_db


def delete_url(obj) -> str:
    return reverse(f"architecture:{obj._meta.model_name}_delete", args=[obj.pk])


def api_url(obj) -> str:
    return f"/api/architecture/{obj.spec.api_name}/{obj.pk}/"


def web(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def server(kinds):
    return kinds.build(Server, name="Server Bersama")


@pytest.fixture
def dinkes(kinds, world):
    """Builds objects owned by DINKES (another OPD than the server's)."""
    return Builder(world.dinkes)


def assert_unchanged(server, holder, field, version):
    assert Server.objects.filter(pk=server.pk).exists()
    holder.refresh_from_db()
    assert server in getattr(holder, field).all()
    assert holder.lock_version == version


# --- the reviewer's case: shared infrastructure ------------------------------------------------------------
@pytest.mark.parametrize("holder_model,field", [(Application, "servers"), (SecurityStandard, "protected_servers")],
                         ids=["application-runs-on", "keamanan-protects"])
def test_web_delete_refused_while_another_opd_uses_the_server(client, world, server, dinkes, holder_model, field):
    holder = dinkes.build(holder_model, **{field: [server]})
    version = holder.lock_version
    client = web(client, world.users["admin"])

    page = client.get(delete_url(server))
    assert page.status_code == 200
    body = page.content.decode()
    assert "data-in-use" in body and holder.code in body and holder.name in body and "DINKES" in body
    assert "Ya, hapus" not in body

    refused = client.post(delete_url(server))
    assert refused.status_code == 409
    assert holder.code in refused.content.decode()
    assert_unchanged(server, holder, field, version)


@pytest.mark.parametrize("holder_model,field", [(Application, "servers"), (SecurityStandard, "protected_servers")],
                         ids=["application-runs-on", "keamanan-protects"])
def test_api_delete_answers_409_with_the_holders(api, world, server, dinkes, holder_model, field):
    holder = dinkes.build(holder_model, **{field: [server]})
    version = holder.lock_version
    response = api(world.users["admin"]).delete(api_url(server))
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"]
    assert body["hidden_count"] == 0
    assert [(row["code"], row["name"], row["department"], row["kind"], row["links"]) for row in body["used_by"]] == [
        (holder.code, holder.name, "DINKES", holder_model.spec.api_name, [field])]
    assert_unchanged(server, holder, field, version)


def test_delete_allowed_once_unlinked(client, api, world, kinds, dinkes):
    first, second = kinds.build(Server), kinds.build(Server)
    app = dinkes.build(Application, servers=[first, second])
    guard = dinkes.build(SecurityStandard, protected_servers=[first])
    assert api(world.users["admin"]).delete(api_url(first)).status_code == 409
    app.servers.remove(first)
    assert api(world.users["admin"]).delete(api_url(first)).status_code == 409  # still protected
    guard.protected_servers.clear()
    assert api(world.users["admin"]).delete(api_url(first)).status_code == 204
    assert not Server.objects.filter(pk=first.pk).exists()

    client = web(client, world.users["admin"])
    assert client.post(delete_url(second)).status_code == 409
    app.servers.clear()
    page = client.get(delete_url(second))
    assert "data-in-use" not in page.content.decode() and "Ya, hapus" in page.content.decode()
    assert client.post(delete_url(second)).status_code == 302
    assert not Server.objects.filter(pk=second.pk).exists()


def test_a_hidden_holder_is_counted_not_named(client, api, world, kinds, server, dinkes):
    """The operator of the server's OPD may delete its draft, but does not see DINKES's draft application
    that runs on it: it is counted (“dan 1 lainnya …”), its code and name are not shown."""
    own = kinds.build(Application, servers=[server], name="Aplikasi Sendiri")
    hidden = dinkes.build(Application, servers=[server], name="Aplikasi Rahasia Dinkes")
    operator = world.users["operator"]
    assert usage.seen_by(usage.incoming(server), operator)[1] == 1  # the premise: DINKES's draft is out of sight

    response = api(operator).delete(api_url(server))
    assert response.status_code == 409, response.content
    assert [row["code"] for row in response.json()["used_by"]] == [own.code]
    assert response.json()["hidden_count"] == 1
    assert hidden.code not in response.content.decode() and hidden.name not in response.content.decode()

    client = web(client, operator)
    for page in (client.get(delete_url(server)), client.post(delete_url(server))):
        body = page.content.decode()
        assert own.code in body and hidden.code not in body and hidden.name not in body
        assert 'data-hidden-count="1"' in body and "dan 1 lainnya yang tidak dapat Anda lihat" in body
    assert Server.objects.filter(pk=server.pk).exists()

    admin = api(world.users["admin"]).delete(api_url(server)).json()
    assert admin["hidden_count"] == 0 and {row["code"] for row in admin["used_by"]} == {own.code, hidden.code}


def test_self_links_count(api, world, kinds):
    """A server hosting a virtual server; an object's link to itself does not keep it."""
    host = kinds.build(Server)
    guest = kinds.build(Server, host=host, server_type=ServerType.VIRTUAL)
    assert [h.obj for h in usage.incoming(host)] == [guest]
    assert api(world.users["admin"]).delete(api_url(host)).status_code == 409
    assert usage.incoming(guest) == []
    assert api(world.users["admin"]).delete(api_url(guest)).status_code == 204
    assert api(world.users["admin"]).delete(api_url(host)).status_code == 204


def test_query_count_does_not_grow_with_holders(api, world, kinds, dinkes, count_queries):
    few_server, many_server = kinds.build(Server), kinds.build(Server)
    for n in range(12):
        builder, model, field = [(dinkes, Application, "servers"), (kinds, Application, "servers"),
                                 (dinkes, SecurityStandard, "protected_servers")][n % 3]
        targets = [few_server, many_server] if n < 2 else [many_server]
        builder.build(model, **{field: targets})
    assert len(usage.incoming(few_server)) == 2 and len(usage.incoming(many_server)) == 12

    declarations = len(usage.incoming_declarations(Server))
    few, _ = count_queries(lambda: usage.incoming(few_server))
    many, _ = count_queries(lambda: usage.incoming(many_server))
    assert few == many == declarations

    for user in ("admin", "operator"):
        client = api(world.users[user])
        client.delete(api_url(few_server))  # what is read once per process (caches) is read here
        few, first = count_queries(lambda: client.delete(api_url(few_server)))
        many, second = count_queries(lambda: client.delete(api_url(many_server)))
        assert first.status_code == second.status_code == 409
        assert few == many, (user, few, many)


def test_django_admin_refuses_too(client, django_user_model, server, dinkes):
    app = dinkes.build(Application, servers=[server])
    client.force_login(django_user_model.objects.create_superuser("situs.admin.uji", "situs.admin@contoh.go.id", "x-sandi-uji-1"))
    url = reverse("admin:architecture_server_delete", args=[server.pk])
    page = client.get(url)
    assert page.status_code == 200 and app.code in page.content.decode()
    client.post(url, {"post": "yes"})
    assert Server.objects.filter(pk=server.pk).exists() and server in app.servers.all()
    app.servers.clear()
    client.post(url, {"post": "yes"})
    assert not Server.objects.filter(pk=server.pk).exists()


# --- every declared link -----------------------------------------------------------------------------------
LINKS = declared_links()


def link_to_target(kinds, holder_model, link):
    """A holder of ``holder_model`` linked through ``link`` to a target built for it: (holder, target)."""
    if link.through:
        holder = kinds.build(holder_model)
        return holder, getattr(kinds.link_row(holder, link), link.through_fields[1])
    # The link is written straight to the database: what is tested is the delete, not the domain's rules on
    # which holders may take the link (only a virtual server has a host).
    holder, target = kinds.build(holder_model), kinds.build(link.target_model(holder_model))
    if holder_model._meta.get_field(link.field).many_to_many:
        getattr(holder, link.field).add(target)
    else:
        holder_model.objects.filter(pk=holder.pk).update(**{link.field: target})
        holder.refresh_from_db()
    return holder, target


@pytest.mark.parametrize("holder_model,link", LINKS, ids=[f"{m.spec.slug}-{link.field}" for m, link in LINKS])
def test_every_declared_link_keeps_its_target(client, api, world, kinds, holder_model, link):
    holder, target = link_to_target(kinds, holder_model, link)
    assert holder in [h.obj for h in usage.incoming(target)]
    with pytest.raises(usage.InUse):
        usage.delete(target)

    response = api(world.users["admin"]).delete(api_url(target))
    assert response.status_code == 409, response.content
    assert holder.code in [row["code"] for row in response.json()["used_by"]]
    assert web(client, world.users["admin"]).post(delete_url(target)).status_code == 409
    assert type(target).objects.filter(pk=target.pk).exists()
    assert holder in [h.obj for h in usage.incoming(target)]  # the link is still there

    kinds.clear(holder, link.field)
    assert holder not in [h.obj for h in usage.incoming(target)]

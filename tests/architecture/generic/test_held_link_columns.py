"""An API list reads of each linked architecture object only what the link shows and its reader is decided on
(``held.LINK_COLUMNS``): for every kind, the list is the same as with whole rows, for the admin and for an operator
(whose hidden links are decided on the columns read), in as many queries, and the linked tables' other columns are
not selected."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture import held

from .domains import over_kinds

pytestmark = pytest.mark.django_db

WHOLE = held.read_columns


def narrowed(model) -> list:
    """The many-to-many fields of ``model`` whose linked rows an API list reads in part."""
    return [f for f in model._meta.many_to_many
            if len(WHOLE(f.related_model, True)) < len(WHOLE(f.related_model, False))]


def listed(api, user, model):
    with CaptureQueriesContext(connection) as ctx:
        response = api(user).get(f"/api/architecture/{model.spec.api_name}/?limit=100")
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in ctx.captured_queries]


@over_kinds
def test_an_api_list_reads_only_the_link_columns_of_what_it_links_to(api, world, kinds, model, monkeypatch):
    kinds.build(model, full=True)
    for user in (world.users["admin"], world.users["operator"]):
        listed(api, user, model)  # the user's grants, kept on the user object for the requests below
        body, queries = listed(api, user, model)
        monkeypatch.setattr(held, "read_columns", lambda related, links_only=False: WHOLE(related, False))
        whole_body, whole_queries = listed(api, user, model)
        monkeypatch.setattr(held, "read_columns", WHOLE)
        assert body == whole_body
        assert len(queries) == len(whole_queries)
        for field in narrowed(model):
            table = field.related_model._meta.db_table
            unread = f'"{table}"."created"'
            assert not any(unread in sql for sql in queries), field
            assert any(unread in sql for sql in whole_queries), field  # the comparison read them whole


def test_link_columns_are_read_for_the_kinds_that_link_to_architecture_objects():
    from sia.architecture.models import Application, Server

    assert {f.name for f in narrowed(Application)} >= {"processes", "services", "servers"}
    assert WHOLE(Server, True) == ("id", "institution_id", "department_id", "code", "name", "status") or \
        set(WHOLE(Server, True)) == set(held.LINK_COLUMNS)
    assert WHOLE(Server, False) == tuple(f.attname for f in Server._meta.concrete_fields)


@over_kinds
def test_a_get_of_one_object_reads_its_links_as_a_list_does(api, world, kinds, model, monkeypatch):
    """An object's GET reads its many-to-many links with ``held.load_held`` (only the link columns): the same answer
    as Django's prefetch gave, for the admin and for an operator, in as many queries."""
    from sia.architecture.api import views

    obj = kinds.build(model, full=True)
    url = f"/api/architecture/{model.spec.api_name}/{obj.pk}/"
    for user in (world.users["admin"], world.users["operator"]):
        client = api(user)
        client.get(url)  # the user's grants, kept on the user object for the requests below
        with CaptureQueriesContext(connection) as held_queries:
            body = client.get(url).json()
        monkeypatch.setattr(views, "keepable", lambda field: False)  # every link by Django's prefetch, as before
        with CaptureQueriesContext(connection) as prefetch_queries:
            prefetched_body = client.get(url).json()
        monkeypatch.undo()
        assert body == prefetched_body
        assert len(held_queries.captured_queries) == len(prefetch_queries.captured_queries)
        assert any("_prefetch_related_val" in q["sql"] for q in prefetch_queries.captured_queries) == bool(
            model._meta.many_to_many)
        assert not any("_prefetch_related_val" in q["sql"] for q in held_queries.captured_queries)
        for field in narrowed(model):  # read as links, not whole by the related manager
            unread = f'"{field.related_model._meta.db_table}"."created"'
            assert not any(unread in q["sql"] for q in held_queries.captured_queries), field


class _Every:
    def __contains__(self, name):
        return True


@over_kinds
def test_one_object_joins_only_the_links_every_row_has(api, world, kinds, model, monkeypatch):
    """An object's GET (and a write's) joins the OPD, instansi and reference and reads its other foreign keys' objects
    by ID (``views.load_links``, SQL compiled once): PostgreSQL took 7 ms to plan the join of all of an application's
    eight tables. The same answer as with every foreign key joined."""
    from sia.architecture.api import views

    obj = kinds.build(model, full=True)
    url = f"/api/architecture/{model.spec.api_name}/{obj.pk}/"
    table = f'FROM "{model._meta.db_table}"'

    def joins(client):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).json()
        first = next(q["sql"] for q in ctx.captured_queries if table in q["sql"] and " LIMIT 21" in q["sql"])
        return body, first.count(" JOIN ")

    for user in (world.users["admin"], world.users["operator"]):
        client = api(user)
        client.get(url)
        body, joined = joins(client)
        monkeypatch.setattr(views, "JOINED", _Every())
        every_body, every_joined = joins(client)
        monkeypatch.undo()
        assert body == every_body
        rendered = views.serializer_for(model).Meta.fields
        links = [f for f in model._meta.concrete_fields if f.is_relation and f.name in rendered]
        assert joined == len(views.list_queryset(model).select_related(*views.JOINED).query.select_related), model
        assert every_joined == len({f.name for f in links} | set(views.list_queryset(model).query.select_related))

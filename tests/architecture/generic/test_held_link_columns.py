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

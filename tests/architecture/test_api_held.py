"""A list API page reads its rows' many-to-many links itself (``api.held.load_held``: one query per link, its SQL
compiled once per link and page size) instead of through Django's prefetch: every reader gets the very answer the
prefetch gave, links hidden from them left out, on the first page and on the next (other IDs, same SQL)."""

import pytest

from sia.architecture import held
from sia.architecture.api import views
from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Application, BusinessProcess, DataItem, IntraNetwork, SecurityStandard
from sia.core import compiled
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

READERS = ["operator", "operator_dinkes", "admin", "verifier", "other_admin", "leader", "superuser"]
MODELS = [Application, DataItem, BusinessProcess, IntraNetwork, SecurityStandard]


@pytest.fixture
def linked(world, kinds):
    """Objects of both OPDs with every link filled (drafts and validated ones): the links' other ends too."""
    dinkes = Builder(world.dinkes)
    for model in MODELS:
        for variant, builder in enumerate((kinds, dinkes, kinds)):
            builder.build(model, full=True, variant=variant,
                          status=ReviewStatus.VALIDATED if variant == 1 else ReviewStatus.DRAFT)


def answers(client, model, pages=(0, 2)):
    url = f"/api/architecture/{model.spec.api_name}/"
    found = []
    for page in pages:
        response = client.get(url, {"offset": page, "limit": 2})
        assert response.status_code == 200, response.content
        found.append(response.json())
    return found


@pytest.mark.parametrize("who", READERS)
def test_every_reader_gets_what_the_prefetch_gave(linked, api, world, who, monkeypatch):
    client = api(world.users[who])
    for model in MODELS:
        mine = answers(client, model)
        with monkeypatch.context() as patched:
            patched.setattr(views, "keepable", lambda field: False)  # Django's prefetch, as before
            assert answers(client, model) == mine, (who, model)
        assert answers(client, model) == mine, (who, model)  # the kept SQL again, as the first time
        if who == "superuser":  # the answers hold links on both pages: the comparison compares something
            assert all(page["results"] for page in mine), model
            assert any(isinstance(v, list) and v for page in mine for row in page["results"] for v in row.values())


def test_the_sql_is_compiled_once_per_link_and_page_size(linked, api, world, monkeypatch):
    built = []
    query = held._query
    monkeypatch.setattr(held, "_query", lambda field, ids, names: built.append(len(ids)) or query(field, ids, names))
    compiled.clear()
    client = api(world.users["admin"])
    links = len([f for f in Application._meta.many_to_many])
    answers(client, Application)
    assert built == [held.SMALLEST] * links  # pages 1 and 2: one query each, compiled once
    answers(api(world.users["operator"]), Application)  # another reader: the same SQL (it holds no scope)
    assert len(built) == links


def test_stand_ins_are_ids_no_row_has_in_powers_of_two():
    assert len(held.stand_ins(0)) == len(held.stand_ins(8)) == held.SMALLEST
    assert len(held.stand_ins(9)) == 16 and len(held.stand_ins(50)) == 64
    assert max(held.stand_ins(50)) < 0 and len(set(held.stand_ins(50))) == 64


def test_a_row_without_links_gets_an_empty_list(api, world, kinds):
    app = kinds.build(Application, name="Aplikasi tanpa tautan")
    rows = Application.objects.filter(pk=app.pk)
    rows = list(rows)
    held.load_held(rows, [f for f in Application._meta.many_to_many if held.keepable(f)])
    assert all(rows[0].__dict__[f"_held_{f.name}"] == list(getattr(app, f.name).all())
               for f in Application._meta.many_to_many)


def test_a_detail_page_shows_the_other_links_as_the_related_manager_reads_them(linked, world):
    """An object's page reads its links to OPDs and value-list items the same way (``links.outgoing_links``)."""
    from sia.architecture.links import outgoing_links
    from sia.core import permissions

    fields = Application._meta.many_to_many
    others = [f for f in fields if f not in Application.link_fields()]
    assert others  # user_departments, platforms, languages
    apps = list(Application.objects.order_by("pk"))
    assert any(getattr(app, f.name).exists() for app in apps for f in others)
    for who in ("operator", "operator_dinkes", "admin"):
        for app in apps + apps:  # the first compiles, the others reuse
            reader = permissions.LinkReader(world.users[who])
            got = dict(zip([f.name for f in fields], [items for _label, items in outgoing_links(app, reader)]))
            for field in others:
                expected = permissions.LinkReader(world.users[who]).visible(getattr(app, field.name).all())
                assert [(o.pk, str(o)) for o in got[field.name]] == [(o.pk, str(o)) for o in expected], (who, field)

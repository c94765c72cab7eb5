"""The home pages (each role), the completeness page and "Perlu tindakan" cost as many queries with two
kinds declared as with every kind: the kinds' figures, queues and same-name warnings are read in a fixed
number of queries, whatever the number of kinds. Each kind's own ``completeness_warnings`` and its expiries
(``DomainSpec.expiry``) are counted in the same one query as the same names, so a kind adds no query."""

import re

import pytest
from django.urls import get_resolver

from sia.architecture import kept, kindgroups, queues, registry, workflow
from sia.architecture.choices import ReviewStatus
from sia.core import permissions
from tests.held import held


A = workflow.A
ALL = registry.domain_models()

pytestmark = pytest.mark.django_db


@pytest.fixture
@held(after="kinds")
def every_kind(world, kinds):
    """Objects of every kind in DISKOMINFO in each review status, and two of the same name."""
    operator, verifier = world.users["operator"], world.users["verifier"]
    for model in ALL:
        kinds.build(model, full=True, name="Nama yang sama")
        kinds.build(model, name="nama yang sama")
        for step in ((), (A.SUBMIT,), (A.SUBMIT, A.RETURN), (A.SUBMIT, A.VERIFY)):
            obj = kinds.build(model, full=True)
            for action in step:
                workflow.apply(obj, action, verifier if action != A.SUBMIT else operator, "Lengkapi")


def only(monkeypatch, models):
    """Declare only ``models``; the URLs (built from the registry when first loaded) stay those of every kind."""
    assert get_resolver().url_patterns
    monkeypatch.setattr(registry, "domain_models", lambda: list(models))
    monkeypatch.setattr(queues, "domain_models", lambda: list(models))


def queries_with(models, client, count_queries, url):
    with pytest.MonkeyPatch.context() as monkeypatch:
        only(monkeypatch, models)
        assert [m for _group, kinds in kindgroups.kind_groups() for m in kinds] == list(models)
        client.get(url)  # warm up session and caches
        kept.clear()  # the figures read, not kept (``sia.architecture.kept``)
        n, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200
        return n, response.content.decode()


@pytest.mark.parametrize("key,url", [
    ("operator", "/"), ("verifier", "/"), ("admin", "/"), ("leader", "/"), ("admin", "/arsitektur/kelengkapan/"),
    ("operator", "/arsitektur/perlu-tindakan/"), ("admin", "/arsitektur/perlu-tindakan/"),
])
def test_page_queries_do_not_grow_with_kinds(client, world, every_kind, count_queries, key, url):
    assert len(ALL) > 2
    client.force_login(world.users[key])
    few, few_body = queries_with(ALL[:2], client, count_queries, url)
    many, many_body = queries_with(ALL, client, count_queries, url)
    assert few == many, (few, many)
    last = re.compile(  # a figure's column (home, completeness) or a kind's queue ("perlu tindakan")
        rf'data-(group|key)="([A-Z]+-)?{kindgroups.group_of(ALL[-1]).slug}"|<h3>{kindgroups.kind_label(ALL[-1])} <'
    )
    assert not last.search(few_body) and last.search(many_body)  # the page did read the kinds it was given


def test_queues_and_counts_cover_every_kind_in_a_fixed_number_of_queries(world, every_kind, count_queries):
    verifier, operator = world.users["verifier"], world.users["operator"]
    n, counts = count_queries(lambda: queues.status_counts(verifier))
    assert n == 1 and [model for model, _counts in counts] == ALL
    for model, per_status in counts:
        visible = permissions.visible(verifier, model.objects.all())
        assert per_status == {s.value: visible.filter(status=s).count() for s in ReviewStatus}, model
        assert per_status["diajukan"] >= 1 and per_status["dikembalikan"] >= 1
    n, items = count_queries(lambda: queues.queue(verifier, "diajukan", 100))
    assert n == 1 and {type(item.obj) for item in items} == set(ALL)
    assert [item.entered for item in items] == sorted(item.entered for item in items)
    n, shown = count_queries(lambda: [(i.obj.code, i.obj.name, i.obj.department.abbreviation) for i in items])
    assert n == 0 and all(shown_row[2] == world.kominfo.abbreviation for shown_row in shown)
    # an operator's figures are kept between requests (``sia.architecture.kept``): the generation, then the figure
    n, per_department = count_queries(lambda: queues.by_department(operator, "dikembalikan", own_only=True))
    assert n == 2 and [(d.abbreviation, d.count) for d in per_department] == [(world.kominfo.abbreviation, len(ALL))]
    n, rows = count_queries(lambda: queues.waiting_by_kind(operator, "draf", 2, own_only=True))
    assert n == 3 and [model for model, _items, _total in rows] == ALL  # the generation, the objects, the totals
    for model, items, total in rows:
        oldest = queues.waiting(operator, model, "draf", own_only=True).order_by("entered", "pk")
        assert total == oldest.count() >= 3, model
        assert [obj.pk for obj in items] == [obj.pk for obj in oldest[:2]], model

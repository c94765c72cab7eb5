"""A re-import of an instansi's own export costs its changes, not its size: an element or relationship the file leaves
as it is is recognised from what is read in bulk, so the preview and the commit of three changes make the same number
of queries whether the instansi holds a few or many more unchanged objects (docs/benchmarks.md: 20,000 objects)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from sia.architecture.models import Application, BusinessProcess, Server
from sia.architecture.registry import domain_models
from sia.exchange.archimate import importer
from sia.exchange.archimate.export import export_model

from .archimate_helpers import NS, fill_every_kind, parse
from .test_archimate_import import count_objects, element_by_code

# Queries of a preview of three renamed objects, whatever the number of unchanged ones: the import's bulk reads (the
# objects per kind, the links per declared field, the rows per link with attributes, the reference nodes) and the
# editing path of the three.
BUDGET = 230


def renamed(content: bytes, codes: dict) -> bytes:
    root = parse(content)
    for code, name in codes.items():
        element_by_code(root, code).find("a:name", NS).text = name
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def grow(kinds, count: int) -> None:
    """``count`` more objects, every kind in turn, each with its links (to the objects the builder links to)."""
    for model in itertools.islice(itertools.cycle(domain_models()), count):
        kinds.build(model, full=True)


@pytest.fixture
def three(world, kinds):
    fill_every_kind(kinds)
    return [model.objects.filter(institution=world.inst).order_by("code").first()
            for model in (BusinessProcess, Application, Server)]


def measured(world, run, three, assert_max) -> tuple[int, importer.ImportResult]:
    content, problems = export_model(world.users["admin"], world.inst)
    assert problems == []
    edited = renamed(content, {obj.code: f"{obj.name} (diubah di Archi)" for obj in three})
    with assert_max(BUDGET), CaptureQueriesContext(connection) as queries:
        result = run(edited, user=world.users["admin"], institution=world.inst)
    assert result.is_clean, result.problems
    return len(queries.captured_queries), result


def test_the_preview_costs_the_changes_not_the_unchanged_objects(world, kinds, three, django_assert_max_num_queries):
    grow(kinds, 30)
    small, result = measured(world, importer.preview, three, django_assert_max_num_queries)
    total = count_objects(world.inst)
    assert result.counts() == {"create": 0, "update": 3, "unchanged": total - 3}
    assert sorted(c.code for c in result.changes if c.action == importer.UPDATE) == sorted(o.code for o in three)

    grow(kinds, 90)
    assert count_objects(world.inst) >= total + 90
    large, result = measured(world, importer.preview, three, django_assert_max_num_queries)
    assert result.counts() == {"create": 0, "update": 3, "unchanged": count_objects(world.inst) - 3}
    assert large == small, (small, large)
    assert BusinessProcess.objects.get(pk=three[0].pk).name == three[0].name  # a preview writes nothing


def test_the_commit_costs_the_changes_not_the_unchanged_objects(world, kinds, three, django_assert_max_num_queries):
    grow(kinds, 30)
    small, result = measured(world, importer.commit, three, django_assert_max_num_queries)
    assert result.written and result.counts()["update"] == 3
    assert BusinessProcess.objects.get(pk=three[0].pk).name == f"{three[0].name} (diubah di Archi)"

    grow(kinds, 90)
    for obj in three:
        obj.refresh_from_db()
    large, result = measured(world, importer.commit, three, django_assert_max_num_queries)
    assert result.written and result.counts()["update"] == 3
    assert large == small, (small, large)

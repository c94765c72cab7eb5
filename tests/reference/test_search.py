import pytest

from sia.reference import tree
from sia.reference.models import ReferenceNode

from .helpers import node, own_node

pytestmark = pytest.mark.django_db


def codes(text, catalog=None):
    queryset = ReferenceNode.objects.current()
    if catalog:
        queryset = queryset.of_catalog(catalog)
    return sorted(tree.search(queryset, text).values_list("code", flat=True))


def test_words_of_the_name_in_any_case():
    assert codes("KEARSIPAN") == ["RAB.09.06.06", "RAD.09.06.06", "RAL.02.04.06"]
    assert codes("kearsipan", "RAB") == ["RAB.09.06.06"]
    assert codes("penyelenggaraan kearsipan", "RAL") == ["RAL.02.04.06"]


def test_every_word_must_match():
    assert codes("kearsipan pertahanan") == []


def test_accents_are_ignored_both_ways(world):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Élektronik")
    assert codes("elektronik") == ["RAB.09.06.06.01"]
    assert codes("ÉLEKTRONIK arsip") == ["RAB.09.06.06.01"]


def test_code_prefix():
    children = sorted(node("RAB.09.06").children.values_list("code", flat=True))
    assert len(children) > 5
    assert codes("rab.09.06") == ["RAB.09.06", *children]
    found = codes("RAB.09.06.0")
    assert found and all(code.startswith("RAB.09.06.0") for code in found)
    assert codes("RAB.09.06.06") == ["RAB.09.06.06"]


def test_empty_search_finds_nothing():
    assert codes("   ") == [] and codes("--") == []

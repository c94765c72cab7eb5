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


def test_words_of_the_uraian_count_too_accents_ignored(world):
    own = own_node(node("RAB.04.01.06"), world.inst, "RAB.04.01.06.01", "Pencegahan dan Pengendalian Penyakit Menular")
    own.description = "Imunisasi rutin dan Bulan Imunisasi Anak Nasional; surveilans PD3I (Élite)."
    own.save()
    assert codes("imunisasi") == ["RAB.04.01.06.01"]
    assert codes("IMUNISASI penyakit") == ["RAB.04.01.06.01"]  # one word in the name, one in the uraian
    assert codes("elite imunisasi") == ["RAB.04.01.06.01"]
    assert codes("imunisasi kearsipan") == []


def test_name_matches_come_before_uraian_matches(world, client):
    from sia.reference.views import search_results

    by_name = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Imunisasi")
    by_uraian = own_node(node("RAB.04.01.06"), world.inst, "RAB.04.01.06.01", "Pengendalian Penyakit")
    by_uraian.description = "Imunisasi dasar lengkap"
    by_uraian.save()
    results, more = search_results(ReferenceNode.objects.current(), "imunisasi", 10)
    assert [n.code for n in results] == [by_name.code, by_uraian.code] and not more
    client.force_login(world.users["admin"])
    body = client.get("/referensi/pilih/", {"q": "imunisasi", "catalog": "RAB", "min_level": 3}).content.decode()
    assert body.index("RAB.09.06.06.01") < body.index("RAB.04.01.06.01")
    assert "Uraian: Imunisasi dasar lengkap" in body


def test_the_demo_province_has_a_node_found_by_imunisasi(world):
    from sia.reference.demo import load_own_nodes

    assert load_own_nodes() == "2 simpul instansi"
    assert load_own_nodes() == "0 simpul instansi"
    assert codes("imunisasi") == ["RAB.04.01.06.01"]

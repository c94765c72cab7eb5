import pytest

from sia.reference.crosswalk import comparable_name, propose

from .helpers import node, own_node

pytestmark = pytest.mark.django_db


def proposed(code, target):
    return [n.code for n in propose(node(code), target)]


@pytest.mark.parametrize(
    "code, ral, rad",
    [
        # Level 2: RAD keeps RAB's numbers, RAL renumbers the urusan under Layanan Publik / Administrasi.
        ("RAB.09.06", ["RAL.02.04"], ["RAD.09.06"]),
        ("RAB.02.01", ["RAL.01.05"], ["RAD.02.01"]),
        ("RAB.01.01", ["RAL.01.01"], ["RAD.01.01"]),
        # Level 3: RAL keeps RAB's last segment under the matched urusan.
        ("RAB.09.06.06", ["RAL.02.04.06"], ["RAD.09.06.06"]),
        # RAD numbers six sub-urusan differently: matched by name under the urusan.
        ("RAB.03.04.01", ["RAL.01.20.01"], ["RAD.03.04.07"]),
        ("RAB.02.10.03", ["RAL.01.14.03"], ["RAD.02.10.05"]),
        # Once a source typo ("Penge4olaan", corrected in the shipped data): found by code and name.
        ("RAB.04.01.04", ["RAL.01.25.04"], ["RAD.04.01.04"]),
        # No RAL twin in the source: nothing is proposed rather than a guess.
        ("RAB.09.03.08", [], ["RAD.09.03.08"]),
        # Level 1: RAD by name; RAL by the parents of the matched urusan.
        ("RAB.09", ["RAL.01", "RAL.02"], ["RAD.09"]),
        ("RAB.04", ["RAL.01"], ["RAD.04"]),
    ],
)
def test_rab_to_ral_and_rad(code, ral, rad):
    assert proposed(code, "RAL") == ral
    assert proposed(code, "RAD") == rad


def test_other_directions():
    assert proposed("RAL.02.04.06", "RAB") == ["RAB.09.06.06"]
    assert proposed("RAD.09.06.06", "RAL") == ["RAL.02.04.06"]


def test_instansi_nodes_match_by_name_under_the_matched_parent(world):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Dinamis")
    twin = own_node(node("RAL.02.04.06"), world.inst, "RAL.02.04.06.03", "Layanan Arsip Dinamis")
    own_node(node("RAL.02.04.06"), world.other, "RAL.02.04.06.01", "Arsip Dinamis")
    source = node("RAB.09.06.06").children.get(institution=world.inst)
    assert propose(source, "RAL") == [twin]


def test_comparable_names_drop_the_domain_word():
    assert comparable_name("Data Aparatur Negara") == comparable_name("aparatur negara")
    assert comparable_name("Informasi") == "informasi"

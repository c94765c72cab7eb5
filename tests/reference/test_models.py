import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sia.reference.importer import parse_catalog_file, publish_version
from sia.reference.models import CatalogVersion, ReferenceNode

from .helpers import RAB_SAMPLE, csv_upload, node, own_node

pytestmark = pytest.mark.django_db


def build(parent, institution, code, name="Pengelolaan Arsip Dinamis"):
    return ReferenceNode(version=parent.version, institution=institution, code=code, name=name)


def errors(candidate):
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    return error.value.message_dict


def test_instansi_node_level_and_parent_follow_from_the_code(world):
    child = own_node(node("RAB.09.06.06"), world.inst, " rab.09.06.06.01 ")
    assert (child.code, child.level, child.parent.code) == ("RAB.09.06.06.01", 4, "RAB.09.06.06")
    grandchild = own_node(child, world.inst, "RAB.09.06.06.01.01", "Arsip Vital")
    assert grandchild.parent == child and grandchild.level == 5


def test_instansi_nodes_go_under_the_deepest_national_node(world):
    message = errors(build(node("RAB.09.06"), world.inst, "RAB.09.06.99"))["code"][0]
    # The message names the catalog's level (RAB level 3 is "Sub-urusan") and a place that works.
    assert "simpul nasional terdalam" in message and "Sub-urusan" in message and "RAB.09.06.01.01" in message
    assert "Sektor pemerintahan" in errors(build(node("RAB.09"), world.inst, "RAB.99"))["code"][0]


def test_instansi_details_a_shallow_catalog_under_its_deepest_national_node(world):
    # RAA is public only to level 2: an instansi adds its application areas at level 3.
    area = own_node(node("RAA.01.01"), world.inst, "RAA.01.01.01", "Aplikasi Layanan Perizinan")
    assert (area.level, area.parent, area.institution) == (3, node("RAA.01.01"), world.inst)
    assert own_node(area, world.inst, "RAA.01.01.01.01", "Perizinan Berusaha").parent == area
    # RAA.01 has national children: a new level-2 group beside them is not the instansi's to add.
    message = errors(build(node("RAA.01"), world.inst, "RAA.01.09"))["code"][0]
    assert "Kelompok aplikasi" in message and "RAA.01.01.01" in message


def test_fragmentary_catalog_takes_instansi_nodes_under_each_national_leaf(world):
    assert own_node(node("RAI.03.01.01"), world.inst, "RAI.03.01.01.01", "Server Pusat Data").level == 4
    assert own_node(node("RAI.03.01.07.01"), world.inst, "RAI.03.01.07.01.01", "PostgreSQL").level == 5


def test_catalog_without_national_codes_takes_instansi_nodes_at_the_top(world):
    version = CatalogVersion.objects.get(catalog__code="RAK", is_current=True)
    top = ReferenceNode(version=version, institution=world.inst, code="RAK.01", name="Standar Keamanan Kota")
    top.full_clean()
    top.save()
    assert (top.level, top.parent) == (1, None)
    assert own_node(top, world.inst, "RAK.01.01", "Kebijakan Kata Sandi").parent == top
    # A catalog with national codes takes none at its top.
    rab = node("RAB.09").version
    assert "Sektor pemerintahan" in errors(ReferenceNode(version=rab, institution=world.inst, code="RAB.10", name="x"))["code"][0]


def test_parent_must_exist_in_the_same_version(world):
    assert "Induk RAB.09.06.99" in errors(build(node("RAB.09.06.06"), world.inst, "RAB.09.06.99.01"))["code"][0]


def test_parent_of_another_instansi_is_not_a_parent(world):
    own_node(node("RAB.09.06.06"), world.other, "RAB.09.06.06.01")
    assert "Induk RAB.09.06.06.01" in errors(build(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01.01"))["code"][0]


def test_code_must_match_the_chosen_parent(world):
    candidate = build(node("RAB.09.06.06"), world.inst, "RAB.09.06.05.01")
    candidate.parent = node("RAB.09.06.06")
    assert "induk yang dipilih" in errors(candidate)["code"][0]


def test_prefix_must_match_the_catalog(world):
    assert "katalognya RAB" in errors(build(node("RAB.09.06.06"), world.inst, "RAL.02.04.06.01"))["code"][0]


def test_deeper_than_seven_levels_is_refused(world):
    parent = node("RAB.09.06.06")
    for code in ("RAB.09.06.06.01", "RAB.09.06.06.01.01", "RAB.09.06.06.01.01.01", "RAB.09.06.06.01.01.01.01"):
        parent = own_node(parent, world.inst, code)
    assert "paling dalam tingkat 7" in errors(build(parent, world.inst, "RAB.09.06.06.01.01.01.01.01"))["code"][0]


def test_codes_are_unique_per_instansi_but_may_repeat_across_instansi(world):
    own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    own_node(node("RAB.09.06.06"), world.other, "RAB.09.06.06.01")
    assert "sudah memiliki simpul dengan kode" in str(errors(build(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferenceNode.objects.create(version=node("RAB.09").version, institution=world.inst, code="RAB.09.06.06.01", name="x", level=4)


def test_national_codes_cannot_be_taken_by_an_instansi(world):
    assert "simpul nasional" in errors(build(node("RAI.03.01.07"), world.inst, "RAI.03.01.07.01"))["code"][0]


def test_draft_versions_take_no_instansi_nodes(world, catalogs):
    version, _created = publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Draf", publish=False)
    parent = version.nodes.get(code="RAB.09.06.06")
    assert "sudah terbit" in errors(build(parent, world.inst, "RAB.09.06.06.01"))["code"][0]


def test_code_of_a_node_with_children_is_fixed(world):
    child = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    own_node(child, world.inst, "RAB.09.06.06.01.01")
    child.code = "RAB.09.06.06.02"
    assert "sudah memiliki anak" in errors(child)["code"][0]


def test_search_text_follows_the_name(world):
    child = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01", "Arsip Élektronik")
    child.name = "Arsip Statis"
    child.save()
    assert ReferenceNode.objects.get(pk=child.pk).search_text == "rab.09.06.06.01 arsip statis"


def test_path_is_read_from_the_codes_in_one_query(world, django_assert_num_queries):
    child = own_node(node("RAB.09.06.06"), world.inst, "RAB.09.06.06.01")
    fresh = ReferenceNode.objects.get(pk=child.pk)
    with django_assert_num_queries(1):
        assert [step.code for step in fresh.path] == ["RAB.09", "RAB.09.06", "RAB.09.06.06", "RAB.09.06.06.01"]


def test_instansi_nodes_only_in_the_version_in_force(world, catalogs):
    superseded = node("RAB.09.06.06")
    publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025")
    superseded.refresh_from_db()
    assert not superseded.version.is_current
    assert "versi berlaku" in errors(build(superseded, world.inst, "RAB.09.06.06.01"))["code"][0]


def test_instansi_node_of_a_superseded_version_stays_editable(world, catalogs):
    own = own_node(node("RAB.09.06.05"), world.inst, "RAB.09.06.05.01")  # RAB.09.06.05 is not in the new file
    publish_version(parse_catalog_file(csv_upload(RAB_SAMPLE), catalogs["RAB"]), name="Uji 2025")
    own.refresh_from_db()
    own.name = "Nama diperbaiki"
    own.full_clean()

"""``ReferenceNode.is_national_leaf``: a national node without national children, stored (shipped catalogs,
imported versions, single saves and deletes, and the migration that backfilled it) so that the reference
rule of an architecture object reads it from the node instead of asking the database per object."""

import importlib

import pytest
from django.apps import apps
from django.db.models import Exists, OuterRef

from sia.reference.importer import parse_catalog_file, publish_version
from sia.reference.models import ReferenceNode

from .helpers import RAB_SAMPLE, csv_upload, node, own_node

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("sia.reference.migrations.0005_node_is_national_leaf")


def computed_leaves():
    """The national leaves as the database tells them (the rule the stored flag follows)."""
    children = ReferenceNode.objects.filter(parent=OuterRef("pk"), institution__isnull=True)
    return set(ReferenceNode.objects.national().exclude(Exists(children)).values_list("pk", flat=True))


def stored_leaves():
    return set(ReferenceNode.objects.filter(is_national_leaf=True).values_list("pk", flat=True))


def test_shipped_catalogs_store_their_national_leaves(catalogs):
    assert stored_leaves() == computed_leaves()
    assert node("RAA.01.01").is_national_leaf and not node("RAA.01").is_national_leaf
    assert node("RAB.09.06.06").is_national_leaf and not node("RAB.09.06").is_national_leaf


def test_an_imported_version_stores_its_leaves(catalogs, world):
    preview = parse_catalog_file(csv_upload(RAB_SAMPLE), catalog=catalogs["RAB"])
    version, created = publish_version(preview, name="Uji 2025")
    assert created
    leaves = set(version.nodes.filter(is_national_leaf=True).values_list("code", flat=True))
    assert leaves == {"RAB.09.06.06", "RAB.09.06.07"}
    assert stored_leaves() == computed_leaves()


def test_instansi_nodes_leave_the_national_leaf_as_it_is(catalogs, world):
    parent = node("RAA.01.01")
    own = own_node(parent, world.inst, "RAA.01.01.01", "Perizinan")
    assert not own.is_national_leaf
    parent.refresh_from_db()
    assert parent.is_national_leaf  # an instansi's own node below it does not make it less deep
    own.name = "Perizinan Berusaha"
    own.save()
    own.delete()
    assert node("RAA.01.01").is_national_leaf


def test_saving_and_deleting_a_national_node_keeps_its_parent_right(catalogs):
    parent = node("RAA.01.01")
    child = ReferenceNode.objects.create(version=parent.version, parent=parent, code="RAA.01.01.01", name="Baru")
    parent.refresh_from_db()
    assert child.is_national_leaf and not parent.is_national_leaf
    child.name = "Baru sekali"
    child.save()
    child.refresh_from_db()
    assert child.is_national_leaf
    parent.save()  # saved again with a national child: still not a leaf
    parent.refresh_from_db()
    assert not parent.is_national_leaf
    ReferenceNode.objects.filter(pk=child.pk).delete()  # a queryset delete too
    parent.refresh_from_db()
    assert parent.is_national_leaf
    assert stored_leaves() == computed_leaves()


def test_the_migration_backfills_the_flag(catalogs, world):
    own_node(node("RAA.01.01"), world.inst, "RAA.01.01.01", "Perizinan")
    expected = stored_leaves()
    ReferenceNode.objects.update(is_national_leaf=False)  # as the column is added
    MIGRATION.mark_national_leaves(apps, None)
    assert stored_leaves() == expected == computed_leaves()

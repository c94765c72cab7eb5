import csv
from pathlib import Path

import pytest
from django.db.models import Count

from sia.reference.choices import Completeness, VersionStatus
from sia.reference.loader import DATA_DIR, DEFAULT_VERSION, ensure_default_catalogs
from sia.reference.models import Catalog, CatalogVersion, ReferenceNode

pytestmark = pytest.mark.django_db


def level_counts(code):
    rows = (
        ReferenceNode.objects.filter(version__catalog__code=code, version__name=DEFAULT_VERSION)
        .values_list("level").annotate(n=Count("pk")).order_by("level")
    )
    return dict(rows)


def test_six_catalogs_with_a_default_published_version():
    assert sorted(Catalog.objects.values_list("code", flat=True)) == ["RAA", "RAB", "RAD", "RAI", "RAK", "RAL"]
    for version in CatalogVersion.objects.all():
        assert version.name == DEFAULT_VERSION
        assert version.status == VersionStatus.PUBLISHED and version.is_current


@pytest.mark.parametrize(
    "code, counts",
    [("RAB", {1: 9, 2: 45, 3: 304}), ("RAL", {1: 2, 2: 53, 3: 302}), ("RAD", {1: 10, 2: 49, 3: 305}),
     ("RAA", {1: 2, 2: 4}), ("RAI", {1: 1, 2: 1, 3: 3, 4: 3}), ("RAK", {})],
)
def test_shipped_counts_per_level(code, counts):
    assert level_counts(code) == counts


def test_every_shipped_row_is_loaded_with_its_source():
    for path in DATA_DIR.glob("*.csv"):
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        loaded = {n.code: n for n in ReferenceNode.objects.filter(code__startswith=rows[0]["code"][:3])}
        assert set(loaded) == {row["code"] for row in rows}, path.name
        for row in rows:
            node = loaded[row["code"]]
            assert (node.name, node.level, node.source) == (row["name"], int(row["level"]), row["source_url"])
            assert (node.parent.code if node.parent else "") == row["parent_code"]


def test_partial_and_empty_catalogs_are_labelled():
    completeness = dict(CatalogVersion.objects.values_list("catalog__code", "completeness"))
    assert completeness == {
        "RAB": Completeness.COMPLETE, "RAL": Completeness.COMPLETE, "RAD": Completeness.COMPLETE,
        "RAA": Completeness.PARTIAL, "RAI": Completeness.PARTIAL, "RAK": Completeness.NO_PUBLIC_CODES,
    }
    rak = CatalogVersion.objects.get(catalog__code="RAK")
    assert "Tidak ada kode RAK" in rak.notes
    assert "Standar Keamanan" in Catalog.objects.get(code="RAK").level_names


def test_loading_again_changes_nothing():
    nodes, history = ReferenceNode.objects.count(), ReferenceNode.history.count()
    assert ensure_default_catalogs() == "katalog referensi sudah ada"
    assert (ReferenceNode.objects.count(), ReferenceNode.history.count()) == (nodes, history)


def test_loads_what_is_missing_only():
    version = CatalogVersion.objects.get(catalog__code="RAA")
    ReferenceNode.objects.filter(version=version, level=2).delete()  # children first: parents are protected
    ReferenceNode.objects.filter(version=version).delete()
    version.delete()
    ensure_default_catalogs()
    restored = CatalogVersion.objects.get(catalog__code="RAA")
    assert restored.is_current and restored.nodes.count() == 6
    assert CatalogVersion.objects.count() == 6


def test_search_text_and_audit_records_are_written():
    node = ReferenceNode.objects.get(code="RAB.09.06.06")
    assert node.search_text == "rab.09.06.06 penyelenggaraan kearsipan"
    assert node.history.count() == 1


def test_data_readme_names_the_sources():
    readme = (Path(DATA_DIR) / "README.md").read_text()
    assert "hilal1709/SPBE-DISKOMINFO" in readme and "Never edit a code" in readme


def test_the_source_typo_of_rab_04_01_04_is_corrected_and_noted():
    with open(DATA_DIR / "rab_perpres132_levels1-3.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["code"] == "RAB.04.01.04")
    assert row["name"] == "Pengelolaan Pelayanan Kesehatan"
    assert "corrected from the source typo 'Penge4olaan'" in row["description"]
    readme = (Path(DATA_DIR) / "README.md").read_text()
    assert "Penge4olaan" in readme and "refresh_shipped_nodes" in readme


def test_loading_again_corrects_the_names_of_existing_nodes(count_queries):
    node = ReferenceNode.objects.get(code="RAB.04.01.04", institution__isnull=True)
    version = node.version
    old_hash = version.content_hash
    ReferenceNode.objects.filter(pk=node.pk).update(name="Penge4olaan Pelayanan Kesehatan", description="typo")
    CatalogVersion.objects.filter(pk=version.pk).update(content_hash="0" * 64)  # as loaded from the old file
    nodes, history = ReferenceNode.objects.count(), node.history.count()
    assert ensure_default_catalogs() == "nama simpul diperbarui: RAB 1"
    node.refresh_from_db()
    assert node.name == "Pengelolaan Pelayanan Kesehatan" and node.description.startswith("corrected from")
    assert node.search_text == "rab.04.01.04 pengelolaan pelayanan kesehatan"
    assert ReferenceNode.objects.count() == nodes and node.history.count() == history + 1
    assert CatalogVersion.objects.get(pk=version.pk).content_hash == old_hash
    queries, answer = count_queries(ensure_default_catalogs)
    assert answer == "katalog referensi sudah ada" and queries == 2 and node.history.count() == history + 1

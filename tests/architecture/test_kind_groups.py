"""Kind groups (``DomainSpec.group``): the kinds of a group share one menu entry (with a sub-entry per
kind), one completeness column (counts and percent over all its kinds, every kind's warnings), one key of
the completeness API and one bar / heat-map column / progress row on the home pages. Proved here on two
existing domains declared as one group, as infrastruktur's twelve kinds will be."""

import dataclasses
import re

import pytest

from sia.architecture import completeness, dashboard, queues
from sia.architecture.kindgroups import KindGroup, group_of, kind_groups
from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.architecture.navigation import domain_entries
from sia.architecture.registry import domain_models
from sia.core.navigation import menu_for

pytestmark = pytest.mark.django_db

GROUP = KindGroup("layanan-data", "Layanan dan Data", order=25)


def declare_group(monkeypatch, *models_):
    for model in models_:
        monkeypatch.setattr(model, "spec", dataclasses.replace(model.spec, group=GROUP))


@pytest.fixture
def grouped(monkeypatch):
    declare_group(monkeypatch, Service, DataItem)


def cells_of(table, department):
    return dict(zip(table.slugs, next(cells for d, cells in table.rows if d == department)))


def test_a_domain_without_group_is_a_group_of_its_own():
    ungrouped = [model for model in domain_models() if model.spec.group is None]
    groups = [(group, kinds) for group, kinds in kind_groups() if kinds[0].spec.group is None]
    assert [kinds for _group, kinds in groups] == [[model] for model in ungrouped]
    assert [group.slug for group, _kinds in groups] == [model.spec.slug for model in ungrouped]
    assert group_of(BusinessProcess) == KindGroup("proses-bisnis", BusinessProcess.spec.menu_label, order=10)


def test_group_collects_its_kinds_in_order(grouped):
    groups = dict((group.slug, kinds) for group, kinds in kind_groups())
    assert groups["layanan-data"] == [Service, DataItem]
    assert "layanan" not in groups and "data" not in groups
    assert list(groups)[:2] == ["proses-bisnis", "layanan-data"]  # the group's own order (25)


def test_menu_has_one_entry_per_group_with_its_kinds_below(grouped, world):
    entries = domain_entries()
    labels = [str(entry.label) for entry in entries]
    assert labels.count("Layanan dan Data") == 1 and "Layanan" not in labels
    heading = entries[labels.index("Layanan dan Data")]
    assert heading.url_name == "" and [child.url_name for child in heading.children] == [
        "architecture:service_list", "architecture:dataitem_list"]
    [architecture] = [group for group in menu_for(world.users["operator"]) if str(group["label"]) == "Arsitektur"]
    [entry] = [item for item in architecture["items"] if str(item["label"]) == "Layanan dan Data"]
    assert entry["url"] == "" and [(str(c["label"]), c["url"]) for c in entry["children"]] == [
        ("Layanan", "/arsitektur/layanan/"), ("Data dan Informasi", "/arsitektur/data/")]
    assert next(item for item in architecture["items"] if str(item["label"]) == "Proses Bisnis")["children"] == []


def test_menu_is_drawn_with_the_group_heading(grouped, client, world):
    client.force_login(world.users["operator"])
    body = client.get("/arsitektur/layanan/").content.decode()
    heading = re.search(r'<span class="menu-heading">Layanan dan Data</span>\s*<ul class="menu-sub">(.*?)</ul>', body, re.S)
    assert heading is not None
    assert 'href="/arsitektur/layanan/" aria-current="page">Layanan</a>' in heading.group(1)
    assert 'href="/arsitektur/data/">Data dan Informasi</a>' in heading.group(1)


def test_completeness_column_sums_the_kinds(arch, world, monkeypatch):
    DataItem.objects.create(department=world.kominfo, name="data statistik sektoral")  # a duplicate name: a warning
    DataItem.objects.create(department=world.dinkes, name="Data Statistik Sektoral")  # another OPD's: no warning
    apart = cells_of(completeness.table_for(world.users["admin"]), world.kominfo)
    declare_group(monkeypatch, Service, DataItem)
    table = completeness.table_for(world.users["admin"])
    assert "layanan-data" in table.slugs and "layanan" not in table.slugs and "data" not in table.slugs
    assert [str(label) for label in table.labels].count("Layanan dan Data") == 1
    cell = cells_of(table, world.kominfo)["layanan-data"]
    service, data = apart["layanan"], apart["data"]
    assert cell.count == service.count + data.count == 3
    assert (cell.filled, cell.required) == (service.filled + data.filled, service.required + data.required)
    assert cell.percent == round(100 * cell.filled / cell.required)
    assert "2 objek dengan nama yang sama" in data.warnings
    assert cell.warnings == [f"Data dan Informasi: {w}" for w in data.warnings]
    assert [(label, part.count) for label, part in cell.parts] == [("Layanan", 1), ("Data dan Informasi", 2)]
    assert cells_of(table, world.kominfo)["proses-bisnis"] == apart["proses-bisnis"]  # a group of one is unchanged


def test_completeness_page_shows_one_column_per_group(grouped, arch, client, world):
    client.force_login(world.users["admin"])
    body = client.get("/arsitektur/kelengkapan/").content.decode()
    header = re.search(r"<thead>.*?</thead>", body, re.S).group(0)
    assert "Layanan dan Data" in header and ">Layanan<" not in header
    row = re.search(r'<tr data-department="DISKOMINFO">.*?</tr>', body, re.S).group(0)
    cell = re.search(r'<td data-domain="\d+" data-group="layanan-data">(.*?)</td>', row, re.S).group(1)
    assert '<span class="num">2</span>' in cell and "Layanan 1 · Data dan Informasi 1" in cell


def test_completeness_api_is_keyed_by_group(grouped, arch, world, api):
    rows = api(world.users["admin"]).get("/api/architecture/completeness/").json()
    kominfo = next(r for r in rows if r["department"]["abbreviation"] == "DISKOMINFO")["domains"]
    assert "layanan" not in kominfo and "data" not in kominfo
    group = kominfo["layanan-data"]
    assert group["count"] == 2 and set(group["kinds"]) == {"layanan", "data"}
    assert group["kinds"]["layanan"]["count"] == group["kinds"]["data"]["count"] == 1
    # A domain of one kind keeps its key (its own slug), with itself as its only kind.
    assert kominfo["proses-bisnis"]["count"] == 1 and list(kominfo["proses-bisnis"]["kinds"]) == ["proses-bisnis"]


def test_completeness_api_keeps_domain_keys_without_groups(arch, world, api):
    rows = api(world.users["admin"]).get("/api/architecture/completeness/").json()
    kominfo = next(r for r in rows if r["department"]["abbreviation"] == "DISKOMINFO")["domains"]
    assert list(kominfo) == [group.slug for group, _kinds in kind_groups()]
    assert kominfo["layanan"]["count"] == 1 and kominfo["layanan"]["kinds"]["layanan"]["count"] == 1


def test_home_figures_follow_the_groups(grouped, arch, client, world):
    client.force_login(world.users["operator"])
    body = client.get("/").content.decode()
    panel = body[body.index('id="panel-own-completeness"'):]
    assert 'data-key="DISKOMINFO-layanan-data"' in panel
    assert 'data-key="DISKOMINFO-layanan"' not in panel and 'data-key="DISKOMINFO-data"' not in panel
    counts = dashboard.status_counts_by_group(queues.status_counts(world.users["admin"]))
    by_slug = {group.slug: per_status for group, per_status in counts}
    assert by_slug["layanan-data"]["draf"] == 2 and "layanan" not in by_slug
    client.force_login(world.users["leader"])
    body = client.get("/").content.decode()
    assert "Layanan dan Data" in body[body.index('data-chart="progres-review"'):]
    assert "Layanan dan Data" in body[body.index('data-chart="kelengkapan"'):]

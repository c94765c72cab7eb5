"""The insights on other apps' pages: the links to traceability and impact analysis on the page of an object of
every declared kind, the gap numbers on the home page of the roles who plan (loaded after the page, so that the
home page reads no graph), and the Analisis entries of the Arsitektur menu."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import Service
from sia.core.navigation import menu_for
from sia.insights.panels import analysis_links, gaps_panel
from tests.architecture.generic.domains import over_kinds

from .conftest import make

pytestmark = pytest.mark.django_db


def home_panels(client, user) -> list:
    client.force_login(user)
    return re.findall(r'<section class="panel[^"]*" id="(panel-[a-z-]+)"', client.get("/").content.decode())


@over_kinds
def test_every_kind_s_page_links_to_its_traceability_and_impact(client, world, kinds, count_queries, model):
    obj = kinds.build(model)
    client.force_login(world.users["admin"])
    html = client.get(obj.get_absolute_url()).content.decode()
    trace = reverse("insights:trace", args=[model.spec.slug, obj.pk])
    impact = reverse("insights:impact", args=[model.spec.slug, obj.pk])
    assert 'data-testid="insights-panel"' in html
    assert f'href="{trace}" data-testid="panel-trace"' in html and f'href="{impact}" data-testid="panel-impact"' in html
    assert client.get(trace).status_code == 200 and client.get(impact).status_code == 200
    # Cheap: the panel reads nothing (no graph, no query).
    request = RequestFactory().get(obj.get_absolute_url())
    request.user = world.users["admin"]
    queries, panel = count_queries(lambda: analysis_links(request, obj))
    assert queries == 0 and panel["trace_url"] == trace


def test_the_panel_is_not_on_an_object_being_created(world):
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    assert analysis_links(request, Service(department=world.kominfo)) is None


@pytest.mark.parametrize("role,shown", [
    ("admin", True), ("verifier", True), ("leader", True), ("assessor", True), ("operator", True),
    ("nobody", False),
])
def test_the_gap_numbers_are_on_the_home_page_of_the_roles_who_plan(client, world, landscape, role, shown):
    panels = home_panels(client, world.users[role])
    assert ("panel-insights-gaps" in panels) is shown
    if shown:
        html = client.get("/").content.decode()
        assert f'hx-get="{reverse("insights:dashboard_gaps")}" hx-trigger="load"' in html
        assert "Layanan Musrenbang" not in html  # the page itself loads no graph: numbers come after


def test_the_home_panel_reads_nothing(world, count_queries):
    request = RequestFactory().get("/")
    request.user = world.users["admin"]
    queries, panel = count_queries(lambda: gaps_panel(request))
    assert queries == 0 and panel["url"] == reverse("insights:dashboard_gaps")


def number(html, slug) -> int:
    return int(re.search(rf'data-testid="gap-{slug}"><span class="num">(\d+)</span>', html).group(1))


def test_the_gap_numbers_count_what_the_reader_sees_and_link_to_the_objects(client, world, landscape):
    make(Service, landscape.kominfo, "Layanan Draf Kominfo", status=ReviewStatus.DRAFT)  # no application either
    address = reverse("insights:dashboard_gaps")
    client.force_login(world.users["admin"])
    html = client.get(address).content.decode()
    assert number(html, "layanan-tanpa-aplikasi") == 2 and number(html, "aplikasi-tanpa-proses") == 1
    link = f'href="{reverse("insights:gaps")}?jenis=layanan-tanpa-aplikasi"'
    assert link in html
    gaps = client.get(f'{reverse("insights:gaps")}?jenis=layanan-tanpa-aplikasi').content.decode()
    assert "Layanan Draf Kominfo" in gaps and "Layanan Musrenbang" in gaps
    client.force_login(world.users["verifier"])
    assert number(client.get(address).content.decode(), "layanan-tanpa-aplikasi") == 2


def test_an_operator_s_home_numbers_are_those_of_their_own_opd(client, world, landscape):
    o = landscape
    make(Service, o.dinkes, "Layanan Draf Dinkes", status=ReviewStatus.DRAFT)  # no application
    make(Service, o.kominfo, "Layanan Draf Kominfo", status=ReviewStatus.DRAFT)  # not theirs, not seen
    client.force_login(world.users["operator_dinkes"])
    html = client.get(reverse("insights:dashboard_gaps")).content.decode()
    assert "Celah di OPD Anda: DINKES" in html
    assert number(html, "layanan-tanpa-aplikasi") == 1  # their draft; not Bappeda's Layanan Musrenbang
    link = f'{reverse("insights:gaps")}?opd={o.dinkes.pk}&amp;jenis=layanan-tanpa-aplikasi'
    assert f'href="{link}"' in html
    listed = client.get(f'{reverse("insights:gaps")}?opd={o.dinkes.pk}&jenis=layanan-tanpa-aplikasi').content.decode()
    assert "Layanan Draf Dinkes" in listed and "Layanan Draf Kominfo" not in listed


def test_a_reader_of_several_instansi_switches_between_their_numbers(client, world, landscape):
    make(Service, world.far, "Layanan Kota Tanpa Aplikasi")
    make(Service, world.far, "Layanan Kota Kedua")
    client.force_login(world.users["superuser"])
    address = reverse("insights:dashboard_gaps")
    default, other = sorted([world.inst, world.other], key=lambda institution: institution.name)
    first = client.get(address).content.decode()  # the first by name
    assert default.name in first and f'hx-get="{address}?instansi={other.pk}"' in first
    second = client.get(f"{address}?instansi={other.pk}").content.decode()
    assert other.name in second and f'hx-get="{address}?instansi={default.pk}"' in second
    expected = {world.inst.pk: 1, world.other.pk: 2}  # Layanan Musrenbang; the city's two
    assert number(first, "layanan-tanpa-aplikasi") == expected[default.pk]
    assert number(second, "layanan-tanpa-aplikasi") == expected[other.pk]


def test_an_opd_page_links_to_its_landscape_and_gaps(client, world, landscape):
    client.force_login(world.users["admin"])
    html = client.get(landscape.dinkes.get_absolute_url()).content.decode()
    assert 'data-testid="insights-department-panel"' in html
    assert f'href="{reverse("insights:landscape", args=[landscape.dinkes.pk])}"' in html
    assert client.get(reverse("insights:landscape", args=[landscape.dinkes.pk])).status_code == 200


def test_the_analisis_entries_sit_in_the_architecture_menu(world):
    menu = {str(group["label"]): group["items"] for group in menu_for(world.users["admin"])}
    entry = next(item for item in menu["Arsitektur"] if str(item["label"]) == "Analisis")
    urls = [child["url"] for child in entry["children"]]
    assert urls == [reverse("insights:index"), reverse("insights:gaps"), reverse("insights:single_points"),
                    reverse("insights:matrices"), reverse("insights:application_landscape")]
    for group in menu_for(world.users["nobody"]):
        assert all(str(item["label"]) != "Analisis" for item in group["items"])

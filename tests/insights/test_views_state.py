"""The as-is and to-be views of the architecture in the insights (``Graph.in_view``, ``?arsitektur=``): the rules of
the to-be view (an upgraded as-is object is replaced by its upgrade, one marked for retirement is gone, a new one is
there, links only between objects present), the pages and diagrams with each choice (side by side: two SVGs), what
a reader of another OPD never sees, and queries that do not change with the choice.

On the hand-built landscape (tests/insights/conftest.py), planned: SIMKES (Dinkes) is developed into SIMKES 2.0, on
the second server; Aplikasi Lama (Diskominfo) is to be retired; Bappeda gets a new Portal Data Terpadu on the first
server; Diskominfo drafts an upgrade of Portal Provinsi, which an operator of Dinkes may not see."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.insights.graph import AS_IS, TO_BE, load_graph, load_whole_graph
from tests.core.test_csp import inline_code

from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures of the browser test)
from .conftest import key, make

pytestmark = pytest.mark.django_db

UPGRADE, NEW = ArchitectureState.TO_BE_UPGRADE, ArchitectureState.TO_BE_NEW


@pytest.fixture
def plan(landscape):
    o = landscape
    o.app_orphan.retiring = True
    o.app_orphan.save(update_fields=["retiring"])
    return SimpleNamespace(
        upgrade=make(Application, o.dinkes, "SIMKES 2.0", state=UPGRADE, upgrades=o.app_dinkes, servers=[o.sv2]),
        new=make(Application, o.bappeda, "Portal Data Terpadu", state=NEW, servers=[o.sv1]),
        hidden_upgrade=make(Application, o.kominfo, "Portal Provinsi Baru", state=UPGRADE, upgrades=o.app_kominfo,
                            servers=[o.sv1], status=ReviewStatus.DRAFT),
    )


def edges(graph) -> set:
    return {(a, b, index) for a, found in graph.neighbours.items() for b, index, forward in found if forward}


# --- The rule, without HTTP ----------------------------------------------------------------------------------

def test_the_to_be_view_replaces_upgraded_objects_drops_retiring_ones_and_keeps_new_ones(world, landscape, plan):
    o = landscape
    graph = load_whole_graph(world.inst)
    to_be, as_is = graph.in_view(TO_BE), graph.in_view(AS_IS)
    assert key(plan.upgrade) in to_be and key(o.app_dinkes) not in to_be  # replaced by its upgrade
    assert key(plan.hidden_upgrade) in to_be and key(o.app_kominfo) not in to_be
    assert key(o.app_orphan) not in to_be  # retired
    assert key(plan.new) in to_be
    assert key(o.sv1) in to_be and key(o.app_bappeda) in to_be  # as-is objects that stay
    assert key(o.app_dinkes) in as_is and key(o.app_orphan) in as_is  # retiring: still there today
    assert key(plan.upgrade) not in as_is and key(plan.new) not in as_is
    assert len(as_is) + 3 == len(graph) and len(to_be) + 3 == len(graph)
    # links only between objects present, and every link of the graph between two of them
    for view in (to_be, as_is):
        assert all(a in view and b in view for a, b, _index in edges(view))
        assert edges(view) == {(a, b, i) for a, b, i in edges(graph) if a in view and b in view}
        assert view.edge_count == len(edges(view))
        for adjacency in (view.dependents, view.dependencies):
            assert all(k in view and other in view for k, found in adjacency.items() for other, *_rest in found)
    assert key(plan.upgrade) in {other for other, *_rest in to_be.dependents[key(o.sv2)]}
    assert key(o.app_dinkes) not in {other for other, *_rest in to_be.dependents.get(key(o.sv1), ())}
    assert key(plan.new) in {other for other, *_rest in to_be.dependents[key(o.sv1)]}
    assert key(plan.new) not in {other for other, *_rest in as_is.dependents[key(o.sv1)]}
    # the upgrade's own link to what it develops (a "specialization") is gone with the as-is object
    assert not any(b == key(o.app_dinkes) for _a, b, _i in edges(to_be))


def test_views_are_kept_with_their_graph_and_need_no_query(world, landscape, plan, django_assert_num_queries):
    graph = load_whole_graph(world.inst)
    with django_assert_num_queries(0):
        to_be = graph.in_view(TO_BE)
        assert graph.in_view(TO_BE) is to_be and graph.in_view(None) is graph
        assert graph.in_view(AS_IS) is not to_be
    with pytest.raises(ValueError):
        graph.in_view("kemarin")


def test_a_reader_keeps_an_as_is_object_whose_upgrade_they_may_not_see(world, landscape, plan):
    """Diskominfo's draft upgrade of Portal Provinsi is not Dinkes's to see: in their to-be view Portal Provinsi
    stays, so the view does not tell them that an upgrade exists."""
    o = landscape
    reader = load_graph(world.users["operator_dinkes"], world.inst).in_view(TO_BE)
    assert key(plan.hidden_upgrade) not in reader and key(o.app_kominfo) in reader
    assert key(plan.upgrade) in reader and key(o.app_dinkes) not in reader


# --- Pages ------------------------------------------------------------------------------------------------------

def url(name, *args, **query):
    base = reverse(f"insights:{name}", args=args)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code, response.content[:300])
    return response.content.decode()


def trace_link(obj, choice):
    return f'href="/analisis/aplikasi/{obj.pk}/jejak/?arsitektur={choice}"'


def current_choice(html):
    nav = re.search(r'data-testid="architecture-choice">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'data-value="([\w-]+)" aria-current="page"', nav)


@pytest.fixture
def admin(client, world):
    client.force_login(world.users["admin"])
    return client


def test_an_opd_landscape_as_is_to_be_and_side_by_side(admin, landscape, plan):
    o = landscape
    default = page(admin, url("landscape", o.dinkes.pk))
    assert current_choice(default) == ["semua"]
    assert 'href="/analisis/aplikasi/%d/jejak/"' % o.app_dinkes.pk in default
    assert 'href="/analisis/aplikasi/%d/jejak/"' % plan.upgrade.pk in default  # every object, as today
    to_be = page(admin, url("landscape", o.dinkes.pk, arsitektur="to-be"))
    assert current_choice(to_be) == ["to-be"]
    assert trace_link(plan.upgrade, "to-be") in to_be and f"/analisis/aplikasi/{o.app_dinkes.pk}/" not in to_be
    assert 'data-testid="state"' in to_be and "To-be pengembangan" in to_be
    assert "arsitektur=to-be" in re.search(r'hx-get="([^"]+)"', to_be).group(1)  # its diagram too
    as_is = page(admin, url("landscape", o.dinkes.pk, arsitektur="as-is"))
    assert trace_link(o.app_dinkes, "as-is") in as_is and f"/analisis/aplikasi/{plan.upgrade.pk}/" not in as_is
    both = page(admin, url("landscape", o.dinkes.pk, arsitektur="keduanya", depth=3))
    assert current_choice(both) == ["keduanya"]
    assert trace_link(o.app_dinkes, "keduanya") in both and trace_link(plan.upgrade, "keduanya") in both
    diagram = re.search(r'hx-get="([^"]+)"', both).group(1)
    assert "arsitektur=keduanya" in diagram and "depth=3" in diagram
    tabs = dict(re.findall(r'href="([^"]+)" data-value="([\w-]+)"', both))
    assert {value: address for address, value in tabs.items()}["to-be"].endswith("?depth=3&amp;arsitektur=to-be")
    for html in (default, to_be, as_is, both):
        assert inline_code(html) == []


def test_the_application_landscape_in_each_view(admin, landscape, plan):
    o = landscape
    listed = {}
    for choice in ("", "as-is", "to-be", "keduanya"):
        html = page(admin, url("application_landscape", **({"arsitektur": choice} if choice else {})))
        listed[choice] = set(re.findall(r'data-testid="application" data-key="aplikasi-(\d+)"', html))
        assert (f"arsitektur={choice}" in re.search(r'hx-get="([^"]+)"', html).group(1)) == bool(choice)
    ids = {name: str(obj.pk) for name, obj in (("dinkes", o.app_dinkes), ("orphan", o.app_orphan),
                                                ("upgrade", plan.upgrade), ("new", plan.new))}
    assert {ids["dinkes"], ids["orphan"]} <= listed["as-is"] and not {ids["upgrade"], ids["new"]} & listed["as-is"]
    assert {ids["upgrade"], ids["new"]} <= listed["to-be"] and not {ids["dinkes"], ids["orphan"]} & listed["to-be"]
    assert listed[""] == listed["keduanya"] == listed["as-is"] | listed["to-be"]


def test_trace_and_impact_in_the_to_be_view(admin, landscape, plan):
    o = landscape
    impact = page(admin, url("impact", "server", o.sv1.pk, arsitektur="to-be"))
    hits = set(re.findall(r'data-testid="hit" data-key="([\w-]+)"', impact))
    assert f"aplikasi-{plan.new.pk}" in hits and f"aplikasi-{o.app_dinkes.pk}" not in hits
    assert 'name="arsitektur" value="to-be"' in impact  # the depth form keeps the choice
    as_is = set(re.findall(r'data-testid="hit" data-key="([\w-]+)"', page(admin, url("impact", "server", o.sv1.pk,
                                                                                           arsitektur="as-is"))))
    assert f"aplikasi-{o.app_dinkes.pk}" in as_is and f"aplikasi-{plan.new.pk}" not in as_is
    # an object not in the view: why, what takes its place, and no diagram
    replaced = page(admin, url("trace", "aplikasi", o.app_dinkes.pk, arsitektur="to-be"))
    missing = re.search(r'data-testid="view-missing">(.*?)</section>', replaced, re.S).group(1)
    assert "digantikan oleh pengembangannya" in missing and trace_link(plan.upgrade, "to-be") in missing
    assert 'data-testid="diagram-slot"' not in replaced and 'data-testid="up"' not in replaced
    retired = page(admin, url("impact", "aplikasi", o.app_orphan.pk, arsitektur="to-be"))
    assert "direncanakan dihentikan" in retired and 'data-testid="impact-summary"' not in retired
    assert "belum ada" in page(admin, url("trace", "aplikasi", plan.new.pk, arsitektur="as-is"))
    both = page(admin, url("trace", "aplikasi", o.app_dinkes.pk, arsitektur="keduanya"))
    assert 'data-testid="view-missing"' not in both and 'data-testid="diagram-slot"' in both


def test_a_choice_no_page_offers_is_a_400_naming_it(admin, landscape):
    o = landscape
    for address in (url("landscape", o.dinkes.pk, arsitektur="besok"), url("application_landscape", arsitektur="x"),
                    url("trace", "server", o.sv1.pk, arsitektur="besok"),
                    url("impact", "server", o.sv1.pk, arsitektur="besok")):
        html = page(admin, address, 400)
        assert "Pilihan arsitektur" in html and "to-be" in html
    response = admin.get(reverse("insights:landscape_diagram", args=[o.dinkes.pk, "html"]) + "?arsitektur=besok")
    assert response.status_code == 400 and b"Pilihan arsitektur" in response.content


def test_an_operator_sees_no_draft_of_another_opd_in_any_view(client, world, landscape, plan):
    o = landscape
    client.force_login(world.users["operator_dinkes"])
    for choice in ("as-is", "to-be", "keduanya"):
        for address in (url("application_landscape", arsitektur=choice),
                        url("landscape", o.dinkes.pk, arsitektur=choice),
                        url("impact", "server", o.sv1.pk, arsitektur=choice)):
            html = page(client, address)
            assert "Portal Provinsi Baru" not in html and f"aplikasi-{plan.hidden_upgrade.pk}" not in html
        fragment = page(client, reverse("insights:application_landscape_diagram", args=["html"])
                        + f"?arsitektur={choice}")
        assert "Portal Provinsi Baru" not in fragment
    listed = page(client, url("application_landscape", arsitektur="to-be"))
    assert f'data-key="aplikasi-{o.app_kominfo.pk}"' in listed  # its upgrade unseen: Portal Provinsi stays
    page(client, url("trace", "aplikasi", plan.hidden_upgrade.pk, arsitektur="to-be"), 404)


# --- Diagrams ---------------------------------------------------------------------------------------------------

def diagram(name, *args, fmt="html", **query):
    return url(name, *args, fmt, **query)


def test_side_by_side_draws_two_svgs_each_with_its_heading(admin, landscape, plan):
    o = landscape
    html = page(admin, diagram("landscape_diagram", o.dinkes.pk, arsitektur="keduanya"))
    assert html.count("<svg") == 2 and 'data-testid="diagram-pair"' in html
    assert re.findall(r'data-view="([\w-]+)"', html) == ["as-is", "to-be"]
    assert len(re.findall(r'data-testid="diagram-heading"', html)) == 2
    as_is, to_be = html.split('data-view="to-be"')
    assert "SIMKES 2.0" not in as_is and "SIMKES 2.0" in to_be
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert not {i for i in ids if ids.count(i) > 1}  # two diagrams on one page, no id twice
    assert "arsitektur=as-is" in as_is and "arsitektur=to-be" in to_be  # each downloads its own view
    assert inline_code(html) == []
    svg = admin.get(diagram("landscape_diagram", o.dinkes.pk, fmt="svg", arsitektur="to-be"))
    assert svg.status_code == 200 and b"SIMKES 2.0" in svg.content
    assert b"lanskap-DINKES-to-be.svg" in svg["Content-Disposition"].encode()
    assert admin.get(diagram("landscape_diagram", o.dinkes.pk, fmt="png", arsitektur="keduanya")).status_code == 400
    for name, args in (("trace_diagram", ("server", o.sv1.pk)), ("impact_diagram", ("server", o.sv1.pk)),
                       ("application_landscape_diagram", ())):
        assert page(admin, diagram(name, *args, arsitektur="keduanya")).count("<svg") == 2, name


def test_a_diagram_of_an_object_not_in_the_view_says_why(admin, landscape, plan):
    o = landscape
    html = page(admin, diagram("impact_diagram", "aplikasi", o.app_dinkes.pk, arsitektur="keduanya"))
    assert html.count("<svg") == 1 and 'data-testid="diagram-missing"' in html  # in as-is only
    missing = admin.get(diagram("trace_diagram", "aplikasi", o.app_dinkes.pk, fmt="svg", arsitektur="to-be"))
    assert missing.status_code == 404 and "digantikan" in missing.content.decode()


PAGES = {
    "landscape": lambda o: url("landscape", o.dinkes.pk),
    "application_landscape": lambda o: url("application_landscape"),
    "trace": lambda o: url("trace", "server", o.sv1.pk),
    "impact": lambda o: url("impact", "server", o.sv1.pk),
    "diagram": lambda o: diagram("landscape_diagram", o.dinkes.pk),
}


@pytest.mark.parametrize("user", ["admin", "operator_dinkes"])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_choice_costs_no_query(client, world, landscape, plan, count_cold_queries, query_budget, user, name):
    client.force_login(world.users[user])
    address = PAGES[name](landscape)
    client.get(address)  # warm up: memberships, session
    counts = {}
    for choice in ("", "as-is", "to-be", "keduanya"):
        separator = "&" if "?" in address else "?"
        counts[choice], response = count_cold_queries(
            lambda a=address + (f"{separator}arsitektur={choice}" if choice else ""): client.get(a))
        assert response.status_code == 200
    assert len(set(counts.values())) == 1, counts
    budget = "insights.diagram" if name == "diagram" else f"insights.{name}"
    assert counts[""] <= query_budget[budget], (counts, query_budget[budget])


def test_the_opd_page_and_the_overview_link_to_the_to_be_views(admin, landscape):
    o = landscape
    opd = page(admin, o.dinkes.get_absolute_url())
    landscape_url = reverse("insights:landscape", args=[o.dinkes.pk])
    assert f'href="{landscape_url}?arsitektur=to-be" data-testid="panel-landscape-to-be"' in opd
    assert f'href="{landscape_url}?arsitektur=keduanya" data-testid="panel-landscape-both"' in opd
    overview = page(admin, url("index"))
    both = re.search(r'href="([^"]+)" data-testid="application-landscape-both-link"', overview).group(1)
    assert "arsitektur=keduanya" in both
    assert current_choice(page(admin, both.replace("&amp;", "&"))) == ["keduanya"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_side_by_side_shows_the_two_diagrams_next_to_each_other(new_page, world, landscape, plan):
    from playwright.sync_api import expect

    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 900})
    login(page, "koord")
    page.goto(url("landscape", landscape.dinkes.pk))
    page.get_by_test_id("architecture-choice").get_by_text("Berdampingan").click()
    expect(page).to_have_url(re.compile(r"\?arsitektur=keduanya$"))
    figures = page.locator('[data-testid="diagram-pair"] figure')
    expect(figures).to_have_count(2)  # loaded after the page, with htmx
    expect(page.locator('[data-testid="diagram-pair"] svg.diagram-svg')).to_have_count(2)
    expect(figures.nth(0).get_by_test_id("diagram-heading")).to_contain_text("As-is")
    expect(figures.nth(1).get_by_test_id("diagram-heading")).to_contain_text("To-be")
    left, right = figures.nth(0).bounding_box(), figures.nth(1).bounding_box()
    assert right["x"] >= left["x"] + left["width"] - 1 and abs(right["y"] - left["y"]) < 5  # next to each other
    page.get_by_test_id("architecture-choice").get_by_text("To-be").click()
    expect(page.locator('[data-testid="diagram"] svg.diagram-svg')).to_have_count(1)
    expect(page.get_by_test_id("diagram-heading")).to_contain_text("To-be")

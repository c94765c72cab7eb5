"""The insights journey of issue 13 in a real browser, on the demo province (``sia demo``).

The koordinator opens the host of the provincial data centre (Diskominfosan's Pusat Data: a physical host whose
virtual servers run the applications of many OPDs), follows “Analisis dampak” on its page, sees the services hit
in three OPDs and more, opens the traceability of one of them, waits for the diagram and clicks the application
node in it, which opens the application's page.

On a slow link the trace page's filters are chosen (a domain ticked with the mouse, another with the keyboard,
the depth typed into its select) while the diagram is still loading: when the diagram arrives nothing chosen is
lost, and the filtered page keeps the choices, lists only the chosen domains and draws them.
No page reports a console error or a CSP violation."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sia.architecture.kindgroups import group_of
from sia.architecture.models import Application, Server, Service
from sia.core.models import User
from sia.insights.graph import load_graph
from sia.insights.impact import impact
from sia.insights.trace import trace

from ..browser.watch import SLOW_LINK, violations, watched
from ..browser.conftest import browser, login, new_page  # noqa: F401 (fixtures)
from .. import demo as demo_data

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "Host Virtualisasi PDP-01"  # demo_infrastructure: host1, in the Pusat Data of Diskominfosan
SERVICES = group_of(Service).slug
APPLICATIONS = group_of(Application).slug


def demo():
    """The demo province and its data centre's first host; the graph as the koordinator reads it."""
    demo_data.build()
    host = Server.objects.get(institution__code="82", name__startswith=HOST)
    assert host.facility.department.abbreviation == "DISKOMINFOSAN" and "Pusat Data" in host.facility.name
    graph = load_graph(User.objects.get(username="koordinator"), host.institution_id)
    return host, graph


def diagram_links(page) -> list:
    """The targets of the nodes of the diagram on the page (dot writes xlink:href)."""
    return page.locator("[data-testid=diagram] svg a").evaluate_all(
        "links => links.map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))")


def test_koordinator_from_the_data_centre_host_to_a_service_and_its_application(new_page):
    host, graph = demo()
    hit = impact(graph, host)
    services_hit = {h.node.pk for h in hit.hits if h.node.kind == Service.spec.slug}
    opds_hit = {graph.department_label(h.node.department_id) for h in hit.hits if h.node.kind == Service.spec.slug}
    assert len(opds_hit) >= 3, opds_hit  # the demo's premise: the host serves three OPDs' services at least
    apps_hit = {h.key for h in hit.hits if h.node.kind == Application.spec.slug}

    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    seen = watched(page)
    login(page, "koordinator", "sia-demo-2024")

    # --- the host among the servers; its page links to the impact analysis ------------------------------------
    page.goto(reverse("architecture:server_list"))
    page.locator("main a", has_text=HOST).first.click()
    page.wait_for_url(f"**{reverse('architecture:server', args=[host.pk])}")
    expect(page.locator("h1")).to_contain_text(HOST)
    page.locator("[data-testid=insights-panel]").get_by_role("link", name="Analisis dampak").click()
    page.wait_for_url(f"**{reverse('insights:impact', args=[Server.spec.slug, host.pk])}")
    expect(page.locator("h1")).to_contain_text(HOST)

    # --- the services hit, by OPD: three OPDs at least --------------------------------------------------------
    services = page.locator(f"[data-testid=impact-hits] [data-testid=domain-{SERVICES}]")
    expect(services).to_be_visible()
    opds = {re.sub(r"\s*\(\d+\)$", "", text.strip())
            for text in services.locator("h4.insights-opd").all_inner_texts()}
    assert len(opds) >= 3 and opds == opds_hit, opds
    assert {"DINKES", "DINSOS", "DKP"} <= opds, opds
    listed = services.locator("[data-testid=hit]")
    assert {int(key.rsplit("-", 1)[1]) for key in (listed.evaluate_all("items => items.map(i => i.dataset.key)"))} \
        == services_hit
    expect(page.locator("[data-testid=impact-summary]")).to_contain_text(
        f"{len(services_hit)} layanan dari {len(opds_hit)} OPD terdampak")

    # --- one Dinkes service: its traceability ------------------------------------------------------------------
    dinkes = services.locator("h4.insights-opd", has_text="DINKES").locator("xpath=following-sibling::ul[1]")
    service_row = dinkes.locator("[data-testid=hit]").first
    service = Service.objects.get(pk=int(service_row.get_attribute("data-key").rsplit("-", 1)[1]))
    service_row.locator("[data-testid=trace-link]").click()
    page.wait_for_url(f"**{reverse('insights:trace', args=[Service.spec.slug, service.pk])}")
    expect(page.locator("h1")).to_contain_text(service.name)
    expect(page.locator("[data-testid=down]")).to_contain_text(HOST)  # the service's chain reaches the host

    # --- the diagram loads; its application node opens the application ----------------------------------------
    expect(page.locator("[data-testid=diagram] svg")).to_be_visible()
    below = trace(graph, (Service.spec.slug, service.pk))
    on_host = {key for key in (h.key for h in below.down) if key in apps_hit}  # its applications that run there
    urls = {reverse("architecture:application", args=[pk]): pk for _kind, pk in on_host}
    drawn = [href for href in diagram_links(page) if href in urls]
    assert drawn, (diagram_links(page), urls)
    application = Application.objects.get(pk=urls[drawn[0]])
    node = page.locator(f"[data-testid=diagram] svg g.node a[*|href='{drawn[0]}']")
    expect(node).to_contain_text(application.code)
    node.click()
    page.wait_for_url(f"**{drawn[0]}")
    expect(page.locator("h1")).to_contain_text(application.name)
    assert violations(page) == []
    assert seen == []


def test_trace_filters_chosen_while_the_diagram_loads_on_a_slow_link(new_page):
    host, graph = demo()
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    seen = watched(page)
    login(page, "koordinator", "sia-demo-2024")

    diagram_requests = []
    page.on("request", lambda r: "/jejak/diagram.html" in r.url and diagram_requests.append([r.url, None]))
    page.on("requestfinished", lambda r: [entry.__setitem__(1, time.monotonic()) for entry in diagram_requests
                                          if entry[0] == r.url and entry[1] is None][:1])
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)

    trace_url = reverse("insights:trace", args=[Server.spec.slug, host.pk])
    page.goto(trace_url)
    form = page.locator("[data-testid=trace-filters]")
    slot = page.locator("[data-testid=diagram-slot]")
    expect(slot).to_contain_text("Diagram sedang dimuat")
    # chosen while the diagram is on its way: a domain by mouse, one by keyboard, the depth typed
    form.locator(f"input[name=domain][value={APPLICATIONS}]").check()
    services_box = form.locator(f"input[name=domain][value={SERVICES}]")
    services_box.focus()
    page.keyboard.press("Space")
    depth = form.locator("select[name=depth]")
    depth.focus()
    page.keyboard.type("5")
    chosen_at = time.monotonic()
    expect(depth).to_have_value("5")
    expect(slot.locator("svg")).to_be_visible(timeout=30000)
    assert diagram_requests and diagram_requests[0][1] is not None and diagram_requests[0][1] > chosen_at, \
        "the diagram had arrived before the filters were chosen: the slow link did not hold it"
    # the diagram arrived: nothing chosen is lost
    expect(form.locator(f"input[name=domain][value={APPLICATIONS}]")).to_be_checked()
    expect(services_box).to_be_checked()
    assert form.locator("input[name=domain]:checked").count() == 2
    expect(depth).to_have_value("5")

    form.get_by_role("button", name="Saring").click()
    page.wait_for_url(re.compile(r"/jejak/\?.*depth=5"))
    assert sorted(re.findall(r"domain=([\w-]+)", page.url)) == sorted([APPLICATIONS, SERVICES]), page.url
    form = page.locator("[data-testid=trace-filters]")
    expect(form.locator(f"input[name=domain][value={APPLICATIONS}]")).to_be_checked()
    expect(form.locator(f"input[name=domain][value={SERVICES}]")).to_be_checked()
    assert form.locator("input[name=domain]:checked").count() == 2
    expect(form.locator("select[name=depth]")).to_have_value("5")
    # only the chosen domains are listed; the diagram is drawn for the same filters
    up = page.locator("[data-testid=up]")
    expect(up.locator(f"[data-testid=domain-{SERVICES}]")).to_be_visible()
    shown = set(page.locator("[data-testid=up] .insights-domain, [data-testid=down] .insights-domain").evaluate_all(
        "sections => sections.map(s => s.dataset.testid)"))
    assert shown <= {f"domain-{APPLICATIONS}", f"domain-{SERVICES}"}, shown
    expected = {key for key in trace(graph, host, domains=[APPLICATIONS, SERVICES], depth=5).keys()}
    slot = page.locator("[data-testid=diagram-slot]")
    assert "depth=5" in slot.get_attribute("hx-get") and SERVICES in slot.get_attribute("hx-get")
    expect(slot.locator("svg")).to_be_visible(timeout=30000)
    drawn = set(diagram_links(page))
    assert any(reverse("architecture:service", args=[pk]) in drawn for kind, pk in expected
               if kind == Service.spec.slug), drawn
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    assert violations(page) == []
    assert seen == []

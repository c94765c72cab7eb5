"""The insights pages on the hand-built landscape (tests/insights/conftest.py): what each shows, what a reader
of another OPD never sees (a draft's name), 404 for a hidden or unknown object, 400 for a bad depth, domain or
filter, and query counts that do not grow with the number of objects."""

import re

import pytest
from django.urls import reverse

from sia.architecture.choices import IntegrationDirection, ReviewStatus, ServerType
from sia.architecture.models import (
    Application, ApplicationIntegration, BusinessProcess, DataItem, PlatformSoftware, Server, Service,
)
from sia.architecture.registry import domain_models
from sia.insights.impact import MAX_DEPTH
from tests import factories as f
from tests.architecture.generic.domains import over_kinds
from tests.core.test_csp import inline_code

from .conftest import make

pytestmark = pytest.mark.django_db


def url(name, *args, **query):
    base = reverse(f"insights:{name}", args=args)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def page(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code)
    return response.content.decode()


def text(html: str) -> str:
    """The page's words, tags removed (to assert on what a reader reads)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def opd_key(obj):
    return f"{type(obj).spec.slug}-{obj.pk}"


def hit_keys(html: str) -> set:
    """The objects listed as hits (not those named in a path) in a part of a page."""
    return set(re.findall(r'data-testid="hit" data-key="([\w-]+)"', html))


@pytest.fixture
def admin(client, world):
    client.force_login(world.users["admin"])
    return client


def every_page(o):
    """Every insights page of the landscape an operator of Dinkes may open, with the objects that reach the
    draft of Diskominfo (its server, the data centre)."""
    return [
        url("index"), url("gaps"), url("single_points"), url("application_landscape"), url("dashboard_gaps"),
        url("landscape", o.dinkes.pk),
        *[url("gaps", jenis=slug) for slug in (
            "layanan-tanpa-aplikasi", "proses-tanpa-layanan", "aplikasi-tanpa-proses", "data-tanpa-produsen",
            "data-tanpa-walidata", "infrastruktur-tanpa-pemakai", "aplikasi-platform-habis-dukungan",
            "tidak-dilindungi")],
        *[url(name, type(obj).spec.slug, obj.pk) for name in ("trace", "impact")
          for obj in (o.sv1, o.sv2, o.dc, o.os, o.p_kominfo, o.s_kominfo, o.app_dinkes, o.app_kominfo)],
    ]


# --- what each page shows -----------------------------------------------------------------------------------
def test_index_shows_the_gap_numbers_the_single_points_and_the_landscapes(admin, world, landscape):
    html = page(admin, url("index"))
    words = text(html)
    assert "Analisis arsitektur" in words
    assert 'href="/analisis/celah/?jenis=layanan-tanpa-aplikasi"' in html
    assert re.search(r'data-testid="gap-layanan-tanpa-aplikasi"><span class="num">1</span>', html)
    assert "Pusat Data Provinsi" in words and "3 layanan" in words  # the data centre brings three services down
    assert "BAPPEDA, DINKES, DISKOMINFO" in words
    assert url("impact", "fasilitas-komputasi", landscape.dc.pk) in html
    assert url("application_landscape") in html and 'href="/analisis/matriks/" data-testid="matrices-link"' in html
    for department in (landscape.kominfo, landscape.dinkes, landscape.bappeda):
        assert url("landscape", department.pk) in html
    assert inline_code(html) == []


def test_the_gaps_page_lists_each_gap_per_opd_with_links_and_reasons(admin, landscape):
    html = page(admin, url("gaps"))
    words = text(html)
    for name in ("Layanan Musrenbang", "Rapat Internal", "Aplikasi Lama", "Data Tanpa Sumber", "Printer Ruang Server"):
        assert name in words
    assert landscape.s_manual.get_absolute_url() in html
    for name in ("trace", "impact"):
        assert url(name, "layanan", landscape.s_manual.pk) in html
    # e-Planning runs on CentOS 7, past its end of support: the reason is named and linked.
    only = page(admin, url("gaps", jenis="aplikasi-platform-habis-dukungan"))
    assert 'data-testid="gap-section-aplikasi-platform-habis-dukungan"' in only
    assert 'data-testid="gap-section-layanan-tanpa-aplikasi"' not in only
    assert "e-Planning" in text(only) and "Habis dukungan" in text(only) and "CentOS 7" in text(only)
    assert landscape.os.get_absolute_url() in only
    # Each OPD's number of each gap side by side, each number opening its list.
    table = html.split('data-testid="gaps-per-opd"')[1].split("</section>")[0]
    bappeda_row = next(row for row in table.split('data-testid="gaps-opd-row"')[1:] if ">BAPPEDA</a>" in row)
    musrenbang = url("gaps", opd=landscape.bappeda.pk, jenis="layanan-tanpa-aplikasi").replace("&", "&amp;")
    assert f'href="{musrenbang}">1</a>' in bappeda_row
    assert 'data-testid="gaps-per-opd"' not in only
    # Per OPD: Bappeda's gaps do not list Dinkes' process.
    bappeda = text(page(admin, url("gaps", opd=landscape.bappeda.pk)))
    assert "Layanan Musrenbang" in bappeda and "Rapat Internal" not in bappeda
    assert inline_code(html) == []


@pytest.mark.parametrize("query", ["jenis=tidak-ada", "opd=abc", "opd=999999", "opd=" + "9" * 30])
def test_the_gaps_page_refuses_an_unknown_filter(admin, landscape, query):
    html = page(admin, url("gaps") + "?" + query, 400)
    assert 'data-testid="bad-request"' in html


def test_the_single_points_page_lists_every_point_with_its_services_and_opds(admin, landscape):
    html = page(admin, url("single_points"))
    rows = re.findall(r'<tr data-testid="point">(.*?)</tr>', html, re.S)
    assert [re.search(r"(FK|SV|PL)-\S+ ([^<]+)</a>", row).group(2) for row in rows] == [
        "Pusat Data Provinsi", "CentOS 7", "Server Aplikasi 1"]
    assert "3 layanan" in text(rows[0]) and "2 layanan" in text(rows[2])


def test_an_opd_landscape_shows_its_objects_what_it_uses_of_others_and_its_gaps(admin, landscape):
    html = page(admin, url("landscape", landscape.dinkes.pk))
    own = text(html.split('data-testid="own"')[1].split('data-testid="used"')[0])
    used = text(html.split('data-testid="used"')[1].split('data-testid="opd-gaps"')[0])
    gaps = text(html.split('data-testid="opd-gaps"')[1])
    assert "SIMKES" in own and "Layanan Puskesmas" in own and "Server Aplikasi 1" not in own
    # Shared infrastructure of Diskominfo, with the path from one of Dinkes' objects.
    assert "Server Aplikasi 1" in used and "Pusat Data Provinsi" in used
    assert "SIMKES berjalan di SV-DISKOMINFO-001 Server Aplikasi 1" in used
    assert "Rapat Internal" in gaps and "Proses bisnis tanpa layanan" in gaps
    assert "Layanan Musrenbang" not in gaps  # Bappeda's
    assert f'hx-get="{url("landscape_diagram", landscape.dinkes.pk, "html")}" hx-trigger="load"' in html
    assert html.index('data-testid="own"') < html.index('data-testid="diagram-slot"')  # the lists come first


def test_an_opd_landscape_is_404_for_an_opd_the_reader_may_not_see(client, world, landscape):
    client.force_login(world.users["operator_dinkes"])
    page(client, url("landscape", landscape.dinkes.pk))
    page(client, url("landscape", landscape.kominfo.pk), 404)
    page(client, url("landscape", world.far.pk), 404)
    page(client, url("landscape", 999999), 404)


def test_the_application_landscape_groups_applications_by_opd_with_their_integrations(admin, landscape):
    html = page(admin, url("application_landscape"))
    sections = re.findall(r'data-testid="opd-applications">(.*?)</section>', html, re.S)
    opds = [re.search(r'class="insights-opd">(\w+)', section).group(1) for section in sections]
    assert opds == ["BAPPEDA", "DINKES", "DISKOMINFO"]
    bappeda = text(sections[0])
    assert "e-Planning" in bappeda and "mengirim data ke AP-DINKES-001 SIMKES" in bappeda
    assert "menerima data dari AP-BAPPEDA-001 e-Planning" in text(sections[1])
    assert "Portal Provinsi" in text(sections[2]) and "Aplikasi Lama" in text(sections[2])
    assert "1 integrasi" in text(html)
    diagram = url("application_landscape_diagram", "html", instansi=landscape.kominfo.institution_id)
    assert f'hx-get="{diagram}" hx-trigger="load"' in html


def test_trace_lists_the_chain_up_and_down_by_domain_with_paths_and_protectors(admin, landscape):
    o = landscape
    html = page(admin, url("trace", "layanan", o.s_dinkes.pk))
    down = html.split('data-testid="down"')[1]
    assert 'data-testid="domain-aplikasi"' in down and 'data-testid="domain-infrastruktur"' in down
    words = text(down)
    assert "SIMKES" in words and "Server Aplikasi 1" in words and "Pusat Data Provinsi" in words
    assert ("LY-DINKES-001 Layanan Puskesmas memakai DI-DINKES-001 Data Kunjungan Pasien; DI-DINKES-001 Data "
            "Kunjungan Pasien ditulis oleh AP-DINKES-001 SIMKES") in words
    assert "Dilindungi oleh: SK-DISKOMINFO-001 Standar Keamanan Server" in words
    assert 'data-testid="cycle-note"' in html  # the two-way integration and the shared data
    # The filters come from the graph's kind groups; the depth select runs 1..MAX_DEPTH.
    for group in ("proses-bisnis", "layanan", "data", "aplikasi", "infrastruktur", "keamanan"):
        assert f'name="domain" value="{group}"' in html
    assert f'<option value="{MAX_DEPTH}" selected>' in html
    filtered = page(admin, url("trace", "layanan", o.s_dinkes.pk, domain="aplikasi", depth=4))
    diagram = url("trace_diagram", "layanan", o.s_dinkes.pk, "html", domain="aplikasi", depth=4)
    assert f'hx-get="{diagram.replace("&", "&amp;")}" hx-trigger="load"' in filtered  # it draws what the lists show
    up = text(page(admin, url("trace", "server", o.sv1.pk)).split('data-testid="up"')[1].split('data-testid="down"')[0])
    assert "Layanan Puskesmas" in up and "SIMKES" in up
    assert inline_code(html) == []


def test_trace_filters_by_domain_and_depth(admin, landscape):
    o = landscape
    html = page(admin, url("trace", "layanan", o.s_dinkes.pk, domain="infrastruktur"))
    down = hit_keys(html.split('data-testid="down"')[1])
    assert opd_key(o.sv1) in down and opd_key(o.dc) in down and opd_key(o.app_dinkes) not in down
    assert 'value="infrastruktur" checked' in html
    shallow = page(admin, url("trace", "layanan", o.s_dinkes.pk, depth=1))
    assert hit_keys(shallow.split('data-testid="down"')[1]) == {opd_key(o.p_dinkes), opd_key(o.data)}
    assert 'data-testid="truncated-note"' in shallow
    assert 'data-testid="truncated-note"' not in page(admin, url("trace", "layanan", o.s_dinkes.pk))
    # A comma list, as the diagram and the API take it, is the same as the checkboxes' repeated values.
    both = page(admin, url("trace", "layanan", o.s_dinkes.pk, domain="infrastruktur,aplikasi"))
    assert {opd_key(o.sv1), opd_key(o.app_dinkes)} <= hit_keys(both.split('data-testid="down"')[1])
    assert 'value="infrastruktur" checked' in both and 'value="aplikasi" checked' in both


def test_impact_groups_hits_by_domain_and_opd_with_failure_badges_and_a_summary(admin, landscape):
    o = landscape
    html = page(admin, url("impact", "server", o.sv1.pk))
    summary = text(html.split('data-testid="impact-summary"')[1].split("</p>")[0])
    assert "3 layanan dari 3 OPD terdampak" in summary
    hits = dict(re.findall(r'data-key="([\w-]+)">\s*<span class="badge insights-(\w+)"', html))
    assert hits[opd_key(o.app_dinkes)] == "fails"  # SIMKES runs on this server only
    assert hits[opd_key(o.s_dinkes)] == "fails"
    assert hits[opd_key(o.app_kominfo)] == "degraded"  # Portal Provinsi runs on a second server too
    assert "terdampak, ada alternatif" in text(html) and "gagal" in text(html)
    assert "SV-DISKOMINFO-001 Server Aplikasi 1 menjalankan AP-DINKES-001 SIMKES" in text(html)
    assert 'data-testid="cycle-note"' in html
    assert html.index('data-testid="domain-proses-bisnis"') < html.index('data-testid="domain-aplikasi"')
    assert f'hx-get="{url("impact_diagram", "server", o.sv1.pk, "html")}" hx-trigger="load"' in html
    shallow = page(admin, url("impact", "server", o.sv1.pk, depth=1))
    assert 'data-testid="truncated-note"' in shallow
    assert hit_keys(shallow) == {opd_key(o.app_dinkes), opd_key(o.app_bappeda), opd_key(o.app_kominfo)}
    assert inline_code(html) == []


def test_long_lists_show_each_opd_s_first_hits_and_count_the_rest(admin, landscape, monkeypatch):
    from sia.insights import views_objects

    monkeypatch.setattr(views_objects, "GROUP_SHOWN", 1)
    monkeypatch.setattr(views_objects, "LIST_SHOWN", 3)
    html = page(admin, url("impact", "fasilitas-komputasi", landscape.dc.pk))
    assert len(hit_keys(html)) == 3
    notes = re.findall(r'data-testid="more">dan (\d+) objek lainnya', html)
    total = int(re.search(r"(\d+) objek terdampak", text(html)).group(1))
    assert total > 3 and sum(map(int, notes)) + 3 == total  # every object the failure reaches is counted
    monkeypatch.setattr(views_objects, "APPLICATIONS_SHOWN", 1)
    apps = page(admin, url("application_landscape"))
    applications = reverse("architecture:application_list")
    assert (f'href="{applications}?department={landscape.kominfo.pk}" data-testid="more">dan 1 aplikasi lainnya'
            in apps)


@pytest.mark.parametrize("name", ["trace", "impact"])
@pytest.mark.parametrize("depth", ["0", str(MAX_DEPTH + 1), "-1", "abc", "1.5", "9" * 40])
def test_a_bad_depth_is_answered_400_with_its_reason(admin, landscape, name, depth):
    html = page(admin, url(name, "server", landscape.sv1.pk, depth=depth), 400)
    assert "Kedalaman harus bilangan bulat 1 sampai 12" in text(html)


def test_an_unknown_domain_is_answered_400(admin, landscape):
    html = page(admin, url("trace", "server", landscape.sv1.pk, domain="bukan-domain"), 400)
    assert "Domain tidak dikenal: bukan-domain" in text(html)


@pytest.mark.parametrize("name", ["trace", "impact"])
def test_an_unknown_kind_or_object_is_404(admin, landscape, name):
    page(admin, url(name, "bukan-jenis", landscape.sv1.pk), 404)
    page(admin, url(name, "server", 999999), 404)


def test_signed_out_readers_go_to_the_login_page_and_readers_of_nothing_are_refused(client, world, landscape):
    for address in (url("index"), url("gaps"), url("trace", "server", landscape.sv1.pk), url("dashboard_gaps")):
        response = client.get(address)
        assert response.status_code == 302 and "/akun/login/" in response["Location"]
    client.force_login(world.users["nobody"])
    page(client, url("index"), 403)
    page(client, url("gaps"), 403)
    page(client, url("trace", "server", landscape.sv1.pk), 404)


def test_another_instansi_is_chosen_only_among_those_the_reader_reads(client, world, landscape):
    client.force_login(world.users["admin"])
    page(client, url("index", instansi=world.inst.pk))
    page(client, url("index", instansi=world.other.pk), 404)
    client.force_login(world.users["superuser"])
    html = page(client, url("index", instansi=world.other.pk))
    assert 'data-testid="institution-choice"' in html and "Pusat Data Provinsi" not in text(html)
    assert "Pusat Data Provinsi" in text(page(client, url("index", instansi=world.inst.pk)))


# --- permissions: a draft of another OPD is nowhere ----------------------------------------------------------
@pytest.fixture
def drafts(landscape):
    """Drafts of Diskominfo an operator of Dinkes may not see: a server in the data centre running a draft
    application that supports a validated process and integrates with SIMKES, and a service with no application."""
    o = landscape
    server = make(Server, o.kominfo, "Server Draf Rahasia", status=ReviewStatus.DRAFT, server_type=ServerType.PHYSICAL,
                  facility=o.dc)
    app = make(Application, o.kominfo, "Aplikasi Draf Rahasia", status=ReviewStatus.DRAFT, servers=[server, o.sv1],
               processes=[o.p_kominfo], platform_software=[o.os])
    ApplicationIntegration.objects.create(source=app, target=o.app_dinkes, data_exchanged="Rahasia",
                                          direction=IntegrationDirection.TWO_WAY)
    service = make(Service, o.kominfo, "Layanan Draf Rahasia", status=ReviewStatus.DRAFT)
    return server, app, service


def test_an_operator_of_another_opd_sees_no_name_of_a_draft_on_any_page(client, world, landscape, drafts):
    client.force_login(world.users["operator_dinkes"])
    for address in every_page(landscape):
        html = page(client, address)
        assert inline_code(html) == [], address  # the strict CSP: no inline script or style on any page
        for obj in drafts:
            assert obj.name not in html, (address, obj.name)
            assert obj.code not in html, (address, obj.code)
    for obj in drafts:
        for name in ("trace", "impact"):
            page(client, url(name, type(obj).spec.slug, obj.pk), 404)
    # The drafts' own OPD sees them: the test would notice if the pages listed nothing at all.
    client.force_login(world.users["operator"])
    assert "Aplikasi Draf Rahasia" in page(client, url("impact", "server", landscape.sv1.pk))
    assert "Server Draf Rahasia" in page(client, url("trace", "aplikasi", drafts[1].pk))
    assert "Layanan Draf Rahasia" in page(client, url("gaps", jenis="layanan-tanpa-aplikasi"))


# --- every declared kind -------------------------------------------------------------------------------------
@over_kinds
def test_trace_and_impact_open_for_every_declared_kind(client, world, kinds, model):
    obj = kinds.build(model)
    slug = model.spec.slug
    client.force_login(world.users["admin"])
    for name in ("trace", "impact"):
        html = page(client, url(name, slug, obj.pk, depth=3))
        assert obj.name in html and obj.get_absolute_url() in html
        assert f'hx-get="{url(name + "_diagram", slug, obj.pk, "html")}?depth=3"' in html
        page(client, url(name + "_diagram", slug, obj.pk, "html"))
    client.force_login(world.users["operator_dinkes"])  # a draft of Diskominfo
    for name in ("trace", "impact", "trace_diagram", "impact_diagram"):
        page(client, url(name, slug, obj.pk, *(("html",) if "diagram" in name else ())), 404)


def test_the_kinds_are_those_the_registry_declares(admin, landscape):
    html = page(admin, url("trace", "server", landscape.sv1.pk))
    groups = {m.spec.slug for m in domain_models()} | {"infrastruktur", "keamanan"}
    offered = set(re.findall(r'name="domain" value="([\w-]+)"', html))
    assert offered and offered <= groups


# --- query counts do not grow with the landscape -------------------------------------------------------------
def grow(o, n=4):
    """More of everything in every OPD: applications on both servers, their processes, services and data,
    integrations, platforms past their end of support, servers that nothing uses."""
    previous = None
    for department in (o.kominfo, o.dinkes, o.bappeda, f.department(o.kominfo.institution)):
        for i in range(n):
            server = make(Server, department, f"Server Tambahan {i}", server_type=ServerType.PHYSICAL, facility=o.dc)
            platform = make(PlatformSoftware, department, f"Platform Lama {i}",
                            end_of_support=o.os.end_of_support)
            app = make(Application, department, f"Aplikasi Tambahan {i}", servers=[server, o.sv2],
                       platform_software=[platform])
            process = make(BusinessProcess, department, f"Proses Tambahan {i}")
            app.processes.set([process])
            make(Service, department, f"Layanan Tambahan {i}", processes=[process])
            make(DataItem, department, f"Data Tambahan {i}")
            make(Service, department, f"Layanan Draf {i}", status=ReviewStatus.DRAFT)
            if previous is not None:
                ApplicationIntegration.objects.create(source=previous, target=app, data_exchanged="Data")
            previous = app


PAGES = {
    "insights.index": lambda o: url("index"),
    "insights.gaps": lambda o: url("gaps"),
    "insights.gaps.filtered": lambda o: url("gaps", jenis="layanan-tanpa-aplikasi", opd=o.bappeda.pk),
    "insights.single_points": lambda o: url("single_points"),
    "insights.landscape": lambda o: url("landscape", o.kominfo.pk),
    "insights.application_landscape": lambda o: url("application_landscape"),
    "insights.trace": lambda o: url("trace", "server", o.sv2.pk),
    "insights.impact": lambda o: url("impact", "fasilitas-komputasi", o.dc.pk),
    "insights.dashboard_gaps": lambda o: url("dashboard_gaps"),
}


@pytest.mark.parametrize("user", ["admin", "operator_dinkes"])
@pytest.mark.parametrize("budget", list(PAGES))
def test_page_queries_do_not_grow_with_the_landscape(client, world, landscape, count_cold_queries, count_queries,
                                                     query_budget, budget, user):
    client.force_login(world.users[user])
    address = PAGES[budget](landscape)
    if user == "operator_dinkes" and budget == "insights.landscape":
        address = url("landscape", landscape.dinkes.pk)
    client.get(address)  # warm up: memberships, session
    few, response = count_cold_queries(lambda: client.get(address))
    assert response.status_code == 200
    before = response.content
    kept, response = count_queries(lambda: client.get(address))
    assert response.status_code == 200 and kept <= few - 80, (kept, few)  # the graph kept: none of its queries
    grow(landscape)
    many, response = count_cold_queries(lambda: client.get(address))
    assert response.status_code == 200 and response.content != before  # the page shows the larger landscape
    assert few == many, (few, many)
    assert query_budget.get(budget) is not None, f"declare {budget} in tests/query_budgets.json ({few} queries)"
    assert few <= query_budget[budget], (few, query_budget[budget])


def test_an_opd_landscape_says_when_its_walk_met_a_cycle_or_was_cut(admin, landscape):
    """Bappeda's e-Planning exchanges data with Dinkes's SIMKES both ways (a cycle): the landscape names it; at depth 1
    objects lie further, and the page says so; a bad depth is a 400 with its reason."""
    o = landscape
    html = page(admin, url("landscape", o.bappeda.pk))
    assert 'data-testid="cycle-note"' in html and "SIMKES" in html
    assert 'data-testid="truncated-note"' not in html
    cut = page(admin, url("landscape", o.bappeda.pk, depth=1))
    assert 'data-testid="truncated-note"' in cut and "kedalaman 1" in text(cut)
    assert "Kedalaman harus" in text(page(admin, url("landscape", o.bappeda.pk, depth=0), 400))

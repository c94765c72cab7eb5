"""The diagram views of the insights pages (``sia.insights.views_diagrams``) on the hand-built landscape: the HTML
fragment, SVG and PNG; 404 for a hidden, unknown or unreadable object, OPD or instansi; 400 for a bad depth or
domain; 503 when Graphviz fails; no name of another OPD's draft; queries that do not grow with the objects."""

import pytest
from django.urls import reverse

from sia.architecture.choices import ReviewStatus, ServerType
from sia.architecture.models import Application, BusinessProcess, Server, Service
from sia.insights import diagrams
from tests.core.test_csp import inline_code

from .conftest import make

pytestmark = pytest.mark.django_db

BUDGET = "insights.diagram"


def url(name, *args, fmt="html", **query):
    base = reverse(f"insights:{name}", args=(*args, fmt))
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def urls(o) -> dict:
    return {
        "trace": url("trace_diagram", "proses-bisnis", o.p_dinkes.pk),
        "impact": url("impact_diagram", "server", o.sv1.pk),
        "landscape": url("landscape_diagram", o.kominfo.pk),
        "applications": url("application_landscape_diagram"),
    }


def get(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code, response.content[:300])
    return response


def test_the_html_fragment_holds_the_svg_legend_and_downloads(client, world, landscape):
    o = landscape
    client.force_login(world.users["admin"])
    address = url("trace_diagram", "layanan", o.s_dinkes.pk, depth=5)
    html = get(client, address).content.decode()
    assert html.strip().startswith('<figure class="diagram"') and "<svg" in html and "<?xml" not in html
    assert 'xlink:href="/arsitektur/server/%d/"' % o.sv1.pk in html and 'target="_top"' in html
    assert "Server Aplikasi 1" in html and "Layanan Puskesmas" in html
    assert 'class="diagram-key diagram-layer-technology diagram-shape-box3d"' in html  # the legend, in words
    assert "Legenda" not in html.split("<figcaption>")[0]  # not drawn twice inside the picture
    svg_url = url("trace_diagram", "layanan", o.s_dinkes.pk, fmt="svg", depth=5)
    assert f'href="{svg_url}"' in html and 'href="%s"' % svg_url.replace(".svg", ".png") in html
    assert "tidak digambar" not in html
    assert inline_code(html) == []  # nothing the CSP would block


def test_svg_and_png_downloads(client, world, landscape):
    o = landscape
    client.force_login(world.users["admin"])
    response = get(client, url("impact_diagram", "server", o.sv1.pk, fmt="svg"))
    assert response["Content-Type"] == "image/svg+xml" and response.content.startswith(b"<?xml")
    assert b"Legenda" in response.content and b"SIMKES" in response.content
    response = get(client, url("impact_diagram", "server", o.sv1.pk, fmt="png"))
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response["Content-Disposition"] == 'attachment; filename="dampak-SV-DISKOMINFO-001.png"'
    response = get(client, url("trace_diagram", "aplikasi", o.app_dinkes.pk, fmt="png"))
    assert response["Content-Disposition"] == 'attachment; filename="AP-DINKES-001.png"'
    for name, address in urls(o).items():
        for fmt in ("html", "svg", "png"):
            get(client, address.replace(".html", f".{fmt}"))
        get(client, address.replace(".html", ".pdf"), 404)
        get(client, address.replace(".html", ".txt"), 404)


def test_pruned_diagrams_say_how_many_objects_are_not_drawn(client, world, landscape, monkeypatch):
    monkeypatch.setattr(diagrams, "MAX_NODES", 4)
    client.force_login(world.users["admin"])
    html = get(client, url("impact_diagram", "server", landscape.sv1.pk)).content.decode()
    assert "lainnya" in html and "objek lain tidak digambar; lihat daftar" in html


def test_filters_by_domain_and_depth(client, world, landscape):
    o = landscape
    client.force_login(world.users["admin"])
    html = get(client, url("trace_diagram", "layanan", o.s_dinkes.pk, domain="infrastruktur")).content.decode()
    assert "Server Aplikasi 1" in html and "SIMKES" not in html
    html = get(client, url("trace_diagram", "layanan", o.s_dinkes.pk, domain="server,aplikasi")).content.decode()
    assert "Server Aplikasi 1" in html and "SIMKES" in html and "Pusat Data Provinsi" not in html
    html = get(client, url("trace_diagram", "layanan", o.s_dinkes.pk, depth=1)).content.decode()
    assert "Pelayanan Kesehatan" in html and "Server Aplikasi 1" not in html


@pytest.mark.parametrize("depth", ["0", "13", "99999999999999999999999", "abc", "-1", "2.5", "²"])
def test_a_bad_depth_answers_400(client, world, landscape, depth):
    o = landscape
    client.force_login(world.users["admin"])
    for address in (url("trace_diagram", "layanan", o.s_dinkes.pk, depth=depth),
                    url("impact_diagram", "server", o.sv1.pk, fmt="svg", depth=depth),
                    url("landscape_diagram", o.kominfo.pk, fmt="png", depth=depth)):
        response = get(client, address, 400)
        assert "Kedalaman harus bilangan bulat 1 sampai 12" in response.content.decode()


def test_an_unknown_domain_answers_400(client, world, landscape):
    client.force_login(world.users["admin"])
    response = get(client, url("trace_diagram", "layanan", landscape.s_dinkes.pk, domain="tidak-ada"), 400)
    assert "Domain tidak dikenal: tidak-ada" in response.content.decode()


def test_hidden_unknown_and_missing_answer_404(client, world, landscape):
    o = landscape
    draft = make(Application, o.kominfo, "Aplikasi Rahasia Kominfo", status=ReviewStatus.DRAFT, servers=[o.sv1])
    client.force_login(world.users["operator_dinkes"])
    get(client, url("trace_diagram", "aplikasi", draft.pk), 404)
    get(client, url("impact_diagram", "aplikasi", draft.pk, fmt="png"), 404)
    get(client, url("trace_diagram", "tidak-ada", o.sv1.pk), 404)
    get(client, url("trace_diagram", "aplikasi", 999999), 404)
    get(client, url("impact_diagram", "aplikasi", 99999999999999999999999), 404)
    get(client, url("landscape_diagram", o.kominfo.pk), 404)  # an operator reads their own OPD only
    get(client, url("landscape_diagram", o.dinkes.pk))
    get(client, url("landscape_diagram", world.far.pk), 404)
    get(client, url("application_landscape_diagram", instansi=world.other.pk), 404)
    get(client, url("application_landscape_diagram", instansi="abc"), 404)
    client.force_login(world.users["other_admin"])
    get(client, url("trace_diagram", "server", o.sv1.pk, fmt="svg"), 404)
    get(client, url("landscape_diagram", o.kominfo.pk), 404)
    client.force_login(world.users["nobody"])
    get(client, url("application_landscape_diagram"), 403)
    client.logout()
    response = get(client, url("trace_diagram", "server", o.sv1.pk), 302)
    assert "/akun/" in response["Location"] or "login" in response["Location"]


def test_an_operator_of_another_opd_gets_no_name_of_a_draft_in_any_diagram(client, world, landscape):
    o = landscape
    make(Application, o.kominfo, "Aplikasi Rahasia Kominfo", status=ReviewStatus.DRAFT, servers=[o.sv1],
         processes=[o.p_dinkes])
    make(Server, o.kominfo, "Server Rahasia Kominfo", status=ReviewStatus.DRAFT, server_type=ServerType.PHYSICAL,
         facility=o.dc)
    client.force_login(world.users["operator_dinkes"])
    addresses = [
        *urls(o).values(),
        url("landscape_diagram", o.dinkes.pk),
        url("trace_diagram", "proses-bisnis", o.p_dinkes.pk),
        url("impact_diagram", "fasilitas-komputasi", o.dc.pk),
    ]
    addresses.remove(url("landscape_diagram", o.kominfo.pk))  # not the operator's OPD: 404 (above)
    for address in addresses:
        for fmt in ("html", "svg"):
            body = get(client, address.replace(".html", f".{fmt}")).content.decode()
            assert "Rahasia" not in body, address
    client.force_login(world.users["admin"])  # the coordinator sees both: the test can fail
    body = get(client, url("impact_diagram", "fasilitas-komputasi", o.dc.pk)).content.decode()
    assert "Server Rahasia Kominfo" in body and "Aplikasi Rahasia Kominfo" in body


def test_a_failing_graphviz_answers_503_and_is_logged(client, world, landscape, monkeypatch, caplog):
    def broken(source, fmt="svg", timeout=None):
        raise diagrams.DiagramError("dot took longer than 20 s")

    monkeypatch.setattr("sia.insights.diagrams.render", broken)
    monkeypatch.setattr("sia.insights.views_diagrams.render", broken)
    client.force_login(world.users["admin"])
    response = get(client, url("trace_diagram", "server", landscape.sv1.pk), 503)
    assert "Diagram tidak dapat digambar" in response.content.decode()
    get(client, url("trace_diagram", "server", landscape.sv1.pk, fmt="png"), 503)
    assert "dot took longer than 20 s" in caplog.text


def grow(o, n=6):
    for department in (o.kominfo, o.dinkes, o.bappeda):
        for i in range(n):
            server = make(Server, department, f"Server Tambahan {i}", server_type=ServerType.PHYSICAL, facility=o.dc)
            app = make(Application, department, f"Aplikasi Tambahan {i}", servers=[server, o.sv1])
            process = make(BusinessProcess, department, f"Proses Tambahan {i}")
            app.processes.set([process])
            make(Service, department, f"Layanan Tambahan {i}", processes=[process, o.p_dinkes])
            make(Service, department, f"Layanan Draf {i}", status=ReviewStatus.DRAFT)


@pytest.mark.parametrize("user", ["admin", "operator_dinkes"])
def test_queries_do_not_grow_with_the_objects(client, world, landscape, count_cold_queries, query_budget, user):
    o = landscape
    client.force_login(world.users[user])
    addresses = urls(o)
    if user == "operator_dinkes":
        addresses["landscape"] = url("landscape_diagram", o.dinkes.pk)
    client.get(addresses["trace"])  # warm up: memberships, session
    few = {name: count_cold_queries(lambda a=address: client.get(a)) for name, address in addresses.items()}
    grow(o)
    many = {name: count_cold_queries(lambda a=address: client.get(a)) for name, address in addresses.items()}
    for name in addresses:
        (before, small), (after, large) = few[name], many[name]
        assert small.status_code == large.status_code == 200
        assert large.content != small.content, name  # the diagram shows the larger landscape
        assert before == after, (name, before, after)
        assert after <= query_budget[BUDGET], (name, after, query_budget[BUDGET])

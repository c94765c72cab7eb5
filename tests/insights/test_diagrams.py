"""Diagrams of the insights graph (``sia.insights.diagrams``) on the hand-built landscape: style from the declarations,
OPD clusters, links to object pages, pruning, escaping, permissions, rendering with Graphviz."""

import dataclasses
import re
import subprocess

import pytest

from sia.architecture.choices import ReviewStatus
from sia.architecture.kindgroups import group_of
from sia.architecture.models import Application, Server
from sia.insights import diagrams
from sia.insights.access import object_url
from sia.insights.diagram_style import LAYERS, kind_style, quote, style_for
from sia.insights.graph import load_graph
from sia.insights.impact import impact
from sia.insights.trace import landscape as find_landscape
from sia.insights.trace import trace

from .conftest import key, make

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(world, landscape):
    return load_graph(world.users["admin"], world.inst)


def node_line(source: str, obj) -> str:
    """The DOT statement of the node that links to ``obj``'s page."""
    url = re.escape(f'URL="{object_url_of(obj)}"')
    [line] = [line for line in source.splitlines() if re.search(url, line)]
    return line


def object_url_of(obj):
    return f"/arsitektur/{type(obj).spec.slug}/{obj.pk}/"


def clusters(source: str) -> dict:
    """{cluster name: its DOT block}."""
    return {match.group(1): match.group(2) for match in
            re.finditer(r"subgraph (cluster_\w+) \{\n(.*?)\n  \}", source, re.S)}


def test_styles_come_from_the_archimate_element_of_each_declaration(graph):
    assert style_for("BusinessService").fill == "#ffffb5" and style_for("BusinessService").rounded
    assert style_for("BusinessProcess").shape == "cds"
    assert (style_for("ApplicationComponent").fill, style_for("ApplicationComponent").shape) == ("#b5ffff", "component")
    assert (style_for("Node").fill, style_for("Node").shape) == ("#c9e7b7", "box3d")
    assert style_for("Facility").fill == LAYERS["physical"] == "#c9e7b7"
    assert style_for("Constraint").fill == "#ccccff" and style_for("Assessment").fill == "#ccccff"
    assert style_for("WorkPackage").fill == "#ffe0e0"
    assert (style_for("Mystery").fill, style_for("Mystery").shape, style_for("").layer) == ("#e6e6e6", "box", "other")
    for kind in graph.kinds.values():  # every declared kind, whatever it is: its group's element, or its own
        group = group_of(kind.model)
        assert kind_style(kind).element == (group.archimate_element or kind.model.spec.archimate_element)
        assert kind_style(kind).layer != "other", kind.slug


def test_nodes_are_drawn_in_their_kind_style_and_link_to_their_page(graph, landscape):
    o = landscape
    source = diagrams.trace_diagram(trace(graph, o.s_dinkes))
    server = node_line(source, o.sv1)
    assert 'shape="box3d"' in server and 'fillcolor="#c9e7b7"' in server
    assert 'label="SV-DISKOMINFO-001\\nServer Aplikasi 1"' in server
    assert 'tooltip="Server\\nSV-DISKOMINFO-001\\nServer Aplikasi 1\\nDISKOMINFO"' in server
    assert object_url(graph.node(key(o.sv1)), graph) == object_url_of(o.sv1)
    application = node_line(source, o.app_dinkes)
    assert 'shape="component"' in application and 'fillcolor="#b5ffff"' in application
    focus = node_line(source, o.s_dinkes)
    assert "penwidth=3" in focus and "penwidth=3" not in server  # the focus is drawn thicker
    assert 'target="_top"' in source
    # Protection is dashed, from the protected object to the keamanan standard; dependencies solid, labelled.
    standard = node_line(source, o.standard).split()[0]
    server_id = server.split()[0]
    assert re.search(rf'{server_id} -> {standard} \[label="melindungi", style=dashed', source)
    assert re.search(r'-> \w+ \[label="berjalan di"\];', source)
    # The legend holds the kinds drawn only.
    legend = clusters(source)["cluster_legend"]
    assert 'label="Server"' in legend and 'label="Aplikasi"' in legend
    assert 'label="Periferal"' not in legend and "Printer" not in source
    assert [kind.slug for kind, _style in source.legend][:2] == ["proses-bisnis", "layanan"]


def test_a_kind_with_an_unknown_element_is_drawn_in_a_neutral_style(graph, landscape, monkeypatch):
    group = dataclasses.replace(Server.spec.group, archimate_element="")  # drawn by its own element
    monkeypatch.setattr(Server, "spec", dataclasses.replace(Server.spec, archimate_element="SomethingNew", group=group))
    source = diagrams.trace_diagram(trace(graph, landscape.s_dinkes))
    server = node_line(source, landscape.sv1)
    assert 'shape="box"' in server and 'fillcolor="#e6e6e6"' in server
    diagrams.render(source, "svg")  # still draws


def test_opds_are_clusters_labelled_with_their_abbreviation(graph, landscape):
    o = landscape
    source = diagrams.impact_diagram(impact(graph, o.sv1))
    blocks = clusters(source)
    kominfo, dinkes = blocks[f"cluster_{o.kominfo.pk}"], blocks[f"cluster_{o.dinkes.pk}"]
    assert 'label="DISKOMINFO"' in kominfo and 'tooltip="Dinas Komunikasi dan Informatika"' in kominfo
    assert "Server Aplikasi 1" in kominfo and "SIMKES" in dinkes and "SIMKES" not in kominfo
    assert f"cluster_{o.bappeda.pk}" in blocks


def test_landscape_and_application_landscape(graph, landscape):
    o = landscape
    source = diagrams.landscape_diagram(find_landscape(graph, o.dinkes.pk))
    blocks = clusters(source)
    assert "SIMKES" in blocks[f"cluster_{o.dinkes.pk}"] and "bold" in blocks[f"cluster_{o.dinkes.pk}"]
    assert "Server Aplikasi 1" in blocks[f"cluster_{o.kominfo.pk}"]  # shared infrastructure of another OPD
    assert "Layanan Musrenbang" not in source  # another OPD's object it does not use
    apps = diagrams.application_landscape_diagram(graph)
    assert {kind.slug for kind, _style in apps.legend} == {"aplikasi"}
    assert "Aplikasi Lama" in apps and "Server Aplikasi 1" not in apps
    bappeda, dinkes = node_line(apps, o.app_bappeda).split()[0], node_line(apps, o.app_dinkes).split()[0]
    # The integration, sender to receiver, both ways.
    assert re.search(rf'{bappeda} -> {dinkes} \[label="mengirim data ke", dir=both\]', apps)
    assert diagrams.integration_links(graph) == {
        link.index for link in graph.links if link.holder == link.target == Application.spec.slug}


def test_large_graphs_are_pruned_per_opd_and_kind_nearest_first_focus_kept(world, landscape):
    o = landscape
    for n in range(30):
        app = make(Application, o.dinkes, f"Aplikasi Tambahan {n:02d}", servers=[o.sv1])
        app.processes.set([o.p_sub])
    graph = load_graph(world.users["admin"], world.inst)
    found = impact(graph, o.sv1)
    source = diagrams.impact_diagram(found, max_nodes=30)
    boxes = re.findall(r"^  +(?:n|m)\d+ \[", source, re.M)
    assert len(boxes) <= 30
    assert source.omitted and source.omitted + source.shown == len(found.hits) + 1
    assert "penwidth=3" in node_line(source, o.sv1)  # the focus
    dinkes = clusters(source)[f"cluster_{o.dinkes.pk}"]
    more = re.search(r'label="\+ (\d+) lainnya", tooltip="(\d+) Aplikasi lain tidak digambar \(DINKES\)"', dinkes)
    assert more and more.group(1) == more.group(2)
    # Nearest first within a group: every application drawn is nearer than (or as near as) every one left out.
    represent, placeholders = diagrams.prune(graph, {h.key: h.depth for h in found.hits} | {key(o.sv1): 0},
                                             {key(o.sv1)}, 30)
    depth = {hit.key: hit.depth for hit in found.hits}
    for (department, kind), _count, _opds in placeholders.values():
        group = [k for k in depth if k[0] == kind and graph.node(k).department_id == department]
        drawn = [depth[k] for k in group if represent[k] == k]
        left = [depth[k] for k in group if represent[k] != k]
        assert not drawn or max(drawn) <= min(left)
    # Objects of at most max_nodes // 10 OPDs are drawn (the focus's first); the others' go to one box.
    few = diagrams.impact_diagram(found, max_nodes=20)
    assert len(clusters(few)) == 1 + 2 and f"cluster_{o.kominfo.pk}" in clusters(few)
    assert re.search(r'label="\+ \d+ lainnya", tooltip="\d+ objek lain (dari \d+ OPD )?tidak digambar"', few)
    # Under the limit, nothing is left out.
    assert diagrams.impact_diagram(found, max_nodes=500).omitted == 0


def test_names_are_escaped_and_render_harmlessly(world, landscape):
    o = landscape
    evil = make(Application, o.dinkes, '<script>alert("x")</script>', servers=[o.sv1])
    odd = make(Application, o.dinkes, 'Kutip " miring \\N \\" & &lt;b&gt;', servers=[o.sv1])
    graph = load_graph(world.users["admin"], world.inst)
    source = diagrams.impact_diagram(impact(graph, o.sv1))
    assert 'label="AP-DINKES-002\\n<script>alert(\\"x\\")</script>"' in node_line(source, evil)
    assert '\\\\N \\\\\\" &amp; &amp;lt;b&amp;gt;' in node_line(source, odd)
    svg = diagrams.render(source, "svg").decode()
    assert "<script" not in svg and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
    assert "\\N \\&quot; &amp; &amp;lt;b&amp;gt;" in svg  # drawn as typed: no Graphviz escape, no entity
    inline = diagrams.inline_svg(source, 'Dampak "<b>"')
    assert inline.startswith('<svg class="diagram-svg" width="')
    assert 'aria-label="Dampak &quot;&lt;b&gt;&quot;"' in inline
    assert "<?xml" not in inline and "<!DOCTYPE" not in inline and "<!--" not in inline
    assert not re.search(r"<[^>]*\sstyle=", inline) and not re.search(r"<[^>]*\son\w+=", inline)
    assert "viewBox=" in inline and "height=" not in inline.split(">", 1)[0]
    assert quote("a\nb\tc") == '"a b c"'


def test_a_backslash_in_a_name_is_drawn_as_typed_in_the_label_and_as_a_look_alike_in_the_tooltip(world, landscape):
    o = landscape
    odd = make(Application, o.dinkes, "C:\\New Data \\Gudang", servers=[o.sv1])
    graph = load_graph(world.users["admin"], world.inst)
    svg = diagrams.render(diagrams.impact_diagram(impact(graph, o.sv1)), "svg").decode()
    assert "C:\\New Data \\Gudang" in svg  # the label, as typed
    title = re.search(r'xlink:title="Aplikasi&#10;[^"]*Gudang[^"]*"', svg).group(0)
    assert odd.code.replace("-", "&#45;") in title
    assert "C:\u2216New Data \u2216Gudang" in title  # the tooltip: no \\N or \\G substituted


def test_an_operator_of_another_opd_sees_no_draft_in_any_diagram(world, landscape):
    o = landscape
    make(Application, o.kominfo, "Aplikasi Rahasia Kominfo", status=ReviewStatus.DRAFT, servers=[o.sv1],
         processes=[o.p_dinkes])
    graph = load_graph(world.users["operator_dinkes"], world.inst)
    outputs = [
        diagrams.impact_diagram(impact(graph, o.sv1)),
        diagrams.trace_diagram(trace(graph, o.p_dinkes)),
        diagrams.trace_diagram(trace(graph, o.sv1)),
        diagrams.landscape_diagram(find_landscape(graph, o.kominfo.pk)),
        diagrams.landscape_diagram(find_landscape(graph, o.dinkes.pk)),
        diagrams.application_landscape_diagram(graph),
        diagrams.impact_diagram(impact(graph, o.sv1), max_nodes=3),
    ]
    for source in outputs:
        assert "Rahasia" not in source
        assert "Rahasia" not in diagrams.render(source, "svg").decode()
    # The coordinator sees it (the test can fail).
    admin = load_graph(world.users["admin"], world.inst)
    assert "Aplikasi Rahasia Kominfo" in diagrams.impact_diagram(impact(admin, o.sv1))


def test_png_and_errors_of_graphviz(graph, landscape, monkeypatch):
    source = diagrams.trace_diagram(trace(graph, landscape.app_dinkes))
    assert diagrams.render(source, "png").startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(diagrams.DiagramError):
        diagrams.render("digraph { a -> }", "svg")  # a syntax error
    with pytest.raises(diagrams.DiagramError):
        diagrams.render(source, "pdf")
    monkeypatch.setattr(diagrams.shutil, "which", lambda name: None)
    with pytest.raises(diagrams.DiagramError, match="not installed"):
        diagrams.render(source, "svg")


def test_a_slow_dot_is_stopped(graph, landscape, monkeypatch):
    calls = {}

    def slow(args, **kwargs):
        calls.update(kwargs, args=args)
        raise subprocess.TimeoutExpired(args, kwargs["timeout"])

    monkeypatch.setattr(diagrams.subprocess, "run", slow)
    with pytest.raises(diagrams.DiagramError, match="longer than"):
        diagrams.render(diagrams.trace_diagram(trace(graph, landscape.app_dinkes)), "svg", timeout=1)
    assert calls["timeout"] == 1 and calls["args"][1] == "-Tsvg" and "shell" not in calls


def test_one_colour_and_shape_per_domain():
    """The kinds of a group are drawn alike (the group's declared element): every infrastruktur kind as a technology
    node, every keamanan kind as a motivation constraint; a domain of one kind by its own element."""
    from sia.architecture.kindgroups import kind_groups
    from sia.insights.diagram_style import kind_style
    from sia.insights.graph import Kind

    def style(model):
        return kind_style(Kind(model.spec.slug, model, "", "", "", 0, ()))

    for group, models in kind_groups():
        styles = {(style(model).fill, style(model).shape) for model in models}
        assert len(styles) == 1, (group.slug, styles)
    drawn = {group.slug: style(models[0]) for group, models in kind_groups()}
    assert (drawn["infrastruktur"].layer, drawn["infrastruktur"].shape) == ("technology", "box3d")
    assert drawn["keamanan"].layer == "motivation"
    assert drawn["layanan"].shape != drawn["proses-bisnis"].shape != drawn["data"].shape


def test_a_wide_row_of_objects_is_staggered_to_keep_the_diagram_readable(world, landscape):
    from sia.architecture.models import Service

    o = landscape
    service = make(Service, o.bappeda, "Layanan Bersama")
    for n in range(40):
        make(Application, (o.dinkes, o.bappeda, o.kominfo)[n % 3], f"Aplikasi Pendukung {n}", services=[service])
    graph = load_graph(world.users["admin"], world.inst)
    source = diagrams.trace_diagram(trace(graph, service))
    assert source.shown >= 40  # under the box limit: nothing pruned, one row of 40 before staggering

    def shape(svg: bytes) -> tuple[float, float]:
        width, height = re.search(rb'viewBox="[-0-9.]+ [-0-9.]+ ([0-9.]+) ([0-9.]+)"', svg).groups()
        return float(width), float(height)

    flat = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=True).stdout
    flat_width, flat_height = shape(flat)
    width, height = shape(diagrams.render(source, "svg"))
    assert width < 0.6 * flat_width and width / height < flat_width / flat_height / 2, (width, height, flat_width)

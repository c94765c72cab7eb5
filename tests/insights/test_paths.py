"""Shortest dependency paths between two objects on the hand-built landscape, and on small hand-made graphs."""

import pytest

from sia.insights.graph import Graph, LinkKind, Node, load_graph
from sia.insights.impact import DepthError, UnknownObject
from sia.insights.paths import DOWN, UP, SameObject, dependency_paths

from .conftest import key

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(world, landscape):
    return load_graph(world.users["admin"], world.inst)


def chain(found):
    return [[(step.source, step.target) for step in path.steps] for path in found.paths]


def test_a_service_down_to_its_server_and_the_server_up_to_the_service(graph, landscape):
    o = landscape
    down = dependency_paths(graph, o.s_kominfo, o.sv1)
    assert down.found and down.length == 3 and [path.direction for path in down.paths] == [DOWN]
    assert chain(down) == [[(key(o.s_kominfo), key(o.p_kominfo)), (key(o.p_kominfo), key(o.app_kominfo)),
                            (key(o.app_kominfo), key(o.sv1))]]
    up = dependency_paths(graph, o.sv1, o.s_kominfo)
    assert up.found and [path.direction for path in up.paths] == [UP]
    assert chain(up) == [[(key(o.sv1), key(o.app_kominfo)), (key(o.app_kominfo), key(o.p_kominfo)),
                          (key(o.p_kominfo), key(o.s_kominfo))]]
    # Read from the start: the server runs the application, which supports the process, which realizes the service.
    assert [step.text(graph) for step in up.paths[0].steps][0] == (
        f"{o.sv1.code} Server Aplikasi 1 menjalankan {o.app_kominfo.code} Portal Provinsi")


def test_every_shortest_path_is_listed_and_no_longer_one(graph, landscape):
    o = landscape
    # Portal Provinsi runs on both servers, each in the data centre: two paths of two links.
    found = dependency_paths(graph, o.app_kominfo, o.dc)
    assert found.length == 2
    assert sorted(chain(found)) == sorted([
        [(key(o.app_kominfo), key(o.sv1)), (key(o.sv1), key(o.dc))],
        [(key(o.app_kominfo), key(o.sv2)), (key(o.sv2), key(o.dc))],
    ])
    assert not found.limited
    one = dependency_paths(graph, o.app_kominfo, o.dc, limit=1)
    assert len(one.paths) == 1 and one.limited


def test_no_path_says_so_and_whether_the_depth_cut_the_walk(graph, landscape):
    o = landscape
    none = dependency_paths(graph, o.printer, o.s_dinkes)
    assert not none.found and none.paths == [] and none.length is None and not none.truncated
    cut = dependency_paths(graph, o.s_dinkes, o.dc, depth=2)
    assert not cut.found and cut.truncated
    assert dependency_paths(graph, o.s_dinkes, o.dc, depth=5).found
    # Protection is no dependency: the standard and the server it protects are not on a dependency path.
    assert not dependency_paths(graph, o.standard, o.sv1).found


def test_bad_input_is_refused(graph, landscape):
    o = landscape
    with pytest.raises(SameObject):
        dependency_paths(graph, o.sv1, o.sv1)
    with pytest.raises(DepthError):
        dependency_paths(graph, o.sv1, o.dc, depth=0)
    with pytest.raises(UnknownObject):
        dependency_paths(graph, o.sv1, ("server", 10**9))


def _graph(edges, dependent="holder"):
    """A graph of applications whose ``integrations`` link (holder needs target) follows ``edges``."""
    link = LinkKind(0, "aplikasi", "aplikasi", "integrations", "menerima dari", "mengirim ke", "flow", False,
                    dependent, False)
    graph = Graph({}, [link], {})
    for name in {n for edge in edges for n in edge}:
        graph.nodes[("aplikasi", name)] = Node("aplikasi", name, f"AP-{name}", f"App {name}", None, "divalidasi")
    for holder, target in edges:
        graph.add_edge(link, ("aplikasi", holder), ("aplikasi", target))
    return graph


def test_a_cycle_ends_the_walk_and_is_named():
    graph = _graph([(1, 2), (2, 3), (3, 1), (3, 4)])
    found = dependency_paths(graph, ("aplikasi", 1), ("aplikasi", 4))
    assert chain(found) == [[(("aplikasi", 1), ("aplikasi", 2)), (("aplikasi", 2), ("aplikasi", 3)),
                             (("aplikasi", 3), ("aplikasi", 4))]]
    assert [sorted(cycle) for cycle in found.cycles] == [[("aplikasi", 1), ("aplikasi", 2), ("aplikasi", 3)]]
    # Inside a cycle both ways hold: 1 needs 3 (two links) and 3 needs 1 (one link): the shorter is given.
    both = dependency_paths(graph, ("aplikasi", 1), ("aplikasi", 3))
    assert both.length == 1 and [path.direction for path in both.paths] == [UP]
    # 4 needs nothing: nothing leads from it down to 1, but 1 needs it (up).
    assert [path.direction for path in dependency_paths(graph, ("aplikasi", 4), ("aplikasi", 1)).paths] == [UP]


def test_many_shortest_paths_are_capped():
    # A diamond ladder: 2**6 shortest paths from the top to the bottom.
    edges, top = [], 0
    for level in range(6):
        a, b, bottom = top + 1, top + 2, top + 3
        edges += [(top, a), (top, b), (a, bottom), (b, bottom)]
        top = bottom
    graph = _graph(edges)
    found = dependency_paths(graph, ("aplikasi", 0), ("aplikasi", top))
    assert found.length == 12 and len(found.paths) == 20 and found.limited
    assert len({tuple(path) for path in chain(found)}) == 20

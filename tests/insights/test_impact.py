"""Impact sets on the hand-built landscape (``conftest.landscape``), with known answers."""

import pytest

from sia.insights.graph import load_graph
from sia.insights.impact import (
    MAX_DEPTH, DepthError, UnknownObject, cycles, failing, impact, kill_sets, single_points_of_failure, walk,
)

from .conftest import key, keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(world, landscape):
    return load_graph(world.users["admin"], world.inst)


def test_a_shared_server_hits_the_applications_processes_services_and_data_of_three_opds(graph, landscape):
    o = landscape
    found = impact(graph, o.sv1)
    assert found.keys() == keys(
        o.app_dinkes, o.app_bappeda, o.app_kominfo, o.p_sub, o.p_dinkes, o.p_bappeda, o.p_kominfo, o.data,
        o.s_dinkes, o.s_bappeda, o.s_kominfo,
    )
    # Protection is no dependency: the standard that protects the server is not hit; nor is the other server,
    # the data centre (the server depends on them, not they on it) or the unrelated objects.
    assert not found.keys() & keys(o.standard, o.sv2, o.dc, o.os, o.app_orphan, o.s_manual, o.data_alone)
    depths = {hit.key: hit.depth for hit in found.hits}
    assert depths[key(o.app_dinkes)] == 1 and depths[key(o.p_sub)] == 2 and depths[key(o.p_dinkes)] == 3
    assert [hit.depth for hit in found.hits] == sorted(hit.depth for hit in found.hits)


def test_each_hit_has_the_path_that_explains_it(graph, landscape):
    o = landscape
    found = impact(graph, o.sv1)
    [parent] = [hit for hit in found.hits if hit.key == key(o.p_dinkes)]
    assert [(step.source, step.target) for step in parent.path] == [
        (key(o.sv1), key(o.app_dinkes)), (key(o.app_dinkes), key(o.p_sub)), (key(o.p_sub), key(o.p_dinkes))]
    assert parent.explanation(graph) == (
        f"{o.sv1.code} Server Aplikasi 1 menjalankan {o.app_dinkes.code} SIMKES; "
        f"{o.app_dinkes.code} SIMKES mendukung {o.p_sub.code} Pendaftaran Pasien; "
        f"{o.p_sub.code} Pendaftaran Pasien bagian dari {o.p_dinkes.code} Pelayanan Kesehatan")


def test_hits_are_grouped_by_domain_and_opd(graph, landscape):
    found = impact(graph, landscape.sv1).by_domain()
    groups = {slug: {opd: len(hits) for opd, hits in opds} for slug, _label, opds in found}
    assert groups == {
        "proses-bisnis": {"BAPPEDA": 1, "DINKES": 2, "DISKOMINFO": 1},
        "layanan": {"BAPPEDA": 1, "DINKES": 1, "DISKOMINFO": 1},
        "data": {"DINKES": 1},
        "aplikasi": {"BAPPEDA": 1, "DINKES": 1, "DISKOMINFO": 1},
    }
    assert [slug for slug, _l, _o in impact(graph, landscape.sv1).by_domain()] == [
        "proses-bisnis", "layanan", "data", "aplikasi"]


def test_an_application_on_two_servers_is_hit_but_does_not_fail_with_one(graph, landscape):
    o = landscape
    found = impact(graph, o.sv1)
    survivors = {hit.key for hit in found.hits if not hit.fails}
    assert survivors == keys(o.app_kominfo, o.p_kominfo, o.s_kominfo)
    # The data centre holds both servers: everything on them fails with it.
    everything = impact(graph, o.dc)
    assert keys(o.sv1, o.sv2, o.app_kominfo, o.s_kominfo) <= {hit.key for hit in everything.failing}


def test_the_walk_ends_on_a_cycle_and_names_it(graph, landscape):
    o = landscape
    found = impact(graph, o.sv1)
    # SIMKES writes the data e-Planning reads, and the two exchange data both ways.
    assert [set(cycle) for cycle in found.cycles] == [keys(o.app_dinkes, o.app_bappeda, o.data)]
    assert found.cycle_met
    inside = impact(graph, o.app_bappeda)  # starting inside the cycle: it comes back to the start and ends
    assert key(o.app_dinkes) in inside.keys() and key(o.app_bappeda) not in inside.keys()
    assert inside.cycle_met
    assert not impact(graph, o.p_kominfo).cycle_met


def test_depth_limits_the_walk_and_says_it_was_cut(graph, landscape):
    o = landscape
    first = impact(graph, o.sv1, depth=1)
    assert first.keys() == keys(o.app_dinkes, o.app_bappeda, o.app_kominfo)
    assert first.truncated
    assert not impact(graph, o.sv1).truncated
    assert impact(graph, o.sv1, depth=MAX_DEPTH).keys() == impact(graph, o.sv1).keys()


@pytest.mark.parametrize("depth", [0, -1, MAX_DEPTH + 1, 1000, "3", 2.5, True])
def test_a_depth_beyond_the_limit_is_refused(graph, landscape, depth):
    with pytest.raises(DepthError, match=f"1 sampai {MAX_DEPTH}"):
        impact(graph, landscape.sv1, depth=depth)


def test_an_object_outside_the_graph_is_unknown(graph, landscape):
    with pytest.raises(UnknownObject):
        impact(graph, ("server", 999999))
    with pytest.raises(UnknownObject):
        impact(graph, ("tidak-ada", landscape.sv1.pk))


def test_protection_and_unlinked_objects_hit_nothing(graph, landscape):
    assert impact(graph, landscape.standard).hits == []
    assert impact(graph, landscape.printer).hits == []


def test_single_points_of_failure_count_the_services_lost_with_no_alternative(graph, landscape):
    o = landscape
    points = [(point.node.key, {s.key for s in point.services}, point.departments)
              for point in single_points_of_failure(graph)]
    assert points == [
        (key(o.dc), keys(o.s_dinkes, o.s_bappeda, o.s_kominfo), {o.dinkes.pk, o.bappeda.pk, o.kominfo.pk}),
        # The old platform runs e-Planning only, but SIMKES needs e-Planning's side of their two-way integration.
        (key(o.os), keys(o.s_dinkes, o.s_bappeda), {o.dinkes.pk, o.bappeda.pk}),
        (key(o.sv1), keys(o.s_dinkes, o.s_bappeda), {o.dinkes.pk, o.bappeda.pk}),
    ]
    # The second server has an alternative for everything on it: no service falls with it.
    assert key(o.sv2) not in {point.node.key for point in single_points_of_failure(graph, minimum=1)}
    assert [p.node.key for p in single_points_of_failure(graph, minimum=3)] == [key(o.dc)]


def test_single_points_agree_with_the_failure_of_each_object_alone(world, landscape):
    """All candidates at once (``kill_sets``) give what failing each one alone gives (``failing``)."""
    o = landscape
    make_extra_alternatives(o)
    graph = load_graph(world.users["admin"], world.inst)
    candidates = [key for key in graph.nodes if key[0] in {"server", "fasilitas-komputasi", "perangkat-lunak-platform"}]
    kill = kill_sets(graph, candidates)
    for number, candidate in enumerate(candidates):
        alone = failing(graph, candidate, None)
        assert {key for key, bits in kill.items() if bits >> number & 1} == alone, candidate


def make_extra_alternatives(o):
    """A process two applications support (alternatives), one of them on the second server only."""
    from sia.architecture.models import Application

    from .conftest import make

    spare = make(Application, o.kominfo, "Portal Cadangan", servers=[o.sv2])
    spare.processes.set([o.p_bappeda, o.p_kominfo])
    o.app_bappeda.reads.add(o.data_alone)


@pytest.mark.parametrize("seed", range(8))
def test_kill_sets_agree_with_failing_on_random_tangles(seed):
    """Random graphs in memory, with cycles, needed links and alternatives: every object fails, as a single
    point, exactly where the one-at-a-time walk says it does."""
    import random

    from sia.insights.graph import Graph, LinkKind, Node

    rng = random.Random(seed)
    links = [LinkKind(index=i, holder="x", target="x", field=f"f{i}", meaning="m", inverse="i", relationship=rel,
                      cross_opd=True, dependent=dependent, any_of=any_of)
             for i, (rel, dependent, any_of) in enumerate([
                 ("serving", "holder", True), ("access-read", "holder", False), ("aggregation", "target", True),
                 ("flow", "both", False)])]
    graph = Graph({}, links, {})
    for pk in range(60):
        graph.nodes[("x", pk)] = Node("x", pk, f"X{pk:02d}", "", None, "divalidasi")
    for _ in range(110):
        a, b = rng.sample(range(60), 2)
        graph.add_edge(rng.choice(links[:3]) if rng.random() < 0.9 else links[3], ("x", a), ("x", b))
    candidates = sorted(graph.nodes)
    kill = kill_sets(graph, candidates)
    sizes = []
    for number, candidate in enumerate(candidates):
        alone = failing(graph, candidate, None)
        assert {key for key, bits in kill.items() if bits >> number & 1} == alone
        reached = set(walk(graph, candidate, graph.dependents, MAX_DEPTH).parent)
        sizes.append((len(alone), len(reached)))
    assert max(fallen for fallen, _reached in sizes) > 3  # failures travel
    assert any(fallen < reached for fallen, reached in sizes)  # and alternatives stop some
    assert cycles(graph.nodes, graph.dependents)  # through cycles


def test_data_depends_on_the_storage_that_holds_it_and_a_second_copy_is_an_alternative(world, landscape):
    """Storage and komputasi awan *store* data (an access of no direction): the data is hit when its store fails,
    and so is the application that reads it; with a copy on a second store the data is hit but does not fail."""
    from sia.architecture.models import StorageMedia

    from .conftest import make

    o = landscape
    nas = make(StorageMedia, o.kominfo, "NAS Pusat Data", data_items=[o.data])
    found = impact(load_graph(world.users["admin"], world.inst), nas)
    assert {key(o.data), key(o.app_bappeda), key(o.s_dinkes)} <= found.keys()
    assert key(nas) not in found.keys() and not found.keys() & keys(o.sv1, o.sv2, o.dc)
    assert {hit.key for hit in found.failing} >= {key(o.data), key(o.app_bappeda)}

    make(StorageMedia, o.kominfo, "NAS Cadangan", data_items=[o.data])
    found = impact(load_graph(world.users["admin"], world.inst), nas)
    data_hit = next(hit for hit in found.hits if hit.key == key(o.data))
    assert not data_hit.fails

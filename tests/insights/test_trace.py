"""Traceability chains up and down on the hand-built landscape."""

import pytest

from sia.insights.graph import load_graph
from sia.insights.impact import DepthError, UnknownObject
from sia.insights.trace import trace

from .conftest import key, keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(world, landscape):
    return load_graph(world.users["admin"], world.inst)


def test_a_service_traces_down_to_processes_data_applications_and_infrastructure(graph, landscape):
    o = landscape
    chain = trace(graph, o.s_dinkes)
    # SIMKES also needs e-Planning (their integration runs both ways), and with it e-Planning's platform.
    assert {hit.key for hit in chain.down} == keys(
        o.p_dinkes, o.p_sub, o.data, o.app_dinkes, o.sv1, o.dc, o.app_bappeda, o.os)
    assert chain.up == []
    assert [slug for slug, _label, _opds in chain.down_by_domain()] == [
        "proses-bisnis", "data", "aplikasi", "infrastruktur"]
    assert [hit.key for hit in chain.down][:2] == [key(o.p_dinkes), key(o.data)]  # nearest first
    # The keamanan objects that protect each object of the chain.
    assert chain.protected_by(key(o.sv1)) == [graph.node(key(o.standard))]
    assert chain.protected_by(key(o.app_dinkes)) == [graph.node(key(o.standard))]
    assert chain.protected_by(key(o.p_dinkes)) == []


def test_an_application_traces_up_to_what_it_supports_and_down_to_where_it_runs(graph, landscape):
    o = landscape
    chain = trace(graph, o.app_bappeda)
    assert keys(o.p_bappeda, o.s_bappeda, o.app_dinkes, o.p_sub, o.p_dinkes, o.s_dinkes) <= {h.key for h in chain.up}
    assert keys(o.sv1, o.dc, o.os, o.data, o.app_dinkes) <= {hit.key for hit in chain.down}
    assert chain.cycle_met  # e-Planning and SIMKES depend on each other


def test_filter_by_domain_keeps_the_hits_of_that_domain_with_their_full_path(graph, landscape):
    o = landscape
    chain = trace(graph, o.s_dinkes, domains=["infrastruktur"])
    assert {hit.key for hit in chain.down} == keys(o.sv1, o.dc, o.os)
    [server] = [hit for hit in chain.down if hit.key == key(o.sv1)]
    assert [step.target for step in server.path][-2:] == [key(o.app_dinkes), key(o.sv1)]
    assert {hit.key for hit in trace(graph, o.s_dinkes, domains="server").down} == keys(o.sv1)
    with pytest.raises(ValueError, match="Domain tidak dikenal: tidak-ada"):
        trace(graph, o.s_dinkes, domains=["tidak-ada", "aplikasi"])


def test_depth_bounds_the_chain(graph, landscape):
    o = landscape
    assert {hit.key for hit in trace(graph, o.s_dinkes, depth=1).down} == keys(o.p_dinkes, o.data)
    assert trace(graph, o.s_dinkes, depth=1).truncated
    with pytest.raises(DepthError):
        trace(graph, o.s_dinkes, depth=99)
    with pytest.raises(UnknownObject):
        trace(graph, ("layanan", 10**9))


def test_an_opd_landscape_includes_the_shared_infrastructure_of_other_opds(graph, landscape):
    from sia.insights.trace import landscape as opd_landscape

    o = landscape
    found = opd_landscape(graph, o.bappeda.pk)
    assert {node.key for node in found.own} == keys(
        o.app_bappeda, o.p_bappeda, o.p_manual, o.s_bappeda, o.s_manual, o.data_alone)
    used = {hit.key for hit in found.used}
    # Diskominfo's server, data centre and platform; Dinkes's data and (two-way integration) SIMKES; not what
    # SIMKES supports (Dinkes's processes need SIMKES, Bappeda does not need them).
    assert used == keys(o.sv1, o.dc, o.os, o.data, o.app_dinkes)
    [server] = [hit for hit in found.used if hit.key == key(o.sv1)]
    assert server.path[0].source == key(o.app_bappeda) and server.depth == 1
    assert [slug for slug, _l, _o in found.used_by_domain()][-1] == "infrastruktur"
    assert {hit.key for hit in opd_landscape(graph, o.bappeda.pk, depth=1).used} == keys(
        o.sv1, o.os, o.data, o.app_dinkes)


def test_a_landscape_names_the_cycles_it_met_and_whether_the_depth_cut_it(world, landscape):
    from sia.insights.graph import load_graph
    from sia.insights.trace import landscape as opd_landscape

    o = landscape
    graph = load_graph(world.users["admin"], world.inst)
    whole = opd_landscape(graph, o.bappeda.pk)
    assert not whole.truncated and whole.cycles
    assert any(("aplikasi", o.app_dinkes.pk) in cycle for cycle in whole.cycles)
    assert opd_landscape(graph, o.bappeda.pk, depth=1).truncated

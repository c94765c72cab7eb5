"""The graph: read from the declarations of every domain, with a constant number of queries, and only
what the reader may see."""

import sys

import pytest
from django.apps import apps
from django.db import connection, models

from sia.architecture.choices import ReviewStatus
from sia.architecture.linkspec import declared_links
from sia.architecture.models import Application, ArchitectureObject, BusinessProcess, DomainSpec, Server
from sia.architecture.models.base import LinkSpec
from sia.architecture.policies import ArchitecturePolicy
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.insights.gaps import gaps
from sia.insights.graph import link_kinds, load_graph
from sia.insights.impact import UnknownObject, impact
from sia.insights.trace import trace
from tests.kinds import EVERY_FIELD

from .conftest import key, make

pytestmark = pytest.mark.django_db


def names(graph) -> set:
    return {node.name for node in graph.nodes.values()}


# --- permissions ------------------------------------------------------------------------------------------
@pytest.fixture
def secret(landscape):
    """A draft server of Diskominfo that runs SIMKES (Dinkes) and a draft application of Dinkes."""
    server = make(Server, landscape.kominfo, "Server Rahasia Kominfo", status=ReviewStatus.DRAFT)
    landscape.app_dinkes.servers.add(server)
    draft = make(Application, landscape.dinkes, "Aplikasi Draf Dinkes", status=ReviewStatus.DRAFT,
                 servers=[landscape.sv1, server])
    return server, draft


def test_an_operator_of_another_opd_gets_no_name_of_a_draft(world, landscape, secret):
    server, draft = secret
    graph = load_graph(world.users["operator_dinkes"], world.inst)
    assert "Server Rahasia Kominfo" not in names(graph)
    assert key(server) not in graph
    assert key(draft) in graph and key(landscape.sv1) in graph  # own draft; the other OPD's validated server
    # No edge leads to the hidden server: SIMKES shows one server, its impact and trace never name the draft.
    needs = graph.dependencies[key(landscape.app_dinkes)]
    assert [other for other, _l, _f in needs if other[0] == "server"] == [key(landscape.sv1)]
    for node in graph.nodes:
        assert key(server) not in {other for other, _l, _f in graph.neighbours.get(node, ())}
    assert key(server) not in trace(graph, landscape.app_dinkes).keys()
    for gap in gaps(graph):
        assert key(server) not in {node.key for node in gap.nodes}
    with pytest.raises(UnknownObject):
        impact(graph, server)


def test_its_own_operator_and_the_coordinator_see_the_draft(world, landscape, secret):
    server, draft = secret
    for user in ("operator", "admin"):
        graph = load_graph(world.users[user], world.inst)
        assert key(server) in graph
        assert key(landscape.app_dinkes) in impact(graph, server).keys()
    # Diskominfo's operator does not see Dinkes's draft application, so neither does its server's impact set.
    kominfo = load_graph(world.users["operator"], world.inst)
    assert key(draft) not in kominfo and key(draft) not in impact(kominfo, landscape.sv1).keys()


def test_another_instansi_sees_nothing(world, landscape):
    assert len(load_graph(world.users["other_admin"])) == 0
    assert len(load_graph(world.users["nobody"], world.inst)) == 0
    assert len(load_graph(world.users["admin"], world.other)) == 0


# --- queries ----------------------------------------------------------------------------------------------
def test_the_graph_loads_with_a_constant_number_of_queries(world, landscape, count_queries):
    user = world.users["operator_dinkes"]
    load_graph(user, world.inst)  # the user's memberships, read once and kept
    expected = len(domain_models()) + len(link_kinds()) + 1  # one per kind, one per link, the OPDs
    small, graph = count_queries(lambda: load_graph(user, world.inst))
    assert small == expected
    before = graph.edge_count
    o = landscape
    for n in range(30):
        process = make(BusinessProcess, o.dinkes, f"Proses {n}", parent=o.p_dinkes)
        make(Application, o.dinkes, f"Aplikasi {n}", servers=[o.sv1, o.sv2], processes=[process], reads=[o.data])
    large, graph = count_queries(lambda: load_graph(user, world.inst))
    assert large == small
    assert graph.edge_count == before + 30 * 5
    # Once loaded, the graph answers without the database.
    for question in (lambda: impact(graph, o.sv1), lambda: trace(graph, o.app_dinkes), lambda: gaps(graph)):
        assert count_queries(question)[0] == 0


# --- declarations -----------------------------------------------------------------------------------------
LINKS = [pytest.param(holder, link, id=f"{holder.__name__}.{link.field}") for holder, link in declared_links()]


@pytest.mark.parametrize("holder,link", LINKS)
def test_every_declared_link_becomes_an_edge(world, kinds, holder, link):
    obj = kinds.build(holder, full=True, variant=EVERY_FIELD)  # every field filled: the link's companions agree
    kinds.fill(obj, link.field)
    if link.through:
        targets = [getattr(row, link.through_fields[1]) for row in getattr(obj, link.field).all()]
    elif holder._meta.get_field(link.field).many_to_many:
        targets = list(getattr(obj, link.field).all())
    else:
        obj.refresh_from_db()
        targets = [getattr(obj, link.field)]
    graph = load_graph(world.users["admin"], world.inst)
    edges = {(other, graph.links[index].field) for other, index, forward in graph.neighbours[key(obj)] if forward}
    assert {(key(target), link.field) for target in targets} <= edges


def test_a_newly_declared_domain_appears_in_the_graph_without_changes_to_insights(world, landscape):
    """A throwaway domain declared like any other (a model with its ``DomainSpec`` and ``LinkSpec``, in the
    app registry, with its table and its architecture policy) is read by the graph, impact and trace."""

    class Gadget(ArchitectureObject):
        __module__ = "sia.architecture.models"
        spec = DomainSpec(
            slug="gawai", api_name="gadgets", code_prefix="GW", catalog="RAA", order=99, archimate_element="Device",
            links=(LinkSpec("servers", meaning="berjalan di", inverse="menjalankan", relationship="serving",
                            archimate_reversed=True, cross_opd=True),),
        )
        servers = models.ManyToManyField(Server, blank=True, related_name="+")

        class Meta(ArchitectureObject.Meta):
            app_label = "architecture"

    through, history = Gadget.servers.through, Gadget.history.model  # every object kind keeps its history
    try:
        # Not entered (SQLite refuses that inside a transaction): the DDL runs in the test's transaction and is
        # rolled back with it.
        editor = connection.schema_editor()
        editor.deferred_sql = []
        editor.create_model(Gadget)
        editor.create_model(history)
        for statement in editor.deferred_sql:
            editor.execute(statement)
        permissions.register(Gadget)(ArchitecturePolicy)  # what sia.architecture.policies does for each domain
        gadget = make(Gadget, landscape.dinkes, "Gawai Pemantau", servers=[landscape.sv1])

        graph = load_graph(world.users["admin"], world.inst)
        assert graph.kinds["gawai"].model is Gadget
        assert graph.node(("gawai", gadget.pk)).name == "Gawai Pemantau"
        found = impact(graph, landscape.sv1)
        assert ("gawai", gadget.pk) in found.keys()
        [hit] = found.of_kind("gawai")
        assert hit.explanation(graph).endswith("menjalankan GW-DINKES-001 Gawai Pemantau")
        assert key(landscape.sv1) in {hit.key for hit in trace(graph, gadget).down}
    finally:
        permissions._registry.pop(Gadget, None)
        module = sys.modules["sia.architecture.models"]
        for model in (Gadget, through, history):
            apps.all_models["architecture"].pop(model._meta.model_name, None)
            if getattr(module, model.__name__, None) is model:
                delattr(module, model.__name__)
        apps.clear_cache()
    assert "gawai" not in load_graph(world.users["admin"], world.inst).kinds


def test_link_kinds_follow_the_declared_relationships():
    by_field = {(link.holder, link.field): link for _h, _s, link in link_kinds()}
    assert by_field[("aplikasi", "servers")].dependent == "holder"  # the application needs its server
    assert by_field[("aplikasi", "processes")].dependent == "target"  # the process needs the application
    assert by_field[("aplikasi", "reads")].dependent == "holder"
    assert by_field[("data", "processes")].dependent == "holder"  # data needs the process that produces it
    assert by_field[("layanan", "processes")].dependent == "holder"
    assert by_field[("proses-bisnis", "parent")].dependent == "target"  # the whole needs its parts
    assert by_field[("server", "facility")].dependent == "holder"
    assert by_field[("server", "platform_software")].dependent == "target"
    protections = [link for link in by_field.values() if link.protection]
    assert protections and all(link.dependent is None for link in protections)
    assert {link.holder for link in protections} == {
        model.spec.slug for model in domain_models() if model.spec.group and model.spec.group.slug == "keamanan"}

"""The graph kept between requests (``sia.insights.graph_cache``): each reader gets exactly what ``load_graph`` reads
for them, and no change to the architecture, the OPDs or the reader's roles is ever answered from an older graph."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from sia.architecture import generation
from sia.architecture.choices import IntegrationDirection, ReviewStatus
from sia.architecture.models import Application, ApplicationIntegration, BusinessProcess, Server
from sia.core import generations, permissions
from sia.core.roles import Role
from sia.insights import graph_cache
from sia.insights.graph import load_graph, load_whole_graph
from sia.organizations.models import Membership
from tests import factories as f

from .conftest import make

URL = "/api/insights/"
DRAFT = ReviewStatus.DRAFT


def impact_codes(client, obj):
    response = client.get(f"{URL}impact-sets/", {"kind": type(obj).spec.slug, "id": obj.pk, "limit": 1000})
    assert response.status_code == 200, response.content
    return {row["object"]["code"] for row in response.json()["hits"]}


def neighbour_codes(client, obj):
    response = client.get(f"{URL}neighbours/", {"kind": type(obj).spec.slug, "id": obj.pk})
    assert response.status_code == 200, response.content
    return {row["object"]["code"] for row in response.json()["neighbours"]}


def shape(graph) -> dict:
    """Everything a reader of the graph reads, comparable."""
    return {
        "nodes": {key: (n.code, n.name, n.department_id, n.status, n.facts) for key, n in graph.nodes.items()},
        "neighbours": {key: edges for key, edges in graph.neighbours.items() if edges},
        "dependents": {key: edges for key, edges in graph.dependents.items() if edges},
        "dependencies": {key: edges for key, edges in graph.dependencies.items() if edges},
        "protectors": {key: edges for key, edges in graph.protectors.items() if edges},
        "alternatives": {key: count for key, count in graph.alternatives.items() if count},
        "edges": graph.edge_count,
        "departments": graph.departments,
    }


@pytest.fixture
def readers(world, landscape):
    """Every kind of reader: each role, two OPDs at once, an OPD-less operator, a role in another instansi."""
    o = landscape
    # Drafts and reviews in flight in every OPD, linked across OPDs, so that each reader sees another graph.
    o.draft_dinkes = make(Application, o.dinkes, "Aplikasi Rahasia Dinkes", status=DRAFT, servers=[o.sv1],
                          processes=[o.p_dinkes], reads=[o.data])
    o.draft_server = make(Server, o.kominfo, "Server Draf", status=DRAFT, facility=o.dc)
    o.app_bappeda.servers.add(o.draft_server)
    o.submitted = make(BusinessProcess, o.bappeda, "Proses Diajukan", status=ReviewStatus.SUBMITTED,
                       parent=o.p_bappeda)
    ApplicationIntegration.objects.create(source=o.draft_dinkes, target=o.app_kominfo, data_exchanged="Rahasia",
                                          direction=IntegrationDirection.TWO_WAY)
    users = dict(world.users)
    users["other_instansi_operator"] = f.member(world.other, Role.OPERATOR, world.far, username="op.lain")
    users["inactive"] = f.member(world.inst, Role.VERIFIER, username="verif.nonaktif", is_active=False)
    users["no_opd"] = f.member(world.inst, Role.OPERATOR, None, username="op.tanpa.opd")
    users["operator_and_verifier"] = f.member(world.inst, Role.OPERATOR, o.dinkes, username="op.verif")
    Membership.objects.create(user=users["operator_and_verifier"], institution=world.inst, role=Role.VERIFIER)
    return users


def test_each_reader_gets_what_load_graph_reads_for_them(world, readers):
    whole = load_whole_graph(world.inst.pk)
    shapes = set()
    for name, user in readers.items():
        permissions.forget_grants(user)
        scope = graph_cache.view_scope(user, world.inst.pk)
        restricted = whole.restricted(lambda node, scope=scope: scope.admits(node.department_id, node.status))
        expected = load_graph(user, world.inst.pk)
        assert shape(restricted) == shape(expected), name
        assert shape(graph_cache.graph(user, world.inst.pk)) == shape(expected), name
        shapes.add(repr(shape(expected)["nodes"]))
    assert len(shapes) >= 5  # the readers do see different graphs: the comparison means something


def test_readers_of_one_scope_share_one_kept_graph_and_the_whole_is_never_given_to_an_operator(world, readers):
    inst = world.inst.pk
    operator = graph_cache.graph(readers["operator_dinkes"], inst)
    assert graph_cache.graph(readers["operator_dinkes"], inst) is operator
    whole = graph_cache.graph(readers["admin"], inst)
    assert graph_cache.graph(readers["verifier"], inst) is whole  # the same scope: the whole instansi
    assert operator is not whole and len(operator) < len(whole)
    assert not any(node.name == "Server Draf" for node in operator.nodes.values())


def test_a_new_draft_is_seen_at_once_by_its_opd_and_the_koordinator_and_never_by_another_opd(world, landscape, api):
    o = landscape
    koordinator, own, other = (api(world.users[name]) for name in ("admin", "operator", "operator_dinkes"))
    for client in (koordinator, own, other):
        impact_codes(client, o.sv1)  # each keeps a graph
    created = own.post("/api/architecture/applications/", {
        "department": o.kominfo.pk, "name": "Aplikasi Baru Kominfo", "servers": [o.sv1.pk]}, format="json")
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert code in impact_codes(koordinator, o.sv1)
    assert code in impact_codes(own, o.sv1)
    assert code not in impact_codes(other, o.sv1)
    # Validated: now every OPD sees it, at the next request.
    app = Application.objects.get(code=code)
    app.status = ReviewStatus.VALIDATED
    app.save()
    assert code in impact_codes(other, o.sv1)


def test_a_validated_object_sent_back_to_draft_disappears_from_other_opds_at_the_next_request(world, landscape, api):
    o = landscape
    other = api(world.users["operator"])
    assert o.app_dinkes.code in impact_codes(other, o.sv1)
    o.app_dinkes.status = ReviewStatus.RETURNED
    o.app_dinkes.save()
    assert o.app_dinkes.code not in impact_codes(other, o.sv1)


def test_links_added_and_removed_in_any_way_count_at_the_next_request(world, landscape, api):
    o = landscape
    client = api(world.users["admin"])
    before = impact_codes(client, o.sv2)
    o.app_dinkes.servers.add(o.sv2)  # a many-to-many row
    assert o.app_dinkes.code in impact_codes(client, o.sv2)
    o.app_dinkes.servers.remove(o.sv2)
    assert impact_codes(client, o.sv2) == before
    with generation.changing():  # link rows written as rows, as the Excel import writes them
        Application.servers.through.objects.create(application=o.app_bappeda, server=o.sv2)
    assert o.app_bappeda.code in impact_codes(client, o.sv2)
    o.app_kominfo.delete()
    assert o.app_kominfo.code not in impact_codes(client, o.sv2)
    link = ApplicationIntegration.objects.get(source=o.app_bappeda, target=o.app_dinkes)
    assert o.app_bappeda.code in neighbour_codes(client, o.app_dinkes)
    link.delete()  # a link row of its own model
    assert o.app_bappeda.code not in neighbour_codes(client, o.app_dinkes)


def test_an_opd_renamed_is_named_anew(world, landscape, client):
    from django.urls import reverse

    client.force_login(world.users["admin"])
    url = reverse("insights:impact", args=["server", landscape.sv1.pk])
    assert "DINKES" in client.get(url).content.decode()
    world.dinkes.abbreviation = "DINKESPROV"
    world.dinkes.save()
    assert "DINKESPROV" in client.get(url).content.decode()


def test_a_role_given_or_taken_counts_at_the_next_request_with_no_change_to_the_architecture(world, landscape, api):
    o = landscape
    user = world.users["operator_dinkes"]
    draft = make(Application, o.kominfo, "Aplikasi Draf Kominfo", status=DRAFT, servers=[o.sv1])
    token = generation.token()
    assert draft.code not in impact_codes(api(user), o.sv1)
    membership = user.memberships.get()
    membership.department = o.kominfo
    membership.save()
    permissions.forget_grants(user)  # as a new request reads them
    assert draft.code in impact_codes(api(user), o.sv1)
    membership.is_active = False
    membership.save()
    permissions.forget_grants(user)
    response = api(user).get(f"{URL}impact-sets/", {"kind": "server", "id": o.sv1.pk})
    assert response.status_code in (403, 404)
    assert generation.token() == token  # the memberships are no part of the architecture's generation


def test_bulk_writers_change_the_generation_once_before_their_first_write(world, landscape):
    o = landscape
    token = generation.token()
    with generation.changing():
        started = generation.token()
        assert started != token  # the token's row is taken first, as by every writer
        o.app_dinkes.servers.add(o.sv2)
        Application.objects.create(department=o.dinkes, name="Satu")
        assert generation.token() == started  # no bump per save
    assert generation.token() == started  # in a transaction: committed with the rows


def test_a_change_rolled_back_leaves_the_generation_and_a_failed_bulk_write_bumps_nothing(world, landscape):
    token = generation.token()
    with pytest.raises(RuntimeError), transaction.atomic():
        landscape.app_dinkes.servers.add(landscape.sv2)
        assert generation.token() != token
        raise RuntimeError
    assert generation.token() == token
    with pytest.raises(RuntimeError), transaction.atomic(), generation.changing():
        raise RuntimeError
    assert generation.token() == token


def test_every_change_gives_a_new_token_and_pruning_old_changes_too(db):
    from sia.core.models import GenerationChange

    seen = {generations.current("test")}
    for _ in range(20):
        generations.bump("test")
        seen.add(generations.current("test"))
    assert len(seen) == 21
    GenerationChange.objects.bulk_create(GenerationChange(name="test", salt=n) for n in range(generations.PRUNE_AT))
    before = generations.current("test")
    generations.prune("test", GenerationChange.objects.filter(name="test").latest("id").id)
    assert GenerationChange.objects.filter(name="test").count() == generations.KEEP
    assert generations.current("test") not in (before, *seen)


def test_every_declared_kind_and_link_table_is_watched(db):
    from django.db.models.signals import m2m_changed, pre_delete, pre_save

    from sia.architecture.linkspec import declared_links
    from sia.architecture.registry import domain_models

    rows, tables = generation.watched_models()
    assert set(domain_models()) <= set(rows)
    for holder, spec in declared_links():
        if spec.through:
            assert spec.through_model() in rows
        elif holder._meta.get_field(spec.field).many_to_many:
            assert holder._meta.get_field(spec.field).remote_field.through in tables
    for model in rows:
        assert pre_save.has_listeners(model) and pre_delete.has_listeners(model), model
    for table in tables:
        assert m2m_changed.has_listeners(table), table


def test_the_excel_import_and_a_snapshot_restore_change_the_generation(world, landscape):
    from sia.exchange.snapshot_export import export_institution
    from sia.exchange.snapshot_restore import restore_institution

    data = export_institution(world.inst)
    token = generation.token()
    restore_institution(data, code="9995", confirm_users=True)
    assert generation.token() != token


@override_settings(SIA_INSIGHTS_GRAPH_SECONDS=0)
def test_a_kept_graph_is_read_again_once_it_is_older_than_its_lifetime(world, landscape):
    user = world.users["admin"]
    first = graph_cache.graph(user, world.inst.pk)
    assert graph_cache.graph(user, world.inst.pk) is not first


@override_settings(SIA_INSIGHTS_GRAPHS=0)
def test_with_no_graph_kept_each_request_reads_its_own(world, landscape):
    user = world.users["operator"]
    first = graph_cache.graph(user, world.inst.pk)
    assert graph_cache.graph(user, world.inst.pk) is not first
    assert shape(first) == shape(load_graph(user, world.inst.pk))


@override_settings(SIA_INSIGHTS_GRAPHS=2)
def test_at_most_the_configured_number_of_graphs_are_kept(world, landscape):
    for name in ("admin", "operator", "operator_dinkes"):
        graph_cache.graph(world.users[name], world.inst.pk)
    assert len(graph_cache._kept) == 2


def test_an_operator_s_gaps_are_found_on_the_whole_instansi_and_name_only_what_they_see(world, landscape, api):
    o = landscape
    hidden = make(BusinessProcess, o.bappeda, "Proses Draf Rahasia Bappeda", status=DRAFT)
    supported = make(Application, o.bappeda, "Aplikasi Bappeda Bertopang Draf", processes=[hidden])
    alone = make(Application, o.bappeda, "Aplikasi Bappeda Tanpa Proses")

    def gap(client, slug):
        response = client.get(f"{URL}gaps/", {"instansi": world.inst.pk})
        assert response.status_code == 200, response.content
        assert client is koordinator or b"Rahasia" not in response.content
        return {row["code"] for row in {g["slug"]: g for g in response.json()["gaps"]}[slug]["objects"]}

    koordinator = api(world.users["admin"])
    for client in (api(world.users["operator_dinkes"]), koordinator):
        found = gap(client, "aplikasi-tanpa-proses")
        assert alone.code in found and supported.code not in found  # it does support a process
        assert o.app_orphan.code in found
    # The draft process itself is a gap the operator may not see: realizes no service, named to no one but Bappeda.
    assert hidden.code not in gap(api(world.users["operator_dinkes"]), "proses-tanpa-layanan")
    assert hidden.code in gap(koordinator, "proses-tanpa-layanan")


def test_a_kept_graph_names_its_kinds_and_domains_in_each_readers_language(world, readers):
    """The graph is kept between requests of readers in any language: its labels stay translatable."""
    from django.utils import translation

    from sia.architecture.kindgroups import group_of, kind_label

    with translation.override("id"):
        kept = graph_cache.graph(readers["admin"], world.inst.pk)
        kind = kept.kinds[Application.spec.slug]
        assert str(kind.group_label) == str(group_of(Application).label)
    with translation.override("en"):
        assert graph_cache.graph(readers["admin"], world.inst.pk) is kept
        english = (str(kind_label(Application)), str(group_of(Application).label))
        assert (str(kind.label), str(kind.group_label)) == english
    with translation.override("id"):
        assert english != (str(kind_label(Application)), str(group_of(Application).label))

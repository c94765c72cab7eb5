"""The ArchiMate export: valid against the exchange format's schemas (resolved locally), in the order and with the
names, identifiers and references Archi needs; what the reader sees and nothing else; the download on the page and
the API."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sia.architecture.linkspec import relationship_allowed
from sia.architecture.models import BusinessProcess, Service
from sia.architecture.registry import domain_models
from sia.exchange.archimate import mapping
from sia.exchange.archimate.export import export_model
from sia.exchange.archimate.schema import schema_errors
from tests.held import held

from .archimate_helpers import NS, XSI_TYPE, fill_every_kind, normalized, parse


NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
ORDER = ["name", "documentation", "properties", "metadata", "elements", "relationships", "organizations",
         "propertyDefinitions", "views"]


@pytest.fixture
@held(after="kinds")
def every_kind(world, kinds):
    return fill_every_kind(kinds)


@pytest.fixture
def exported(world, every_kind):
    content, problems = export_model(world.users["admin"], world.inst)
    assert problems == []
    return parse(content)


def local(node) -> str:
    return node.tag.rsplit("}", 1)[-1]


def test_the_export_validates_against_the_exchange_format_schemas(exported):
    assert schema_errors(exported) == []


def test_the_schema_check_can_fail(exported):
    element = exported.find("a:elements/a:element", NS)
    element.remove(element.find("a:name", NS))
    assert schema_errors(exported)


def test_an_instansi_with_nothing_to_show_is_still_a_valid_file(world):
    content, _problems = export_model(world.users["admin"], world.inst)
    assert schema_errors(parse(content)) == []


def test_the_model_follows_the_schema_order_and_archi_rules(world, exported, every_kind):
    tags = [local(child) for child in exported]
    assert tags == sorted(tags, key=ORDER.index)
    assert {"elements", "relationships", "organizations", "propertyDefinitions", "views"} <= set(tags)
    identifiers = [node.get("identifier") for node in exported.iter() if node.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    assert all(NCNAME.match(identifier) for identifier in identifiers), [i for i in identifiers if not NCNAME.match(i)]
    for node in exported.iterfind("a:elements/a:element", NS):
        assert node.findtext("a:name", namespaces=NS).strip()
    for node in exported.iterfind("a:relationships/a:relationship", NS):
        assert node.findtext("a:name", namespaces=NS).strip()
    known = set(identifiers)
    references = [node.get(attr) for node in exported.iter()
                  for attr in ("source", "target", "identifierRef", "elementRef", "relationshipRef",
                               "propertyDefinitionRef") if node.get(attr)]
    assert references and set(references) <= known
    objects = sum(model.objects.filter(institution=world.inst).count() for model in domain_models())
    assert len(exported.findall("a:elements/a:element", NS)) == objects > len(every_kind)  # the linked ones too


def test_every_object_is_its_kinds_element_with_its_properties(world, exported, every_kind):
    by_code = {}
    definitions = {d.get("identifier"): d.findtext("a:name", namespaces=NS)
                   for d in exported.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)}
    for node in exported.iterfind("a:elements/a:element", NS):
        props = {definitions[p.get("propertyDefinitionRef")]: p.findtext("a:value", namespaces=NS)
                 for p in node.iterfind("a:properties/a:property", NS)}
        by_code[props[mapping.PROPERTY_CODE]] = (node, props)
    for obj in every_kind:
        node, props = by_code[obj.code]
        assert node.get(XSI_TYPE) == type(obj).spec.archimate_element
        assert node.findtext("a:name", namespaces=NS) == obj.name
        assert props[mapping.PROPERTY_KIND] == type(obj).spec.slug
        assert props[mapping.PROPERTY_OPD] == world.kominfo.abbreviation
        assert props[mapping.PROPERTY_STATE] == obj.state
        assert props[mapping.PROPERTY_PERIOD] == obj.period
        assert props.get(mapping.PROPERTY_REFERENCE) == (obj.reference.code if obj.reference_id else None)


def test_every_link_is_its_declared_relationship(exported, every_kind):
    _elements, relationships = normalized(_serialize(exported))
    seen = {(xsi_type, access) for xsi_type, access, *_rest in relationships}
    declared = {(m.xsi_type, m.access_type) for m in mapping.link_mappings()}
    assert seen == declared  # every kind of link was filled by the fixture, and nothing else appears
    for node in exported.iterfind("a:relationships/a:relationship", NS):
        source = exported.find(f"a:elements/a:element[@identifier='{node.get('source')}']", NS)
        target = exported.find(f"a:elements/a:element[@identifier='{node.get('target')}']", NS)
        assert relationship_allowed(_relationship_slug(node), source.get(XSI_TYPE), target.get(XSI_TYPE))


def _relationship_slug(node) -> str:
    wanted = (node.get(XSI_TYPE), node.get("accessType"))
    return next(slug for slug, pair in mapping.RELATIONSHIP_TYPES.items() if pair == wanted)


def _serialize(root) -> bytes:
    from lxml import etree

    return etree.tostring(root)


def test_an_illegal_relationship_is_never_written_and_is_reported(world, every_kind, monkeypatch):
    victim = next(m for m in mapping.link_mappings() if m.xsi_type == "Realization")
    monkeypatch.setattr(type(victim), "allowed", property(lambda self: self is not victim))
    content, problems = export_model(world.users["admin"], world.inst)
    root = parse(content)
    assert schema_errors(root) == []
    assert not root.findall("a:relationships/a:relationship[@xsi:type='Realization']", NS)
    assert len(problems) == 1 and victim.link.field in problems[0]
    assert problems[0] in root.findtext("a:documentation", namespaces=NS)


def test_one_folder_per_opd_under_each_layer(world, exported, every_kind):
    top = {item.findtext("a:label", namespaces=NS): item for item in exported.iterfind("a:organizations/a:item", NS)}
    assert {"Business", "Application", "Technology & Physical", "Relations", "Views"} <= set(top)
    for label, item in top.items():
        if label in ("Relations", "Views"):
            continue
        sub = item.findall("a:item", NS)
        assert [s.findtext("a:label", namespaces=NS) for s in sub] == [
            f"{world.kominfo.abbreviation} - {world.kominfo.name}"]
        for ref in sub[0].iterfind("a:item", NS):
            element = exported.find(f"a:elements/a:element[@identifier='{ref.get('identifierRef')}']", NS)
            assert mapping.layer(element.get(XSI_TYPE))[1] == label
    placed = {ref.get("identifierRef") for ref in exported.iterfind("a:organizations//a:item[@identifierRef]", NS)}
    assert {e.get("identifier") for e in exported.iterfind("a:elements/a:element", NS)} <= placed


def test_a_landscape_per_opd_and_a_chain_per_service_laid_out_and_connected(world, exported, every_kind):
    views = exported.findall("a:views/a:diagrams/a:view", NS)
    names = [view.findtext("a:name", namespaces=NS) for view in views]
    services = [obj for obj in every_kind if isinstance(obj, Service)]
    assert names.count(f"Lanskap {world.kominfo.abbreviation}") == 1
    assert sum(name.startswith("Rantai layanan") for name in names) == Service.objects.count() >= len(services)
    for view in views:
        nodes = view.findall("a:node", NS)
        assert nodes
        positions = {(n.get("x"), n.get("y")) for n in nodes}
        assert len(positions) == len(nodes)  # no two nodes on top of each other
        node_ids = {n.get("identifier") for n in nodes}
        for connection in view.findall("a:connection", NS):
            assert {connection.get("source"), connection.get("target")} <= node_ids
    chain = next(v for v in views if v.findtext("a:name", namespaces=NS).startswith(f"Rantai layanan {services[0].code}"))
    drawn = {n.get("elementRef") for n in chain.findall("a:node", NS)}
    assert f"id-layanan-{services[0].pk}" in drawn
    assert any(ref.startswith("id-proses-bisnis-") for ref in drawn)  # the processes realizing it
    assert chain.findall("a:connection", NS)


def test_the_reader_sees_only_what_they_may(world, kinds):
    draft = kinds.build(BusinessProcess, name="Draf Kominfo")
    content, _problems = export_model(world.users["operator_dinkes"], world.inst)
    assert draft.name not in content.decode()
    content, _problems = export_model(world.users["admin"], world.inst)
    assert draft.name in content.decode()


def test_the_api_answers_the_file_and_refuses_another_instansi(world, api, every_kind):
    url = reverse("exchange-api:archimate")
    response = api(world.users["admin"]).get(url, {"instansi": world.inst.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    assert schema_errors(parse(response.content)) == []
    assert api(world.users["other_admin"]).get(url, {"instansi": world.inst.pk}).status_code == 404
    assert api(world.users["admin"]).get(url, {"instansi": "x"}).status_code == 404
    assert api().get(url, {"instansi": world.inst.pk}).status_code in (401, 403)


def test_the_exchange_page_offers_the_download(client, world, every_kind):
    client.force_login(world.users["leader"])
    page = client.get(reverse("exchange:index"), {"institution": world.inst.pk})
    link = f'{reverse("exchange:archimate_download")}?instansi={world.inst.pk}'
    assert link in page.content.decode()
    response = client.get(link)
    assert response.status_code == 200 and response.content.startswith(b"<?xml")
    page = client.get(reverse("exchange:archimate"), {"instansi": world.inst.pk})
    assert page.status_code == 200 and 'id="archimate-preview"' not in page.content.decode()  # pimpinan: no import


def test_the_export_reads_a_constant_number_of_queries(world, kinds, count_queries):
    fill_every_kind(kinds)
    export_model(world.users["admin"], world.inst)  # the reader's grants, read once per user
    first, _result = count_queries(lambda: export_model(world.users["admin"], world.inst))
    fill_every_kind(kinds)
    second, _result = count_queries(lambda: export_model(world.users["admin"], world.inst))
    assert first == second
    assert first <= 3 * (len(domain_models()) + len(mapping.link_mappings()))


def test_the_model_alone_has_no_views_and_still_validates(world, every_kind):
    with_views, _problems = export_model(world.users["admin"], world.inst)
    alone, problems = export_model(world.users["admin"], world.inst, views=False)
    root = parse(alone)
    assert problems == [] and schema_errors(root) == []
    assert root.find("a:views", NS) is None and b"<view " not in alone and b"<views" not in alone
    folders = [item.findtext("a:label", namespaces=NS) for item in root.iterfind("a:organizations/a:item", NS)]
    assert "Views" not in folders and {"Business", "Application", "Relations"} <= set(folders)
    assert "Model saja" in root.findtext("a:documentation", namespaces=NS)
    assert normalized(alone) == normalized(with_views)  # the same elements, relationships and properties
    assert len(alone) < len(with_views)
    assert parse(with_views).findall("a:views/a:diagrams/a:view", NS)


def test_the_namespaces_are_declared_once_and_view_parts_are_numbered_in_the_file(world, every_kind):
    content, _problems = export_model(world.users["admin"], world.inst)
    assert content.count(b'xmlns="') == 1 and content.count(b"xmlns:xsi=") == 1
    assert content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<model ")
    root = parse(content)
    for index, view in enumerate(root.iterfind("a:views/a:diagrams/a:view", NS), 1):
        assert [n.get("identifier") for n in view.findall("a:node", NS)] == [
            f"v{index}n{i}" for i in range(len(view.findall("a:node", NS)))]
        assert all(c.get("identifier").startswith(f"v{index}c") for c in view.findall("a:connection", NS))


def test_a_chain_is_bounded_and_says_so(world, every_kind, monkeypatch):
    from sia.exchange.archimate import views

    monkeypatch.setattr(views, "CHAIN_LIMIT", 2)
    root = parse(export_model(world.users["admin"], world.inst)[0])
    chains = [v for v in root.iterfind("a:views/a:diagrams/a:view", NS)
              if v.findtext("a:name", namespaces=NS).startswith("Rantai layanan")]
    assert chains and all(len(v.findall("a:node", NS)) <= 2 for v in chains)
    assert any("dipotong" in (v.findtext("a:documentation", namespaces=NS) or "") for v in chains)
    assert schema_errors(root) == []


def test_the_api_exports_the_model_alone_on_request_and_refuses_an_unknown_choice(world, api, every_kind):
    url = reverse("exchange-api:archimate")
    client = api(world.users["admin"])
    alone = client.get(url, {"instansi": world.inst.pk, "views": "false"})
    assert alone.status_code == 200 and alone["Content-Type"] == "application/xml"
    assert alone["Content-Disposition"].endswith('-model.xml"')
    root = parse(alone.content)
    assert root.find("a:views", NS) is None and schema_errors(root) == []
    full = client.get(url, {"instansi": world.inst.pk, "views": "true"})
    assert parse(full.content).findall("a:views/a:diagrams/a:view", NS)
    assert full.content.count(b"<view ") == client.get(url, {"instansi": world.inst.pk}).content.count(b"<view ")
    wrong = client.get(url, {"instansi": world.inst.pk, "views": "maybe"})
    assert wrong.status_code == 400 and wrong["Content-Type"].startswith("application/json")
    assert "views" in wrong.json() and "maybe" in wrong.json()["views"][0]
    assert api(world.users["other_admin"]).get(url, {"instansi": world.inst.pk, "views": "x"}).status_code == 404


def test_the_schema_documents_the_views_parameter():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][reverse("exchange-api:archimate")]["get"]
    [views] = [p for p in operation["parameters"] if p["name"] == "views"]
    assert views["in"] == "query" and views["schema"]["type"] == "boolean" and views["schema"]["default"] is True
    assert not views.get("required") and "400" in operation["responses"]


def test_the_page_offers_both_contents_and_refuses_an_unknown_choice(client, world, every_kind):
    client.force_login(world.users["leader"])
    page = client.get(reverse("exchange:archimate"), {"instansi": world.inst.pk}).content.decode()
    assert 'name="views" value="true" checked' in page and 'name="views" value="false"' in page
    assert "Model saja" in page and 'id="archimate-export"' in page
    url = reverse("exchange:archimate_download")
    alone = client.get(url, {"instansi": world.inst.pk, "views": "false"})
    assert alone.status_code == 200 and b"<views" not in alone.content
    assert schema_errors(parse(alone.content)) == []
    assert b"<views>" in client.get(url, {"instansi": world.inst.pk, "views": "true"}).content
    wrong = client.get(url, {"instansi": world.inst.pk, "views": "semua"})
    assert wrong.status_code == 400
    assert "semua" in wrong.content.decode() and 'id="archimate-export"' in wrong.content.decode()

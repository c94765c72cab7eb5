"""The ArchiMate mapping is a declaration: every kind's element type and every link's relationship, checked against
the exchange format's schema and Archi's relationship table; a new kind or link that leaves one out fails here."""

from __future__ import annotations

import pytest
from lxml import etree

from sia.architecture.linkspec import allowed_relationships, declared_links
from sia.architecture.registry import domain_models
from sia.exchange.archimate import mapping
from sia.exchange.archimate.schema import ENTRY, SCHEMA_DIR

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}
KINDS = domain_models()


def enumeration(name: str) -> set:
    tree = etree.parse(str(SCHEMA_DIR / "archimate3_Model.xsd"))
    return {node.get("value") for node in tree.iterfind(
        f".//xs:simpleType[@name='{name}']/xs:restriction/xs:enumeration", XS)}


def test_the_schemas_ship_with_a_readme_naming_their_source():
    readme = (SCHEMA_DIR / "README.md").read_text()
    assert ENTRY.is_file() and "The Open Group" in readme and "Archi" in readme
    for path in SCHEMA_DIR.glob("*.xsd"):
        assert path.name in readme, path.name


@pytest.mark.parametrize("model", KINDS, ids=lambda m: m.spec.slug)
def test_every_kind_declares_an_archimate_element_type(model):
    element = model.spec.archimate_element
    assert element, f"{model.__name__}: declare DomainSpec.archimate_element (its ArchiMate element type)"
    assert element in enumeration("ElementTypeEnum"), f"{model.__name__}: {element} is no exchange-format element"
    assert element in {source for source, _target in allowed_relationships()}
    assert mapping.layer(element)[1] in mapping.ARCHI_FOLDERS


@pytest.mark.parametrize("pair", declared_links(), ids=lambda p: f"{p[0].spec.slug}.{p[1].field}")
def test_every_link_maps_to_an_exchange_format_relationship_archimate_allows(pair):
    holder, link = pair
    xsi_type, access_type = mapping.xml_relationship(link)
    assert xsi_type in enumeration("RelationshipTypeEnum")
    assert access_type in (None, *enumeration("AccessTypeEnum"))
    found = [m for m in mapping.link_mappings() if m.holder is holder and m.link is link]
    assert len(found) == 1 and found[0].allowed, found[0].describe()


def test_no_declared_link_is_illegal():
    assert mapping.illegal_links() == []


def test_a_relationship_read_back_names_the_one_link_it_was_written_from():
    for found in mapping.link_mappings():
        back = mapping.links_for(found.source_model.spec.slug, found.target_model.spec.slug, found.xsi_type,
                                 found.access_type)
        assert back == [found], found.describe()


def test_read_write_access_is_a_reading_and_a_writing_link():
    reads = [m for m in mapping.link_mappings() if m.access_type == "Read" and m.source_model is not m.target_model]
    for read in reads:
        write = mapping.links_for(read.source_model.spec.slug, read.target_model.spec.slug, "Access", "Write")
        if write and write[0].access_type == "Write":
            both = mapping.links_for(read.source_model.spec.slug, read.target_model.spec.slug, "Access", "ReadWrite")
            assert both == [read, write[0]]
            return
    pytest.skip("no kind declares both a reading and a writing access to another")


def test_an_element_type_several_kinds_declare_is_told_apart_by_the_code_prefix():
    for element, kinds in mapping.kinds_by_element().items():
        for model in kinds:
            assert mapping.kind_by_code(f"{model.spec.code_prefix}-OPD-001") is model
            assert mapping.kind_by_slug(model.spec.slug) is model


def test_an_illegal_relationship_is_reported_not_allowed(monkeypatch):
    first = mapping.link_mappings()[0]
    monkeypatch.setattr(mapping, "relationship_allowed", lambda relationship, source, target: False)
    assert not first.allowed
    assert first in mapping.illegal_links()

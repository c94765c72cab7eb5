"""Shared by the ArchiMate tests: an instansi holding an object of every kind with every link filled, and the
model of an exchange file reduced to what must survive a round trip."""

from __future__ import annotations

from lxml import etree

from sia.architecture.registry import domain_models
from sia.exchange.archimate import mapping
from tests.kinds import EVERY_FIELD

NS = {"a": mapping.NAMESPACE, "xsi": mapping.XSI}
XSI_TYPE = f"{{{mapping.XSI}}}type"


def fill_every_kind(builder) -> list:
    """Two objects of every kind (every form field, every link; the second a to-be upgrade of an as-is one)."""
    made = []
    for model in domain_models():
        made.append(builder.build(model, full=True))
        made.append(builder.build(model, full=True, variant=EVERY_FIELD))
    return made


def parse(content: bytes):
    return etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))


def normalized(content: bytes) -> tuple[set, set]:
    """(elements, relationships) of an exchange file by what they say, not by their identifiers: an element is its
    type, name, documentation and properties (its SIA code among them); a relationship its type, access type, name,
    properties and the SIA codes of its two ends."""
    root = parse(content)
    definitions = {d.get("identifier"): d.findtext("a:name", namespaces=NS)
                   for d in root.iterfind("a:propertyDefinitions/a:propertyDefinition", NS)}

    def props(node):
        return tuple(sorted((definitions[p.get("propertyDefinitionRef")], p.findtext("a:value", namespaces=NS))
                            for p in node.iterfind("a:properties/a:property", NS)))

    codes, elements = {}, set()
    for node in root.iterfind("a:elements/a:element", NS):
        found = props(node)
        codes[node.get("identifier")] = dict(found).get(mapping.PROPERTY_CODE)
        elements.add((node.get(XSI_TYPE), node.findtext("a:name", namespaces=NS),
                      node.findtext("a:documentation", default="", namespaces=NS), found))
    relationships = set()
    for node in root.iterfind("a:relationships/a:relationship", NS):
        relationships.add((node.get(XSI_TYPE), node.get("accessType"), node.findtext("a:name", namespaces=NS),
                           props(node), codes[node.get("source")], codes[node.get("target")]))
    return elements, relationships

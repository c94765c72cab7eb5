"""How SIA's declarations read in the ArchiMate 3.1 Model Exchange File Format, both ways.

Nothing here names a domain. Each kind's element type is its ``DomainSpec.archimate_element`` (declared once, on
the kind; ``sia check`` refuses an unknown one, sia.E113, and ``tests/exchange/test_archimate_mapping.py`` one left
empty); each link's relationship is its ``LinkSpec.relationship`` from the ArchiMate source (the holder unless
``archimate_reversed``), written as the exchange format's ``xsi:type`` (and ``accessType`` for an access). Whether
ArchiMate allows that relationship between the two element types is Archi's table
(``sia.architecture.linkspec.relationship_allowed``): the exporter never writes an illegal one, it reports it.

Reading a file back, an element type names the kinds declaring it; when several do (Device: storage, peripheral,
network and security devices), the element's *Jenis SIA* property or the prefix of its *Kode SIA* tells them
apart. A relationship is the declared link joining the two kinds with that type (``link_index``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sia.architecture.linkspec import declared_links, relationship_allowed
from sia.architecture.registry import domain_models

NAMESPACE = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{NAMESPACE} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

# SIA relationship (``LinkSpec.relationship``) -> (exchange-format xsi:type, accessType or None).
RELATIONSHIP_TYPES = {
    "serving": ("Serving", None), "realization": ("Realization", None), "assignment": ("Assignment", None),
    "aggregation": ("Aggregation", None), "composition": ("Composition", None), "flow": ("Flow", None),
    "triggering": ("Triggering", None), "influence": ("Influence", None), "association": ("Association", None),
    "specialization": ("Specialization", None), "access": ("Access", "Access"), "access-read": ("Access", "Read"),
    "access-write": ("Access", "Write"), "access-readwrite": ("Access", "ReadWrite"),
}
# The exchange format's relationship types (``RelationshipTypeEnum``).
XML_RELATIONSHIPS = frozenset(xsi_type for xsi_type, _access in RELATIONSHIP_TYPES.values())
ACCESS_TYPES = ("Access", "Read", "Write", "ReadWrite")

# Archi's top-level folders, by element type: an element goes in its layer's folder (and there in its OPD's).
LAYERS = (
    ("strategy", "Strategy", ("Resource", "Capability", "ValueStream", "CourseOfAction")),
    ("business", "Business", ("BusinessActor", "BusinessRole", "BusinessCollaboration", "BusinessInterface",
                              "BusinessProcess", "BusinessFunction", "BusinessInteraction", "BusinessEvent",
                              "BusinessService", "BusinessObject", "Contract", "Representation", "Product")),
    ("application", "Application", ("ApplicationComponent", "ApplicationCollaboration", "ApplicationInterface",
                                    "ApplicationFunction", "ApplicationInteraction", "ApplicationProcess",
                                    "ApplicationEvent", "ApplicationService", "DataObject")),
    ("technology", "Technology & Physical", (
        "Node", "Device", "SystemSoftware", "TechnologyCollaboration", "TechnologyInterface", "Path",
        "CommunicationNetwork", "TechnologyFunction", "TechnologyProcess", "TechnologyInteraction", "TechnologyEvent",
        "TechnologyService", "Artifact", "Equipment", "Facility", "DistributionNetwork", "Material")),
    ("motivation", "Motivation", ("Stakeholder", "Driver", "Assessment", "Goal", "Outcome", "Principle",
                                  "Requirement", "Constraint", "Meaning", "Value")),
    ("implementation", "Implementation & Migration", ("WorkPackage", "Deliverable", "ImplementationEvent",
                                                      "Plateau", "Gap")),
    ("other", "Other", ("Location", "Grouping", "Junction", "AndJunction", "OrJunction")),
)
LAYER_OF = {element: (key, label) for key, label, elements in LAYERS for element in elements}
# Folder names Archi gives a meaning of its own: an OPD folder never takes one of them as its label.
ARCHI_FOLDERS = frozenset(label for _key, label, _elements in LAYERS) | {"Relations", "Views"}

# The properties every exported element carries (``propertyDefinitions``): fixed names, read back on import.
PROPERTY_CODE, PROPERTY_KIND, PROPERTY_REFERENCE = "Kode SIA", "Jenis SIA", "Kode referensi"
PROPERTY_OPD, PROPERTY_STATE, PROPERTY_PERIOD, PROPERTY_STATUS = "OPD", "Kondisi", "Periode", "Status review"
ELEMENT_PROPERTIES = (PROPERTY_CODE, PROPERTY_KIND, PROPERTY_REFERENCE, PROPERTY_OPD, PROPERTY_STATE, PROPERTY_PERIOD,
                      PROPERTY_STATUS)
# The attributes of a link kept in a model of its own (an integration's direction, channel, data), by attribute.
ATTRIBUTE_PROPERTY = "SIA: %s"


def plain_fields(model) -> list:
    """The domain's own fields that hold a plain value (a choice, a text, a number, a flag, a date): exported as
    ``SIA: <field>`` properties and read back, so that a round trip keeps what the domain's rules depend on (a
    server on a host is a virtual one). Links, value lists and work units are not among them."""
    found = []
    for name in model.spec.form_fields:
        model_field = model._meta.get_field(name)
        if model_field.concrete and not model_field.is_relation:
            found.append(model_field)
    return found


def field_property(model_field) -> str:
    return ATTRIBUTE_PROPERTY % model_field.name


def property_text(value) -> str:
    """A field value as a property's text (empty for none)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def layer(element_type: str) -> tuple[str, str]:
    """(key, Archi folder label) of the layer an element type belongs to."""
    return LAYER_OF.get(element_type, ("other", "Other"))


def element_type(model) -> str:
    """The ArchiMate element type a kind's objects are exported as (its ``DomainSpec.archimate_element``)."""
    return model.spec.archimate_element


def xml_relationship(link) -> tuple[str, str | None]:
    """(xsi:type, accessType or None) of a ``LinkSpec``'s relationship."""
    return RELATIONSHIP_TYPES[link.relationship]


@dataclass(frozen=True)
class LinkMapping:
    """One declared link as an ArchiMate relationship: its holder and target kinds and which end is the source."""

    holder: type
    link: object  # LinkSpec
    target: type
    xsi_type: str
    access_type: str | None
    reversed: bool  # the ArchiMate source is the linked object (``archimate_reversed``)

    @property
    def source_model(self):
        return self.target if self.reversed else self.holder

    @property
    def target_model(self):
        return self.holder if self.reversed else self.target

    @property
    def allowed(self) -> bool:
        source, target = self.link.archimate_ends(self.holder)
        return relationship_allowed(self.link.relationship, source, target)

    def describe(self) -> str:
        source, target = self.link.archimate_ends(self.holder)
        return (f"{self.holder.spec.slug}.{self.link.field}: {self.xsi_type} {source} → {target}")


@functools.cache
def link_mappings() -> tuple[LinkMapping, ...]:
    """Every declared link between two domains, as an ArchiMate relationship."""
    kinds = set(domain_models())
    found = []
    for holder, link in declared_links():
        target = link.target_model(holder)
        if holder not in kinds or target not in kinds:
            continue
        xsi_type, access_type = xml_relationship(link)
        found.append(LinkMapping(holder, link, target, xsi_type, access_type, link.archimate_reversed))
    return tuple(found)


def illegal_links() -> list[LinkMapping]:
    """The declared links whose relationship ArchiMate does not allow between their two element types."""
    return [mapping for mapping in link_mappings() if not mapping.allowed]


@functools.cache
def link_index() -> dict[tuple, tuple[LinkMapping, ...]]:
    """{(source kind slug, target kind slug, xsi:type): the links it may stand for} (an access relationship: every
    access link of the pair, told apart by ``access_links``)."""
    index: dict[tuple, list] = {}
    for mapping in link_mappings():
        key = (mapping.source_model.spec.slug, mapping.target_model.spec.slug, mapping.xsi_type)
        index.setdefault(key, []).append(mapping)
    return {key: tuple(found) for key, found in index.items()}


def links_for(source_slug: str, target_slug: str, xsi_type: str, access_type: str | None) -> list[LinkMapping]:
    """The declared links a relationship read from a file stands for (empty: SIA cannot represent it). An access
    of the same direction as a declared one is that link; Read+Write (``ReadWrite``) is a reading and a writing link
    when the kinds declare those; a link declared as an access of no direction takes any access."""
    found = link_index().get((source_slug, target_slug, xsi_type), ())
    if xsi_type != "Access":
        return list(found[:1])
    access_type = access_type or "Access"
    exact = [m for m in found if m.access_type == access_type]
    if exact:
        return exact[:1]
    if access_type == "ReadWrite":
        parts = [next((m for m in found if m.access_type == part), None) for part in ("Read", "Write")]
        if all(parts):
            return parts
    general = [m for m in found if m.access_type == "Access"]
    return general[:1]


@functools.cache
def kinds_by_element() -> dict[str, tuple]:
    """{ArchiMate element type: the kinds declaring it}, in domain order."""
    found: dict[str, list] = {}
    for model in domain_models():
        found.setdefault(element_type(model), []).append(model)
    return {key: tuple(models) for key, models in found.items()}


def kind_by_slug(slug: str):
    return next((model for model in domain_models() if model.spec.slug == slug), None)


def kind_by_code(code: str):
    """The kind whose ``code_prefix`` starts ``code`` ("SV-DISKOMINFO-001" -> Server), or None."""
    prefix = (code or "").split("-", 1)[0].upper()
    return next((model for model in domain_models() if model.spec.code_prefix == prefix), None)

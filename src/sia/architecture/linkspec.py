"""The declaration of a link between architecture objects (``LinkSpec``), made once on the domain that
holds the field (``DomainSpec.links``): what it means read from either end, how many it takes, whether
it may cross OPDs, and its ArchiMate 3.1 relationship, so that detail pages, validation (form, API,
Excel import: ``ArchitectureObject.link_problems``), diagrams and the ArchiMate export read one place.

Plain module: no model import at load time (``models.base`` imports it).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

# ArchiMate 3.1 relationship types and their letters in Archi's relationships.xml.
RELATIONSHIPS = {
    "access-read": "a", "access-write": "a", "access-readwrite": "a", "access": "a",
    "aggregation": "g", "assignment": "i", "association": "o", "composition": "c", "flow": "f",
    "influence": "n", "realization": "r", "serving": "v", "specialization": "s", "triggering": "t",
}
CARDINALITIES = ("0..1", "1", "0..*", "1..*")
RELATIONSHIPS_FILE = Path(__file__).parent / "data" / "relationships.xml"


@dataclass(frozen=True)
class LinkSpec:
    """One link a domain holds: a ForeignKey or ManyToManyField to another architecture object.

    ``meaning`` reads from the object that holds the field to the linked one ("dihasilkan oleh"),
    ``inverse`` the other way ("menghasilkan"). ``relationship`` is the ArchiMate type; its ArchiMate
    source is the holder unless ``archimate_reversed`` (a process *realizes* the service that holds
    the link to it)."""

    field: str
    meaning: str
    inverse: str
    relationship: str
    cardinality: str = "0..*"  # linked objects per holder
    cross_opd: bool = False  # whether the linked object may belong to another OPD of the instansi
    archimate_reversed: bool = False

    def target_model(self, model):
        return model._meta.get_field(self.field).related_model

    def archimate_ends(self, model) -> tuple[str, str]:
        """(source element type, target element type) of the ArchiMate relationship."""
        ends = (model.spec.archimate_element, self.target_model(model).spec.archimate_element)
        return ends[::-1] if self.archimate_reversed else ends


def link_spec(model, field_name: str) -> LinkSpec | None:
    spec = getattr(model, "spec", None)
    for link in getattr(spec, "links", ()):
        if link.field == field_name:
            return link
    return None


def declared_links() -> list[tuple]:
    """(holder model, LinkSpec) of every domain, in domain order."""
    from .registry import domain_models

    return [(model, link) for model in domain_models() for link in model.spec.links]


@functools.cache
def allowed_relationships() -> dict[tuple[str, str], str]:
    """{(source element, target element): letters} from Archi's table (``data/README.md``)."""
    table = {}
    for source in ET.parse(RELATIONSHIPS_FILE).getroot().iter("source"):
        for target in source.iter("target"):
            table[(source.get("concept"), target.get("concept"))] = target.get("relations", "")
    return table


def relationship_allowed(relationship: str, source: str, target: str) -> bool:
    letter = RELATIONSHIPS.get(relationship)
    return bool(letter) and letter in allowed_relationships().get((source, target), "")

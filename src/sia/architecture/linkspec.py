"""The declaration of a link between architecture objects (``LinkSpec``), made once on the domain that
holds the field (``DomainSpec.links``): what it means read from either end, how many it takes, whether
it may cross OPDs, and its ArchiMate 3.1 relationship, so that detail pages, validation (form, API,
Excel import: ``ArchitectureObject.link_problems``), diagrams and the ArchiMate export read one place.

A link with attributes of its own (an integration between two applications: direction, channel, data)
is kept as a row of its own model and declared the same way, with ``through`` naming that model:
``LinkSpec("outgoing_integrations", ..., relationship="flow", through="architecture.ApplicationIntegration",
attributes=("direction", "channel", "data_exchanged"))``. Its ``field`` is the holder's reverse accessor
to those rows; ``through_fields`` names the row's ForeignKeys to the holder and to the linked object.
Readers that work on the holder's own fields (forms, API link fields, Excel) take ``field_links()``;
readers of the whole architecture (diagrams, ArchiMate export) take ``declared_links()``, and for a
``through`` link read ``link.pairs(...)``.

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
    # A link kept in its own model ("app_label.Model"), with attributes: ``field`` is then the holder's
    # reverse accessor to those rows, ``through_fields`` their ForeignKeys (to the holder, to the target).
    through: str = ""
    through_fields: tuple[str, str] = ("source", "target")
    attributes: tuple[str, ...] = ()
    # A link from a kind to the same kind (a server's host, a process's parent) says whether a chain of it may
    # close a cycle: True refuses one (``rules.cycle_problems``, through ``ArchitectureObject.link_problems``:
    # model clean, web form, API and Excel import alike), False allows it (integrations both ways). None: not
    # said, which a self-link may not leave (``sia check``, sia.E115).
    acyclic: bool | None = None

    @property
    def attributed(self) -> bool:
        return bool(self.through)

    def through_model(self):
        from django.apps import apps

        return apps.get_model(self.through) if self.through else None

    def target_model(self, model):
        if self.through:
            return self.through_model()._meta.get_field(self.through_fields[1]).related_model
        return model._meta.get_field(self.field).related_model

    def pairs(self, queryset=None):
        """(source pk, target pk, {attribute: value}) of every row of a ``through`` link (diagrams, export);
        ``queryset`` narrows the rows (e.g. to what a reader may see). One query."""
        source, target = self.through_fields
        rows = self.through_model()._default_manager.all() if queryset is None else queryset
        for values in rows.values(f"{source}_id", f"{target}_id", *self.attributes):
            yield values.pop(f"{source}_id"), values.pop(f"{target}_id"), values

    def is_self_link(self, model) -> bool:
        """Whether the link joins objects of one kind (the holder's own model)."""
        target = self.target_model(model)
        return target is not None and target._meta.concrete_model is model._meta.concrete_model

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
    """(holder model, LinkSpec) of every domain, in domain order: field links and ``through`` links."""
    from .registry import domain_models

    return [(model, link) for model in domain_models() for link in model.spec.links]


def field_links() -> list[tuple]:
    """(holder model, LinkSpec) of the links held as a ForeignKey or many-to-many of the holder."""
    return [(model, link) for model, link in declared_links() if not link.through]


def attributed_links(model=None) -> list[tuple]:
    """(holder model, LinkSpec) of the links kept in a model of their own (``through``), of one domain or all."""
    return [(m, link) for m, link in declared_links() if link.through and (model is None or m is model)]


def through_problems(model, link) -> list[str]:
    """What is wrong with a ``through`` declaration (for the system check): the model, its two ForeignKeys
    (the first to the holder, the second to an architecture object), the holder's accessor, the attributes."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    where = f"{model._meta.label}: the link “{link.field}”"
    try:
        through = apps.get_model(link.through)
    except (LookupError, ValueError):
        return [f"{where} names the model “{link.through}”, which does not exist."]
    problems = []
    ends = []
    for name in link.through_fields:
        try:
            field = through._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"{where}: {link.through} has no field “{name}”.")
            continue
        if not field.many_to_one:
            problems.append(f"{where}: {link.through}.{name} is not a ForeignKey.")
            continue
        ends.append(field)
    if problems:
        return problems
    if ends[0].related_model is not model._meta.model:
        problems.append(f"{where}: {link.through}.{link.through_fields[0]} does not point to {model._meta.label}.")
    if not hasattr(ends[1].related_model, "spec"):
        problems.append(f"{where}: {link.through}.{link.through_fields[1]} does not point to an architecture object.")
    remote = ends[0].remote_field.related_name or ""
    if remote != link.field:
        problems.append(f"{where}: the accessor of {link.through}.{link.through_fields[0]} is “{remote}”, not "
                        f"“{link.field}”.")
    for name in link.attributes:
        try:
            through._meta.get_field(name)
        except FieldDoesNotExist:
            problems.append(f"{where}: the attribute “{name}” is not a field of {link.through}.")
    return problems


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

"""An instansi's architecture as a reader sees it, in the terms of the exchange format: elements (one per visible
object, with its properties) and relationships (one per row of a declared link whose two ends the reader sees).

``load_model(user, institution)`` reads one query per kind, one per declared link and one for the OPDs, whatever
the number of objects; the exporter (``export``) writes what it holds, the round-trip test compares two of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.organizations.models import Department

from . import mapping


@dataclass(frozen=True)
class Element:
    identifier: str
    kind: str  # kind slug
    xsi_type: str
    name: str
    documentation: str
    department_id: int
    properties: tuple  # ((property name, value), ...) in ``mapping.ELEMENT_PROPERTIES`` order, empty values left out

    def prop(self, name: str) -> str:
        return dict(self.properties).get(name, "")


@dataclass(frozen=True)
class Relationship:
    identifier: str
    mapping: mapping.LinkMapping
    source: str  # element identifier
    target: str
    name: str
    properties: tuple = ()
    two_way: bool = False  # an integration both ways: each end depends on the other

    @property
    def xsi_type(self) -> str:
        return self.mapping.xsi_type


@dataclass
class Model:
    institution: object
    departments: dict  # {pk: (abbreviation, name)}
    elements: dict = field(default_factory=dict)  # identifier -> Element, in kind order then code
    relationships: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # what could not be written, as sentences


def element_id(slug: str, pk: int) -> str:
    return f"id-{slug}-{pk}"


def load_model(user, institution) -> Model:
    departments = {pk: (abbreviation, name) for pk, abbreviation, name in Department.objects.filter(
        institution=institution).order_by("name").values_list("pk", "abbreviation", "name")}
    model = Model(institution, departments)
    pks: dict[type, set] = {}
    for kind in domain_models():
        spec = kind.spec
        queryset = permissions.visible(user, kind._default_manager.filter(institution=institution))
        plain = mapping.plain_fields(kind)
        rows = queryset.order_by("code", "pk").values_list(
            "pk", "code", "name", "description", "department_id", "reference__code", "state", "period", "status",
            *(f.attname for f in plain))
        pks[kind] = set()
        for pk, code, name, description, department_id, reference, state, period, status, *values in rows:
            pks[kind].add(pk)
            properties = ((mapping.PROPERTY_CODE, code), (mapping.PROPERTY_KIND, spec.slug),
                          (mapping.PROPERTY_REFERENCE, reference or ""),
                          (mapping.PROPERTY_OPD, departments.get(department_id, ("", ""))[0]),
                          (mapping.PROPERTY_STATE, state), (mapping.PROPERTY_PERIOD, period),
                          (mapping.PROPERTY_STATUS, status),
                          *((mapping.field_property(f), mapping.property_text(v)) for f, v in zip(plain, values)))
            identifier = element_id(spec.slug, pk)
            model.elements[identifier] = Element(
                identifier, spec.slug, mapping.element_type(kind), name or code, description or "", department_id,
                tuple((key, value) for key, value in properties if value))
    for link_mapping in mapping.link_mappings():
        if not link_mapping.allowed:
            model.problems.append(
                f"Relasi {link_mapping.describe()} tidak diizinkan ArchiMate (tabel relasi Archi); tidak ditulis.")
            continue
        holders, targets = pks[link_mapping.holder], pks[link_mapping.target]
        meaning = str(link_mapping.link.meaning)  # translated once per link
        for holder_pk, target_pk, attributes in _pairs(link_mapping, institution):
            if holder_pk not in holders or target_pk not in targets:
                continue  # an end the reader may not see
            model.relationships.append(_relationship(link_mapping, holder_pk, target_pk, attributes, meaning))
    return model


def _relationship(link_mapping, holder_pk, target_pk, attributes, meaning: str) -> Relationship:
    holder = element_id(link_mapping.holder.spec.slug, holder_pk)
    target = element_id(link_mapping.target.spec.slug, target_pk)
    source, end = (target, holder) if link_mapping.reversed else (holder, target)
    link = link_mapping.link
    identifier = f"id-{link_mapping.holder.spec.slug}-{link.field.replace('_', '-')}-{holder_pk}-{target_pk}"
    name = meaning
    properties = ()
    if link.attributes:
        name = str(attributes.get("data_exchanged") or name)
        properties = tuple((mapping.ATTRIBUTE_PROPERTY % key, str(value)) for key, value in attributes.items()
                           if value not in (None, ""))
    two_way = attributes.get("direction") == "dua-arah"
    return Relationship(identifier, link_mapping, source, end, name, properties, two_way)


def _pairs(link_mapping, institution):
    """(holder pk, target pk, {attribute: value}) of every row of one declared link in the instansi: one query."""
    holder, link = link_mapping.holder, link_mapping.link
    if link.through:
        source_field = link.through_fields[0]
        rows = link.through_model()._default_manager.filter(**{f"{source_field}__institution": institution})
        yield from link.pairs(rows.order_by("pk"))
        return
    model_field = holder._meta.get_field(link.field)
    if model_field.many_to_many:
        table = model_field.remote_field.through
        own, other = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        rows = table._default_manager.filter(**{f"{own}__institution": institution}).order_by("pk")
        for source, target in rows.values_list(own, other):
            yield source, target, {}
        return
    rows = holder._default_manager.filter(institution=institution, **{f"{model_field.attname}__isnull": False})
    for source, target in rows.order_by("pk").values_list("pk", model_field.attname):
        yield source, target, {}

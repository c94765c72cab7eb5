"""The export: an instansi's architecture, as the reader sees it, in the ArchiMate 3.1 Model Exchange File Format.

Written piece by piece, in the order the schema and Archi require: name, documentation, elements, relationships,
organizations (a folder per layer, one per OPD inside it; the relationships and the views in Archi's own folders),
property definitions, and, unless the model alone is asked for (``views=False``), the generated views. Every element
and relationship is named, every identifier is an NCName (``id-<kind>-<pk>``), every reference resolves to something
in the file. A relationship ArchiMate does not allow between the two element types is never written:
``Model.problems`` names it, and the model's documentation repeats it.

Each element, relationship and view is built with lxml and serialized on its own, without the namespace
declarations the model element already makes (lxml repeats them on every piece written alone: 8 MB of a
20,000-object file); the nodes and connections of a view are numbered within the file (``v<view>n<index>``), not
named after their view, since nothing outside the view refers to them (docs/benchmarks.md has the sizes).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

from django.utils import timezone
from lxml import etree

from . import mapping
from .model import load_model
from .views import chains, landscapes

LANG = "id"
CONTENT_TYPE = "application/xml"


NSMAP = {None: mapping.NAMESPACE, "xsi": mapping.XSI}


def _q(tag: str) -> str:
    return f"{{{mapping.NAMESPACE}}}{tag}"


def _new(tag: str, attributes=None):
    """A top element of what is written piece by piece, in the file's namespaces (no prefix of its own)."""
    return etree.Element(_q(tag), attributes or {}, nsmap=NSMAP)


def _text(tag: str, value: str, parent=None):
    """``<tag xml:lang="id">value</tag>``, under ``parent`` when given (a child inherits the namespaces)."""
    node = _new(tag) if parent is None else etree.SubElement(parent, _q(tag))
    node.set(mapping.XML_LANG, LANG)
    node.text = _clean(value)
    return node


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(value) -> str:
    """Text XML 1.0 can hold (control characters dropped)."""
    return _NOT_XML.sub("", str(value))


class _Properties:
    """The property definitions of the file: one per property name, numbered in order of first use."""

    def __init__(self):
        self.ids: dict[str, str] = {name: f"propid-{index}" for index, name in enumerate(mapping.ELEMENT_PROPERTIES, 1)}

    def ref(self, name: str) -> str:
        if name not in self.ids:
            self.ids[name] = f"propid-{len(self.ids) + 1}"
        return self.ids[name]

    def block(self, properties, parent) -> None:
        if not properties:
            return
        node = etree.SubElement(parent, _q("properties"))
        for name, value in properties:
            prop = etree.SubElement(node, _q("property"), propertyDefinitionRef=self.ref(name))
            _text("value", value, prop)


def export_model(user, institution, *, views: bool = True) -> tuple[bytes, list[str]]:
    """The exchange file of what ``user`` sees of ``institution``, with the generated views or (``views=False``) the
    model alone, and what could not be written."""
    output = io.BytesIO()
    problems = write_model(user, institution, output, views=views)
    return output.getvalue(), problems


_DECLARED = etree.tostring(_new("x"), encoding="UTF-8")[2:-2]  # b' xmlns="…" xmlns:xsi="…"', as lxml writes them


def _piece(node) -> bytes:
    """``node`` as UTF-8, without the namespace declarations of its start tag (made once, on the model element)."""
    data = etree.tostring(node, encoding="UTF-8")
    at = len(etree.QName(node).localname) + 1
    if data[at:at + len(_DECLARED)] == _DECLARED:
        return data[:at] + data[at + len(_DECLARED):]
    return data  # declared otherwise: kept, still well-formed


def write_model(user, institution, output, *, views: bool = True) -> list[str]:
    model = load_model(user, institution)
    diagrams = landscapes(model) + chains(model) if views else []
    props = _Properties()
    xsi_type = f"{{{mapping.XSI}}}type"
    write = output.write
    root = _new("model", {f"{{{mapping.XSI}}}schemaLocation": mapping.SCHEMA_LOCATION,
                          "identifier": f"id-instansi-{institution.pk}"})
    write(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    write(etree.tostring(root, encoding="UTF-8")[:-2] + b">")  # the start tag, with the declarations
    write(_piece(_text("name", f"Arsitektur SPBE {institution.name}")))
    documentation = [f"Diekspor dari SIA pada {timezone.localtime():%Y-%m-%d %H:%M}."]
    if not views:
        documentation.append("Model saja: tanpa tampilan (diagram) yang dibuat SIA.")
    write(_piece(_text("documentation", "\n".join(documentation + model.problems))))
    if model.elements:
        write(b"<elements>")
        for element in model.elements.values():
            node = _new("element", {"identifier": element.identifier, xsi_type: element.xsi_type})
            _text("name", element.name, node)
            if element.documentation:
                _text("documentation", element.documentation, node)
            props.block(element.properties, node)
            write(_piece(node))
        write(b"</elements>")
    if model.relationships:
        write(b"<relationships>")
        for rel in model.relationships:
            node = _new("relationship", {
                "identifier": rel.identifier, "source": rel.source, "target": rel.target, xsi_type: rel.xsi_type})
            if rel.mapping.access_type:
                node.set("accessType", rel.mapping.access_type)
            _text("name", rel.name, node)
            props.block(rel.properties, node)
            write(_piece(node))
        write(b"</relationships>")
    organizations = _organizations(model, diagrams)
    if organizations is not None:
        write(_piece(organizations))
    definitions = _new("propertyDefinitions")
    for name, identifier in props.ids.items():
        definition = etree.SubElement(definitions, _q("propertyDefinition"), identifier=identifier, type="string")
        _text("name", name, definition)
    write(_piece(definitions))
    if diagrams:
        write(b"<views><diagrams>")
        for index, view in enumerate(diagrams, 1):
            write(_piece(_diagram(view, f"v{index}", xsi_type)))
        write(b"</diagrams></views>")
    write(b"</model>")
    return model.problems


def _folder(label: str, parent=None):
    node = _new("item") if parent is None else etree.SubElement(parent, _q("item"))
    _text("label", label, node)
    return node


def _organizations(model, views):
    """A folder per layer holding a folder per OPD (its elements by code); relationships in Relations; the views in
    Views, landscapes and chains apart."""
    root = _new("organizations")
    by_layer = defaultdict(lambda: defaultdict(list))
    for element in model.elements.values():
        by_layer[mapping.layer(element.xsi_type)[1]][element.department_id].append(element.identifier)
    for _key, label, _types in mapping.LAYERS:
        if label not in by_layer:
            continue
        folder = _folder(label, root)
        for department_id, (abbreviation, name) in model.departments.items():
            members = by_layer[label].get(department_id)
            if not members:
                continue
            opd = _folder(_opd_label(abbreviation, name), folder)
            for identifier in members:
                etree.SubElement(opd, _q("item"), identifierRef=identifier)
    if model.relationships:
        relations = _folder("Relations", root)
        for rel in model.relationships:
            etree.SubElement(relations, _q("item"), identifierRef=rel.identifier)
    if views:
        folder = _folder("Views", root)
        for kind, label in (("landscape", "Lanskap OPD"), ("chain", "Rantai layanan")):
            chosen = [view for view in views if view.folder == kind]
            if chosen:
                sub = _folder(label, folder)
                for view in chosen:
                    etree.SubElement(sub, _q("item"), identifierRef=view.identifier)
    if len(root) == 0:  # a model with nothing visible: an empty organizations element is not allowed
        return None
    return root


def _opd_label(abbreviation: str, name: str) -> str:
    label = f"{abbreviation} - {name}" if abbreviation and abbreviation != name else name
    return label if label not in mapping.ARCHI_FOLDERS else f"OPD {label}"


def _diagram(view, prefix: str, xsi_type):
    """A view: its nodes (``<prefix>n<index>``) at their places, and its connections (``<prefix>c<index>``)."""
    node = _new("view", {"identifier": view.identifier, xsi_type: "Diagram"})
    _text("name", view.name, node)
    if view.truncated:
        _text("documentation", "Tampilan dipotong: terlalu banyak objek untuk satu diagram.", node)
    node_ids = {}
    for index, placed in enumerate(view.nodes):
        identifier = f"{prefix}n{index}"
        node_ids[placed.element] = identifier
        etree.SubElement(node, _q("node"), {
            "identifier": identifier, "elementRef": placed.element, xsi_type: "Element",
            "x": str(placed.x), "y": str(placed.y), "w": str(placed.w), "h": str(placed.h)})
    for index, rel in enumerate(view.connections):
        etree.SubElement(node, _q("connection"), {
            "identifier": f"{prefix}c{index}", "relationshipRef": rel.identifier, xsi_type: "Relationship",
            "source": node_ids[rel.source], "target": node_ids[rel.target]})
    return node

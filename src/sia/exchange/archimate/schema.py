"""Validation of an exchange file against The Open Group's schemas shipped in ``exchange/data/archimate``, resolved
locally: the schemas' import of ``xml.xsd`` by URL is answered with the shipped copy, and nothing is fetched from
the network (see the README there)."""

from __future__ import annotations

import functools
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from .mapping import NAMESPACE, XSI

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "archimate"
ENTRY = SCHEMA_DIR / "archimate3_Diagram.xsd"
XSD = "http://www.w3.org/2001/XMLSchema"


class _LocalSchemas(etree.Resolver):
    """Every schema location a schema names (a URL or a relative path) read from ``SCHEMA_DIR`` by its file name."""

    def resolve(self, url, public_id, context):
        path = SCHEMA_DIR / url.rsplit("/", 1)[-1]
        if path.is_file():
            return self.resolve_filename(str(path), context)
        raise OSError(f"schema {url} is not shipped with SIA; refusing to fetch it")


def compiled() -> etree.XMLSchema:
    """The schemas compiled anew (2 ms): a checker whose error log is its own file's."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(ENTRY), parser))


schema = functools.cache(compiled)


def schema_errors(document) -> list[str]:
    """The schema's complaints about ``document`` (an lxml tree or root element); empty: valid."""
    checker = schema()
    if checker.validate(document):
        return []
    return [describe(error) for error in checker.error_log]


def complaint(error) -> str:
    """What one complaint of the schemas says, the namespaces of the exchange format and of ``xsi`` written as a
    reader of the file knows them (``element``, ``xsi:type``), not as ``{http://…}element``."""
    return error.message.replace(f"{{{NAMESPACE}}}", "").replace(f"{{{XSI}}}", "xsi:")


def describe(error) -> str:
    """One complaint of the schemas with its line, Indonesian first: ``baris N: …``."""
    if not error.line:
        return complaint(error)
    return _("baris %(line)s: %(message)s") % {"line": error.line, "message": complaint(error)}


@functools.cache
def declared_types() -> tuple[frozenset, frozenset]:
    """(element types, relationship types) the shipped schemas declare: the values of their ``ElementEnumType`` (a
    union of the element, composite and relationship-connector enumerations) and of ``RelationshipTypeEnum``, read
    from the schema files that ``ENTRY`` includes, so that a newer release of the schemas brings its own lists."""
    simple_types = {}
    pending, seen = [ENTRY], set()
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        tree = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False))
        for include in tree.iterfind(f"{{{XSD}}}include"):
            pending.append(SCHEMA_DIR / include.get("schemaLocation").rsplit("/", 1)[-1])
        for simple in tree.iterfind(f"{{{XSD}}}simpleType"):
            simple_types[simple.get("name")] = simple

    def values(name: str) -> set:
        simple = simple_types[name]
        union = simple.find(f"{{{XSD}}}union")
        if union is not None:
            return set().union(*(values(member.split(":")[-1]) for member in union.get("memberTypes").split()))
        return {e.get("value") for e in simple.iterfind(f"{{{XSD}}}restriction/{{{XSD}}}enumeration")}

    return frozenset(values("ElementEnumType")), frozenset(values("RelationshipTypeEnum"))

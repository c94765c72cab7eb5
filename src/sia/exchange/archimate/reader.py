"""Reading an uploaded exchange file, hardened: the upload's name and size are checked before anything is parsed,
against a limit of its own (``SIA_ARCHIMATE_MAX_BYTES``: an instansi's exchange file with its views is larger than
the spreadsheets ``SIA_IMPORT_MAX_BYTES`` bounds; docs/benchmarks.md has the sizes), and at most one byte more than
the limit is ever read of the upload (which Django keeps on disk beyond ``FILE_UPLOAD_MAX_MEMORY_SIZE``). A file
declaring a DTD (where entity expansion and external entities live) is refused unread, and the parser neither
resolves entities, nor loads a DTD, nor opens the network, nor accepts a huge tree. The file must then satisfy the
exchange format's schemas (``schema``), checked as it is parsed, each view let go once checked. What it holds is
read into plain records.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from django.utils.formats import number_format

from sia.core.validators import safe_name

from ..problems import FileRejected
from . import mapping
from .schema import compiled

EXTENSIONS = (".xml",)
MAX_SCHEMA_ERRORS = 20
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
XSI_TYPE = f"{{{mapping.XSI}}}type"


@dataclass
class FileElement:
    identifier: str
    xsi_type: str
    name: str
    documentation: str
    properties: dict  # {property name: value}
    folders: tuple = ()  # labels of the organization folders holding it, outermost first

    def describe(self) -> str:
        code = self.properties.get(mapping.PROPERTY_CODE, "")
        return f"{self.xsi_type} “{self.name}”" + (f" ({code})" if code else "")


@dataclass
class FileRelationship:
    identifier: str
    xsi_type: str
    access_type: str | None
    source: str
    target: str
    name: str
    properties: dict


@dataclass
class ExchangeFile:
    name: str
    elements: dict = field(default_factory=dict)  # identifier -> FileElement, in file order
    relationships: list = field(default_factory=list)


def max_bytes() -> int:
    """The largest exchange file read, in bytes."""
    return settings.SIA_ARCHIMATE_MAX_BYTES


def size_problem(size: int, limit: int | None = None) -> str | None:
    """The "too large" message, naming the limit in MB and the file's size to the byte."""
    limit = max_bytes() if limit is None else limit
    if size <= limit:
        return None
    return _("Berkas ArchiMate terlalu besar (%(size)s bita); batasnya %(limit)s MB (SIA_ARCHIMATE_MAX_BYTES). "
             "Berkas tanpa tampilan (diagram), mis. ekspor SIA “model saja”, jauh lebih kecil.") % {
        "size": number_format(size, force_grouping=True),
        "limit": number_format(limit / 2**20, decimal_pos=1, force_grouping=True)}


def read_upload(upload) -> bytes:
    """The bytes of an uploaded exchange file that passed the checks done before parsing; FileRejected otherwise."""
    name = safe_name(getattr(upload, "name", "") or "", fallback="unggahan.xml")
    if not name or os.path.splitext(name)[1].lower() not in EXTENSIONS:
        raise FileRejected(_("Unggah berkas ArchiMate Model Exchange (.xml), mis. ekspor “Open Exchange File” Archi."))
    size = getattr(upload, "size", None)
    if not size:
        raise FileRejected(_("Berkas kosong."))
    limit = max_bytes()
    problem = size_problem(size, limit)
    if problem:
        raise FileRejected(problem)
    upload.seek(0)
    content = upload.read(limit + 1)  # a size that lied: one byte over is enough to know
    problem = size_problem(len(content), limit)
    if problem:
        raise FileRejected(problem)
    return content


_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
            "huge_tree": False, "remove_comments": True, "remove_pis": True}


def _parser():
    return etree.XMLParser(**_OPTIONS)


def parse(content: bytes, name: str = "") -> ExchangeFile:
    """The model of an exchange file; FileRejected (with the reason) for anything unsafe, malformed or invalid."""
    problem = size_problem(len(content))
    if problem:
        raise FileRejected(problem)
    if _DOCTYPE.search(content):
        raise FileRejected(_("Berkas XML dengan DTD atau deklarasi entitas ditolak demi keamanan; berkas ArchiMate "
                             "Model Exchange tidak memerlukannya."))
    try:
        if _root_tag(content) != _q("model"):
            raise FileRejected(_("Berkas bukan ArchiMate Model Exchange File (elemen akar harus “model” bernamespace "
                                 "%(ns)s).") % {"ns": mapping.NAMESPACE})
    except etree.XMLSyntaxError as error:
        raise FileRejected(_("Berkas bukan XML yang sah: %(error)s") % {"error": error})
    return _read(_valid_tree(content), name)


def _root_tag(content: bytes) -> str:
    """The tag of the root element, read from the file's first bytes."""
    for _event, node in etree.iterparse(io.BytesIO(content), events=("start",), **_OPTIONS):
        return node.tag
    return ""


def _valid_tree(content: bytes):
    """The file's tree, without its views' contents (the import reads no view), once the whole file satisfied the
    exchange format's schemas; FileRejected otherwise.

    Views are half of an export: built as one tree and then checked, SIA's 55 MB export of 20,000 objects took
    1.1 GB; read twice, each view let go once read, 0.55 GB (docs/benchmarks.md). Twice, because lxml checks the
    schemas as it reads but then lets an unfinished file (cut in a tag) pass: the second reading, without the
    schemas, refuses it. The schemas are compiled for each file (2 ms), so that their error log is this file's."""
    checked = None
    try:
        _let_go_of_views(etree.iterparse(io.BytesIO(content), events=("end",), tag=_q("view"),
                                         schema=compiled(), **_OPTIONS))
    except etree.XMLSyntaxError as error:
        checked = error
    try:
        events = etree.iterparse(io.BytesIO(content), events=("end",), tag=_q("view"), **_OPTIONS)
        _let_go_of_views(events)
    except etree.XMLSyntaxError as error:
        raise FileRejected(_("Berkas bukan XML yang sah: %(error)s") % {"error": error})
    if checked is not None:
        errors = [f"line {e.line}: {e.message}" if e.line else e.message
                  for e in checked.error_log if e.domain_name == "SCHEMASV"] or [str(checked)]
        raise FileRejected(_("Berkas tidak sesuai skema ArchiMate 3.1: %(errors)s")
                           % {"errors": "; ".join(errors[:MAX_SCHEMA_ERRORS])})
    return events.root


def _let_go_of_views(events) -> None:
    for _event, view in events:
        view.clear()
        while view.getprevious() is not None:
            del view.getparent()[0]


def _q(tag: str) -> str:
    return f"{{{mapping.NAMESPACE}}}{tag}"


def _text(node, tag: str) -> str:
    found = node.find(_q(tag))
    return (found.text or "").strip() if found is not None else ""


def _properties(node, definitions: dict) -> dict:
    values = {}
    for prop in node.iterfind(f"{_q('properties')}/{_q('property')}"):
        name = definitions.get(prop.get("propertyDefinitionRef"), "")
        if name:
            values[name] = _text(prop, "value")
    return values


def _read(root, name: str) -> ExchangeFile:
    definitions = {d.get("identifier"): _text(d, "name")
                   for d in root.iterfind(f"{_q('propertyDefinitions')}/{_q('propertyDefinition')}")}
    found = ExchangeFile(name)
    for node in root.iterfind(f"{_q('elements')}/{_q('element')}"):
        identifier = node.get("identifier")
        found.elements[identifier] = FileElement(identifier, node.get(XSI_TYPE), _text(node, "name"),
                                                 _text(node, "documentation"), _properties(node, definitions))
    for node in root.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
        found.relationships.append(FileRelationship(
            node.get("identifier"), node.get(XSI_TYPE), node.get("accessType"), node.get("source"),
            node.get("target"), _text(node, "name"), _properties(node, definitions)))
    for organizations in root.iterfind(_q("organizations")):
        for item in organizations.iterfind(_q("item")):
            _folders(item, (), found.elements)
    return found


def _folders(item, labels: tuple, elements: dict) -> None:
    label = _text(item, "label")
    here = labels + (label,) if label else labels
    ref = item.get("identifierRef")
    if ref in elements:
        elements[ref].folders = labels
    for child in item.iterfind(_q("item")):
        _folders(child, here, elements)

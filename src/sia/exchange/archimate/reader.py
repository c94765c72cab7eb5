"""Reading an uploaded exchange file, hardened: the upload's name and size are checked before anything is parsed,
against a limit of its own (``SIA_ARCHIMATE_MAX_BYTES``: an instansi's exchange file with its views is larger than
the spreadsheets ``SIA_IMPORT_MAX_BYTES`` bounds; docs/benchmarks.md has the sizes), and at most one byte more than
the limit is ever read of the upload (which Django keeps on disk beyond ``FILE_UPLOAD_MAX_MEMORY_SIZE``).

Only UTF-8 is read (with or without its byte-order mark: what Archi and SIA write): a file in UTF-16, UTF-32, or
declaring another encoding (EBCDIC, Latin-1…) is refused unread, so that the checks on the file's bytes below see
the file as the parser will. A file whose prolog declares a DTD (where entity expansion and external entities live)
is refused unread; the text ``<!DOCTYPE`` in a comment is no DTD and does not refuse a file. Whatever its bytes, the
parser's own account of the document is checked too: the first element read and the parsed tree must come with no
DTD and in UTF-8. The parser neither resolves entities, nor loads a DTD, nor opens the network, nor accepts a huge
tree. The file must then satisfy the exchange format's schemas (``schema``), checked as it is parsed, each view let
go once checked; an element or relationship of a type the schemas do not declare is named (type, name,
identifier), all of them at once, instead of the schema's complaint. What it holds is read into plain records.
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
from .schema import compiled, complaint, declared_types, describe

EXTENSIONS = (".xml",)
MAX_SCHEMA_ERRORS = 20
MAX_UNKNOWN_TYPES = 20
LINED_ERRORS_MAX_BYTES = 8 * 2**20  # a refused file up to this size is read whole again for its errors' lines
XSI_TYPE = f"{{{mapping.XSI}}}type"
UTF8_BOM = b"\xef\xbb\xbf"
# What the first bytes of an XML document say of its encoding (XML 1.0, appendix F); UTF-32 before UTF-16, whose
# marks begin theirs.
_OTHER_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "UTF-32 BE"), (b"\xff\xfe\x00\x00", "UTF-32 LE"),
    (b"\xfe\xff", "UTF-16 BE"), (b"\xff\xfe", "UTF-16 LE"),
    (b"\x00\x00\x00<", "UTF-32 BE"), (b"<\x00\x00\x00", "UTF-32 LE"),
    (b"\x00<\x00", "UTF-16 BE"), (b"<\x00", "UTF-16 LE"), (b"\x4c\x6f\xa7\x94", "EBCDIC"),
)
_DECLARED_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
_UTF8_NAMES = {"utf-8", "utf8"}
_SPACE = re.compile(rb"[ \t\r\n]*")


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
    encoding = _other_encoding(content)
    if encoding:
        raise FileRejected(_encoding_refusal(encoding))
    if _prolog_declares_dtd(content):
        raise FileRejected(_dtd_refusal())
    try:
        if _root_tag(content) != _q("model"):
            raise FileRejected(_("Berkas bukan ArchiMate Model Exchange File (elemen akar harus “model” bernamespace "
                                 "%(ns)s).") % {"ns": mapping.NAMESPACE})
    except etree.XMLSyntaxError as error:
        raise FileRejected(_("Berkas bukan XML yang sah: %(error)s") % {"error": error})
    return _read(_valid_tree(content), name)


def _encoding_refusal(encoding: str) -> str:
    return _("Berkas ArchiMate harus berenkode UTF-8, seperti ekspor “Open Exchange File” Archi; berkas ini "
             "berenkode %(encoding)s. Simpan ulang berkas sebagai UTF-8 lalu unggah kembali.") % {"encoding": encoding}


def _dtd_refusal() -> str:
    return _("Berkas XML dengan DTD atau deklarasi entitas ditolak demi keamanan; berkas ArchiMate Model Exchange "
             "tidak memerlukannya.")


def _other_encoding(content: bytes) -> str:
    """The encoding of a file not in UTF-8, as its first bytes or its XML declaration say; empty for UTF-8."""
    for mark, encoding in _OTHER_ENCODINGS:
        if content.startswith(mark):
            return encoding
    head = content[:4]
    if b"\x00" in head:  # no UTF-8 document holds a NUL: a wide encoding, whatever character opens it
        nuls = [byte == 0 for byte in head]
        if nuls.count(True) == 3:
            return "UTF-32 LE" if not nuls[0] else "UTF-32 BE"
        if nuls == [False, True, False, True]:
            return "UTF-16 LE"
        if nuls == [True, False, True, False]:
            return "UTF-16 BE"
        return "UTF-16/UTF-32"
    body = content[len(UTF8_BOM):] if content.startswith(UTF8_BOM) else content
    if body.startswith(b"<?xml") and body[5:6] in (b" ", b"\t", b"\r", b"\n"):
        end = body.find(b"?>")
        declared = _DECLARED_ENCODING.search(body[:end] if end >= 0 else body[:200])
        if declared and declared.group(1).decode("ascii", "replace").strip().lower() not in _UTF8_NAMES:
            return declared.group(1).decode("ascii", "replace")[:40]
    return ""


def _prolog_declares_dtd(content: bytes) -> bool:
    """Whether a document type declaration follows the XML declaration, the comments and processing instructions
    that may open a UTF-8 document (where XML allows one); ``<!DOCTYPE`` in any case, as libxml2 reads only the
    upper-case one but another parser may not. Linear: no regular expression that could backtrack."""
    at, size = (len(UTF8_BOM) if content.startswith(UTF8_BOM) else 0), len(content)
    while at < size:
        at = _SPACE.match(content, at).end()
        for opening, closing in ((b"<!--", b"-->"), (b"<?", b"?>")):
            if content.startswith(opening, at):
                end = content.find(closing, at + len(opening))
                if end < 0:
                    return False  # unfinished: the parser refuses it
                at = end + len(closing)
                break
        else:
            return content[at:at + 9].upper() == b"<!DOCTYPE"
    return False


def _check_document(node, parsed: bool) -> None:
    """FileRejected unless the document the parser read (its ``docinfo``) has no DTD (internal subset, external
    reference or entity declaration) and, once parsed (``parsed``), was read as UTF-8: whatever its bytes looked like
    to the checks before parsing."""
    info = node.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None or info.system_url:
        raise FileRejected(_dtd_refusal())
    if parsed and (info.encoding or "UTF-8").strip().lower() not in _UTF8_NAMES:
        raise FileRejected(_encoding_refusal(info.encoding))


def _root_tag(content: bytes) -> str:
    """The tag of the root element, read from the file's first bytes, once the prolog read declared no DTD."""
    for _event, node in etree.iterparse(io.BytesIO(content), events=("start",), **_OPTIONS):
        _check_document(node, parsed=False)
        return node.tag
    return ""


def _valid_tree(content: bytes):
    """The file's tree, without its views' contents (the import reads no view), once the whole file satisfied the
    exchange format's schemas; FileRejected otherwise.

    Views are half of an export: built as one tree and then checked, SIA's 55 MB export of 20,000 objects took
    1.1 GB; read twice, each view let go once read, 0.55 GB (docs/benchmarks.md). Twice, because lxml checks the
    schemas as it reads but then lets an unfinished file (cut in a tag) pass: the second reading, without the
    schemas, refuses it. The schemas are compiled for each file (2 ms). Checked as it is read, a complaint of the
    schemas has no line: a refused file of at most ``LINED_ERRORS_MAX_BYTES`` is read whole the second time and its
    tree checked again, for the lines (about 20 times the file's size in memory, only for a file refused)."""
    checked = None
    etree.clear_error_log()  # the complaints kept are this file's
    try:
        _let_go_of_views(etree.iterparse(io.BytesIO(content), events=("end",), tag=_q("view"),
                                         schema=compiled(), **_OPTIONS))
    except etree.XMLSyntaxError as error:
        checked = error
    whole = checked is not None and len(content) <= LINED_ERRORS_MAX_BYTES
    try:
        events = etree.iterparse(io.BytesIO(content), events=("end",), tag=_q("view"), **_OPTIONS)
        for _event in (events if whole else ()):
            pass
        _let_go_of_views(events)
    except etree.XMLSyntaxError as error:
        raise FileRejected(_("Berkas bukan XML yang sah: %(error)s") % {"error": error})
    _check_document(events.root, parsed=True)
    if checked is not None:
        unknown = _unknown_types(events.root)
        if unknown:
            raise FileRejected(" ".join(unknown))
        raise FileRejected(_schema_refusal(checked, events.root if whole else None))
    return events.root


def _schema_refusal(checked, root=None) -> str:
    """The schemas' complaints, the first with its line in the opening sentence: "Berkas tidak sesuai skema
    ArchiMate 3.1 (baris N): …; baris M: …", at most ``MAX_SCHEMA_ERRORS`` of them and how many more. The lines are
    known when the whole tree (``root``) is checked again; the complaints made as the file was read have none."""
    errors = []
    if root is not None:
        checker = compiled()
        checker.validate(root)
        errors = list(checker.error_log)
        # a value refused (a duplicate xs:ID) is then also missing from the keys: that echo on its line is dropped
        refused = {e.line for e in errors if e.type_name != "SCHEMAV_CVC_IDC"}
        errors = [e for e in errors if e.type_name != "SCHEMAV_CVC_IDC" or e.line not in refused]
    if not errors:
        errors = [e for e in checked.error_log if e.domain_name == "SCHEMASV"]
    unique = list({(e.line, complaint(e)): e for e in errors}.values())
    if not unique:
        return _("Berkas tidak sesuai skema ArchiMate 3.1: %(error)s") % {"error": checked.msg}
    first, rest = unique[0], unique[1:MAX_SCHEMA_ERRORS]
    details = "; ".join([complaint(first)] + [describe(e) for e in rest])
    message = (_("Berkas tidak sesuai skema ArchiMate 3.1 (baris %(line)s): %(details)s")
               % {"line": first.line, "details": details} if first.line
               else _("Berkas tidak sesuai skema ArchiMate 3.1: %(details)s") % {"details": details})
    if len(unique) > MAX_SCHEMA_ERRORS:
        message += " " + _("(dan %(count)s kesalahan lain)") % {"count": len(unique) - MAX_SCHEMA_ERRORS}
    return message


def _type_of(node) -> tuple[str, bool]:
    """(the type ``node``'s xsi:type names as written, whether it names one in the exchange format's namespace);
    ("", False) without one."""
    written = (node.get(XSI_TYPE) or "").strip()
    prefix, _colon, local = written.rpartition(":")
    return written, bool(local) and node.nsmap.get(prefix or None) == mapping.NAMESPACE


def _local_type(node) -> str:
    """The type ``node``'s xsi:type names, without the prefix a file may give it (``a:BusinessActor``)."""
    written, in_namespace = _type_of(node)
    return written.rpartition(":")[2] if in_namespace else written


def _unknown_types(root) -> list[str]:
    """A sentence for each element and relationship whose type the schemas do not declare, naming it (its name and
    identifier; a relationship's two ends), at most ``MAX_UNKNOWN_TYPES`` and how many more."""
    element_types, relationship_types = declared_types()
    names = {}
    found = []
    for node in root.iterfind(f"{_q('elements')}/{_q('element')}"):
        identifier, name = node.get("identifier") or "?", _text(node, "name")
        names[identifier] = name
        written, in_namespace = _type_of(node)
        if in_namespace and written.rpartition(":")[2] in element_types:
            continue
        what = (_("elemen “%(name)s”, %(id)s") % {"name": name, "id": identifier} if name
                else _("elemen %(id)s") % {"id": identifier})
        found.append(_("Jenis elemen “%(type)s” (%(what)s) tidak dikenal ArchiMate 3.1.")
                     % {"type": written, "what": what} if written else
                     _("Elemen tanpa jenis (%(what)s): xsi:type wajib.") % {"what": what})
    for node in root.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
        written, in_namespace = _type_of(node)
        if in_namespace and written.rpartition(":")[2] in relationship_types:
            continue
        what = _("hubungan %(id)s dari “%(source)s” ke “%(target)s”") % {
            "id": node.get("identifier") or "?",
            "source": names.get(node.get("source")) or node.get("source") or "?",
            "target": names.get(node.get("target")) or node.get("target") or "?"}
        found.append(_("Jenis hubungan “%(type)s” (%(what)s) tidak dikenal ArchiMate 3.1.")
                     % {"type": written, "what": what} if written else
                     _("Hubungan tanpa jenis (%(what)s): xsi:type wajib.") % {"what": what})
    if len(found) > MAX_UNKNOWN_TYPES:
        more = len(found) - MAX_UNKNOWN_TYPES
        found = found[:MAX_UNKNOWN_TYPES] + [_("… dan %(count)s lagi.") % {"count": more}]
    return found


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
        found.elements[identifier] = FileElement(identifier, _local_type(node), _text(node, "name"),
                                                 _text(node, "documentation"), _properties(node, definitions))
    for node in root.iterfind(f"{_q('relationships')}/{_q('relationship')}"):
        found.relationships.append(FileRelationship(
            node.get("identifier"), _local_type(node), node.get("accessType"), node.get("source"),
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

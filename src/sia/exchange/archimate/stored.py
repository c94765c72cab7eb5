"""What the instansi holds, read in bulk for an import, so that an element or relationship a file leaves as it is can
be recognised without the editing path: the objects the file's *Kode SIA* name (one query per kind), the links of
each declared many-to-many field (one query per field), the rows of each link with attributes (one query per link),
and the reference nodes the file names (one query per catalog). The number of queries depends on the kinds and links
of the file, never on how many objects it describes (``tests/exchange/test_archimate_import_scale.py``).

Each is read once, before anything is written, like the objects the importer always matched up front; what the import
then writes (a created row, an edited object) goes through the editing path, which reads what it edits again.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import F

from sia.reference.codes import CodeError, parse_code
from sia.reference.lookup import ReferenceNotFound, resolve_reference, split_reference
from sia.reference.models import ReferenceNode

# At most this many codes of a kind are asked for by name (``code IN (...)``); more, and the kind's objects of the
# instansi are read whole (one query either way; a long IN list costs more than the rows it leaves out).
FEW_CODES = 500


class Stored:
    """The instansi's objects, links and link rows, read in bulk on first use."""

    def __init__(self, institution, codes: dict[type, set[str]]):
        """``codes``: {kind: the codes (upper case) the file names for it}."""
        self.institution = institution
        self.objects: dict[tuple, object] = {}  # (kind, code) -> the stored object
        for kind, wanted in codes.items():
            if not wanted:
                continue
            queryset = kind._default_manager.filter(institution=institution)
            if len(wanted) <= FEW_CODES:
                queryset = queryset.filter(code__in=sorted(wanted))
            for obj in queryset.order_by("pk"):
                if obj.code in wanted:
                    self.objects.setdefault((kind, obj.code), obj)
        self._links: dict[tuple, dict] = {}
        self._rows: dict = {}

    def find(self, kind, code: str):
        """The object of ``kind`` whose code is ``code`` (upper case), or None."""
        return self.objects.get((kind, code))

    def links(self, kind, name: str) -> dict[int, set]:
        """{holder pk: {target pks}} of the many-to-many field ``name`` of ``kind`` in the instansi."""
        key = (kind, name)
        found = self._links.get(key)
        if found is None:
            model_field = kind._meta.get_field(name)
            table = model_field.remote_field.through
            own, other = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
            found = defaultdict(set)
            rows = table._default_manager.filter(**{f"{own}__institution": self.institution})
            for source, target in rows.values_list(own, other):
                found[source].add(target)
            self._links[key] = found
        return found

    def rows(self, link) -> dict[tuple, object]:
        """{(holder pk, target pk): row} of a link with attributes (``LinkSpec.through``) in the instansi; the import
        adds the rows it creates, so that a second relationship between the same two objects finds the first's."""
        found = self._rows.get(link)
        if found is None:
            source_field, target_field = link.through_fields
            manager = link.through_model()._default_manager
            queryset = manager.filter(**{f"{source_field}__institution": self.institution})
            found = {}
            for row in queryset.order_by("pk"):
                found.setdefault((getattr(row, f"{source_field}_id"), getattr(row, f"{target_field}_id")), row)
            self._rows[link] = found
        return found


class References:
    """``resolve_reference`` for many texts: a plain code (what SIA exports) is looked up with the other codes of its
    catalog in one query, the same way (the version in force, the national node before the instansi's own); any other
    text (a code with a name, a name alone, a code that does not parse) is resolved on its own. Answers are kept."""

    def __init__(self, institution):
        self.institution = institution
        self.nodes: dict[tuple, ReferenceNode] = {}  # (catalog, code) -> node
        self.answers: dict[tuple, object] = {}  # (text, catalog) -> node or ReferenceNotFound

    def prefetch(self, texts: dict) -> None:
        """``texts``: {catalog: the reference texts the file gives objects of that catalog}."""
        for catalog, given in texts.items():
            codes = set()
            for text in given:
                code, name = split_reference(text)
                if code is not None and not name and _parses(code, catalog):
                    codes.add(code)
            if not codes:
                continue
            queryset = ReferenceNode.objects.current().for_institution(self.institution)
            if catalog:
                queryset = queryset.of_catalog(catalog)
            queryset = queryset.filter(code__in=sorted(codes)).order_by(F("institution_id").asc(nulls_first=True))
            for node in queryset:
                self.nodes.setdefault((catalog, node.code), node)

    def resolve(self, text: str, catalog) -> ReferenceNode:
        key = (text, catalog)
        if key not in self.answers:
            code, name = split_reference(text)
            node = self.nodes.get((catalog, code)) if code is not None and not name else None
            if node is not None and _parses(code, catalog):
                self.answers[key] = node
            else:
                try:
                    self.answers[key] = resolve_reference(text, catalog, self.institution)
                except ReferenceNotFound as error:
                    self.answers[key] = error
        found = self.answers[key]
        if isinstance(found, ReferenceNotFound):
            raise found
        return found


def _parses(code: str, catalog) -> bool:
    try:
        parse_code(code, prefix=str(catalog).upper() if catalog else None)
    except CodeError:
        return False
    return True

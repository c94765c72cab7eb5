"""Reading the tree without a query per node: paths from codes, children counts, search."""

from __future__ import annotations

import re

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When

from .codes import normalize_text, parse_code, CodeError
from .models import ReferenceNode

_CODE_PREFIX = re.compile(r"^[A-Za-z]{3}(\.\d{1,2})*\.?$")


def attach_paths(nodes) -> list[ReferenceNode]:
    """Sets ``node._path`` (root first, the node last) for every node, with one query in all.

    Ancestor codes follow from each code; an instansi node's ancestors are national nodes or
    nodes of the same instansi in the same version.
    """
    nodes = list(nodes)
    wanted: dict[tuple[int, str], set] = {}
    for node in nodes:
        try:
            ancestors = parse_code(node.code).ancestors
        except CodeError:
            ancestors = []
        for code in ancestors:
            wanted.setdefault((node.version_id, code), set()).add(node.institution_id)
    found: dict[tuple[int, str, int | None], ReferenceNode] = {}
    if wanted:
        codes = {code for _version, code in wanted}
        versions = {version for version, _code in wanted}
        institutions = {i for owners in wanted.values() for i in owners if i is not None}
        rows = ReferenceNode.objects.filter(version_id__in=versions, code__in=codes).filter(
            Q(institution__isnull=True) | Q(institution_id__in=institutions)
        )
        for row in rows.only("id", "version_id", "code", "name", "level", "institution_id"):
            found[(row.version_id, row.code, row.institution_id)] = row
    for node in nodes:
        path = []
        try:
            ancestors = parse_code(node.code).ancestors
        except CodeError:
            ancestors = []
        for code in ancestors:
            match = found.get((node.version_id, code, None)) or found.get((node.version_id, code, node.institution_id))
            if match is not None:
                path.append(match)
        node._path = [*path, node]
    return nodes


def path_label(node: ReferenceNode, separator: str = " › ") -> str:
    return separator.join(step.name for step in node.path)


def with_child_counts(queryset: QuerySet, institution_ids) -> QuerySet:
    """Annotates ``child_count``: national children plus those of the given instansi (None: all)."""
    if institution_ids is None:
        condition = Q()
    else:
        condition = Q(children__institution__isnull=True) | Q(children__institution_id__in=list(institution_ids))
    return queryset.annotate(child_count=Count("children", filter=condition, distinct=True))


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Nodes whose code starts with ``text`` (``RAB.09.06``), or where every word is in the code, the
    name or the description (uraian): "imunisasi" finds a node whose uraian mentions it.

    Accents and case are ignored on both sides: ``search_text`` (indexed) holds the normalised code
    and name, ``search_description`` the normalised uraian, so SQLite and PostgreSQL answer alike.
    Nodes found by their name come first (``matched_name``), then those found only by their uraian.
    """
    text = (text or "").strip()
    words = normalize_text(text).split()
    if not words:
        return _ranked(queryset.none(), None)
    compact = text.replace(" ", "")
    if _CODE_PREFIX.match(compact) and "." in compact:
        return _ranked(queryset.filter(code__startswith=compact.upper().rstrip(".")), None)
    q, by_name = Q(), Q()
    for word in words:
        q &= Q(search_text__contains=word) | Q(search_description__contains=word)
        by_name &= Q(search_text__contains=word)
    return _ranked(queryset.filter(q), by_name)


def _ranked(queryset: QuerySet, by_name: Q | None) -> QuerySet:
    """Annotates ``matched_name``: found by code or name (True), or only by the uraian (False)."""
    if by_name is None:
        return queryset.annotate(matched_name=Value(True, output_field=BooleanField()))
    return queryset.annotate(
        matched_name=Case(When(by_name, then=Value(True)), default=Value(False), output_field=BooleanField())
    )

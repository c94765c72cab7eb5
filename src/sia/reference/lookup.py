"""Finds a reference node from what people type or what templates hold in a cell.

``resolve_reference("RAB.09.06.06 Penyelenggaraan Kearsipan", "RAB")`` returns the node of the
version in force; the code may be followed by its name (checked, tolerating case, accents and
small typos) or be given alone, and a name alone is accepted when it names exactly one node.
Used by the picker field without JavaScript and by the spreadsheet importers.
"""

from __future__ import annotations

import re

from django.db.models import F
from django.utils.translation import gettext as _

from .codes import CodeError, normalize_code, parse_code
from .crosswalk import comparable_name, similar
from .models import ReferenceNode

_LEADING_CODE = re.compile(r"^\s*([A-Za-z]{3}\s*(?:\.\s*\d+\s*)+)(.*)$", re.S)


class ReferenceNotFound(ValueError):
    """The text names no node (or several); the message is for the user."""


def split_reference(text: str) -> tuple[str | None, str]:
    """``"rab.09.06.06 - Penyelenggaraan Kearsipan"`` → ``("RAB.09.06.06", "Penyelenggaraan Kearsipan")``."""
    match = _LEADING_CODE.match(str(text or ""))
    if not match:
        return None, str(text or "").strip()
    code = normalize_code(match.group(1)).rstrip(".")
    name = match.group(2).strip().lstrip("-–—:|").strip()
    return code, name


def resolve_reference(text: str, catalog: str | None = None, institution=None, *, queryset=None) -> ReferenceNode:
    """The node named by ``text`` among national nodes (and ``institution``'s own nodes).

    Without ``queryset`` the candidates are the versions in force, national nodes only unless
    ``institution`` is given; a ``queryset`` (e.g. already scoped to a user) is used as it is,
    narrowed to ``institution`` when given. Raises :class:`ReferenceNotFound` with an
    Indonesian message.
    """
    if queryset is None:
        queryset = ReferenceNode.objects.current().for_institution(institution)
    elif institution is not None:
        queryset = queryset.for_institution(institution)
    if catalog:
        queryset = queryset.of_catalog(catalog)
    code, name = split_reference(text)
    if code is None and not name:
        raise ReferenceNotFound(_("Isikan kode referensi, mis. RAB.09.06.03."))
    if code is not None:
        try:
            parse_code(code, prefix=str(catalog).upper() if catalog else None)
        except CodeError as error:
            raise ReferenceNotFound(str(error))
        matches = list(queryset.filter(code=code).order_by(F("institution_id").asc(nulls_first=True))[:1])
        if not matches:
            raise ReferenceNotFound(_("Kode %(code)s tidak ada di katalog referensi yang berlaku.") % {"code": code})
        node = matches[0]
        if name and not (comparable_name(name) == comparable_name(node.name) or similar(name, node.name)):
            raise ReferenceNotFound(
                _("Kode %(code)s bernama “%(actual)s”, bukan “%(given)s”.")
                % {"code": code, "actual": node.name, "given": name}
            )
        return node
    wanted = comparable_name(name)
    words = wanted.split()
    candidates = queryset
    for word in words:
        candidates = candidates.filter(search_text__contains=word)
    exact = [node for node in candidates[:50] if comparable_name(node.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        raise ReferenceNotFound(_("Tidak ada simpul referensi bernama “%(name)s”.") % {"name": name})
    raise ReferenceNotFound(
        _("Nama “%(name)s” dipakai beberapa simpul (%(codes)s); tulis kodenya.")
        % {"name": name, "codes": ", ".join(node.code for node in exact[:5])}
    )

"""What an instrument calls its index, coordinator and internal team, in the page's language.

Role names follow them where an instrument is in context (``role_name`` for an instansi role, ``team_role_name``
for a role in an assessment team): the instansi's admin is the "Koordinator SPBE" of an SPBE assessment and the
"Koordinator Pemdi" of a Pemdi one. Without an instrument in context the roles keep their neutral labels
(``sia.core.roles``). The evaluation menu is named after the index in force this year (``index_in_force``).

The names are data: ``terms`` of the instrument (stored on ``FrameworkVersion``: "Indeks SPBE", "Koordinator
SPBE", "Tim Evaluator" under PermenPANRB 59/2020; "Indeks Pemdi", "Koordinator Pemdi", "Tim Asesor Internal"
under 8/2026) and, for the English interface, ``terms_en`` of its entry in ``data/frameworks.yaml`` (read
once per process). A name without an English one is shown as the instrument writes it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .framework_spec import TERM_KEYS


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict]:
    from .frameworks import manifest

    return {entry.get("code", ""): entry for entry in manifest()}


def _english() -> dict[str, dict[str, str]]:
    return {code: dict(entry.get("terms_en") or {}) for code, entry in _entries().items()}


def evaluation_name(framework) -> str:
    """The evaluation's name for documents ("Evaluasi Kinerja Pemerintah Digital"); "Evaluasi" + the index's name
    where the manifest has none."""
    return str(_entries().get(framework.code, {}).get("evaluation") or f"Evaluasi {framework.term('index')}")


def term(framework, key: str) -> str:
    """``framework`` (a ``FrameworkVersion`` or a ``FrameworkSpec``)'s name for ``key`` in the active language."""
    if (get_language() or "").startswith("en"):
        english = _english().get(framework.code, {}).get(key)
        if english:
            return str(english)
    return framework.term(key)


def terms(framework) -> dict[str, str]:
    """Every name of the instrument, for templates: ``terms.index``, ``terms.coordinator``, ``terms.internal_team``."""
    return {key: term(framework, key) for key in TERM_KEYS}


def short_index(external) -> str:
    """The source index's short name (its acronym: SDI, SJIG, IPS), or its whole name where it has none."""
    found = re.search(r"\b([A-Z]{2,6})\b", external.source_index)
    return found.group(1) if found else external.source_index


class _Listed:
    """A manifest entry read as an instrument (``term``), for names needed before any version is read."""

    def __init__(self, entry: dict):
        self.code, self._terms = entry.get("code", ""), dict(entry.get("terms") or {})

    def term(self, key: str) -> str:
        from .framework_spec import DEFAULT_TERMS

        return str(self._terms.get(key) or DEFAULT_TERMS[key])


def index_in_force(year: int | None = None, *, short: bool = False) -> str:
    """The name of the index whose instrument the manifest puts in force for ``year`` (default: this year), in
    the page's language ("Indeks Pemdi" from 2026, "Indeks SPBE" 2021-2025); "" for a year without one.

    Read from ``data/frameworks.yaml`` (once per process), the data the installed versions are kept in step with
    (``framework_sync``), so that the menu drawn on every page costs no query."""
    year = year or timezone.localdate().year
    in_force = [
        entry for entry in _entries().values()
        if (entry.get("first_year") is None or int(entry["first_year"]) <= year)
        and (entry.get("last_year") is None or year <= int(entry["last_year"]))
    ]
    if not in_force:
        return ""
    newest = max(in_force, key=lambda e: int(e.get("first_year") or 0))
    if short and (get_language() or "").startswith("en") and (newest.get("terms_en") or {}).get("menu"):
        return str(newest["terms_en"]["menu"])  # a long English name ("Digital Government Index") has a short one
    return term(_Listed(newest), "index")


def menu_label(user=None) -> str:
    """The evaluation menu's name: the index in force this year, or "Evaluasi" when none is."""
    from django.utils.translation import pgettext

    return index_in_force(short=True) or pgettext("menu", "Evaluasi")


def role_name(role, framework) -> str:
    """An instansi role (``sia.core.roles.Role``) as the instrument calls it: the admin is its coordinator
    ("Koordinator Pemdi"), the asesor internal a member of its internal team ("Tim Asesor Internal")."""
    from sia.core.roles import Role

    if role == Role.ADMIN:
        return term(framework, "coordinator")
    if role == Role.ASSESSOR:
        return _("Anggota %(team)s") % {"team": term(framework, "internal_team")}
    return str(Role(role).label)


def team_role_name(role, framework) -> str:
    """A role in an assessment team (``choices.TeamRole``) with the instrument's names."""
    from .choices import TeamRole

    if role == TeamRole.LEAD:
        return _("Penanggung jawab (%(coordinator)s)") % {"coordinator": term(framework, "coordinator")}
    if role == TeamRole.ASSESSOR:
        return _("Anggota %(team)s") % {"team": term(framework, "internal_team")}
    return str(TeamRole(role).label)


def team_role_choices(framework) -> list[tuple[str, str]]:
    from .choices import TeamRole

    return [(role.value, team_role_name(role, framework)) for role in TeamRole]

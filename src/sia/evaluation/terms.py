"""What an instrument calls its index, coordinator and internal team, in the page's language.

The names are data: ``terms`` of the instrument (stored on ``FrameworkVersion``: "Indeks SPBE", "Koordinator
SPBE", "Tim Evaluator" under PermenPANRB 59/2020; "Indeks Pemdi", "Koordinator Pemdi", "Tim Asesor Internal"
under 8/2026) and, for the English interface, ``terms_en`` of its entry in ``data/frameworks.yaml`` (read
once per process). A name without an English one is shown as the instrument writes it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.translation import get_language

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

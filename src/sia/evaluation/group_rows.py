"""The groups of an instrument's hierarchy as pages, exports and documents list them, named as the file declares.

59/2020: Domain > Aspek; 8/2026: Aspek; a declared file: its own levels (Pilar > Domain > Aspek), or none (an
instrument of indicators only). ``group_rows`` walks the tree top-down (each group followed by its members), with
each group's level name and, given a result, its value; nothing here queries the database.

The names SIA gives the levels of the older file forms ("Domain", "Aspek": 59/2020 and 8/2026) are shown in the
interface's language (English: "Domain", "Aspect"); a name a file declares is shown as the file writes it. The
documents (XLSX, Berita Acara) are written in Indonesian whatever the request's language (``exports``).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .framework_hierarchy import groups_of
from .scoring import display


OWN_LEVEL_NAMES = frozenset({gettext_noop("Domain"), gettext_noop("Aspek")})  # framework_hierarchy.groups_of


def shown_name(name: str) -> str:
    """A level's name as pages show it: SIA's own names translated, a file's names as written."""
    return _(name) if name in OWN_LEVEL_NAMES else name


def group_levels(spec) -> tuple:
    """The spec's levels of groups (``LevelSpec``), top-down, without the indicators."""
    return groups_of(spec)[0][:-1]


def level_names(spec) -> list[str]:
    return [shown_name(level.name) for level in group_levels(spec)]


def levels_title(spec, *, indicators: bool = False) -> str:
    """"Domain dan Aspek", "Aspek", "Pilar, Domain dan Aspek"; "" for an instrument of indicators only.
    ``indicators``: with the indicators last ("Domain, Aspek dan Indikator"; "Indikator" alone)."""
    names = level_names(spec) + ([_("Indikator")] if indicators else [])
    if len(names) < 2:
        return names[0] if names else ""
    return _("%(first)s dan %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def levels_header(spec) -> str:
    """The head of a column listing the groups: "Domain / Aspek"."""
    return " / ".join(level_names(spec))


def level_values(spec, result) -> dict[str, dict[int, Decimal]]:
    """{level key: {group number: value}} of a result, for either form of the spec."""
    if spec.levels:
        return result.groups
    values = {"domain": result.domains} if spec.domains else {}
    values["aspect"] = result.aspects
    return values


def group_rows(spec, result=None) -> list[dict]:
    """Every group, each followed by its members: kind (level key), level (its name), depth, number, name, weight,
    label ("Aspek 3. Data"), short ("A3"), css ("domain" for a group of groups, "aspect" for the indicators' groups)
    and, with ``result``, value (displayed) and exact."""
    levels, groups = groups_of(spec)
    above_indicators = levels[:-1]
    values = level_values(spec, result) if result is not None else {}
    members: dict[tuple[int, int | None], list] = {}
    for depth, level in enumerate(above_indicators):
        for group in sorted(groups[level.key].values(), key=lambda g: g.number):
            members.setdefault((depth, group.parent if depth else None), []).append(group)
    rows: list[dict] = []

    def walk(depth: int, parent):
        if depth >= len(above_indicators):
            return
        level = above_indicators[depth]
        name = shown_name(level.name)
        for group in members.get((depth, parent), []):
            row = {
                "kind": level.key, "level": name, "depth": depth, "number": group.number, "name": group.name,
                "weight": group.weight, "label": f"{name} {group.number}. {group.name}",
                "short": f"{name[:1].upper()}{group.number}",
                "css": "aspect" if depth == len(above_indicators) - 1 else "domain",
            }
            if result is not None:
                exact = values[level.key][group.number]
                row.update(exact=exact, value=display(exact))
            rows.append(row)
            walk(depth + 1, group.number)

    walk(0, None)
    return rows


def indicator_path(spec, indicator) -> list[dict]:
    """The groups above one indicator (spec's ``IndicatorSpec``), top-down: level, number, name, label."""
    levels, groups = groups_of(spec)
    above_indicators = levels[:-1]
    path, number = [], indicator.aspect if above_indicators else None
    for level in reversed(above_indicators):
        group = groups[level.key].get(number)
        if group is None:
            break
        name = shown_name(level.name)
        path.insert(0, {"kind": level.key, "level": name, "number": group.number, "name": group.name,
                        "label": f"{name} {group.number}. {group.name}"})
        number = group.parent
    return path

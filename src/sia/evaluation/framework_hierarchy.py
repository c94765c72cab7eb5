"""Any hierarchy a file declares: N named levels of groups above the indicators (part of the loader).

A file may declare its levels as a list, top-down, the indicators last::

    hierarchy:
      - {level: pilar, name: Pilar, rows: pillars}
      - {level: domain, name: Domain, rows: domains}
      - {level: aspect, name: Aspek, rows: aspects}
      - {level: indicator, name: Indikator, rows: indicators}

Each row of a level below the top names its group one level up with ``parent`` (or with that level's key:
``aspect: 3``); weights are percent of the index, the weights of a group's members sum to its weight and the top
level's to 100. ``hierarchy: [{level: indicator, ...}]`` alone is an instrument of indicators only. The older forms
(``domains``/``aspects`` sections, ``hierarchy: "aspects -> indicators"``) are read by ``framework_loader`` as before;
``groups_of`` gives either form as the same tree, and ``group_values`` computes every group's value over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .framework_spec import HUNDRED, MAX_WEIGHT_DECIMALS, _fmt, _int, _number, _numbers, _text

ZERO = Decimal(0)


@dataclass(frozen=True)
class LevelSpec:
    key: str  # "aspect"
    name: str  # "Aspek", what pages call it
    rows: str  # the file's section of its rows ("aspects")


@dataclass(frozen=True)
class GroupSpec:
    level: str  # LevelSpec.key
    number: int
    name: str
    weight: Decimal
    parent: int | None  # number of its group one level up (None at the top)


def declares_levels(data) -> bool:
    """Whether the file declares its levels as a list of mappings (the form read here)."""
    raw = data.get("hierarchy") if isinstance(data, dict) else None
    return isinstance(raw, list) and bool(raw) and all(isinstance(x, dict) for x in raw)


def parse_levels(raw, errors) -> tuple[LevelSpec, ...]:
    """The declared levels, top-down; a level named twice is a cycle; the last level holds the indicators."""
    levels = []
    for position, row in enumerate(raw):
        key, rows = _text(row.get("level")).lower(), _text(row.get("rows"))
        if not key or not rows:
            errors.add(_("hierarchy[%(n)s]: level dan rows wajib diisi.") % {"n": position})
            continue
        levels.append(LevelSpec(key, _text(row.get("name")) or key, rows))
    keys = [level.key for level in levels]
    repeated = sorted({k for k in keys if keys.count(k) > 1} | {lv.rows for lv in levels if [x.rows for x in levels].count(lv.rows) > 1})
    if repeated:
        errors.add(
            _("hierarchy: “%(chain)s” melingkar: %(levels)s muncul lebih dari sekali.")
            % {"chain": " -> ".join(keys), "levels": ", ".join(repeated)}
        )
        return ()
    if levels and levels[-1].rows != "indicators":
        errors.add(
            _("hierarchy[%(n)s]: tingkat terakhir harus indikator (rows: indicators), bukan “%(rows)s”.")
            % {"n": len(levels) - 1, "rows": levels[-1].rows}
        )
        return ()
    return tuple(levels)


def parent_of(row: dict, above: LevelSpec | None):
    """The row's group one level up: ``parent``, or the key of the level above (``aspect: 3``)."""
    if above is None:
        return None
    return row.get("parent", row.get(above.key))


def parse_groups(data, levels: tuple[LevelSpec, ...], errors) -> dict[str, dict[int, GroupSpec]]:
    """{level key: {number: GroupSpec}} of every level above the indicators, each row checked, naming its place."""
    groups: dict[str, dict[int, GroupSpec]] = {}
    above = None
    for level in levels[:-1]:
        rows = data.get(level.rows)
        found: dict[int, GroupSpec] = {}
        if not isinstance(rows, list) or not rows:
            errors.add(_("Bagian “%(key)s” (%(name)s) tidak ada atau kosong.") % {"key": level.rows, "name": level.name})
        for position, row in enumerate(rows if isinstance(rows, list) else []):
            place = f"{level.rows}[{position}]"
            if not isinstance(row, dict):
                errors.add(_("%(place)s: bukan pemetaan YAML.") % {"place": place})
                continue
            number = _int(row.get("number"))
            if number is None or number in found:
                errors.add(_("%(place)s.number: nomor %(name)s “%(n)s” kosong, bukan bilangan bulat, atau ganda.")
                           % {"place": place, "name": level.name, "n": row.get("number")})
                continue
            parent = None
            if above is not None:
                parent = _int(parent_of(row, above))
                if parent not in groups.get(above.key, {}):
                    errors.add(_("%(place)s.parent: %(above)s %(p)s tidak dikenal.")
                               % {"place": place, "above": above.name, "p": parent_of(row, above)})
                    continue
            weight = _weight(row.get("weight_pct"), f"{place}.weight_pct", errors)
            if weight is not None:
                found[number] = GroupSpec(level.key, number, _text(row.get("name")), weight, parent)
        groups[level.key] = found
        above = level
    return groups


def _weight(raw, place, errors) -> Decimal | None:
    weight = _number(raw)
    if weight is None or weight <= 0 or -weight.as_tuple().exponent > MAX_WEIGHT_DECIMALS:
        errors.add(_("%(place)s: bobot “%(raw)s” harus angka positif dengan paling banyak %(n)s desimal.")
                   % {"place": place, "raw": raw, "n": MAX_WEIGHT_DECIMALS})
        return None
    return weight


def check_group_weights(levels, groups, indicator_weights: dict[int, tuple[int | None, Decimal]], errors):
    """Members of every group sum to its weight; the top level sums to 100. ``indicator_weights``:
    {indicator number: (its group's number, weight)}."""
    for depth, level in enumerate(levels[:-1]):
        below = levels[depth + 1]
        members: dict[int, list] = {}
        if depth + 1 < len(levels) - 1:
            for child in groups[below.key].values():
                members.setdefault(child.parent, []).append((child.number, child.weight))
        else:
            for number, (parent, weight) in indicator_weights.items():
                members.setdefault(parent, []).append((number, weight))
        for group in groups[level.key].values():
            rows = sorted(members.get(group.number, []))
            total = sum((w for _n, w in rows), ZERO)
            if not rows:
                errors.add(_("%(level)s %(n)s (%(name)s) tidak memiliki anggota.")
                           % {"level": level.name, "n": group.number, "name": group.name})
            elif total != group.weight:
                errors.add(
                    _("%(level)s %(n)s (%(name)s): bobot %(below)s %(members)s berjumlah %(total)s, tidak sama dengan "
                      "bobotnya %(w)s.")
                    % {"level": level.name, "n": group.number, "name": group.name, "below": below.name,
                       "members": _numbers(n for n, _w in rows), "total": _fmt(total), "w": _fmt(group.weight)}
                )
    top = levels[0]
    weights = [g.weight for g in groups[top.key].values()] if len(levels) > 1 else [w for _p, w in indicator_weights.values()]
    total = sum(weights, ZERO)
    if weights and total != HUNDRED:
        errors.add(_("Bobot seluruh %(level)s berjumlah %(total)s, seharusnya 100.00.")
                   % {"level": top.name, "total": _fmt(total)})


# --- one tree for every form, and its values ------------------------------------------------------------------


def groups_of(spec) -> tuple[tuple[LevelSpec, ...], dict[str, dict[int, GroupSpec]]]:
    """The spec's levels and groups: as declared, or from its domains and aspects (the older forms)."""
    if spec.levels:
        return spec.levels, spec.groups
    levels, groups = [], {}
    if spec.domains:
        levels.append(LevelSpec("domain", "Domain", "domains"))
        groups["domain"] = {d.number: GroupSpec("domain", d.number, d.name, d.weight, None) for d in spec.domains}
    levels.append(LevelSpec("aspect", "Aspek", "aspects"))
    groups["aspect"] = {a.number: GroupSpec("aspect", a.number, a.name, a.weight, a.domain) for a in spec.aspects}
    levels.append(LevelSpec("indicator", "Indikator", "indicators"))
    return tuple(levels), groups


def group_values(spec, values) -> dict[str, dict[int, Decimal]]:
    """{level key: {group number: value}}: a group's value is Σ(value × weight) of the indicators under it divided
    by its weight (exact, never rounded), the same as weighing its members' values level by level."""
    levels, groups = groups_of(spec)
    sums: dict[str, dict[int, Decimal]] = {level.key: {n: ZERO for n in groups[level.key]} for level in levels[:-1]}
    parents = {level.key: {n: g.parent for n, g in groups[level.key].items()} for level in levels[:-1]}
    for indicator in spec.indicators:
        contribution = Decimal(values[indicator.number]) * indicator.weight
        number = indicator.aspect if len(levels) > 1 else None
        for level in reversed(levels[:-1]):
            sums[level.key][number] += contribution
            number = parents[level.key][number]
    return {key: {n: total / groups[key][n].weight for n, total in by_number.items()} for key, by_number in sums.items()}

"""Predicate bands, level names and the value scale of an instrument file (part of the loader)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .framework_spec import (
    LEVELS,
    MAX_VALUE_PLACES,
    VALUE_MAX,
    VALUE_MIN,
    BandSpec,
    _int,
    _number,
    _places,
    _text,
)


def parse_bands(raw, errors) -> list[BandSpec]:
    rows = raw.get("bands") if isinstance(raw, dict) else raw
    if not isinstance(rows, list) or not rows:
        errors.add(_("Bagian predikat (predikat.bands) tidak ada atau kosong."))
        return []
    bands = []
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.add(_("Predikat ke-%(n)s bukan pemetaan YAML.") % {"n": position})
            continue
        name = _text(row.get("predikat") or row.get("name"))
        if not name:
            errors.add(_("Predikat ke-%(n)s: nama predikat tidak ada.") % {"n": position})
            continue
        lower = _number(row.get("min"))
        if "max" in row and "max_exclusive" in row:
            errors.add(_("Predikat %(name)s: pilih salah satu dari max atau max_exclusive.") % {"name": name})
            continue
        upper_inclusive = "max" in row
        upper = _number(row.get("max") if upper_inclusive else row.get("max_exclusive"))
        if row.get("min") is not None and lower is None:
            errors.add(_("Predikat %(name)s: batas bawah “%(v)s” bukan angka.") % {"name": name, "v": row.get("min")})
            continue
        if lower is not None and upper is not None and (upper < lower or (upper == lower and not upper_inclusive)):
            errors.add(
                _("Predikat %(name)s: batas atas %(u)s lebih kecil dari batas bawah %(l)s.")
                % {"name": name, "u": upper, "l": lower}
            )
            continue
        bands.append(
            BandSpec(
                name, lower, upper, upper_inclusive, _text(row.get("text")), name_id=_text(row.get("name_id")),
                name_en=_text(row.get("name_en")), description=_text(row.get("description")),
            )
        )
    names = [b.name for b in bands]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        errors.add(_("Predikat %(name)s muncul lebih dari sekali.") % {"name": duplicate})
    bands.sort(key=lambda b: (b.lower is not None, b.lower or Decimal(0)))
    check_band_coverage(bands, errors)
    return bands


def band_range(band: BandSpec) -> str:
    lower = "" if band.lower is None else f"{band.lower} – "
    upper = "…" if band.upper is None else (f"{band.upper}" if band.upper_inclusive else f"< {band.upper}")
    return f"{band.name} ({lower}{upper})"


def check_band_coverage(bands: list[BandSpec], errors, low=Decimal("1.0"), high=Decimal("5.0")):
    if not bands:
        return
    first = bands[0]
    if first.lower is not None and first.lower > low:
        errors.add(
            _("Predikat tidak mencakup nilai %(low)s sampai %(l)s: predikat terendah %(band)s mulai dari %(l)s.")
            % {"low": low, "l": first.lower, "band": band_range(first)}
        )
    for previous, current in zip(bands, bands[1:]):
        if previous.upper is None:
            errors.add(
                _("Predikat %(a)s tidak memiliki batas atas tetapi tumpang tindih dengan %(b)s.")
                % {"a": band_range(previous), "b": band_range(current)}
            )
            continue
        if current.lower is None or current.lower < previous.upper or (
            current.lower == previous.upper and previous.upper_inclusive
        ):
            errors.add(
                _("Predikat %(a)s dan %(b)s tumpang tindih.") % {"a": band_range(previous), "b": band_range(current)}
            )
        elif current.lower > previous.upper:
            errors.add(
                _("Ada celah antara predikat %(a)s dan %(b)s: nilai %(from)s sampai %(to)s tidak memiliki predikat.")
                % {"a": band_range(previous), "b": band_range(current), "from": previous.upper, "to": current.lower}
            )
    last = bands[-1]
    if last.upper is not None and (last.upper < high or (last.upper == high and not last.upper_inclusive)):
        errors.add(
            _("Predikat tidak mencakup nilai sampai %(high)s: predikat tertinggi %(band)s berakhir di %(u)s.")
            % {"high": high, "band": band_range(last), "u": last.upper}
        )


def parse_value_scale(raw, errors) -> tuple[bool, int]:
    """``(continuous, value_places)`` from the file's ``level_value`` block.

    ``fractional: true`` makes the instrument continuous; its values have ``value_places`` decimals, or as
    many as the ``scale`` text writes ("1.00 - 5.00": two). Without the block: whole levels.
    """
    if raw is None:
        return False, 0
    if not isinstance(raw, dict):
        errors.add(_("level_value: bagian ini harus berupa pemetaan."))
        return False, 0
    fractional = raw.get("fractional", False)
    if not isinstance(fractional, bool):
        errors.add(_("level_value.fractional: “%(v)s” harus true atau false.") % {"v": fractional})
        return False, 0
    if not fractional:
        return False, 0
    places = _int(raw.get("value_places")) if raw.get("value_places") is not None else None
    if raw.get("value_places") is not None and places is None:
        errors.add(_("level_value.value_places: “%(v)s” harus bilangan bulat.") % {"v": raw.get("value_places")})
        return True, MAX_VALUE_PLACES
    if places is None:
        match = re.search(r"\d+[.,](\d+)", _text(raw.get("scale")))
        places = len(match.group(1)) if match else MAX_VALUE_PLACES
    if not 1 <= places <= MAX_VALUE_PLACES:
        errors.add(
            _("level_value.value_places: nilai indikator dengan %(n)s desimal tidak didukung (1 sampai %(max)s).")
            % {"n": places, "max": MAX_VALUE_PLACES}
        )
        places = MAX_VALUE_PLACES
    return True, places


def parse_level_names(raw, bands: list[BandSpec], continuous: bool, errors) -> tuple[dict, dict]:
    """``({level: (name_id, name_en)}, {level: predicate name})`` from the file's ``level_names`` block.

    A continuous instrument needs it: each level is the value band of the predicate it names, the five
    levels on five different bands in ascending order.
    """
    if raw is None:
        if continuous:
            errors.add(
                _("level_names: instrumen dengan nilai pecahan harus menyebut predikat setiap tingkat 1-5 "
                  "(rentang nilai tingkat diambil dari predikat itu).")
            )
        return {}, {}
    if not isinstance(raw, dict):
        errors.add(_("level_names: bagian ini harus berupa pemetaan tingkat 1-5."))
        return {}, {}
    entries = {_int(k): v for k, v in raw.items() if _int(k) is not None}
    names, predicates = {}, {}
    band_names = [band.name for band in bands]
    for level in LEVELS:
        entry = entries.get(level)
        if not isinstance(entry, dict):
            errors.add(_("level_names.%(level)s: tingkat %(level)s tidak ada.") % {"level": level})
            continue
        names[level] = (_text(entry.get("id")), _text(entry.get("en")))
        predicate = _text(entry.get("predikat"))
        if predicate:
            if predicate not in band_names:
                errors.add(
                    _("level_names.%(level)s: predikat “%(p)s” tidak ada di predikat.bands (tersedia: %(known)s).")
                    % {"level": level, "p": predicate, "known": ", ".join(band_names)}
                )
                continue
            predicates[level] = predicate
        elif continuous:
            errors.add(_("level_names.%(level)s: predikat tingkat ini tidak disebut.") % {"level": level})
    extra = sorted(k for k in entries if k not in LEVELS)
    if extra:
        errors.add(_("level_names: tingkat %(levels)s di luar rentang 1-5.") % {"levels": ", ".join(map(str, extra))})
    if continuous and len(predicates) == len(LEVELS):
        order = [band_names.index(predicates[level]) for level in LEVELS]
        if order != sorted(set(order)):
            errors.add(
                _("level_names: predikat tingkat 1-5 (%(p)s) harus berbeda dan naik sesuai urutan predikat.")
                % {"p": ", ".join(predicates[level] for level in LEVELS)}
            )
            return names, predicates
        by_name = {band.name: band for band in bands}
        first, last = by_name[predicates[1]], by_name[predicates[5]]
        if (first.lower is not None and first.lower > VALUE_MIN) or (last.upper is not None and last.upper < VALUE_MAX):
            errors.add(_("level_names: rentang tingkat 1-5 harus mencakup nilai 1 sampai 5."))
    return names, predicates


def check_whole_examples(examples, errors, path="worked_examples"):
    """A whole-level instrument's worked examples give whole levels (a fraction there is a broken file)."""
    if not isinstance(examples, dict):
        return
    for name, example in examples.items():
        if name == "levels" and isinstance(example, dict):
            for indicator, level in example.items():
                value = _number(level)
                if value is not None and _places(value) > 0:
                    errors.add(
                        _("%(path)s.levels.%(n)s: tingkat %(v)s bukan bilangan bulat, padahal instrumen ini "
                          "memakai tingkat bulat (level_value.fractional tidak true).")
                        % {"path": path, "n": indicator, "v": level}
                    )
        elif isinstance(example, dict):
            check_whole_examples(example, errors, f"{path}.{name}")

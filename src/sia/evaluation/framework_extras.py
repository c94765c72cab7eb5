"""Hierarchy, evidence items, external indicators and terms of an instrument file (part of the loader).

The external conversions come from the file (an indicator's ``external`` mapping, or the research format's
``external_indicators.automatic`` list with its ``inferred_formula``) and from SIA's own reading of the file
in ``data/frameworks.yaml`` (the manifest entry's ``external``), which takes precedence. Either way a linear
conversion must reproduce the file's worked examples (SDI 25 -> 2.00, SDI 68.75 -> 3.75).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .framework_spec import (
    CONVERSIONS,
    LEVELS,
    TERM_KEYS,
    TEXTS_GUIDANCE,
    TEXTS_OFFICIAL,
    TEXTS_STATUSES,
    VALUE_MAX,
    VALUE_MIN,
    EvidenceItemSpec,
    ExternalSpec,
    _int,
    _number,
    _numbers,
    _text,
)

HIERARCHY_LEVELS = {
    "domains": "domains", "domain": "domains",
    "aspects": "aspects", "aspect": "aspects", "aspek": "aspects",
    "indicators": "indicators", "indicator": "indicators", "indikator": "indicators",
}
HIERARCHY_ORDER = ("domains", "aspects", "indicators")


def check_hierarchy(raw, has_domains: bool, errors):
    """The file's ``hierarchy`` ("aspects -> indicators (no domains)"): known levels, top-down, no cycle."""
    if raw is None:
        return
    if isinstance(raw, list):
        names = [_text(n).lower() for n in raw]
    else:
        names = [part.strip().lower() for part in re.split(r"->|>", re.sub(r"\([^)]*\)", "", _text(raw)))]
    unknown = [n for n in names if n not in HIERARCHY_LEVELS]
    if unknown or not names:
        errors.add(
            _("hierarchy: tingkat “%(names)s” tidak dikenal (yang dikenal: domains, aspects, indicators).")
            % {"names": ", ".join(unknown) or "-"}
        )
        return
    levels = [HIERARCHY_LEVELS[n] for n in names]
    chain = " -> ".join(levels)
    repeated = sorted({level for level in levels if levels.count(level) > 1})
    if repeated:
        errors.add(
            _("hierarchy: “%(chain)s” melingkar: %(levels)s muncul lebih dari sekali.")
            % {"chain": chain, "levels": ", ".join(repeated)}
        )
        return
    if levels != sorted(levels, key=HIERARCHY_ORDER.index):
        errors.add(
            _("hierarchy: “%(chain)s” melingkar: aspek merujuk ke domain dan indikator ke aspek, jadi urutannya "
              "harus domains -> aspects -> indicators.") % {"chain": chain}
        )
        return
    if levels[-1] != "indicators" or "aspects" not in levels:
        errors.add(_("hierarchy: “%(chain)s” harus berakhir dengan aspects -> indicators.") % {"chain": chain})
    if ("domains" in levels) != has_domains:
        errors.add(
            _("hierarchy: “%(chain)s” tidak sesuai dengan bagian domains, yang %(state)s.")
            % {"chain": chain, "state": _("berisi domain") if has_domains else _("kosong")}
        )


def check_membership(rows, aspects, indicators, errors):
    """An aspect's own ``indicators`` list (where it is a list) names exactly the indicators pointing to it."""
    for position, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("indicators"), list):
            continue
        number = _int(row.get("number"))
        if number not in aspects:
            continue
        declared = sorted(n for n in (_int(v) for v in row["indicators"]) if n is not None)
        found = sorted(i.number for i in indicators.values() if i.aspect == number)
        if declared != found:
            errors.add(
                _("aspects[%(pos)s].indicators: aspek %(n)s menyebut indikator %(declared)s, tetapi indikator yang "
                  "merujuk ke aspek ini adalah %(found)s.")
                % {"pos": position, "n": number, "declared": _numbers(declared) or "-", "found": _numbers(found) or "-"}
            )


def parse_evidence_items(levels_raw, code: str, path: str, errors) -> tuple[EvidenceItemSpec, ...]:
    """The items ``levels.N.data_dukung`` lists, coded ``<indicator code>-L<level>-<2-digit number>``."""
    if not isinstance(levels_raw, dict):
        return ()
    items = []
    for key, entry in levels_raw.items():
        level = _int(key)
        if level not in LEVELS or not isinstance(entry, dict) or entry.get("data_dukung") is None:
            continue
        rows = entry["data_dukung"]
        where = f"{path}.levels.{level}.data_dukung"
        if not isinstance(rows, list):
            errors.add(
                _("%(where)s: bukti dukung tingkat %(level)s harus berupa daftar (list) butir, bukan %(kind)s.")
                % {"where": where, "level": level, "kind": type(rows).__name__}
            )
            continue
        for number, text in enumerate(rows, start=1):
            if not isinstance(text, str) or not _text(text):
                errors.add(
                    _("%(where)s[%(i)s]: butir bukti dukung harus berupa teks yang tidak kosong.")
                    % {"where": where, "i": number - 1}
                )
                continue
            items.append(EvidenceItemSpec(f"{code}-L{level}-{number:02d}", level, number, _text(text)))
    return tuple(sorted(items, key=lambda item: (item.level, item.number)))


_FORMULA = re.compile(
    r"value\s*=\s*(?P<a>\d+(?:\.\d+)?)\s*\+\s*(?:(?P<x1>[A-Za-z_]\w*)\s*/\s*(?P<d>\d+(?:\.\d+)?)"
    r"|(?P<m>\d+(?:\.\d+)?)\s*\*\s*(?P<x2>[A-Za-z_]\w*))",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d+(?:[.,]\d+)?)\s*-\s*(\d+(?:[.,]\d+)?)")


def _linear_from_formula(text: str) -> tuple[Decimal, Decimal] | None:
    match = _FORMULA.search(text)
    if not match:
        return None
    intercept = Decimal(match["a"])
    slope = Decimal(1) / Decimal(match["d"]) if match["d"] else Decimal(match["m"])
    return intercept, slope


def _research_entries(data) -> dict[int, dict]:
    block = data.get("external_indicators")
    rows = block.get("automatic") if isinstance(block, dict) else None
    if not isinstance(rows, list):
        return {}
    return {_int(r.get("indicator")): r for r in rows if isinstance(r, dict) and _int(r.get("indicator")) is not None}


def parse_external(data, rows_by_number: dict, value_sources: dict, overlay: dict, errors) -> dict[int, ExternalSpec]:
    """An ``ExternalSpec`` for every indicator whose ``value_source`` is external."""
    research = _research_entries(data)
    overlay = overlay if isinstance(overlay, dict) else {}
    declared = {_int(k): v for k, v in overlay.items()}
    for number in sorted(n for n in declared if n not in value_sources):
        errors.add(_("external.%(n)s (frameworks.yaml): indikator %(n)s tidak ada dalam berkas.") % {"n": number})
    result = {}
    for number, source in value_sources.items():
        row = rows_by_number[number]
        structured = declared.get(number) or row.get("external")
        place = f"external.{number} (frameworks.yaml)" if number in declared else f"indicators[{row['_pos']}].external"
        if source != "external":
            if structured is not None:
                errors.add(
                    _("%(place)s: indikator %(n)s dinilai dari bukti dukung (value_source: evidence), bukan dari "
                      "indeks lain.") % {"place": place, "n": number}
                )
            continue
        spec = _external_of(number, structured, research.get(number), row, place, errors)
        if spec is not None:
            result[number] = spec
    return result


def _external_of(number, structured, research, row, place, errors) -> ExternalSpec | None:
    if structured is not None and not isinstance(structured, dict):
        errors.add(_("%(place)s: harus berupa pemetaan.") % {"place": place})
        return None
    structured = structured or {}
    research = research or {}
    source_text = _text(research.get("source_index") or row.get("external_index"))
    name = _text(structured.get("source_index")) or source_text.split(",")[0].split(" -> ")[0].strip()
    if not name:
        errors.add(
            _("%(place)s: indikator %(n)s dinilai dari indeks lain, tetapi nama indeks sumbernya tidak ada.")
            % {"place": place, "n": number}
        )
        return None
    bounds = structured.get("source_range")
    if bounds is None:
        match = _RANGE.search(source_text)
        bounds = [match[1].replace(",", "."), match[2].replace(",", ".")] if match else None
    low = high = None
    if bounds is not None:
        if not isinstance(bounds, list) or len(bounds) != 2 or None in (_number(bounds[0]), _number(bounds[1])):
            errors.add(_("%(place)s.source_range: harus berupa [min, max].") % {"place": place})
            return None
        low, high = _number(bounds[0]), _number(bounds[1])
        if low >= high:
            errors.add(_("%(place)s.source_range: min %(l)s harus lebih kecil dari max %(h)s.") % {"place": place, "l": low, "h": high})
            return None
    conversion = _text(structured.get("conversion")).lower()
    intercept, slope = _number(structured.get("intercept")), _number(structured.get("slope"))
    basis = _text(structured.get("basis"))
    if not conversion:
        formula = _text(research.get("inferred_formula") or research.get("formula"))
        linear = _linear_from_formula(formula) if formula else None
        conversion = "linear" if linear else "unknown"
        if linear:
            intercept, slope = linear
            basis = basis or formula
        else:
            basis = basis or _text(research.get("conversion"))
    if conversion not in CONVERSIONS:
        errors.add(
            _("%(place)s.conversion: “%(c)s” tidak dikenal (linear atau unknown).") % {"place": place, "c": conversion}
        )
        return None
    if conversion == "linear":
        if intercept is None or slope is None or slope <= 0:
            errors.add(_("%(place)s: konversi linear memerlukan intercept dan slope positif.") % {"place": place})
            return None
        if low is not None and not (VALUE_MIN <= intercept + slope * low and intercept + slope * high <= VALUE_MAX):
            errors.add(
                _("%(place)s: konversi %(a)s + %(b)s × indeks memetakan %(l)s-%(h)s ke %(vl)s-%(vh)s, di luar 1-5.")
                % {"place": place, "a": intercept, "b": slope, "l": low, "h": high,
                   "vl": intercept + slope * low, "vh": intercept + slope * high}
            )
            return None
    else:
        intercept = slope = None
    return ExternalSpec(name, low, high, conversion, intercept, slope, basis)


def check_external_examples(data, rows_by_number, externals: dict[int, ExternalSpec], places: int, errors):
    """Every worked conversion example in the file is what the declared linear conversion gives."""
    cases = []
    block = data.get("worked_examples")
    conv = block.get("external_conversion") if isinstance(block, dict) else None
    if isinstance(conv, dict) and isinstance(conv.get("cases"), list):
        for position, case in enumerate(conv["cases"]):
            if isinstance(case, dict):
                cases.append((_int(case.get("indicator")), case, f"worked_examples.external_conversion.cases[{position}]"))
    for number, row in rows_by_number.items():
        if isinstance(row.get("worked_examples"), list):
            for position, case in enumerate(row["worked_examples"]):
                if isinstance(case, dict):
                    cases.append((number, case, f"indicators[{row['_pos']}].worked_examples[{position}]"))
    step = Decimal(1).scaleb(-places)
    for number, case, where in cases:
        spec = externals.get(number)
        if spec is None or not spec.automatic:
            continue
        expected = _number(case.get("expected_value", case.get("value")))
        keys = [k for k in case if k not in ("indicator", "expected_value", "value", "src")]
        source = _number(case.get(keys[0])) if keys else None
        if expected is None or source is None:
            errors.add(_("%(where)s: contoh konversi harus memuat nilai indeks sumber dan nilai hasil.") % {"where": where})
            continue
        got = (spec.intercept + spec.slope * source).quantize(step)
        if got != expected.quantize(step):
            errors.add(
                _("%(where)s: indeks sumber %(s)s seharusnya menjadi %(e)s, tetapi konversi %(a)s + %(b)s × indeks "
                  "memberi %(g)s.") % {"where": where, "s": source, "e": expected, "a": spec.intercept, "b": spec.slope, "g": got}
            )


def parse_terms(overlay, data, errors) -> dict[str, str]:
    """The instrument's names for the index, the coordinator and the internal team."""
    raw = overlay if overlay is not None else data.get("terms")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.add(_("terms: harus berupa pemetaan (index, coordinator, internal_team)."))
        return {}
    terms = {}
    for key, value in raw.items():
        if key not in TERM_KEYS:
            errors.add(_("terms.%(k)s: istilah tidak dikenal (yang dikenal: %(known)s).") % {"k": key, "known": ", ".join(TERM_KEYS)})
        elif not isinstance(value, str) or not _text(value):
            errors.add(_("terms.%(k)s: harus berupa teks yang tidak kosong.") % {"k": key})
        else:
            terms[key] = _text(value)
    return terms


def parse_texts_status(overlay: dict, meta: dict, errors) -> tuple[str, str]:
    """Whether the criteria texts are the legal text ("official") or guidance, and why: ``texts_status`` and
    ``texts_note`` of the file's ``framework`` block (the file knows its texts), else of its manifest entry;
    absent: official."""
    source = meta if meta.get("texts_status") is not None else overlay
    place = "texts_status (frameworks.yaml)" if source is overlay else "framework.texts_status"
    status = _text(source.get("texts_status")) or TEXTS_OFFICIAL
    if status not in TEXTS_STATUSES:
        errors.add(
            _("%(place)s: “%(v)s” tidak dikenal (official atau guidance).") % {"place": place, "v": status}
        )
        status = TEXTS_OFFICIAL
    note = _text(source.get("texts_note"))
    if status == TEXTS_GUIDANCE and not note:
        errors.add(
            _("%(place)s: teks kriteria berstatus panduan perlu texts_note yang menjelaskan sumbernya.") % {"place": place}
        )
    return status, note

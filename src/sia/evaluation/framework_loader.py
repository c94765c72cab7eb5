"""Reads an evaluation instrument (a "framework") from YAML and checks it before anything is stored.

An instrument is data: domains, aspects and indicators with their weights (percent of the index),
the level 1-5 criteria of every indicator, the capability scale names and the predicate bands. A new
instrument is a new file; this module has no knowledge of PermenPANRB 59/2020 beyond the file format.

``load_framework_file(path)`` returns a ``FrameworkSpec`` (plain frozen dataclasses, no ORM) or raises
``FrameworkError`` listing every problem with the indicator/aspect/domain and the numbers involved.
Numbers are read as ``Decimal`` straight from the YAML text, never through binary floats.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .framework_bands import check_whole_examples, parse_bands, parse_level_names, parse_value_scale
from .framework_extras import (
    check_external_examples,
    check_hierarchy,
    check_membership,
    parse_evidence_items,
    parse_external,
    parse_terms,
    parse_texts_status,
)
from .framework_hierarchy import check_group_weights, declares_levels, parse_groups, parse_levels, parent_of
from .framework_spec import (  # re-exported (__all__): the loader is where callers find the spec
    HUNDRED,
    LEVEL_MAX,
    LEVEL_MIN,
    LEVELS,
    MAX_VALUE_PLACES,
    MAX_WEIGHT_DECIMALS,
    VALUE_MAX,
    VALUE_MIN,
    VALUE_SOURCES,
    AspectSpec,
    BandSpec,
    DomainSpec,
    EvidenceItemSpec,
    ExternalSpec,
    FrameworkError,
    FrameworkSpec,
    IndicatorSpec,
    ScaleSpec,
    _Collector,
    _fmt,
    _int,
    _number,
    _numbers,
    _text,
)


# --- YAML with exact decimals -------------------------------------------------------------------

__all__ = [
    "HUNDRED", "LEVELS", "LEVEL_MAX", "LEVEL_MIN", "MAX_VALUE_PLACES", "MAX_WEIGHT_DECIMALS", "VALUE_MAX", "VALUE_MIN",
    "AspectSpec", "BandSpec", "DomainSpec", "EvidenceItemSpec", "ExternalSpec", "FrameworkError", "FrameworkSpec",
    "IndicatorSpec", "ScaleSpec", "load_framework_file", "parse_framework", "read_yaml",
]


class _DecimalLoader(yaml.SafeLoader):
    """A safe loader that reads YAML floats as ``Decimal`` from their text (1.3 stays 1.3)."""


def _construct_decimal(loader, node):
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(None, None, f"not a decimal number: {text!r}", node.start_mark)
    if not value.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"not a finite number: {text!r}", node.start_mark)
    return value


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def read_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_DecimalLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise FrameworkError([_("Berkas kerangka bukan YAML yang sah: %(error)s") % {"error": error}])


def load_framework_file(
    path: str | Path, *, code: str = "", name: str = "", overlay: dict | None = None
) -> FrameworkSpec:
    """Reads and validates a framework file; ``code``/``name`` override the file's ``framework`` key.

    ``overlay`` is the file's entry in ``data/frameworks.yaml`` (SIA's own data about it: ``terms``,
    ``external`` conversions, ``first_year``/``last_year``). Every error names the file.
    """
    import hashlib

    path = Path(path)
    raw = path.read_bytes()
    try:
        spec = parse_framework(read_yaml(raw.decode("utf-8")), code=code, name=name, overlay=overlay)
    except FrameworkError as error:
        raise FrameworkError([f"{path.name}: {message}" for message in error.errors]) from None
    return _with_digest(spec, hashlib.sha256(raw).hexdigest())


def _with_digest(spec: FrameworkSpec, digest: str) -> FrameworkSpec:
    return replace(spec, digest=digest)


# --- validation ---------------------------------------------------------------------------------


def parse_framework(data: Any, *, code: str = "", name: str = "", overlay: dict | None = None) -> FrameworkSpec:
    """Builds a ``FrameworkSpec`` from parsed YAML, or raises ``FrameworkError`` with every problem."""
    if declares_levels(data):
        return _parse_declared_levels(data, code=code, name=name, overlay=overlay)
    errors = _Collector()
    overlay = overlay if isinstance(overlay, dict) else {}
    if not isinstance(data, dict):
        raise FrameworkError([_("Berkas kerangka harus berisi pemetaan (mapping) YAML di tingkat teratas.")])
    meta = data.get("framework") if isinstance(data.get("framework"), dict) else {}
    code = code or _text(meta.get("code"))
    name = name or _text(meta.get("name"))
    if not code:
        errors.add(_("Kode versi kerangka tidak ada (kunci framework.code atau parameter code)."))
    if not name:
        errors.add(_("Nama versi kerangka tidak ada (kunci framework.name atau parameter name)."))
    if not isinstance(data.get("domains"), list):
        errors.add(_("Bagian “%(key)s” tidak ada (tulis domains: [] untuk instrumen tanpa domain).") % {"key": "domains"})
    for key in ("aspects", "indicators"):
        if not isinstance(data.get(key), list) or not data.get(key):
            errors.add(_("Bagian “%(key)s” tidak ada atau kosong.") % {"key": key})
    if errors.errors:
        raise FrameworkError(errors.errors)

    check_hierarchy(data.get("hierarchy"), bool(data["domains"]), errors)
    continuous, places = parse_value_scale(data.get("level_value"), errors)
    domains = _parse_domains(data["domains"], errors)
    aspects = _parse_aspects(data["aspects"], domains, errors)
    indicators, rows = _parse_indicators(data["indicators"], aspects, errors)
    check_membership(data["aspects"], aspects, indicators, errors)
    externals = parse_external(
        data, rows, {n: i.value_source for n, i in indicators.items()}, overlay.get("external"), errors
    )
    check_external_examples(data, rows, externals, places, errors)
    scales = _parse_scales(data.get("capability_scales"), errors)
    bands = parse_bands(data.get("predikat"), errors)
    level_names, level_predicates = parse_level_names(data.get("level_names"), bands, continuous, errors)
    if not continuous:
        check_whole_examples(data.get("worked_examples"), errors)
    terms = parse_terms(overlay.get("terms"), data, errors)
    first_year, last_year = _years(overlay, errors)
    texts_status, texts_note = parse_texts_status(overlay, meta, errors)
    _check_weights(domains, aspects, indicators, data, errors)
    _check_totals(data.get("totals"), domains, aspects, indicators, errors)
    _check_scales_of_indicators(indicators, scales, errors)
    if errors.errors:
        raise FrameworkError(errors.errors)

    examples = data.get("worked_examples")
    return FrameworkSpec(
        code=code,
        name=name,
        description=_text(meta.get("description") or data.get("instrument")),
        domains=tuple(sorted(domains.values(), key=lambda d: d.number)),
        aspects=tuple(sorted(aspects.values(), key=lambda a: a.number)),
        indicators=tuple(
            replace(i, external=externals.get(i.number)) for i in sorted(indicators.values(), key=lambda i: i.number)
        ),
        bands=tuple(bands),
        scales=tuple(scales.values()),
        total_weight=HUNDRED,
        worked_examples=examples if isinstance(examples, dict) else {},
        sources=data.get("sources") if isinstance(data.get("sources"), dict) else {},
        continuous=continuous,
        value_places=places,
        level_names=level_names,
        level_predicates=level_predicates,
        terms=terms,
        first_year=first_year,
        last_year=last_year,
        texts_status=texts_status,
        texts_note=texts_note,
    )


def _parse_declared_levels(data: dict, *, code: str, name: str, overlay: dict | None) -> FrameworkSpec:
    """A file declaring its levels as a list (``framework_hierarchy``): the groups are checked level by level, then
    the indicators and everything else as in the older form, with the lowest level of groups in the aspects' place
    (a file of indicators only: one group holding them all). Levels other than domain > aspect or aspect stay in
    ``levels``/``groups`` only: no domain or aspect is shown where the file has none."""
    errors = _Collector()
    levels = parse_levels(data["hierarchy"], errors)
    if errors.errors:
        raise FrameworkError(errors.errors)
    groups = parse_groups(data, levels, errors)
    leaf = levels[-2] if len(levels) > 1 else None
    rows = data.get("indicators") if isinstance(data.get("indicators"), list) else []
    indicators = []
    for position, row in enumerate(rows):
        if not isinstance(row, dict):
            indicators.append(row)
            continue
        parent = _int(parent_of(row, leaf)) if leaf else 0
        if leaf is not None and parent not in groups.get(leaf.key, {}):
            errors.add(_("indicators[%(n)s].parent: %(level)s %(p)s tidak dikenal.")
                       % {"n": position, "level": leaf.name, "p": parent_of(row, leaf)})
        indicators.append({**row, "aspect": parent})
    if errors.errors:
        raise FrameworkError(errors.errors)
    weights = {}
    for row in indicators:
        if isinstance(row, dict) and _int(row.get("number")) is not None:
            weight = _number(row.get("weight_pct_of_index", row.get("weight_pct")))
            if weight is not None:
                weights[_int(row["number"])] = (row["aspect"] if leaf else None, weight)
    check_group_weights(levels, groups, weights, errors)
    if errors.errors:
        raise FrameworkError(errors.errors)
    stored_as = len(levels) - 1  # 2: domain > aspect, 1: aspect; otherwise the groups only
    def rows_of(key, parent_key=None):
        return [{"number": g.number, "name": g.name or f"{key} {g.number}", "weight_pct": g.weight,
                 **({parent_key: g.parent} if parent_key else {})} for g in groups[key].values()]
    plain = {k: v for k, v in data.items() if k != "hierarchy" and k not in {lv.rows for lv in levels[:-1]}}
    plain["domains"] = rows_of(levels[0].key) if stored_as == 2 else []
    if stored_as in (1, 2):
        plain["aspects"] = rows_of(leaf.key, "domain" if stored_as == 2 else None)
    else:
        plain["aspects"] = (rows_of(leaf.key) if leaf else [{"number": 0, "name": levels[0].name, "weight_pct": HUNDRED}])
    plain["indicators"] = indicators
    spec = parse_framework(plain, code=code, name=name, overlay=overlay)
    if stored_as in (1, 2):
        return replace(spec, levels=levels, groups=groups)
    return replace(spec, domains=(), aspects=(), levels=levels, groups=groups,
                   indicators=tuple(replace(i, domain=None) for i in spec.indicators))


def _years(overlay: dict, errors) -> tuple[int | None, int | None]:
    first, last = overlay.get("first_year"), overlay.get("last_year")
    years = []
    for key, value in (("first_year", first), ("last_year", last)):
        year = _int(value) if value is not None else None
        if value is not None and (year is None or not 1900 <= year <= 2200):
            errors.add(_("%(key)s (frameworks.yaml): “%(v)s” bukan tahun.") % {"key": key, "v": value})
            year = None
        years.append(year)
    if years[0] is not None and years[1] is not None and years[1] < years[0]:
        errors.add(
            _("last_year (frameworks.yaml): tahun terakhir %(last)s sebelum tahun pertama %(first)s.")
            % {"last": years[1], "first": years[0]}
        )
    return years[0], years[1]


def _weight(raw, label: str, errors: _Collector, path: str = "") -> Decimal | None:
    where = f" [{path}]" if path else ""
    weight = _number(raw)
    if weight is None or weight <= 0:
        errors.add(
            _("%(label)s: bobot “%(raw)s” harus berupa angka positif.%(where)s") % {"label": label, "raw": raw, "where": where}
        )
        return None
    if -weight.as_tuple().exponent > MAX_WEIGHT_DECIMALS:
        errors.add(
            _("%(label)s: bobot %(w)s memiliki lebih dari %(n)s desimal.%(where)s")
            % {"label": label, "w": weight, "n": MAX_WEIGHT_DECIMALS, "where": where}
        )
        return None
    return weight


def _parse_domains(rows, errors) -> dict[int, DomainSpec]:
    result: dict[int, DomainSpec] = {}
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.add(_("Domain ke-%(n)s bukan pemetaan YAML.") % {"n": position})
            continue
        number = _int(row.get("number"))
        label = _("Domain %(n)s") % {"n": row.get("number", f"ke-{position}")}
        if number is None:
            errors.add(_("%(label)s: nomor domain harus bilangan bulat.") % {"label": label})
            continue
        if number in result:
            errors.add(_("Domain %(n)s muncul lebih dari sekali.") % {"n": number})
            continue
        name = _text(row.get("name"))
        if not name:
            errors.add(_("Domain %(n)s: nama tidak ada.") % {"n": number})
        weight = _weight(
            row.get("weight_pct"), _("Domain %(n)s (%(name)s)") % {"n": number, "name": name}, errors,
            f"domains[{position - 1}].weight_pct",
        )
        if weight is not None:
            result[number] = DomainSpec(number, name, weight)
    return result


def _parse_aspects(rows, domains, errors) -> dict[int, AspectSpec]:
    result: dict[int, AspectSpec] = {}
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.add(_("Aspek ke-%(n)s bukan pemetaan YAML.") % {"n": position})
            continue
        number = _int(row.get("number"))
        if number is None:
            errors.add(_("Aspek ke-%(n)s: nomor aspek harus bilangan bulat.") % {"n": position})
            continue
        if number in result:
            errors.add(_("Aspek %(n)s muncul lebih dari sekali.") % {"n": number})
            continue
        name = _text(row.get("name"))
        if not name:
            errors.add(_("Aspek %(n)s: nama tidak ada.") % {"n": number})
        domain = _int(row.get("domain"))
        if domains or row.get("domain") is not None:
            if domain not in domains:
                errors.add(
                    _("Aspek %(n)s (%(name)s): domain %(d)s tidak dikenal.") % {"n": number, "name": name, "d": row.get("domain")}
                    + f" [aspects[{position - 1}].domain]"
                )
                continue
        weight = _weight(
            row.get("weight_pct"), _("Aspek %(n)s (%(name)s)") % {"n": number, "name": name}, errors,
            f"aspects[{position - 1}].weight_pct",
        )
        if weight is not None:
            result[number] = AspectSpec(number, name, domain if domains else None, weight)
    return result


def _level_entries(raw) -> dict[int, tuple[str, str]]:
    """level -> (criteria text, one-line summary); a level may be a text or a mapping (criteria, criteria_summary)."""
    if isinstance(raw, list):
        raw = dict(enumerate(raw, start=1))
    if not isinstance(raw, dict):
        return {}
    result = {}
    for key, value in raw.items():
        level = _int(key)
        if level is None:
            continue
        if isinstance(value, dict):
            summary = _text(value.get("criteria_summary"))
            result[level] = (_text(value.get("criteria")) or summary or _text(value.get("module_fragment")), summary)
        else:
            result[level] = (_text(value), "")
    return result


def _parse_indicators(rows, aspects, errors) -> tuple[dict[int, IndicatorSpec], dict[int, dict]]:
    result: dict[int, IndicatorSpec] = {}
    raw_rows: dict[int, dict] = {}
    codes: dict[str, int] = {}
    for position, row in enumerate(rows, start=1):
        path = f"indicators[{position - 1}]"
        if not isinstance(row, dict):
            errors.add(_("Indikator ke-%(n)s bukan pemetaan YAML.") % {"n": position})
            continue
        number = _int(row.get("number"))
        if number is None:
            errors.add(_("Indikator ke-%(n)s: nomor indikator harus bilangan bulat.") % {"n": position})
            continue
        if number in result or number in raw_rows:
            errors.add(_("Indikator %(n)s muncul lebih dari sekali.") % {"n": number})
            continue
        name = _text(row.get("name"))
        label = _("Indikator %(n)s (%(name)s)") % {"n": number, "name": name}
        if not name:
            errors.add(_("Indikator %(n)s: nama tidak ada.") % {"n": number})
        aspect = _int(row.get("aspect"))
        if aspect not in aspects:
            errors.add(
                _("%(label)s: aspek %(a)s tidak dikenal.") % {"label": label, "a": row.get("aspect")} + f" [{path}.aspect]"
            )
            continue
        domain = aspects[aspect].domain
        if row.get("domain") is not None and _int(row.get("domain")) != domain:
            errors.add(
                _("%(label)s: domain %(d)s tidak sesuai dengan aspek %(a)s yang berada di domain %(ad)s.")
                % {"label": label, "d": row.get("domain"), "a": aspect, "ad": domain}
            )
        weight = _weight(row.get("weight_pct_of_index", row.get("weight_pct")), label, errors, f"{path}.weight_pct_of_index")
        code = _text(row.get("code"))
        if code and code in codes:
            errors.add(
                _("%(path)s.code: kode %(code)s sudah dipakai indikator %(other)s.")
                % {"path": path, "code": code, "other": codes[code]}
            )
        codes.setdefault(code, number)
        value_source = (_text(row.get("value_source")).split(" ") or ["evidence"])[0] or "evidence"
        if value_source not in VALUE_SOURCES:
            errors.add(
                _("%(path)s.value_source: “%(v)s” tidak dikenal (evidence atau external).")
                % {"path": path, "v": row.get("value_source")}
            )
        entries = _level_entries(row.get("levels"))
        missing = [level for level in LEVELS if not entries.get(level, ("", ""))[0]]
        if missing:
            errors.add(
                _("%(label)s: teks kriteria tingkat %(levels)s tidak ada; setiap indikator harus memiliki teks tingkat 1 sampai 5.")
                % {"label": label, "levels": _numbers(missing)}
            )
        extra = sorted(k for k in entries if k not in LEVELS)
        if extra:
            errors.add(
                _("%(label)s: tingkat %(levels)s di luar rentang 1-5.") % {"label": label, "levels": _numbers(extra)}
            )
        items = parse_evidence_items(row.get("levels"), code or f"I{number}", path, errors)
        raw_rows[number] = {**row, "_pos": position - 1}
        if weight is None:
            continue  # the error is recorded; an indicator with bad level texts still counts in the weight sums
        guide = row.get("kepmen962_transcript") if isinstance(row.get("kepmen962_transcript"), dict) else {}
        notes = row.get("notes") if isinstance(row.get("notes"), list) else []
        if isinstance(row.get("note"), str):
            notes = [*notes, row["note"]]
        summaries = tuple(entries.get(level, ("", ""))[1] for level in LEVELS)
        result[number] = IndicatorSpec(
            number=number,
            name=name,
            domain=domain,
            aspect=aspect,
            weight=weight,
            levels=tuple(entries.get(level, ("", ""))[0] for level in LEVELS),
            question=_text(row.get("question")),
            scale=_text(row.get("capability_type")).split(" ")[0].strip("()").lower(),
            explanation=_text(guide.get("penjelasan_indikator") or row.get("description")),
            assessment_guidance=_text(guide.get("penjelasan_penilaian")),
            evidence_guidance=_text(guide.get("penjelasan_bukti_dukung")),
            evidence_per_level={
                str(k): v for k, v in _level_texts(guide.get("bukti_dukung_per_level")).items() if k in LEVELS and v
            },
            notes=tuple(_text(n) for n in notes),
            code=code,
            value_source=value_source if value_source in VALUE_SOURCES else "evidence",
            evidence_items=items,
            level_summaries=summaries if any(summaries) else (),
        )
    return result, raw_rows


def _level_texts(raw) -> dict[int, str]:
    if isinstance(raw, dict):
        return {_int(k): _text(v) for k, v in raw.items() if _int(k) is not None}
    if isinstance(raw, list):
        return {i: _text(v) for i, v in enumerate(raw, start=1)}
    return {}


def _parse_scales(raw, errors) -> dict[str, ScaleSpec]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.add(_("Bagian capability_scales harus berupa pemetaan."))
        return {}
    result = {}
    for code, body in raw.items():
        levels = body.get("levels") if isinstance(body, dict) else None
        if not isinstance(levels, dict):
            errors.add(_("Skala kapabilitas %(code)s: daftar tingkat tidak ada.") % {"code": code})
            continue
        names, criteria, missing = [], [], []
        for level in LEVELS:
            entry = levels.get(level, levels.get(str(level)))
            entry_name = _text(entry.get("name")) if isinstance(entry, dict) else ""
            if not entry_name:
                missing.append(level)
            names.append(entry_name)
            criteria.append(_text(entry.get("criteria")) if isinstance(entry, dict) else "")
        if missing:
            errors.add(
                _("Skala kapabilitas %(code)s: nama tingkat %(levels)s tidak ada.")
                % {"code": code, "levels": _numbers(missing)}
            )
            continue
        result[str(code)] = ScaleSpec(str(code), _text(body.get("applies_to")), tuple(names), tuple(criteria))
    return result


def _check_scales_of_indicators(indicators, scales, errors):
    if not scales:
        return
    for indicator in indicators.values():
        if indicator.scale and indicator.scale not in scales:
            errors.add(
                _("Indikator %(n)s (%(name)s): skala kapabilitas “%(scale)s” tidak dikenal (tersedia: %(known)s).")
                % {"n": indicator.number, "name": indicator.name, "scale": indicator.scale, "known": ", ".join(scales)}
            )


def _check_weights(domains, aspects, indicators, data, errors):
    declared = {}
    for row in data["domains"]:
        if isinstance(row, dict) and isinstance(row.get("aspects"), list):
            declared[_int(row.get("number"))] = sorted(_int(a) for a in row["aspects"] if _int(a) is not None)
    for domain in domains.values():
        members = sorted(a.number for a in aspects.values() if a.domain == domain.number)
        if domain.number in declared and declared[domain.number] != members:
            errors.add(
                _("Domain %(n)s (%(name)s) menyebut aspek %(declared)s, tetapi aspek yang merujuk ke domain ini adalah %(found)s.")
                % {"n": domain.number, "name": domain.name, "declared": _numbers(declared[domain.number]) or "-",
                   "found": _numbers(members) or "-"}
            )
        if not members:
            errors.add(_("Domain %(n)s (%(name)s) tidak memiliki aspek.") % {"n": domain.number, "name": domain.name})
            continue
        total = sum((aspects[a].weight for a in members), Decimal(0))
        if total != domain.weight:
            errors.add(
                _("Domain %(n)s (%(name)s): bobot aspek %(members)s berjumlah %(total)s, tidak sama dengan bobot domain %(w)s.")
                % {"n": domain.number, "name": domain.name, "members": _numbers(members), "total": _fmt(total),
                   "w": _fmt(domain.weight)}
            )
    for aspect in aspects.values():
        members = sorted(i.number for i in indicators.values() if i.aspect == aspect.number)
        if not members:
            errors.add(_("Aspek %(n)s (%(name)s) tidak memiliki indikator.") % {"n": aspect.number, "name": aspect.name})
            continue
        total = sum((indicators[i].weight for i in members), Decimal(0))
        if total != aspect.weight:
            errors.add(
                _("Aspek %(n)s (%(name)s): bobot indikator %(members)s berjumlah %(total)s, tidak sama dengan bobot aspek %(w)s.")
                % {"n": aspect.number, "name": aspect.name, "members": _numbers(members), "total": _fmt(total),
                   "w": _fmt(aspect.weight)}
            )
    aspect_total = sum((a.weight for a in aspects.values()), Decimal(0))
    if not domains and aspects and aspect_total != HUNDRED:
        errors.add(
            _("Bobot seluruh aspek berjumlah %(total)s, seharusnya 100.00 (instrumen tanpa domain).")
            % {"total": _fmt(aspect_total)}
        )
    domain_total = sum((d.weight for d in domains.values()), Decimal(0))
    if domains and domain_total != HUNDRED:
        errors.add(_("Bobot seluruh domain berjumlah %(total)s, seharusnya 100.00.") % {"total": _fmt(domain_total)})
    indicator_total = sum((i.weight for i in indicators.values()), Decimal(0))
    if indicators and indicator_total != HUNDRED:
        errors.add(
            _("Bobot seluruh indikator berjumlah %(total)s, seharusnya 100.00.") % {"total": _fmt(indicator_total)}
        )


def _check_totals(totals, domains, aspects, indicators, errors):
    if not isinstance(totals, dict):
        return
    for key, found, label in (
        ("domains", len(domains), _("domain")),
        ("aspects", len(aspects), _("aspek")),
        ("indicators", len(indicators), _("indikator")),
    ):
        expected = _int(totals.get(key))
        if expected is not None and expected != found:
            errors.add(
                _("Berkas menyatakan %(expected)s %(label)s, tetapi memuat %(found)s yang sah.")
                % {"expected": expected, "label": label, "found": found}
            )

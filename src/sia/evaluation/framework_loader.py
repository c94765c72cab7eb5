"""Reads an evaluation instrument (a "framework") from YAML and checks it before anything is stored.

An instrument is data: domains, aspects and indicators with their weights (percent of the index),
the level 1-5 criteria of every indicator, the capability scale names and the predicate bands. A new
instrument is a new file; this module has no knowledge of PermenPANRB 59/2020 beyond the file format.

``load_framework_file(path)`` returns a ``FrameworkSpec`` (plain frozen dataclasses, no ORM) or raises
``FrameworkError`` listing every problem with the indicator/aspect/domain and the numbers involved.
Numbers are read as ``Decimal`` straight from the YAML text, never through binary floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

LEVELS = (1, 2, 3, 4, 5)
LEVEL_MIN, LEVEL_MAX = LEVELS[0], LEVELS[-1]
HUNDRED = Decimal(100)
MAX_WEIGHT_DECIMALS = 4  # what the database keeps (DecimalField decimal_places=4)


class FrameworkError(ValueError):
    """A framework file that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


@dataclass(frozen=True)
class DomainSpec:
    number: int
    name: str
    weight: Decimal


@dataclass(frozen=True)
class AspectSpec:
    number: int
    name: str
    domain: int
    weight: Decimal


@dataclass(frozen=True)
class IndicatorSpec:
    number: int
    name: str
    domain: int
    aspect: int
    weight: Decimal
    levels: tuple[str, ...]  # criteria of level 1..5, in order
    question: str = ""
    scale: str = ""
    explanation: str = ""
    assessment_guidance: str = ""
    evidence_guidance: str = ""
    evidence_per_level: dict = field(default_factory=dict, hash=False, compare=False)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BandSpec:
    """A predicate band: ``lower`` inclusive (None: no lower bound), ``upper`` inclusive or exclusive."""

    name: str
    lower: Decimal | None
    upper: Decimal | None
    upper_inclusive: bool
    text: str = ""

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and value < self.lower:
            return False
        if self.upper is None:
            return True
        return value <= self.upper if self.upper_inclusive else value < self.upper


@dataclass(frozen=True)
class ScaleSpec:
    code: str
    applies_to: str
    names: tuple[str, ...]  # capability name of level 1..5
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    code: str
    name: str
    description: str
    domains: tuple[DomainSpec, ...]
    aspects: tuple[AspectSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    bands: tuple[BandSpec, ...]  # ascending
    scales: tuple[ScaleSpec, ...] = ()
    total_weight: Decimal = HUNDRED
    worked_examples: dict = field(default_factory=dict, hash=False, compare=False)
    sources: dict = field(default_factory=dict, hash=False, compare=False)
    digest: str = ""

    @cached_property
    def indicator_map(self) -> dict[int, IndicatorSpec]:
        return {i.number: i for i in self.indicators}

    @cached_property
    def aspect_map(self) -> dict[int, AspectSpec]:
        return {a.number: a for a in self.aspects}

    @cached_property
    def domain_map(self) -> dict[int, DomainSpec]:
        return {d.number: d for d in self.domains}

    @cached_property
    def scale_map(self) -> dict[str, ScaleSpec]:
        return {s.code: s for s in self.scales}

    def indicator(self, number: int) -> IndicatorSpec:
        return self.indicator_map[number]


# --- YAML with exact decimals -------------------------------------------------------------------


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


def load_framework_file(path: str | Path, *, code: str = "", name: str = "") -> FrameworkSpec:
    """Reads and validates a framework file; ``code``/``name`` override the file's ``framework`` key."""
    import hashlib

    raw = Path(path).read_bytes()
    spec = parse_framework(read_yaml(raw.decode("utf-8")), code=code, name=name)
    return _with_digest(spec, hashlib.sha256(raw).hexdigest())


def _with_digest(spec: FrameworkSpec, digest: str) -> FrameworkSpec:
    from dataclasses import replace

    return replace(spec, digest=digest)


# --- validation ---------------------------------------------------------------------------------


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return None


def _fmt(value: Decimal) -> str:
    """A weight as the regulation prints it: at least two decimals (13.00, 2.75)."""
    return str(value.quantize(Decimal("0.01"))) if value == value.quantize(Decimal("0.01")) else str(value)


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _numbers(items) -> str:
    return ", ".join(str(n) for n in items)


class _Collector:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, message: str):
        self.errors.append(message)


def parse_framework(data: Any, *, code: str = "", name: str = "") -> FrameworkSpec:
    """Builds a ``FrameworkSpec`` from parsed YAML, or raises ``FrameworkError`` with every problem."""
    errors = _Collector()
    if not isinstance(data, dict):
        raise FrameworkError([_("Berkas kerangka harus berisi pemetaan (mapping) YAML di tingkat teratas.")])
    meta = data.get("framework") if isinstance(data.get("framework"), dict) else {}
    code = code or _text(meta.get("code"))
    name = name or _text(meta.get("name"))
    if not code:
        errors.add(_("Kode versi kerangka tidak ada (kunci framework.code atau parameter code)."))
    if not name:
        errors.add(_("Nama versi kerangka tidak ada (kunci framework.name atau parameter name)."))
    for key in ("domains", "aspects", "indicators"):
        if not isinstance(data.get(key), list) or not data.get(key):
            errors.add(_("Bagian “%(key)s” tidak ada atau kosong.") % {"key": key})
    if errors.errors:
        raise FrameworkError(errors.errors)

    domains = _parse_domains(data["domains"], errors)
    aspects = _parse_aspects(data["aspects"], domains, errors)
    indicators = _parse_indicators(data["indicators"], aspects, errors)
    scales = _parse_scales(data.get("capability_scales"), errors)
    bands = _parse_bands(data.get("predikat"), errors)
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
        indicators=tuple(sorted(indicators.values(), key=lambda i: i.number)),
        bands=tuple(bands),
        scales=tuple(scales.values()),
        total_weight=HUNDRED,
        worked_examples=examples if isinstance(examples, dict) else {},
        sources=data.get("sources") if isinstance(data.get("sources"), dict) else {},
    )


def _weight(raw, label: str, errors: _Collector) -> Decimal | None:
    weight = _number(raw)
    if weight is None or weight <= 0:
        errors.add(_("%(label)s: bobot “%(raw)s” harus berupa angka positif.") % {"label": label, "raw": raw})
        return None
    if -weight.as_tuple().exponent > MAX_WEIGHT_DECIMALS:
        errors.add(
            _("%(label)s: bobot %(w)s memiliki lebih dari %(n)s desimal.")
            % {"label": label, "w": weight, "n": MAX_WEIGHT_DECIMALS}
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
        weight = _weight(row.get("weight_pct"), _("Domain %(n)s (%(name)s)") % {"n": number, "name": name}, errors)
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
        if domain not in domains:
            errors.add(
                _("Aspek %(n)s (%(name)s): domain %(d)s tidak dikenal.") % {"n": number, "name": name, "d": row.get("domain")}
            )
            continue
        weight = _weight(row.get("weight_pct"), _("Aspek %(n)s (%(name)s)") % {"n": number, "name": name}, errors)
        if weight is not None:
            result[number] = AspectSpec(number, name, domain, weight)
    return result


def _level_texts(raw) -> dict[int, str]:
    if isinstance(raw, dict):
        return {_int(k): _text(v) for k, v in raw.items() if _int(k) is not None}
    if isinstance(raw, list):
        return {i: _text(v) for i, v in enumerate(raw, start=1)}
    return {}


def _parse_indicators(rows, aspects, errors) -> dict[int, IndicatorSpec]:
    result: dict[int, IndicatorSpec] = {}
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.add(_("Indikator ke-%(n)s bukan pemetaan YAML.") % {"n": position})
            continue
        number = _int(row.get("number"))
        if number is None:
            errors.add(_("Indikator ke-%(n)s: nomor indikator harus bilangan bulat.") % {"n": position})
            continue
        if number in result:
            errors.add(_("Indikator %(n)s muncul lebih dari sekali.") % {"n": number})
            continue
        name = _text(row.get("name"))
        label = _("Indikator %(n)s (%(name)s)") % {"n": number, "name": name}
        if not name:
            errors.add(_("Indikator %(n)s: nama tidak ada.") % {"n": number})
        aspect = _int(row.get("aspect"))
        if aspect not in aspects:
            errors.add(_("%(label)s: aspek %(a)s tidak dikenal.") % {"label": label, "a": row.get("aspect")})
            continue
        domain = aspects[aspect].domain
        if row.get("domain") is not None and _int(row.get("domain")) != domain:
            errors.add(
                _("%(label)s: domain %(d)s tidak sesuai dengan aspek %(a)s yang berada di domain %(ad)s.")
                % {"label": label, "d": row.get("domain"), "a": aspect, "ad": domain}
            )
        weight = _weight(row.get("weight_pct_of_index", row.get("weight_pct")), label, errors)
        texts = _level_texts(row.get("levels"))
        missing = [level for level in LEVELS if not texts.get(level)]
        if missing:
            errors.add(
                _("%(label)s: teks kriteria tingkat %(levels)s tidak ada; setiap indikator harus memiliki teks tingkat 1 sampai 5.")
                % {"label": label, "levels": _numbers(missing)}
            )
        extra = sorted(k for k in texts if k not in LEVELS)
        if extra:
            errors.add(
                _("%(label)s: tingkat %(levels)s di luar rentang 1-5.") % {"label": label, "levels": _numbers(extra)}
            )
        if weight is None:
            continue  # the error is recorded; an indicator with bad level texts still counts in the weight sums
        guide = row.get("kepmen962_transcript") if isinstance(row.get("kepmen962_transcript"), dict) else {}
        notes = row.get("notes") if isinstance(row.get("notes"), list) else []
        result[number] = IndicatorSpec(
            number=number,
            name=name,
            domain=domain,
            aspect=aspect,
            weight=weight,
            levels=tuple(texts.get(level, "") for level in LEVELS),
            question=_text(row.get("question")),
            scale=_text(row.get("capability_type")).split(" ")[0].strip("()").lower(),
            explanation=_text(guide.get("penjelasan_indikator")),
            assessment_guidance=_text(guide.get("penjelasan_penilaian")),
            evidence_guidance=_text(guide.get("penjelasan_bukti_dukung")),
            evidence_per_level={
                str(k): v for k, v in _level_texts(guide.get("bukti_dukung_per_level")).items() if k in LEVELS and v
            },
            notes=tuple(_text(n) for n in notes),
        )
    return result


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


def _parse_bands(raw, errors) -> list[BandSpec]:
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
        bands.append(BandSpec(name, lower, upper, upper_inclusive, _text(row.get("text"))))
    names = [b.name for b in bands]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        errors.add(_("Predikat %(name)s muncul lebih dari sekali.") % {"name": duplicate})
    bands.sort(key=lambda b: (b.lower is not None, b.lower or Decimal(0)))
    _check_band_coverage(bands, errors)
    return bands


def _band_range(band: BandSpec) -> str:
    lower = "" if band.lower is None else f"{band.lower} – "
    upper = "…" if band.upper is None else (f"{band.upper}" if band.upper_inclusive else f"< {band.upper}")
    return f"{band.name} ({lower}{upper})"


def _check_band_coverage(bands: list[BandSpec], errors, low=Decimal("1.0"), high=Decimal("5.0")):
    if not bands:
        return
    first = bands[0]
    if first.lower is not None and first.lower > low:
        errors.add(
            _("Predikat tidak mencakup nilai %(low)s sampai %(l)s: predikat terendah %(band)s mulai dari %(l)s.")
            % {"low": low, "l": first.lower, "band": _band_range(first)}
        )
    for previous, current in zip(bands, bands[1:]):
        if previous.upper is None:
            errors.add(
                _("Predikat %(a)s tidak memiliki batas atas tetapi tumpang tindih dengan %(b)s.")
                % {"a": _band_range(previous), "b": _band_range(current)}
            )
            continue
        if current.lower is None or current.lower < previous.upper or (
            current.lower == previous.upper and previous.upper_inclusive
        ):
            errors.add(
                _("Predikat %(a)s dan %(b)s tumpang tindih.") % {"a": _band_range(previous), "b": _band_range(current)}
            )
        elif current.lower > previous.upper:
            errors.add(
                _("Ada celah antara predikat %(a)s dan %(b)s: nilai %(from)s sampai %(to)s tidak memiliki predikat.")
                % {"a": _band_range(previous), "b": _band_range(current), "from": previous.upper, "to": current.lower}
            )
    last = bands[-1]
    if last.upper is not None and (last.upper < high or (last.upper == high and not last.upper_inclusive)):
        errors.add(
            _("Predikat tidak mencakup nilai sampai %(high)s: predikat tertinggi %(band)s berakhir di %(u)s.")
            % {"high": high, "band": _band_range(last), "u": last.upper}
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

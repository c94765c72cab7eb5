"""The index arithmetic of an instrument, in ``Decimal``: PermenPANRB 59/2020 (Indeks SPBE) and 8/2026 (Indeks Pemdi).

PermenPANRB 8/2026 has no domains and continuous indicator values 1.00-5.00 (two decimals); its index is
Σ(NI × BI) / 100 and an aspect's index Σ(NI × BI) / BA with unequal BI inside an aspect (Lampiran Bagian B),
the same arithmetic as below without the domain level: ``Result.domains`` is empty for it. Values are
checked by ``check_value`` (whole levels for a whole-level instrument, at most ``value_places`` decimals
otherwise); intermediate results are never rounded.

The regulation (Lampiran Bab II.B.3-4, Tabel 10-13; weights are percent of the whole index):

- Indeks aspek   NA = Σ(NI × BI) / BA   NI: indicator level 1..5, BI: indicator weight, BA: aspect weight
- Indeks domain  ND = Σ(NA × BA) / BD   BD: domain weight
- Indeks SPBE    NS = Σ(ND × BD) / 100
- Predikat from the bands of Tabel 13 (Kurang < 1.8 ≤ Cukup < 2.6 ≤ Baik < 3.5 ≤ Sangat Baik < 4.2 ≤ Memuaskan).

``NA × BA`` is exactly ``Σ(NI × BI)``, so ``compute`` carries those exact sums up the tree instead of
multiplying a rounded quotient back: the index is ``Σ(NI × BI) / 100``, exact (weights have at most four
decimals). Aspect and domain values are quotients to 28 significant digits. Nothing is rounded to two
decimals except for display (``display``, ROUND_HALF_UP, as published). The predicate is read from the
unrounded index: 2.5975 is still "Cukup" (the band is 2.6 ≤ NS). So that a page never shows "2,60 Cukup",
an index whose two-decimal display would fall in another band than the index itself is shown with four
decimals ("2,5975"; more only if four are not enough): ``display_places`` / ``display_index``, used by
``Result.index_display`` and so by every page, export, the API and the planner.

``aspect_index``, ``domain_index`` and ``spbe_index`` are the three formulas one by one, for the
regulation's worked examples (Tabel 10-12) and for readers checking the arithmetic.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from django.utils.translation import gettext as _

from .framework_hierarchy import group_values
from .framework_loader import LEVEL_MAX, LEVEL_MIN, VALUE_MAX, VALUE_MIN, BandSpec, FrameworkSpec

CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)
TWO_PLACES = Decimal("0.01")
ZERO = Decimal(0)


class LevelError(ValueError):
    """A level that the instrument does not have, or an indicator that is not in it."""


@dataclass(frozen=True)
class Result:
    """Index, domain and aspect values of one set of levels, unrounded, and the predicate."""

    index: Decimal
    predicate: str
    domains: dict[int, Decimal] = field(hash=False)
    aspects: dict[int, Decimal] = field(hash=False)
    weighted_sum: Decimal = ZERO  # Σ(NI × BI)
    missing: tuple[int, ...] = ()  # indicators without a level (counted as ``fill_missing``)
    display_places: int = 2  # decimals the index is shown with (see ``display_places``)
    groups: dict = field(default_factory=dict, hash=False)  # {level key: {number: value}} of declared levels

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def has_domains(self) -> bool:
        return bool(self.domains)

    @property
    def index_display(self) -> Decimal:
        """The index as shown: two decimals, or four where two would suggest another predicate."""
        return display(self.index, self.display_places)


def display(value: Decimal, places: int = 2) -> Decimal:
    """Two decimals, half up, as the Ministry publishes the index (3.282 → 3.28, 2.495 → 2.50)."""
    step = TWO_PLACES if places == 2 else Decimal(1).scaleb(-places)
    return Decimal(value).quantize(step, rounding=ROUND_HALF_UP)


def decimal_id(value: Decimal, places: int = 2) -> str:
    """A number as written in Indonesian documents: decimal comma (2,49), rounded half up to ``places``."""
    return f"{display(value, places):.{places}f}".replace(".", ",")


MAX_DISPLAY_PLACES = 12


def display_places(value: Decimal, bands, places: int = 2) -> int:
    """The decimals to show an index with so that the shown figure lies in the same predicate band.

    ``places`` (two, as published) unless rounding would carry the value across a band boundary
    (2.5975 → "2.60" next to "Cukup"): then four (2.5975), and two more at a time if still needed.
    """
    value = Decimal(value)
    band = next((b for b in bands if b.contains(value)), None)
    if band is None:
        return places
    while places < MAX_DISPLAY_PLACES and not band.contains(display(value, places)):
        places = max(places + 2, 4)
    return places


def display_index(value: Decimal, bands, places: int = 2) -> Decimal:
    """An index rounded half up for display, never across a predicate boundary (see ``display_places``)."""
    return display(value, display_places(value, bands, places))


def exact_text(value: Decimal) -> str:
    """The unrounded value as plain decimal text without trailing zeros (2.4900 → "2.49", 3 → "3.0")."""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def check_level(level, indicator: int | None = None) -> int:
    """The level as an int if it is one of the instrument's levels (1..5); ``LevelError`` otherwise."""
    if isinstance(level, bool) or not isinstance(level, int) or not LEVEL_MIN <= level <= LEVEL_MAX:
        where = _("Indikator %(n)s: ") % {"n": indicator} if indicator is not None else ""
        raise LevelError(
            where + _("tingkat %(level)s tidak sah; tingkat kematangan harus bilangan bulat %(min)s sampai %(max)s.")
            % {"level": level, "min": LEVEL_MIN, "max": LEVEL_MAX}
        )
    return level


def check_value(value, framework: FrameworkSpec, indicator: int | None = None):
    """An indicator value as the arithmetic takes it, ``LevelError`` (naming the indicator) if the instrument
    does not allow it: a whole-level instrument takes whole levels 1..5 (returned as ``int``); a continuous one
    values 1.00-5.00 with at most ``framework.value_places`` decimals (returned as an exact ``Decimal``).
    """
    if not framework.continuous:
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            value = int(value)
        elif isinstance(value, Decimal):
            where = _("Indikator %(n)s: ") % {"n": indicator} if indicator is not None else ""
            raise LevelError(
                where + _("%(fw)s memakai tingkat bulat 1 sampai 5; nilai pecahan %(v)s tidak sah.")
                % {"fw": framework.name, "v": value}
            )
        return check_level(value, indicator)
    where = _("Indikator %(n)s: ") % {"n": indicator} if indicator is not None else ""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or (
        isinstance(value, Decimal) and not value.is_finite()
    ):
        raise LevelError(where + _("nilai %(v)s bukan angka desimal.") % {"v": value})
    number = Decimal(value)
    if not VALUE_MIN <= number <= VALUE_MAX:
        raise LevelError(where + _("nilai %(v)s di luar rentang 1,00 sampai 5,00.") % {"v": number})
    if number != number.quantize(framework.value_step):
        raise LevelError(
            where + _("nilai %(v)s memiliki lebih dari %(n)s desimal.") % {"v": number, "n": framework.value_places}
        )
    return number


def level_of(value, framework: FrameworkSpec) -> int:
    """The level whose value band holds ``value`` (8/2026: 2.75 -> 3 "Berkembang"; 59/2020: the level itself)."""
    return framework.level_of(check_value(value, framework))


def predicate_for(value: Decimal, bands) -> str:
    for band in bands:
        if band.contains(value):
            return band.name
    raise LevelError(_("Nilai %(v)s berada di luar semua rentang predikat.") % {"v": value})


def band_for(value: Decimal, bands) -> BandSpec:
    for band in bands:
        if band.contains(value):
            return band
    raise LevelError(_("Nilai %(v)s berada di luar semua rentang predikat.") % {"v": value})


def next_band_floor(value: Decimal, bands) -> Decimal | None:
    """The lower bound of the predicate above the one ``value`` falls in (None at the top)."""
    ordered = sorted((b for b in bands if b.lower is not None), key=lambda b: b.lower)
    for band in ordered:
        if band.lower > value:
            return band.lower
    return None


def _values_of(values: Mapping[int, Decimal], framework: FrameworkSpec, fill_missing):
    known = framework.indicator_map
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise LevelError(
            _("Indikator %(numbers)s tidak ada dalam kerangka %(fw)s.")
            % {"numbers": ", ".join(map(str, unknown)), "fw": framework.name}
        )
    result = {number: check_value(value, framework, number) for number, value in values.items()}
    missing = tuple(n for n in known if n not in result)
    if missing:
        if fill_missing is None:
            raise LevelError(
                _("Tingkat indikator %(numbers)s belum diisi.") % {"numbers": ", ".join(map(str, missing))}
            )
        filler = check_value(fill_missing, framework)
        for number in missing:
            result[number] = filler
    return result, missing


def compute(values: Mapping[int, Decimal], framework: FrameworkSpec, *, fill_missing=None) -> Result:
    """Aspect, domain (where the instrument has domains) and index values and the predicate of ``values``.

    ``values``: {indicator number: value}; whole levels 1..5 (ints) for a whole-level instrument, values
    1.00-5.00 (``Decimal``, ints accepted) for a continuous one. Every indicator needs a value unless
    ``fill_missing`` names the value to assume for the missing ones (a provisional result while a stage is
    being filled); ``Result.missing`` lists them. Nothing is rounded.
    """
    complete, missing = _values_of(values, framework, fill_missing)
    with decimal.localcontext(CONTEXT):
        aspect_sums = {a.number: ZERO for a in framework.aspects}
        total = ZERO  # = Σ(NI × BI) = Σ(NA × BA) = Σ(ND × BD), exactly
        for indicator in framework.indicators:
            contribution = complete[indicator.number] * indicator.weight
            total += contribution
            if indicator.aspect in aspect_sums:  # a file whose levels are not domain > aspect has no aspects
                aspect_sums[indicator.aspect] += contribution
        domain_sums = {d.number: ZERO for d in framework.domains}
        for aspect in framework.aspects:
            if aspect.domain is not None:
                domain_sums[aspect.domain] += aspect_sums[aspect.number]  # = NA × BA, exactly
        index = total / framework.total_weight
        groups = group_values(framework, complete) if framework.levels else {}
        aspects = {a.number: aspect_sums[a.number] / a.weight for a in framework.aspects}
        domains = {d.number: domain_sums[d.number] / d.weight for d in framework.domains}
    return Result(
        index=index,
        predicate=predicate_for(index, framework.bands),
        domains=domains,
        aspects=aspects,
        weighted_sum=total,
        missing=missing,
        groups=groups,
        display_places=display_places(index, framework.bands),
    )


def aspect_index(levels: Mapping[int, int], aspect: int, framework: FrameworkSpec) -> Decimal:
    """Tabel 10: NA = Σ(NI × BI) / BA over the aspect's indicators (all of them need a level)."""
    spec = framework.aspect_map[aspect]
    members = [i for i in framework.indicators if i.aspect == aspect]
    with decimal.localcontext(CONTEXT):
        total = ZERO
        for indicator in members:
            if indicator.number not in levels:
                raise LevelError(_("Tingkat indikator %(n)s belum diisi.") % {"n": indicator.number})
            total += check_value(levels[indicator.number], framework, indicator.number) * indicator.weight
        return total / spec.weight


def domain_index(aspect_values: Mapping[int, Decimal], domain: int, framework: FrameworkSpec) -> Decimal:
    """Tabel 11: ND = Σ(NA × BA) / BD over the domain's aspects."""
    spec = framework.domain_map[domain]
    with decimal.localcontext(CONTEXT):
        total = sum(
            (Decimal(aspect_values[a.number]) * a.weight for a in framework.aspects if a.domain == domain), ZERO
        )
        return total / spec.weight


def spbe_index(domain_values: Mapping[int, Decimal], framework: FrameworkSpec) -> Decimal:
    """Tabel 12: NS = Σ(ND × BD) / 100."""
    with decimal.localcontext(CONTEXT):
        total = sum((Decimal(domain_values[d.number]) * d.weight for d in framework.domains), ZERO)
        return total / framework.total_weight


@dataclass(frozen=True)
class Change:
    """The difference between two results (a later stage or year minus an earlier one)."""

    index: Decimal
    domains: dict[int, Decimal] = field(hash=False)
    aspects: dict[int, Decimal] = field(hash=False)
    predicate_before: str = ""
    predicate_after: str = ""


def change(before: Result, after: Result) -> Change:
    return Change(
        index=after.index - before.index,
        domains={k: after.domains[k] - before.domains.get(k, ZERO) for k in after.domains},
        aspects={k: after.aspects[k] - before.aspects.get(k, ZERO) for k in after.aspects},
        predicate_before=before.predicate,
        predicate_after=after.predicate,
    )

"""Effort presets of the planner: what a level step costs, which indicators cannot be raised, the margin.

A preset is small and plain so that it can be saved with an assessment (``preset_to_dict`` gives a JSON-ready
dict, ``preset_from_dict`` reads one back and refuses a bad one with a message naming the place):

- ``scheme`` "uniform": every level step costs 1.
- ``scheme`` "increasing" (each level step harder than the last): the step to level k costs k − 1, so
  1→2 costs 1, 2→3 costs 2, 3→4 costs 3 and 4→5 costs 4; raising an indicator from level 1 to 3 costs 3.
- ``factors``: {indicator: factor} multiplies every step of that indicator (2 = twice as hard; at most two
  decimals, more than 0).
- ``blocked``: indicators that cannot be raised (the user marks them); ``block_external``: also every
  indicator valued from another institution's index (8/2026: SDI, SJIG, EPSS), which the institution's own
  evidence does not raise.
- ``margin``: the safety margin in index points (0 to 1.00, two decimals): the plan reaches target + margin,
  because external assessors often lower self-assessed values (see ``planner``).

Continuous values (PermenPANRB 8/2026): a step to level k covers the value band of level k − 1, from its
floor to the floor of level k. A step that starts inside that band (1.26 → 1.50, the level-2 floor; the
level-1 band is 1.00-1.50) costs the share of the band it covers: (1.50 − 1.26) / (1.50 − 1.00) = 0.48 of the
step's effort. Whole levels always start at a floor, so their steps cost the full effort.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping

from django.utils.translation import gettext as _

MAX_EFFORT_DECIMALS = 2
MAX_MARGIN = Decimal("1.00")
MARGIN_PLACES = 2
UNIFORM, INCREASING = "uniform", "increasing"
SCHEMES = (UNIFORM, INCREASING)
PRESET_KEYS = ("scheme", "factors", "blocked", "block_external", "margin")


class PlanError(ValueError):
    """Input the planner cannot use (an effort that is not a positive number, a target outside 1-5)."""


def _decimals(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def _as_decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        return None
    return number if number.is_finite() else None


def check_effort(value, indicator: int, level: int) -> Decimal | None:
    """An effort as a Decimal (None: the step is not available); ``PlanError`` naming the step otherwise."""
    if value is None:
        return None
    effort = _as_decimal(value)
    if effort is None or effort <= 0:
        raise PlanError(
            _("Upaya indikator %(n)s ke tingkat %(level)s harus angka lebih dari 0 (diisi: %(v)s).")
            % {"n": indicator, "level": level, "v": value}
        )
    if effort == effort.to_integral_value():
        effort = effort.quantize(Decimal(1))
    if _decimals(effort) > MAX_EFFORT_DECIMALS:
        raise PlanError(
            _("Upaya indikator %(n)s ke tingkat %(level)s paling banyak dua desimal (diisi: %(v)s).")
            % {"n": indicator, "level": level, "v": value}
        )
    return effort


def check_factor(value, indicator: int) -> Decimal:
    """An indicator's effort factor: more than 0, at most two decimals; ``PlanError`` naming the indicator."""
    factor = _as_decimal(value)
    if factor is None or factor <= 0 or _decimals(factor.normalize()) > MAX_EFFORT_DECIMALS:
        raise PlanError(
            _("Faktor upaya indikator %(n)s harus angka lebih dari 0 dengan paling banyak dua desimal (diisi: %(v)s).")
            % {"n": indicator, "v": value}
        )
    return factor.quantize(Decimal(1)) if factor == factor.to_integral_value() else factor


def check_margin(value) -> Decimal:
    """A safety margin in index points: 0 to 1.00 with at most two decimals."""
    margin = _as_decimal(0 if value is None else value)
    if margin is None or not 0 <= margin <= MAX_MARGIN or _decimals(margin.normalize()) > MARGIN_PLACES:
        raise PlanError(
            _("Margin keamanan harus angka 0 sampai %(max)s dengan paling banyak dua desimal (diisi: %(v)s).")
            % {"max": MAX_MARGIN, "v": value}
        )
    return margin


@dataclass(frozen=True)
class Preset:
    """How hard each level step is, which indicators stay put, and the safety margin (see the module)."""

    scheme: str = UNIFORM
    factors: Mapping[int, Decimal] = field(default_factory=dict, hash=False)
    blocked: frozenset[int] = frozenset()
    block_external: bool = False
    margin: Decimal = Decimal(0)

    def __post_init__(self):
        """The same checks as ``preset_from_dict`` for a preset built in code (a wrong scheme is not uniform)."""
        if self.scheme not in SCHEMES:
            raise PlanError(
                _("Preset upaya: skema “%(v)s” tidak dikenal (pilihan: %(choices)s).")
                % {"v": self.scheme, "choices": ", ".join(SCHEMES)}
            )
        object.__setattr__(self, "factors", {n: check_factor(f, n) for n, f in self.factors.items()})
        object.__setattr__(self, "blocked", frozenset(self.blocked))
        object.__setattr__(self, "margin", check_margin(self.margin))

    def base_effort(self, level: int) -> Decimal:
        """The effort of the step to ``level`` before the indicator's factor."""
        return Decimal(level - 1) if self.scheme == INCREASING else Decimal(1)

    def blocked_in(self, external: Iterable[int] = ()) -> frozenset[int]:
        return self.blocked | (frozenset(external) if self.block_external else frozenset())

    def effort(self, indicator: int, level: int, blocked: frozenset[int]) -> Decimal | None:
        """The effort of ``indicator``'s step to ``level`` (None if the indicator is blocked)."""
        if indicator in blocked:
            return None
        return self.base_effort(level) * self.factors.get(indicator, Decimal(1))


DEFAULT_PRESET = Preset()


def preset_to_dict(preset: Preset) -> dict[str, Any]:
    """A JSON-ready dict (decimals as text, indicator numbers as text keys) that ``preset_from_dict`` reads."""
    return {
        "scheme": preset.scheme,
        "factors": {str(n): str(f) for n, f in sorted(preset.factors.items())},
        "blocked": sorted(preset.blocked),
        "block_external": preset.block_external,
        "margin": str(preset.margin),
    }


def _indicator_number(raw, known) -> tuple[int | None, str | None]:
    number = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        number = int(raw.strip())
    if number is None:
        return None, _("“%(v)s” bukan nomor indikator.") % {"v": raw}
    if known is not None and number not in known:
        return None, _("Indikator %(n)s tidak ada dalam instrumen.") % {"n": number}
    return number, None


def preset_from_dict(data: Mapping[str, Any] | None, indicators: Iterable[int] | None = None) -> Preset:
    """A ``Preset`` from its dict; ``PlanError`` listing every problem (the key or indicator named).

    ``indicators``: the instrument's indicator numbers, to refuse a factor or a block of an unknown one.
    Missing keys take the defaults (uniform, no factor, nothing blocked, margin 0).
    """
    if data is None:
        return DEFAULT_PRESET
    if not isinstance(data, Mapping):
        raise PlanError(_("Preset upaya harus berupa pemetaan (dict)."))
    known = set(indicators) if indicators is not None else None
    errors = []
    unknown = sorted(str(k) for k in data if k not in PRESET_KEYS)
    if unknown:
        errors.append(
            _("Preset upaya: kunci %(keys)s tidak dikenal (yang dikenal: %(known)s).")
            % {"keys": ", ".join(unknown), "known": ", ".join(PRESET_KEYS)}
        )
    scheme = data.get("scheme", UNIFORM)
    if scheme not in SCHEMES:
        errors.append(
            _("Preset upaya: skema “%(v)s” tidak dikenal (pilihan: %(choices)s).")
            % {"v": scheme, "choices": ", ".join(SCHEMES)}
        )
    factors = {}
    raw_factors = data.get("factors") or {}
    if not isinstance(raw_factors, Mapping):
        errors.append(_("Preset upaya: “factors” harus berupa pemetaan indikator ke faktor upaya."))
        raw_factors = {}
    for raw, value in raw_factors.items():
        number, problem = _indicator_number(raw, known)
        if problem:
            errors.append(_("Preset upaya, faktor: %(problem)s") % {"problem": problem})
            continue
        try:
            factors[number] = check_factor(value, number)
        except PlanError as problem:
            errors.append(str(problem))
    blocked = set()
    raw_blocked = data.get("blocked") or []
    if isinstance(raw_blocked, (str, bytes, Mapping)) or not isinstance(raw_blocked, Iterable):
        errors.append(_("Preset upaya: “blocked” harus berupa daftar nomor indikator."))
        raw_blocked = []
    for raw in raw_blocked:
        number, problem = _indicator_number(raw, known)
        if problem:
            errors.append(_("Preset upaya, indikator yang dikunci: %(problem)s") % {"problem": problem})
        else:
            blocked.add(number)
    block_external = data.get("block_external", False)
    if not isinstance(block_external, bool):
        errors.append(_("Preset upaya: “block_external” harus true atau false (diisi: %(v)s).") % {"v": block_external})
    margin = Decimal(0)
    try:
        margin = check_margin(data.get("margin", 0))
    except PlanError as problem:
        errors.append(str(problem))
    if errors:
        raise PlanError("\n".join(errors))
    return Preset(
        scheme=scheme, factors=factors, blocked=frozenset(blocked), block_external=block_external, margin=margin
    )

"""The cheapest set of indicator targets that lifts the index to a goal, found exactly, for both instruments.

Problem. Indicator i stands at value v_i with weight w_i (percent of the index). Its candidate targets are
staying put and the floors of the higher level bands: whole levels L+1 … 5 under PermenPANRB 59/2020; under
8/2026 (continuous values 1.00-5.00) the lower bounds of the higher levels' value bands, 1.50, 2.50, 3.50 and
4.00 (a value reaches level k at the band's lower bound). Reaching target t costs the efforts of the level
steps on the way; the index rises by (t − v_i)·w_i/100. Choose one target per indicator so that the index
reaches the goal and the total effort is least: a multiple-choice knapsack. The top floor (8/2026: 4.00,
"Unggul") is the highest target, so a goal above it is reachable only from values already above it.

Efforts (``planner_presets``). The step to level k costs e_i(k): from the ``efforts`` mapping
{(indicator, k): effort} where given (None: that step and the ones above are left out), else from the preset
(uniform: 1; increasing: k − 1; times the indicator's factor). A blocked indicator stays put whatever efforts
are given. A continuous value
inside a band pays the share of the band it covers: 1.26 → 1.50 covers 0.24 of the level-1 band 1.00-1.50,
so it costs 0.48·e_i(2); 1.50 → 2.50 costs e_i(3) in full. Whole levels always start at a floor.

Safety margin. External assessors often lower self-assessed values, so a plan can be asked to reach
target + margin (goal 2.50 with margin 0.25: the plan reaches at least 2.75). An assessor reads it as "if the
external evaluation takes up to 0.25 index points off our self-assessment, we still reach 2.50". (Lowering
every current value instead would move values across band floors and be harder to explain; a lowered
index of the same plan is exactly the index minus the margin, so raising the goal is the plain reading.)

Exactness. Values have at most two decimals and weights at most four, so every gain is an integer number
of units of 10^-(places of values + places of weights) of the weighted sum; efforts and band shares are
fractions, scaled to integers by the least common denominator. ``planner_solver.solve`` then finds the
optimum over whichever formulation has the fewest states (least cost per gain, most cost saved per gain
given up, most gain per cost) or, when an array would pass ``ARRAY_CELLS_LIMIT`` cells, over the list of
undominated (cost, gain) pairs. No combination is skipped heuristically: tests compare with brute force.
Measured on the 20 indicators of 8/2026, any number of steps per indicator, both effort schemes: from 1.00
everywhere to the goal 4.00, 0.02 s (every indicator to 4.00: the "slack" array has one state); from random
values 1.00-1.60 to goals 2.00 … 4.00, at most 0.4 s (goal 2.50: the "gain" array, 11,849 states; never more
than (4.00 − 1.00) × 100 × 100 + 1 = 30,001 states); the "pareto" formulation at most 0.3 s on the same cases.

Steps per indicator. ``max_step`` caps the level floors one indicator may pass in a plan (a first partial
step to the next floor counts as one). A jump of two levels in one evaluation period is rarely realistic,
so ``plan_for`` allows one level per indicator unless the caller asks for more (``DEFAULT_MAX_STEP``).
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Iterable, Mapping, NamedTuple

from django.utils.translation import gettext as _

from .framework_loader import LEVEL_MAX, LEVEL_MIN, FrameworkSpec
from .planner_presets import (  # noqa: F401 - re-exported, the planner's public names
    DEFAULT_PRESET,
    INCREASING,
    MAX_EFFORT_DECIMALS,
    PlanError,
    Preset,
    check_effort,
    check_margin,
    preset_from_dict,
    preset_to_dict,
)
from .planner_solver import solve  # noqa: F401 - re-exported
from .scoring import LevelError, check_value, compute, next_band_floor

HUNDRED = Decimal(100)
DEFAULT_EFFORT = Decimal(1)
DEFAULT_MAX_STEP = 1  # levels one indicator may rise in a default plan
WHOLE_FLOORS = {level: Decimal(level) for level in range(LEVEL_MIN, LEVEL_MAX + 1)}
CONTEXT = decimal.Context(prec=28)


@dataclass(frozen=True)
class Step:
    indicator: int
    from_level: int
    to_level: int
    effort: Decimal
    gain: Decimal  # index points
    index_after: Decimal
    from_value: Decimal | None = None  # the indicator's value before and after (whole levels: the levels)
    to_value: Decimal | None = None


@dataclass(frozen=True)
class SingleStep:
    indicator: int
    from_level: int
    to_level: int
    effort: Decimal
    gain: Decimal
    gain_per_effort: Decimal
    from_value: Decimal | None = None
    to_value: Decimal | None = None


@dataclass(frozen=True)
class Plan:
    current_index: Decimal
    target: Decimal
    reachable: bool
    steps: tuple[Step, ...]
    total_effort: Decimal
    final_index: Decimal
    max_index: Decimal
    levels_after: dict = field(hash=False)
    best_single_steps: tuple[SingleStep, ...] = ()
    method: str = ""
    states: int = 0
    max_step: int | None = None
    margin: Decimal = Decimal(0)  # index points above the target that the plan must reach
    continuous: bool = False
    values_after: dict = field(default_factory=dict, hash=False)
    scheme: str = ""  # the preset's effort scheme ("" when only explicit efforts were given)
    blocked: tuple[int, ...] = ()  # indicators the preset keeps where they are

    @property
    def goal(self) -> Decimal:
        """What the plan must reach: the target plus the safety margin."""
        return self.target + self.margin

    @property
    def already_reached(self) -> bool:
        return self.reachable and not self.steps

    @property
    def message(self) -> str:
        return self.describe()

    def describe(self, index=None, effort=None) -> str:
        """The outcome in one sentence.

        ``index(value)`` formats the index figures and ``effort(value)`` the effort, so that a page can write them
        as it writes them elsewhere (localized); by default plain text, the target with two decimals and the
        other index figures with four.
        """
        figure = index or (lambda value: _num(value, 4))
        goal = index or (lambda value: _num(value, 2))
        effort = effort or (lambda value: _num(value, 2))
        if self.margin:
            aim = _("%(target)s ditambah margin keamanan %(margin)s, yaitu %(goal)s") % {
                "target": goal(self.target), "margin": goal(self.margin), "goal": goal(self.goal)
            }
        else:
            aim = goal(self.target)
        if not self.reachable:
            text = _(
                "Target %(target)s tidak dapat dicapai: indeks tertinggi yang dapat dicapai dengan langkah yang "
                "tersedia adalah %(max)s."
            ) % {"target": aim, "max": figure(self.max_index)}
            if self.max_step is not None and self.max_step < LEVEL_MAX - LEVEL_MIN:
                text += " " + _("Setiap indikator dinaikkan paling banyak %(n)s tingkat.") % {"n": self.max_step}
            return text
        if not self.steps:
            return _("Indeks %(index)s sudah mencapai target %(target)s.") % {
                "index": figure(self.current_index), "target": aim
            }
        return _(
            "%(n)s kenaikan tingkat dengan upaya total %(effort)s membawa indeks dari %(from)s ke %(to)s "
            "(target %(target)s)."
        ) % {
            "n": len(self.steps), "effort": effort(self.total_effort), "from": figure(self.current_index),
            "to": figure(self.final_index), "target": aim,
        }

    def explanation(self, index=None) -> tuple[str, ...]:
        """How the plan was made, sentence by sentence: margin, effort scheme, partial steps, blocked indicators."""
        goal = index or (lambda value: _num(value, 2))
        notes = []
        if self.margin:
            notes.append(
                _(
                    "Margin keamanan %(margin)s: rencana disusun agar indeks mencapai %(goal)s, bukan hanya target "
                    "%(target)s, karena asesor eksternal sering menurunkan nilai mandiri. Bila penilaian eksternal "
                    "menurunkan indeks hingga %(margin)s poin, target %(target)s tetap tercapai."
                ) % {"margin": goal(self.margin), "goal": goal(self.goal), "target": goal(self.target)}
            )
        if self.scheme == INCREASING:
            notes.append(
                _(
                    "Setiap kenaikan tingkat lebih berat dari sebelumnya: langkah ke tingkat k berupaya k − 1 "
                    "(ke tingkat 2: 1, ke tingkat 3: 2, ke tingkat 4: 3, ke tingkat 5: 4), dikali faktor indikator."
                )
            )
        elif self.scheme:
            notes.append(_("Setiap kenaikan tingkat berupaya 1, dikali faktor indikator bila ada."))
        if self.continuous:
            notes.append(
                _(
                    "Nilai indikator dinaikkan ke batas bawah rentang tingkat yang lebih tinggi. Langkah yang mulai "
                    "di tengah rentang berupaya sebanding dengan bagian rentang yang ditempuh: 1,26 → 1,50 menempuh "
                    "0,24 dari rentang 1,00-1,50 (0,50), jadi 0,48 kali upaya langkah ke tingkat 2."
                )
            )
        if self.blocked:
            notes.append(
                _("Indikator yang tidak dinaikkan: %(numbers)s.") % {"numbers": ", ".join(map(str, self.blocked))}
            )
        return tuple(notes)


class _Move(NamedTuple):
    """One level step of an indicator: to ``level`` at ``value``, full effort and the cost after the band share."""

    level: int
    value: Decimal
    full_effort: Decimal
    cost: Fraction
    effort: Decimal  # ``cost`` as a Decimal (exact for the instruments' bands)


def _num(value: Decimal, places: int = 2) -> str:
    return f"{value:.{places}f}"


def _decimals(value: Decimal) -> int:
    return max(0, -Decimal(value).normalize().as_tuple().exponent)


def _level_of(value: Decimal, floors: Mapping[int, Decimal]) -> int:
    return max((level for level, floor in floors.items() if floor <= value), default=min(floors))


def _chain(number, value, floors, efforts, preset, blocked, max_step) -> list[_Move]:
    """The level steps ``number`` can take from ``value``, each with its cost (the band share for a partial one)."""
    if number in blocked:
        return []
    moves, start = [], value
    ordered = sorted(floors)
    for level in ordered:
        if floors[level] <= value:
            continue
        raw = efforts[(number, level)] if (number, level) in efforts else preset.effort(number, level, blocked)
        full = check_effort(raw, number, level)
        if full is None:
            break
        floor, below = floors[level], floors[ordered[ordered.index(level) - 1]]
        if start == below:
            cost, effort = Fraction(full), full
        else:
            cost = Fraction(full) * Fraction(floor - start) / Fraction(floor - below)
            with decimal.localcontext(CONTEXT):
                effort = full * (floor - start) / (floor - below)
        moves.append(_Move(level, floor, full, cost, effort))
        start = floor
    # the cap applies before solving (the efforts above it are still checked: a typo is an error)
    return moves if max_step is None else moves[:max_step]


def _solve_plan(values, weights, target, chains, *, total_weight, best_count, max_step, margin, floors,
                continuous, scheme, blocked) -> Plan:
    numbers = sorted(values)
    target = Decimal(target)
    if not target.is_finite() or target < LEVEL_MIN:
        raise PlanError(_("Target indeks harus antara %(min)s dan %(max)s.") % {"min": LEVEL_MIN, "max": LEVEL_MAX})
    margin = check_margin(margin)
    goal = target + margin
    weights = {n: Decimal(weights[n]) for n in numbers}
    value_places = max(_decimals(v) for v in list(values.values()) + list(floors.values()))
    scale = 10 ** (value_places + max(_decimals(w) for w in weights.values()))

    weighted = sum((values[n] * weights[n] for n in numbers), Decimal(0))
    current = weighted / total_weight
    candidates = [n for n in numbers if chains[n] and weights[n] > 0]
    denominator = math.lcm(*(move.cost.denominator for n in candidates for move in chains[n])) if candidates else 1
    groups = []
    for number in candidates:
        costs, gains, running = [0], [0], Fraction(0)
        for move in chains[number]:
            running += move.cost
            costs.append(int(running * denominator))
            gains.append(int((move.value - values[number]) * weights[number] * scale))
        groups.append((costs, gains))
    max_weighted = weighted + sum(((chains[n][-1].value - values[n]) * weights[n] for n in candidates), Decimal(0))
    need = int(((goal * total_weight - weighted) * scale).to_integral_value(rounding=ROUND_CEILING))
    best = _best_single_steps(values, weights, chains, total_weight, best_count, floors)
    common = dict(
        current_index=current, target=target, max_index=max_weighted / total_weight, best_single_steps=best,
        max_step=max_step, margin=margin, continuous=continuous, scheme=scheme, blocked=tuple(sorted(blocked)),
    )
    levels_now = {n: _level_of(values[n], floors) for n in numbers}
    solution = solve(groups, need)
    if solution is None:
        return Plan(
            reachable=False, steps=(), total_effort=Decimal(0), final_index=current, levels_after=levels_now,
            values_after=dict(values), **common,
        )
    choice, _cost, method, states = solution
    raised = {number: k for number, k in zip(candidates, choice) if k}
    steps = _ordered_steps(values, weights, chains, raised, weighted, total_weight, floors)
    values_after, levels_after = dict(values), dict(levels_now)
    for number, k in raised.items():
        values_after[number] = chains[number][k - 1].value
        levels_after[number] = chains[number][k - 1].level
    return Plan(
        reachable=True,
        steps=steps,
        total_effort=sum((s.effort for s in steps), Decimal(0)),
        final_index=steps[-1].index_after if steps else current,
        levels_after=levels_after,
        values_after=values_after,
        method=method,
        states=states,
        **common,
    )


def _ordered_steps(values, weights, chains, raised, weighted, total_weight, floors) -> tuple[Step, ...]:
    """The chosen increases as single steps, best gain per effort first, each indicator's steps in order."""
    position = {number: 0 for number in raised}
    steps = []
    running = weighted
    while True:
        heads = []
        for n in raised:
            k = position[n]
            if k < raised[n]:
                start = values[n] if k == 0 else chains[n][k - 1].value
                move = chains[n][k]
                heads.append((Fraction((move.value - start) * weights[n]) / move.cost, -n, n))
        if not heads:
            break
        _ratio, _neg, number = max(heads)
        k = position[number]
        move = chains[number][k]
        start = values[number] if k == 0 else chains[number][k - 1].value
        running += (move.value - start) * weights[number]
        steps.append(
            Step(
                indicator=number, from_level=_level_of(start, floors), to_level=move.level, effort=move.effort,
                gain=(move.value - start) * weights[number] / total_weight, index_after=running / total_weight,
                from_value=start, to_value=move.value,
            )
        )
        position[number] = k + 1
    return tuple(steps)


def _best_single_steps(values, weights, chains, total_weight, count, floors) -> tuple[SingleStep, ...]:
    singles = []
    for number, chain in chains.items():
        if not chain:
            continue
        move = chain[0]
        gain = (move.value - values[number]) * weights[number] / total_weight
        singles.append(
            SingleStep(
                indicator=number, from_level=_level_of(values[number], floors), to_level=move.level,
                effort=move.effort, gain=gain, gain_per_effort=gain / move.effort,
                from_value=values[number], to_value=move.value,
            )
        )
    singles.sort(key=lambda s: (-s.gain_per_effort, s.indicator))
    return tuple(singles[:count])


# --- the two entry points by value kind, and the one by instrument -------------------------------


def plan(
    levels: Mapping[int, int],
    weights: Mapping[int, Decimal],
    target: Decimal,
    efforts: Mapping[tuple[int, int], Decimal | None] | None = None,
    *,
    total_weight: Decimal = HUNDRED,
    best_count: int = 10,
    max_step: int | None = None,
    preset: Preset | None = None,
    margin: Decimal | None = None,
    external: Iterable[int] = (),
) -> Plan:
    """The least-effort level increases that bring the index to at least ``target`` (+ margin), whole levels.

    ``levels``: {indicator: 1..5}; ``weights``: {indicator: weight}; ``efforts``: {(indicator, to_level):
    effort of the step to that level}, default from ``preset`` (1 each); an effort of ``None`` makes that step
    (and the ones above it) unavailable. ``max_step``: at most that many levels up per indicator (None: up to
    level 5). ``margin`` (default: the preset's): the plan reaches target + margin. ``external``: the
    indicators valued from other indices (blocked when the preset says ``block_external``).
    """
    values = {n: Decimal(level) for n, level in levels.items()}
    return plan_values(
        values, weights, target, efforts, floors=WHOLE_FLOORS, total_weight=total_weight, best_count=best_count,
        max_step=max_step, preset=preset, margin=margin, external=external, continuous=False,
    )


def plan_values(
    values: Mapping[int, Decimal],
    weights: Mapping[int, Decimal],
    target: Decimal,
    efforts: Mapping[tuple[int, int], Decimal | None] | None = None,
    *,
    floors: Mapping[int, Decimal],
    total_weight: Decimal = HUNDRED,
    best_count: int = 10,
    max_step: int | None = None,
    preset: Preset | None = None,
    margin: Decimal | None = None,
    external: Iterable[int] = (),
    continuous: bool = True,
) -> Plan:
    """``plan`` on values: the candidate targets of an indicator are the ``floors`` {level: lower bound} above it."""
    efforts = efforts or {}
    chosen = preset or DEFAULT_PRESET
    blocked = chosen.blocked_in(external)
    unknown = sorted(n for n in blocked if n not in values)
    if unknown:
        raise PlanError(_("Indikator %(numbers)s tidak ada dalam penilaian.") % {"numbers": ", ".join(map(str, unknown))})
    floors = {level: Decimal(floor) for level, floor in floors.items()}
    values = {n: Decimal(v) for n, v in values.items()}
    chains = {n: _chain(n, values[n], floors, efforts, chosen, blocked, max_step) for n in sorted(values)}
    return _solve_plan(
        values, weights, target, chains, total_weight=total_weight, best_count=best_count, max_step=max_step,
        margin=chosen.margin if margin is None else margin, floors=floors, continuous=continuous,
        scheme=chosen.scheme if preset is not None else "", blocked=blocked & set(values),
    )


def _checked(levels: Mapping[int, object], framework: FrameworkSpec) -> tuple[dict[int, Decimal], Decimal]:
    """Every indicator's level or value as scoring checks it, and the current index; ``PlanError`` naming the
    indicator for a value the instrument does not allow (the one validation path is ``scoring.check_value``)."""
    try:
        current = compute(levels, framework).index
        values = {n: check_value(v, framework, n) for n, v in levels.items()}
    except LevelError as error:
        raise PlanError(str(error)) from error
    return values, current


def default_target(levels: Mapping[int, int], framework: FrameworkSpec) -> Decimal:
    """The lower bound of the next predicate; the current index when it is already the top one."""
    _values, current = _checked(levels, framework)
    floor = next_band_floor(current, framework.bands)
    return floor if floor is not None else current


def plan_for(
    levels: Mapping[int, object],
    framework: FrameworkSpec,
    target: Decimal | None = None,
    efforts: Mapping[tuple[int, int], Decimal | None] | None = None,
    *,
    best_count: int = 10,
    max_step: int | None = DEFAULT_MAX_STEP,
    preset: Preset | Mapping | None = None,
    margin: Decimal | None = None,
) -> Plan:
    """``plan`` (whole levels) or ``plan_values`` (continuous values) with the instrument's weights and bands.

    ``levels``: {indicator: level} or, for a continuous instrument, {indicator: value}. The default target is
    the next predicate's lower bound. By default an indicator rises one level at most (``DEFAULT_MAX_STEP``);
    ``max_step=2`` allows jumps of two levels, ``None`` any. ``preset``: a ``Preset`` or its saved dict (checked
    against the instrument's indicators); ``margin`` overrides the preset's (see ``planner_presets``).
    """
    if preset is not None and not isinstance(preset, Preset):
        preset = preset_from_dict(preset, framework.indicator_map)
    values, current = _checked(levels, framework)
    floor = next_band_floor(current, framework.bands)
    current_target = (floor if floor is not None else current) if target is None else target
    weights = {i.number: i.weight for i in framework.indicators}
    external = [i.number for i in framework.indicators if getattr(i, "value_source", "evidence") == "external"]
    options = dict(
        total_weight=framework.total_weight, best_count=best_count, max_step=max_step, preset=preset, margin=margin,
        external=external,
    )
    if getattr(framework, "continuous", False):
        floors = {level: lower for level, (lower, _upper) in framework.level_bands.items()}
        return plan_values(values, weights, current_target, efforts, floors=floors, **options)
    return plan(values, weights, current_target, efforts, **options)

"""The cheapest set of level increases that lifts the SPBE index to a target, found exactly.

Problem. Indicator i stands at level L_i with weight w_i (percent of the index). Raising it by k levels
(L_i + k ≤ 5) costs e_i(L_i+1) + … + e_i(L_i+k), the efforts of the single steps (default 1 each), and
raises the index by k·w_i/100. Choose k_i for every indicator so that the index reaches the target and
the total effort is minimal. This is a multiple-choice knapsack: one option per indicator.

Exactness. The index is Σ(L_i·w_i)/100 and the weights have at most four decimals, so every gain is an
integer number of units of 10^-d of the weighted sum (d = 2 for PermenPANRB 59/2020: one unit is
0.0001 of the index). Efforts are Decimals with at most two decimals and are scaled to integers.
Both axes are divided by their greatest common divisor. ``solve`` then runs a dynamic programme over
whichever axis has fewer states:

- over gain: ``best[g]`` = least cost that gains at least ``g`` units (``g`` capped at the requirement);
- over cost: ``best[c]`` = most gain with cost at most ``c``; ``c`` is bounded by the cost of a feasible
  plan found greedily, so the array stays small. Among plans of least cost it keeps the largest gain.

Every layer is kept, so the choice per indicator is traced back without storing decisions. No step is
skipped heuristically: the result is optimal (tests compare it with brute force).

Steps per indicator. ``max_step`` caps the levels one indicator may rise in a plan (k_i ≤ max_step): the
options of each group above the cap are left out before solving, so the answer is still the exact optimum of
the constrained problem. A jump of two levels in one indicator in one evaluation period is rarely realistic,
so ``plan_for`` allows one level per indicator unless the caller asks for two (``DEFAULT_MAX_STEP``).
"""

from __future__ import annotations

import math
from itertools import islice, repeat
from operator import add
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Mapping

from django.utils.translation import gettext as _

from .framework_loader import LEVEL_MAX, LEVEL_MIN, FrameworkSpec
from .scoring import compute, next_band_floor

HUNDRED = Decimal(100)
DEFAULT_EFFORT = Decimal(1)
MAX_EFFORT_DECIMALS = 2
DEFAULT_MAX_STEP = 1  # levels one indicator may rise in a default plan


class PlanError(ValueError):
    """Input the planner cannot use (an effort that is not a positive number, a target outside 1-5)."""


@dataclass(frozen=True)
class Step:
    indicator: int
    from_level: int
    to_level: int
    effort: Decimal
    gain: Decimal  # index points
    index_after: Decimal


@dataclass(frozen=True)
class SingleStep:
    indicator: int
    from_level: int
    to_level: int
    effort: Decimal
    gain: Decimal
    gain_per_effort: Decimal


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
        if not self.reachable:
            text = _(
                "Target %(target)s tidak dapat dicapai: indeks tertinggi yang dapat dicapai dengan langkah yang "
                "tersedia adalah %(max)s."
            ) % {"target": goal(self.target), "max": figure(self.max_index)}
            if self.max_step is not None and self.max_step < LEVEL_MAX - LEVEL_MIN:
                text += " " + _("Setiap indikator dinaikkan paling banyak %(n)s tingkat.") % {"n": self.max_step}
            return text
        if not self.steps:
            return _("Indeks %(index)s sudah mencapai target %(target)s.") % {
                "index": figure(self.current_index), "target": goal(self.target)
            }
        return _(
            "%(n)s kenaikan tingkat dengan upaya total %(effort)s membawa indeks dari %(from)s ke %(to)s "
            "(target %(target)s)."
        ) % {
            "n": len(self.steps), "effort": effort(self.total_effort), "from": figure(self.current_index),
            "to": figure(self.final_index), "target": goal(self.target),
        }


def _num(value: Decimal, places: int = 2) -> str:
    return f"{value:.{places}f}"


def _decimals(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def _effort(value, indicator: int, level: int) -> Decimal | None:
    if value is None:
        return None  # the step is not available
    try:
        effort = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except ArithmeticError:
        effort = None
    if effort is None or not effort.is_finite() or effort <= 0:
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


# --- the exact solver on integers --------------------------------------------------------------


def _greedy_cost(groups, need: int) -> int | None:
    """The cost of a feasible plan: repeatedly take the chain head with the best gain per cost."""
    position = [0] * len(groups)
    gained = cost = 0
    while gained < need:
        best, best_ratio = None, None
        for i, (costs, gains) in enumerate(groups):
            k = position[i]
            if k + 1 < len(costs):
                step_cost, step_gain = costs[k + 1] - costs[k], gains[k + 1] - gains[k]
                ratio = step_gain / step_cost
                if best_ratio is None or ratio > best_ratio:
                    best, best_ratio = i, ratio
        if best is None:
            return None
        k = position[best]
        costs, gains = groups[best]
        cost += costs[k + 1] - costs[k]
        gained += gains[k + 1] - gains[k]
        position[best] = k + 1
    return cost


def solve(
    groups: list[tuple[list[int], list[int]]], need: int, *, method: str | None = None, max_step: int | None = None
) -> tuple[list[int], int, str, int] | None:
    """Least-cost choice of one option per group with total gain ≥ ``need`` (all integers).

    ``groups[i] = (costs, gains)``: option k has cumulative cost ``costs[k]`` and gain ``gains[k]``,
    option 0 being (0, 0). ``max_step`` leaves out the options above k = max_step (None: no cap).
    Returns (option per group, cost, method, states) or None if infeasible.
    Three exact formulations; the one with the fewest states runs (``method`` forces one, for tests):

    - "gain": least cost per gain 0..need;
    - "slack": what to leave out of raising everything to the top: most cost saved per gain given up,
      0..(all gain - need), small when the target is close to the maximum;
    - "cost": most gain per cost 0..(cost of a greedy feasible plan).
    """
    if max_step is not None:
        if max_step < 0:
            raise ValueError("max_step must be 0 or more")
        groups = [(costs[: max_step + 1], gains[: max_step + 1]) for costs, gains in groups]
    if need <= 0:
        return [0] * len(groups), 0, "none", 0
    if sum(gains[-1] for _costs, gains in groups) < need:
        return None
    gain_gcd = math.gcd(*(g for _c, gains in groups for g in gains[1:])) or 1
    cost_gcd = math.gcd(*(c for costs, _g in groups for c in costs[1:])) or 1
    reduced = [([c // cost_gcd for c in costs], [g // gain_gcd for g in gains]) for costs, gains in groups]
    need_units = -(-need // gain_gcd)
    slack = sum(gains[-1] for _c, gains in reduced) - need_units
    bound = _greedy_cost(reduced, need_units)
    method = method or min((need_units, "gain"), (slack, "slack"), (bound, "cost"))[1]
    if method == "gain":
        choice, states = _solve_over_gain(reduced, need_units), need_units + 1
    elif method == "slack":
        items = [[(gains[-1] - g, costs[-1] - c) for c, g in zip(costs, gains)] for costs, gains in reduced]
        choice, states = _trace(items, _max_layers(items, slack), slack), slack + 1
    else:
        items = [list(zip(costs, gains)) for costs, gains in reduced]
        layers = _max_layers(items, bound)
        budget = next(c for c, gained in enumerate(layers[-1]) if gained >= need_units)
        choice, states = _trace(items, layers, budget), bound + 1
    cost = sum(groups[i][0][k] for i, k in enumerate(choice))
    return choice, cost, method, states


def _solve_over_gain(groups, need: int) -> list[int]:
    infinity = sum(costs[-1] for costs, _g in groups) + 1
    size = need + 1
    layer = [0] + [infinity] * need
    layers = [layer]
    for costs, gains in groups:
        new = layer[:]
        for k in range(1, len(costs)):
            gain, cost = gains[k], costs[k]
            shifted = [layer[0]] * size if gain >= size else [layer[0]] * gain + layer[: size - gain]
            new = list(map(min, new, map(add, shifted, repeat(cost))))
        layers.append(new)
        layer = new
    choice, remaining = [0] * len(groups), need
    for i in range(len(groups) - 1, -1, -1):
        costs, gains = groups[i]
        target, before = layers[i + 1][remaining], layers[i]
        for k in range(len(costs)):
            previous = max(0, remaining - gains[k])
            if before[previous] + costs[k] == target:
                choice[i], remaining = k, previous
                break
    return choice


def _max_layers(items: list[list[tuple[int, int]]], capacity: int) -> list[list[int]]:
    """0/1 multiple-choice knapsack, most value with weight ≤ c for every c ≤ capacity, layer by layer.

    Each group must contain one option of weight 0 and value 0.
    """
    size = capacity + 1
    layer = [0] * size
    layers = [layer]
    for options in items:
        new = layer[:]
        for weight, value in options:
            if 0 < weight < size:
                # the slice assignment consumes the iterator before writing, so reading ``new`` lazily is safe
                new[weight:] = map(max, islice(new, weight, None), map(add, layer, repeat(value)))
        layers.append(new)
        layer = new
    return layers


def _trace(items, layers, capacity: int) -> list[int]:
    choice = [0] * len(items)
    for i in range(len(items) - 1, -1, -1):
        target, before = layers[i + 1][capacity], layers[i]
        for k, (weight, value) in enumerate(items[i]):
            if weight <= capacity and before[capacity - weight] + value == target:
                choice[i], capacity = k, capacity - weight
                break
    return choice


# --- the planner on levels, weights and efforts ------------------------------------------------


def plan(
    levels: Mapping[int, int],
    weights: Mapping[int, Decimal],
    target: Decimal,
    efforts: Mapping[tuple[int, int], Decimal | None] | None = None,
    *,
    total_weight: Decimal = HUNDRED,
    best_count: int = 10,
    max_step: int | None = None,
) -> Plan:
    """The least-effort level increases that bring the index to at least ``target``.

    ``levels``: {indicator: 1..5}; ``weights``: {indicator: weight}; ``efforts``: {(indicator, to_level):
    effort of the step to that level}, default 1; an effort of ``None`` makes that step (and the ones
    above it) unavailable. ``max_step``: at most that many levels up per indicator (None: up to level 5).
    """
    efforts = efforts or {}
    target = Decimal(target)
    if not target.is_finite() or target < LEVEL_MIN:
        raise PlanError(_("Target indeks harus antara %(min)s dan %(max)s.") % {"min": LEVEL_MIN, "max": LEVEL_MAX})
    numbers = sorted(levels)
    weight_scale = 10 ** max(_decimals(Decimal(weights[n])) for n in numbers)
    effort_table: dict[int, list[Decimal]] = {}
    for number in numbers:
        chain = []
        for level in range(levels[number] + 1, LEVEL_MAX + 1):
            effort = _effort(efforts.get((number, level), DEFAULT_EFFORT), number, level)
            if effort is None:
                break
            chain.append(effort)
        # the cap applies before solving (the efforts above it are still checked: a typo is an error)
        effort_table[number] = chain if max_step is None else chain[:max_step]
    effort_scale = 10 ** max([_decimals(e) for chain in effort_table.values() for e in chain] or [0])

    weighted = sum((levels[n] * Decimal(weights[n]) for n in numbers), Decimal(0))
    current = weighted / total_weight
    candidates = [n for n in numbers if effort_table[n] and Decimal(weights[n]) > 0]
    groups = []
    for number in candidates:
        unit = int(Decimal(weights[number]) * weight_scale)
        costs, gains, running = [0], [0], 0
        for k, effort in enumerate(effort_table[number], start=1):
            running += int(effort * effort_scale)
            costs.append(running)
            gains.append(k * unit)
        groups.append((costs, gains))
    max_weighted = weighted + sum((len(effort_table[n]) * Decimal(weights[n]) for n in candidates), Decimal(0))
    need = int(((target * total_weight - weighted) * weight_scale).to_integral_value(rounding=ROUND_CEILING))
    best = _best_single_steps(levels, weights, effort_table, total_weight, best_count)

    solution = solve(groups, need)
    if solution is None:
        return Plan(
            current_index=current, target=target, reachable=False, steps=(), total_effort=Decimal(0),
            final_index=current, max_index=max_weighted / total_weight, levels_after=dict(levels),
            best_single_steps=best, max_step=max_step,
        )
    choice, _cost, method, states = solution
    raised = {number: k for number, k in zip(candidates, choice) if k}
    steps = _ordered_steps(levels, weights, effort_table, raised, weighted, total_weight)
    levels_after = dict(levels)
    for number, k in raised.items():
        levels_after[number] += k
    return Plan(
        current_index=current,
        target=target,
        reachable=True,
        steps=steps,
        total_effort=sum((s.effort for s in steps), Decimal(0)),
        final_index=steps[-1].index_after if steps else current,
        max_index=max_weighted / total_weight,
        levels_after=levels_after,
        best_single_steps=best,
        method=method,
        states=states,
        max_step=max_step,
    )


def _ordered_steps(levels, weights, effort_table, raised, weighted, total_weight) -> tuple[Step, ...]:
    """The chosen increases as single steps, best gain per effort first, each indicator's steps in order."""
    position = {number: 0 for number in raised}
    steps = []
    running = weighted
    while True:
        heads = [
            (Decimal(weights[n]) / effort_table[n][position[n]], -n, n)
            for n in raised if position[n] < raised[n]
        ]
        if not heads:
            break
        _ratio, _neg, number = max(heads)
        k = position[number]
        running += Decimal(weights[number])
        from_level = levels[number] + k
        steps.append(
            Step(
                indicator=number, from_level=from_level, to_level=from_level + 1, effort=effort_table[number][k],
                gain=Decimal(weights[number]) / total_weight, index_after=running / total_weight,
            )
        )
        position[number] = k + 1
    return tuple(steps)


def _best_single_steps(levels, weights, effort_table, total_weight, count) -> tuple[SingleStep, ...]:
    singles = []
    for number, chain in effort_table.items():
        if not chain:
            continue
        gain = Decimal(weights[number]) / total_weight
        singles.append(
            SingleStep(
                indicator=number, from_level=levels[number], to_level=levels[number] + 1, effort=chain[0],
                gain=gain, gain_per_effort=gain / chain[0],
            )
        )
    singles.sort(key=lambda s: (-s.gain_per_effort, s.indicator))
    return tuple(singles[:count])


def default_target(levels: Mapping[int, int], framework: FrameworkSpec) -> Decimal:
    """The lower bound of the next predicate; the current index when it is already the top one."""
    current = compute(levels, framework).index
    floor = next_band_floor(current, framework.bands)
    return floor if floor is not None else current


def plan_for(
    levels: Mapping[int, int],
    framework: FrameworkSpec,
    target: Decimal | None = None,
    efforts: Mapping[tuple[int, int], Decimal | None] | None = None,
    *,
    best_count: int = 10,
    max_step: int | None = DEFAULT_MAX_STEP,
) -> Plan:
    """``plan`` with the framework's weights; the default target is the next predicate's lower bound.

    By default an indicator rises one level at most (``DEFAULT_MAX_STEP``); ``max_step=2`` allows jumps of
    two levels, ``None`` any.
    """
    compute(levels, framework)  # every indicator needs a valid level
    if target is None:
        target = default_target(levels, framework)
    weights = {i.number: i.weight for i in framework.indicators}
    return plan(
        levels, weights, target, efforts, total_weight=framework.total_weight, best_count=best_count,
        max_step=max_step,
    )

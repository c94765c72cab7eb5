"""The exact multiple-choice knapsack behind the planner, on integers (see ``planner`` for the problem).

``solve(groups, need)``: one option per group, least total cost with total gain ≥ ``need``. Four exact
formulations; the array ones keep one layer per group, so their memory is (groups + 1) × states cells:

- "gain": least cost per gain 0..need;
- "slack": what to leave out of raising everything to the top: most cost saved per gain given up,
  0..(all gain - need), small when the target is close to the maximum;
- "cost": most gain per cost 0..(cost of a greedy feasible plan);
- "pareto": the list of (cost, gain) pairs no other pair beats, group by group, the gain capped at ``need``;
  its size depends on the number of distinct sums, not on the units, so it runs when every array
  formulation would exceed ``ARRAY_CELLS_LIMIT`` cells (fine units: four-decimal weights times two-decimal
  values). It is never larger than need + 1 pairs per layer.

No formulation skips a combination heuristically; the tests compare each with brute force.
"""

from __future__ import annotations

import math
from itertools import islice, repeat
from operator import add

ARRAY_CELLS_LIMIT = 4_000_000  # (groups + 1) × states of an array formulation (about 32 MB of list slots)


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
    option 0 being (0, 0), costs increasing. ``max_step`` leaves out the options above k = max_step (None:
    no cap). Returns (option per group, cost, method, states) or None if infeasible. The formulation with
    the fewest states runs, "pareto" when an array one would be too large (``method`` forces one, for tests).
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
    if method is None:
        states, method = min((need_units, "gain"), (slack, "slack"), (bound, "cost"))
        if (states + 1) * (len(reduced) + 1) > ARRAY_CELLS_LIMIT:
            method = "pareto"
    if method == "gain":
        choice, states = _solve_over_gain(reduced, need_units), need_units + 1
    elif method == "slack":
        items = [[(gains[-1] - g, costs[-1] - c) for c, g in zip(costs, gains)] for costs, gains in reduced]
        choice, states = _trace(items, _max_layers(items, slack), slack), slack + 1
    elif method == "cost":
        items = [list(zip(costs, gains)) for costs, gains in reduced]
        layers = _max_layers(items, bound)
        budget = next(c for c, gained in enumerate(layers[-1]) if gained >= need_units)
        choice, states = _trace(items, layers, budget), bound + 1
    elif method == "pareto":
        choice, states = _solve_pareto(reduced, need_units)
    else:
        raise ValueError(f"unknown method {method!r}")
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


def _solve_pareto(groups, need: int) -> tuple[list[int], int]:
    """Group by group, the (cost, gain) pairs that no other pair beats (cheaper or equal with more gain).

    Gains are capped at ``need`` (more is no better), so a layer holds at most need + 1 pairs. Each pair
    remembers the pair of the previous layer it extends and the option taken, for the trace back.
    """
    frontier = [(0, 0)]
    back: list[list[tuple[int, int]]] = []
    largest = 1
    for costs, gains in groups:
        candidates = sorted(
            (cost + costs[k], -min(need, gain + gains[k]), position, k)
            for position, (cost, gain) in enumerate(frontier)
            for k in range(len(costs))
        )
        kept, links, best_gain = [], [], -1
        for cost, negative_gain, position, k in candidates:
            if -negative_gain > best_gain:
                best_gain = -negative_gain
                kept.append((cost, best_gain))
                links.append((position, k))
        frontier = kept
        back.append(links)
        largest = max(largest, len(frontier))
    position = next(p for p, (_cost, gain) in enumerate(frontier) if gain >= need)
    choice = [0] * len(groups)
    for i in range(len(groups) - 1, -1, -1):
        position, choice[i] = back[i][position]
    return choice, largest

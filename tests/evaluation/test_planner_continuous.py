"""The planner on continuous values (PermenPANRB 8/2026): exact against brute force over the band floors,
partial steps priced by their band share, effort presets, blocked indicators and the safety margin."""

import itertools
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from sia.evaluation import planner

D = Decimal
FLOORS = {1: D("1.00"), 2: D("1.50"), 3: D("2.50"), 4: D("3.50"), 5: D("4.00")}  # Tabel 4 of 8/2026
WEIGHTS = ["3", "4", "5", "10", "15", "2.75", "1.3"]


def options_of(n, value, *, scheme, factors, blocked, efforts, max_step, floors=FLOORS):
    """(value reached, cost) of every target of one indicator, written out from the definition."""
    FLOORS = floors  # noqa: N806 - the Tabel 4 floors unless others are given
    options = [(value, Fraction(0))]
    if n in blocked:
        return options
    level = max(k for k, floor in FLOORS.items() if floor <= value)
    start, cost = value, Fraction(0)
    for k in range(level + 1, 6):
        base = D(1) if scheme == "uniform" else D(k - 1)
        effort = efforts[(n, k)] if (n, k) in efforts else base * factors.get(n, D(1))
        if effort is None:
            break
        band = FLOORS[k] - FLOORS[k - 1]
        cost += Fraction(effort) * Fraction(FLOORS[k] - start) / Fraction(band)
        start = FLOORS[k]
        options.append((start, cost))
    return options if max_step is None else options[: max_step + 1]


def brute_force(values, weights, goal, total, **preset):
    """Least total cost over every combination of targets (None if the goal cannot be reached).

    Exact on integers: gains in 10^-8 of the weighted sum, costs over their common denominator.
    """
    table = {n: options_of(n, D(values[n]), **preset) for n in sorted(values)}
    scale = 10**8
    denominator = math.lcm(*(c.denominator for options in table.values() for _v, c in options))
    fixed = sum(int(options[0][0] * weights[n] * scale) for n, options in table.items() if len(options) == 1)
    free = [
        [(int(v * weights[n] * scale), int(c * denominator)) for v, c in options]
        for n, options in table.items() if len(options) > 1
    ]
    need = goal * total * scale - fixed
    best = None
    for combo in itertools.product(*free):
        if sum(g for g, _c in combo) >= need:
            cost = sum(c for _g, c in combo)
            best = cost if best is None or cost < best else best
    return None if best is None else Fraction(best, denominator)


def random_value(rnd):
    if rnd.random() < 0.2:
        return rnd.choice(list(FLOORS.values()))
    return D(rnd.randint(100, 350 if rnd.random() < 0.85 else 500)) / 100


def random_case(rnd, size):
    values = {n: random_value(rnd) for n in range(1, size + 1)}
    weights = {n: D(rnd.choice(WEIGHTS)) for n in values}
    total = sum(weights.values())
    current = sum(values[n] * weights[n] for n in values) / total
    target = min(D(5), current + D(rnd.randint(1, 90)) / 100).quantize(D("0.01"))
    scheme = rnd.choice(["uniform", "increasing"])
    factors = {n: D(rnd.choice(["0.5", "1.5", "2", "3", "0.25"])) for n in values if rnd.random() < 0.3}
    blocked = frozenset(n for n in values if rnd.random() < 0.1)
    efforts = {}
    for n in values:
        for k in range(2, 6):
            roll = rnd.random()
            if roll < 0.05:
                efforts[(n, k)] = None
            elif roll < 0.2:
                efforts[(n, k)] = D(rnd.randint(1, 40)) / rnd.choice([1, 10, 4])
    margin = D(rnd.choice(["0", "0", "0.1", "0.25"]))
    max_step = rnd.choice([None, 1, 2, 2, 3]) if size <= 6 else rnd.choice([1, 2, 2])
    return values, weights, total, target, margin, max_step, dict(
        scheme=scheme, factors=factors, blocked=blocked, efforts=efforts
    )


def run(values, weights, total, target, margin, max_step, preset):
    chosen = planner.Preset(scheme=preset["scheme"], factors=preset["factors"], blocked=preset["blocked"], margin=margin)
    return planner.plan_values(
        values, weights, target, preset["efforts"], floors=FLOORS, total_weight=total, max_step=max_step,
        preset=chosen,
    )


def check_plan(result, values, weights, total, target, margin, max_step, preset):
    goal = target + margin
    assert result.goal == goal
    assert result.final_index >= goal
    assert result.final_index == sum(result.values_after[n] * weights[n] for n in values) / total
    assert sum(s.effort for s in result.steps) == result.total_effort
    for n in values:
        after = result.values_after[n]
        raised = [s for s in result.steps if s.indicator == n]
        assert after == values[n] if not raised else after in FLOORS.values()
        assert n not in preset["blocked"] or not raised
        assert max_step is None or len(raised) <= max_step
        if raised:  # each indicator's steps in order, the first from its value
            assert raised[0].from_value == values[n] and raised[-1].to_value == after
            assert all(a.to_value == b.from_value for a, b in zip(raised, raised[1:]))
            assert result.levels_after[n] == raised[-1].to_level


def test_continuous_plans_are_optimal_against_brute_force():
    rnd = random.Random(20260601)
    checked = unreachable = 0
    methods = set()
    for _ in range(400):
        case = random_case(rnd, rnd.randint(6, 8))
        values, weights, total, target, margin, max_step, preset = case
        result = run(*case)
        best = brute_force(values, weights, target + margin, total, max_step=max_step, **preset)
        if best is None:
            unreachable += 1
            assert not result.reachable and result.steps == ()
            assert result.max_index < target + margin
            continue
        checked += 1
        methods.add(result.method)
        assert result.reachable, case
        assert Fraction(result.total_effort) == best, case
        check_plan(result, *case)
    assert checked > 220 and unreachable > 30
    assert {"gain", "slack", "cost"} <= methods | {"none"}, methods


def test_the_pareto_formulation_gives_the_same_optimum(monkeypatch):
    """Forced by a tiny array limit, the formulation used for fine units finds the same least effort."""
    rnd = random.Random(8)
    monkeypatch.setattr("sia.evaluation.planner_solver.ARRAY_CELLS_LIMIT", 1)
    checked = 0
    for _ in range(150):
        case = random_case(rnd, rnd.randint(6, 7))
        values, weights, total, target, margin, max_step, preset = case
        result = run(*case)
        best = brute_force(values, weights, target + margin, total, max_step=max_step, **preset)
        assert (best is None) == (not result.reachable)
        if best is not None and result.steps:
            checked += 1
            assert result.method == "pareto"
            assert Fraction(result.total_effort) == best, case
            check_plan(result, *case)
    assert checked > 50


def test_a_partial_step_costs_its_share_of_the_band():
    # 1.26 -> 1.50 covers 0.24 of the level-1 band 1.00-1.50: 0.48 of the step's effort
    values, weights = {1: D("1.26"), 2: D("2.50")}, {1: D("50"), 2: D("50")}
    result = planner.plan_values(values, weights, D("2.00"), floors=FLOORS)
    assert [(s.from_value, s.to_value, s.from_level, s.to_level, s.effort) for s in result.steps] == [
        (D("1.26"), D("1.50"), 1, 2, D("0.48"))
    ]
    assert result.total_effort == D("0.48") and result.final_index == D("2.00")
    increasing = planner.plan_values(
        values, weights, D("2.50"), floors=FLOORS, preset=planner.Preset(scheme="increasing")
    )
    # 1.26 -> 1.50 (0.48 x 1) -> 2.50 (2): 2.48, cheaper than 2.50 -> 3.50 (3)
    assert increasing.total_effort == D("2.48")
    assert increasing.values_after == {1: D("2.50"), 2: D("2.50")}
    assert [s.effort for s in increasing.steps] == [D("0.48"), D("2")]
    assert increasing.best_single_steps[0].effort == D("0.48")


def test_the_margin_raises_what_the_plan_must_reach():
    values, weights = {1: D("2.30"), 2: D("2.40"), 3: D("2.45")}, {1: D("30"), 2: D("30"), 3: D("40")}
    plain = planner.plan_values(values, weights, D("2.50"), floors=FLOORS)
    safe = planner.plan_values(values, weights, D("2.50"), floors=FLOORS, margin=D("0.25"))
    assert plain.final_index >= D("2.50") and safe.final_index >= D("2.75")
    assert safe.total_effort > plain.total_effort
    assert safe.target == D("2.50") and safe.goal == D("2.75")
    assert "2.50 ditambah margin keamanan 0.25, yaitu 2.75" in safe.message
    assert any("asesor eksternal" in note for note in safe.explanation())
    preset = planner.Preset(margin=D("0.25"))
    assert planner.plan_values(values, weights, D("2.50"), floors=FLOORS, preset=preset).goal == D("2.75")
    unreachable = planner.plan_values(values, weights, D("4.00"), floors=FLOORS, margin=D("0.25"), max_step=1)
    assert not unreachable.reachable and "4.00 ditambah margin keamanan 0.25, yaitu 4.25" in unreachable.message


@pytest.mark.parametrize("margin", [D("-0.1"), D("1.5"), D("0.125"), "abc"])
def test_a_bad_margin_is_refused(margin):
    with pytest.raises(planner.PlanError, match="Margin keamanan"):
        planner.plan_values({1: D("1.2")}, {1: D("100")}, D("1.5"), floors=FLOORS, margin=margin)


def test_blocked_and_external_indicators_stay_put():
    values = {1: D("1.00"), 2: D("1.00"), 3: D("1.00")}
    weights = {1: D("50"), 2: D("30"), 3: D("20")}
    free = planner.plan_values(values, weights, D("1.25"), floors=FLOORS)
    assert [s.indicator for s in free.steps] == [1]
    blocked = planner.plan_values(
        values, weights, D("1.25"), floors=FLOORS, preset=planner.Preset(blocked=frozenset({1}))
    )
    assert blocked.reachable and 1 not in {s.indicator for s in blocked.steps} and blocked.blocked == (1,)
    assert "Indikator yang tidak dinaikkan: 1." in blocked.explanation()
    external = planner.Preset(block_external=True)
    only_two = planner.plan_values(values, weights, D("2.00"), floors=FLOORS, preset=external, external=[1, 3])
    assert not only_two.reachable and only_two.blocked == (1, 3)
    assert only_two.max_index == D("1.90")  # indicator 2 to 4.00 in steps: 1.00 + 3.00 x 0.30
    # not marked external-blocked: the external indicators are planned like the others
    assert planner.plan_values(values, weights, D("2.00"), floors=FLOORS, external=[1, 3]).reachable
    with pytest.raises(planner.PlanError, match="Indikator 9 tidak ada"):
        planner.plan_values(values, weights, D("1.25"), floors=FLOORS, preset=planner.Preset(blocked=frozenset({9})))



@pytest.mark.parametrize("max_step", [None, 1, 2])
def test_the_pareto_formulation_is_exact_on_integers(max_step):
    rnd = random.Random(31 + (max_step or 0))
    checked = 0
    for _ in range(250):
        groups = []
        for _i in range(rnd.randint(1, 5)):
            costs, gains = [0], [0]
            for _k in range(rnd.randint(0, 4)):
                costs.append(costs[-1] + rnd.randint(1, 12))
                gains.append(gains[-1] + rnd.randint(1, 15))  # unequal steps, as partial band steps give
            groups.append((costs, gains))
        need = rnd.randint(1, 40)
        cap = None if max_step is None else max_step + 1
        best = None
        for combo in itertools.product(*(range(len(c))[:cap] for c, _g in groups)):
            if sum(groups[i][1][k] for i, k in enumerate(combo)) >= need:
                cost = sum(groups[i][0][k] for i, k in enumerate(combo))
                best = cost if best is None else min(best, cost)
        for method in ("pareto", "gain", "slack", "cost"):
            solution = planner.solve(groups, need, method=method, max_step=max_step)
            if best is None:
                assert solution is None
                continue
            choice, cost, used, _states = solution
            assert used == method and cost == best
            assert sum(groups[i][1][k] for i, k in enumerate(choice)) >= need
        checked += best is not None
    assert checked > 100

"""The target planner: exact minimum effort (checked against brute force), level 5 cap, unreachable targets."""

import itertools
import random
from decimal import Decimal

import pytest

from sia.evaluation import planner, scoring

from .conftest import DEMO_LEVELS

D = Decimal
WEIGHTS = ["1.3", "2.5", "1.5", "2.75", "3.0", "0.05", "7.25"]


def brute_force(levels, weights, target, efforts, total, max_step=None):
    """Least total effort over every combination of increases (None if the target cannot be reached)."""
    numbers = sorted(levels)
    ranges = []
    for n in numbers:
        steps = 0
        for level in range(levels[n] + 1, 6):
            if efforts.get((n, level), 1) is None:
                break
            steps += 1
        ranges.append(range((steps if max_step is None else min(steps, max_step)) + 1))
    start = sum(levels[n] * weights[n] for n in numbers)
    best = None
    for combo in itertools.product(*ranges):
        if (start + sum(k * weights[n] for k, n in zip(combo, numbers))) / total < target:
            continue
        cost = sum(
            sum(D(efforts.get((n, level), 1)) for level in range(levels[n] + 1, levels[n] + k + 1))
            for k, n in zip(combo, numbers)
        )
        best = cost if best is None or cost < best else best
    return best


def random_case(rnd):
    n = rnd.randint(1, 5)
    levels = {i: rnd.randint(1, 5) for i in range(1, n + 1)}
    weights = {i: D(rnd.choice(WEIGHTS)) for i in levels}
    efforts = {}
    for i in levels:
        for level in range(levels[i] + 1, 6):
            roll = rnd.random()
            efforts[(i, level)] = None if roll < 0.05 else D(rnd.randint(1, 40)) / rnd.choice([1, 10, 4])
    total = sum(weights.values())
    current = sum(levels[i] * weights[i] for i in levels) / total
    target = min(D(5), current + D(rnd.randint(1, 250)) / 100).quantize(D("0.01"))
    return levels, weights, efforts, total, target


def test_optimal_against_brute_force_on_random_small_cases():
    rnd = random.Random(20240601)
    methods = set()
    checked = 0
    for _ in range(600):
        levels, weights, efforts, total, target = random_case(rnd)
        result = planner.plan(levels, weights, target, efforts, total_weight=total)
        best = brute_force(levels, weights, target, efforts, total)
        if best is None:
            assert not result.reachable
            continue
        checked += 1
        methods.add(result.method)
        assert result.reachable
        assert result.total_effort == best, (levels, weights, efforts, target)
        assert result.final_index >= target
        assert sum(s.effort for s in result.steps) == result.total_effort
        assert all(result.levels_after[n] <= 5 for n in result.levels_after)
    assert checked > 400
    assert {"gain", "slack", "cost"} <= methods | {"none"}, methods


@pytest.mark.parametrize("max_step", [1, 2])
def test_optimal_against_brute_force_with_a_step_cap(max_step):
    rnd = random.Random(20241204 + max_step)
    checked = 0
    for _ in range(500):
        levels, weights, efforts, total, target = random_case(rnd)
        result = planner.plan(levels, weights, target, efforts, total_weight=total, max_step=max_step)
        best = brute_force(levels, weights, target, efforts, total, max_step=max_step)
        if best is None:
            assert not result.reachable
            assert result.max_index < target
            continue
        checked += 1
        assert result.reachable
        assert result.total_effort == best, (levels, weights, efforts, target, max_step)
        assert result.final_index >= target
        assert all(result.levels_after[n] - levels[n] <= max_step for n in levels)
        raised = [s.indicator for s in result.steps]
        assert all(raised.count(n) <= max_step for n in set(raised))
    assert checked > 150


@pytest.mark.parametrize("max_step", [None, 0, 1, 2, 3])
@pytest.mark.parametrize("method", ["gain", "slack", "cost"])
def test_each_formulation_is_exact(method, max_step):
    rnd = random.Random(7 + len(method) + 10 * (max_step or 9))
    for _ in range(250):
        n = rnd.randint(1, 4)
        groups, best_by_brute = [], None
        for _i in range(n):
            steps = rnd.randint(0, 4)
            costs, gains = [0], [0]
            unit = rnd.randint(1, 9)
            for k in range(1, steps + 1):
                costs.append(costs[-1] + rnd.randint(1, 12))
                gains.append(k * unit)
            groups.append((costs, gains))
        need = rnd.randint(1, 30)
        cap = None if max_step is None else max_step + 1
        for combo in itertools.product(*(range(len(c))[:cap] for c, _g in groups)):
            if sum(groups[i][1][k] for i, k in enumerate(combo)) >= need:
                cost = sum(groups[i][0][k] for i, k in enumerate(combo))
                best_by_brute = cost if best_by_brute is None else min(best_by_brute, cost)
        solution = planner.solve(groups, need, method=method, max_step=max_step)
        if best_by_brute is None:
            assert solution is None
            continue
        choice, cost, used, _states = solution
        assert used == method
        assert max_step is None or max(choice) <= max_step
        assert cost == best_by_brute
        assert sum(groups[i][1][k] for i, k in enumerate(choice)) >= need


def test_demo_plan_from_249_to_baik(spec):
    plan = planner.plan_for(DEMO_LEVELS, spec)
    assert plan.target == D("2.6")
    assert plan.current_index == D("2.49")
    assert plan.reachable and plan.final_index >= D("2.6")
    assert plan.total_effort == 4  # +0.11 needs four steps of weight 3.00 (three give only +0.09)
    assert scoring.predicate_for(plan.final_index, spec.bands) == "Baik"
    assert [s.index_after for s in plan.steps] == sorted(s.index_after for s in plan.steps)
    assert plan.steps[-1].index_after == plan.final_index
    # the index after each step is the exact index of the levels reached so far
    levels = dict(DEMO_LEVELS)
    for step in plan.steps:
        assert levels[step.indicator] == step.from_level
        levels[step.indicator] = step.to_level
        assert scoring.compute(levels, spec).index == step.index_after
    assert levels == plan.levels_after


def test_efforts_change_the_plan(spec):
    expensive = {(n, level): D(10) for n in range(42, 48) for level in range(2, 6)}
    plan = planner.plan_for(DEMO_LEVELS, spec, D("2.6"), expensive)
    assert plan.final_index >= D("2.6")
    # +0.11 without the 3.00 indicators: four steps of 2.75 (indicators 32-41) give exactly +0.11
    assert plan.total_effort == 4
    assert all(32 <= step.indicator <= 41 for step in plan.steps)
    assert plan.final_index == D("2.60")


def test_level_5_is_the_maximum():
    plan = planner.plan({1: 5, 2: 4}, {1: D("50"), 2: D("50")}, D("5"))
    assert [(s.indicator, s.from_level, s.to_level) for s in plan.steps] == [(2, 4, 5)]
    assert plan.levels_after == {1: 5, 2: 5}


def test_unreachable_target_is_a_clear_answer():
    efforts = {(1, 4): None}
    plan = planner.plan({1: 2, 2: 5}, {1: D("50"), 2: D("50")}, D("4.5"), efforts)
    assert not plan.reachable and plan.steps == ()
    assert plan.max_index == D("4")
    assert "tidak dapat dicapai" in plan.message and "4.0000" in plan.message


def test_target_already_reached(spec):
    plan = planner.plan_for(DEMO_LEVELS, spec, D("2.4"))
    assert plan.reachable and plan.already_reached and plan.total_effort == 0
    assert "sudah mencapai target" in plan.message


def test_default_target_at_the_top_band(spec):
    top = {n: 5 for n in spec.indicator_map}
    assert planner.default_target(top, spec) == 5
    assert planner.plan_for(top, spec).already_reached


@pytest.mark.parametrize("effort", [D(0), D(-1), D("0.001"), "abc"])
def test_bad_efforts_are_refused(spec, effort):
    with pytest.raises(planner.PlanError, match="Upaya indikator 11 ke tingkat 3"):
        planner.plan_for(DEMO_LEVELS, spec, D("2.6"), {(11, 3): effort})


def test_bad_target_is_refused(spec):
    with pytest.raises(planner.PlanError, match="Target indeks"):
        planner.plan_for(DEMO_LEVELS, spec, D("0.5"))


def test_best_single_steps_rank_gain_per_effort(spec):
    efforts = {(11, 3): D("0.5")}
    plan = planner.plan_for(DEMO_LEVELS, spec, D("2.6"), efforts)
    first = plan.best_single_steps[0]
    assert (first.indicator, first.from_level, first.to_level) == (11, 2, 3)
    assert first.gain == D("0.025") and first.gain_per_effort == D("0.05")
    ratios = [s.gain_per_effort for s in plan.best_single_steps]
    assert ratios == sorted(ratios, reverse=True)
    assert all(s.to_level <= 5 for s in plan.best_single_steps)


def test_decimal_efforts_are_exact():
    weights = {1: D("1"), 2: D("1"), 3: D("1"), 4: D("1")}
    efforts = {(1, 2): D("0.3"), (2, 2): D("0.25"), (3, 2): D("0.2"), (3, 3): D("0.2"), (4, 2): D("0.45")}
    plan = planner.plan({1: 1, 2: 1, 3: 1, 4: 1}, weights, D("1.5"), efforts, total_weight=D(4))
    assert plan.total_effort == D("0.4")  # indicator 3 twice (0.2 + 0.2) beats 0.25 + 0.3
    assert [s.indicator for s in plan.steps] == [3, 3]


def test_default_plan_raises_each_indicator_one_level_at_most(spec):
    for target in (D("2.6"), D("3.0"), D("3.4")):
        plan = planner.plan_for(DEMO_LEVELS, spec, target)
        assert plan.reachable and plan.final_index >= target
        raised = [s.indicator for s in plan.steps]
        assert len(raised) == len(set(raised)), raised
        assert plan.max_step == 1


def test_two_level_jumps_only_when_asked_for():
    weights = {1: D("90"), 2: D("10")}
    default = planner.plan({1: 1, 2: 1}, weights, D("2.8"), max_step=planner.DEFAULT_MAX_STEP)
    assert not default.reachable and default.max_index == D("2")
    assert "paling banyak 1 tingkat" in default.message
    jumps = planner.plan({1: 1, 2: 1}, weights, D("2.8"), max_step=2)
    assert jumps.reachable and [(s.indicator, s.to_level) for s in jumps.steps] == [(1, 2), (1, 3)]
    cheap_jump = {(1, 2): D("1"), (1, 3): D("1"), (2, 2): D("5")}
    one_each = planner.plan({1: 1, 2: 1}, {1: D("50"), 2: D("50")}, D("2"), cheap_jump, total_weight=D(100),
                            max_step=1)
    assert one_each.total_effort == 6 and one_each.levels_after == {1: 2, 2: 2}
    jump = planner.plan({1: 1, 2: 1}, {1: D("50"), 2: D("50")}, D("2"), cheap_jump, total_weight=D(100), max_step=2)
    assert jump.total_effort == 2 and jump.levels_after == {1: 3, 2: 1}


def test_step_cap_still_checks_the_efforts_above_it(spec):
    with pytest.raises(planner.PlanError, match="Upaya indikator 11 ke tingkat 4"):
        planner.plan_for(DEMO_LEVELS, spec, D("2.6"), {(11, 4): D(0)})

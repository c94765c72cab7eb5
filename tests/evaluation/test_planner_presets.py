"""Planner presets and margins on both instruments: the real 8/2026 and 59/2020 files against brute force,
the default plan of an 8/2026 assessment, the size of the exact programme, and presets as saved dicts."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from sia.evaluation import planner
from sia.evaluation.framework_loader import load_framework_file
from sia.evaluation.frameworks import DATA_DIR

from .conftest import DEMO_LEVELS
from .test_planner_continuous import brute_force

D = Decimal
WHOLE = {level: D(level) for level in range(1, 6)}


@pytest.fixture(scope="module")
def pemdi():
    return load_framework_file(DATA_DIR / "permenpanrb-8-2026.yaml", code="permenpanrb-8-2026", name="PermenPANRB 8/2026")


def floors_of(spec):
    return {level: lower for level, (lower, _upper) in spec.level_bands.items()}


def test_the_instrument_bands_are_the_planner_floors(pemdi):
    assert pemdi.continuous and pemdi.value_places == 2
    assert floors_of(pemdi) == {1: D("1.00"), 2: D("1.50"), 3: D("2.50"), 4: D("3.50"), 5: D("4.00")}
    assert len(pemdi.indicators) == 20
    assert {i.number for i in pemdi.indicators if i.value_source == "external"} == {5, 6, 7, 18}


def test_pemdi_plans_with_eight_free_indicators_against_brute_force(pemdi):
    rnd = random.Random(82026)
    numbers = [i.number for i in pemdi.indicators]
    weights = {i.number: i.weight for i in pemdi.indicators}
    checked = 0
    for _ in range(40):
        values = {n: D(rnd.randint(100, 350)) / 100 for n in numbers}
        free = set(rnd.sample(numbers, 8))
        blocked = frozenset(n for n in numbers if n not in free)
        factors = {n: D(rnd.choice(["0.5", "2", "1.25"])) for n in free if rnd.random() < 0.3}
        scheme = rnd.choice(["uniform", "increasing"])
        margin = D(rnd.choice(["0", "0.1", "0.25"]))
        max_step = rnd.choice([None, 2])
        current = sum(values[n] * weights[n] for n in numbers) / 100
        target = min(D(5), current + D(rnd.randint(5, 60)) / 100).quantize(D("0.01"))
        preset = planner.Preset(scheme=scheme, factors=factors, blocked=blocked, margin=margin)
        result = planner.plan_for(values, pemdi, target, preset=preset, max_step=max_step)
        best = brute_force(
            values, weights, target + margin, D(100), scheme=scheme, factors=factors, blocked=blocked, efforts={},
            max_step=max_step, floors=floors_of(pemdi),
        )
        if best is None:
            assert not result.reachable and result.max_index < target + margin
            continue
        checked += 1
        assert result.reachable and Fraction(result.total_effort) == best
        assert result.final_index >= target + margin
        assert {s.indicator for s in result.steps} <= free
    assert checked > 20


def test_whole_level_plans_with_presets_and_margins_against_brute_force(spec):
    rnd = random.Random(592020)
    numbers = [i.number for i in spec.indicators]
    weights = {i.number: i.weight for i in spec.indicators}
    checked = 0
    for _ in range(40):
        levels = {n: rnd.randint(1, 4) for n in numbers}
        free = set(rnd.sample(numbers, 7))
        blocked = frozenset(n for n in numbers if n not in free)
        factors = {n: D(rnd.choice(["0.5", "3", "1.25"])) for n in free if rnd.random() < 0.3}
        scheme = rnd.choice(["uniform", "increasing"])
        margin = D(rnd.choice(["0", "0.05", "0.25"]))
        current = sum(levels[n] * weights[n] for n in numbers) / 100
        target = min(D(5), current + D(rnd.randint(1, 30)) / 100).quantize(D("0.01"))
        preset = planner.Preset(scheme=scheme, factors=factors, blocked=blocked, margin=margin)
        result = planner.plan_for(levels, spec, target, preset=preset, max_step=None)
        best = brute_force(
            levels, weights, target + margin, D(100), scheme=scheme, factors=factors, blocked=blocked, efforts={},
            max_step=None, floors=WHOLE,
        )
        if best is None:
            assert not result.reachable
            continue
        checked += 1
        assert result.reachable and Fraction(result.total_effort) == best
        assert all(isinstance(level, int) for level in result.levels_after.values())
        assert all(s.to_level == s.from_level + 1 for s in result.steps)
    assert checked > 20


def test_whole_levels_without_a_preset_plan_exactly_as_before(spec):
    """No preset, no margin: the same plan as the old planner (uniform efforts of 1, no explanation notes)."""
    default = planner.plan_for(DEMO_LEVELS, spec)
    uniform = planner.plan_for(DEMO_LEVELS, spec, preset=planner.Preset())
    assert default.total_effort == uniform.total_effort == 4
    assert default.explanation() == () and default.margin == 0 and not default.continuous
    assert uniform.explanation() == ("Setiap kenaikan tingkat berupaya 1, dikali faktor indikator bila ada.",)


def test_pemdi_from_one_to_four_is_exact_and_small(pemdi):
    """The whole instrument from 1.00 to the goal 4.00 (every indicator to the level-5 floor)."""
    ones = {i.number: D("1.00") for i in pemdi.indicators}
    uniform = planner.plan_for(ones, pemdi, D("4.00"), max_step=None)
    assert uniform.reachable and uniform.final_index == D("4.00") and uniform.total_effort == 80
    increasing = planner.plan_for(ones, pemdi, D("4.00"), max_step=None, preset=planner.Preset(scheme="increasing"))
    assert increasing.total_effort == 20 * (1 + 2 + 3 + 4)
    rnd = random.Random(4)
    fractional = {i.number: D(rnd.randint(100, 160)) / 100 for i in pemdi.indicators}
    for goal in ("2.00", "2.50", "3.00", "3.50", "4.00"):
        result = planner.plan_for(fractional, pemdi, D(goal), max_step=None, preset=planner.Preset(scheme="increasing"))
        assert result.reachable and result.final_index >= D(goal)
        assert result.states <= 30001  # at most (4.00 - 1.00) x 100 x 100 units of the weighted sum


def test_pemdi_default_plan_from_an_assessor_sheet(pemdi):
    """Values like the 2026 external assessor's sheet (index about 1.24): next band floor 1.50 by default."""
    values = {i.number: D("1.26") for i in pemdi.indicators} | {5: D("1.00"), 6: D("1.00"), 7: D("1.00"), 18: D("1.00")}
    result = planner.plan_for(values, pemdi)
    assert result.target == D("1.5") and result.continuous and result.max_step == 1
    assert result.reachable and result.final_index >= D("1.50")
    assert all(s.to_value == D("1.5") and s.from_level == 1 and s.to_level == 2 for s in result.steps)
    assert any("sebanding dengan bagian rentang" in note for note in result.explanation())
    external = planner.Preset(block_external=True)
    two_levels = planner.plan_for(values, pemdi, D("2.50"), max_step=2, preset=external)
    assert not two_levels.reachable and two_levels.max_index == D("2.29")  # 86% to 2.50, the external 14% at 1.00
    baik = planner.plan_for(values, pemdi, D("2.50"), max_step=3, preset=external)
    assert baik.reachable and baik.blocked == (5, 6, 7, 18)
    assert not {5, 6, 7, 18} & {s.indicator for s in baik.steps}
    assert all(baik.values_after[n] == values[n] for n in (5, 6, 7, 18))
    one_level = planner.plan_for(values, pemdi, D("2.50"))
    assert not one_level.reachable and "paling banyak 1 tingkat" in one_level.message


@pytest.mark.parametrize(
    "value, message",
    [(D("5.01"), "Indikator 3: nilai 5.01 di luar rentang"), (D("0.99"), "Indikator 3: nilai 0.99 di luar rentang"),
     (D("1.234"), "Indikator 3: nilai 1.234 memiliki lebih dari 2 desimal"), ("abc", "Indikator 3: nilai abc bukan")],
)
def test_pemdi_values_are_checked(pemdi, value, message):
    values = {i.number: D("1.26") for i in pemdi.indicators} | {3: value}
    with pytest.raises(planner.PlanError, match=message):
        planner.plan_for(values, pemdi, D("2.50"))


def test_every_value_is_needed_and_whole_levels_stay_whole(pemdi, spec):
    with pytest.raises(planner.PlanError, match="indikator 20 belum diisi"):
        planner.plan_for({i.number: D("1.26") for i in pemdi.indicators if i.number != 20}, pemdi, D("2.50"))
    with pytest.raises(planner.PlanError, match="Indikator 11: .*nilai pecahan 2.5 tidak sah"):
        planner.plan_for(DEMO_LEVELS | {11: D("2.5")}, spec, D("2.6"))
    # a whole level given as a Decimal is still a level
    assert planner.plan_for(DEMO_LEVELS | {11: D("2")}, spec, D("2.6")).total_effort == 4


# --- presets as saved dicts ------------------------------------------------------------------------


def test_a_preset_round_trips_through_its_dict():
    preset = planner.Preset(
        scheme="increasing", factors={13: D("2.5"), 1: D("2")}, blocked=frozenset({7, 5}), block_external=True,
        margin=D("0.25"),
    )
    data = planner.preset_to_dict(preset)
    assert data == {
        "scheme": "increasing", "factors": {"1": "2", "13": "2.5"}, "blocked": [5, 7], "block_external": True,
        "margin": "0.25",
    }
    import json

    assert planner.preset_from_dict(json.loads(json.dumps(data)), range(1, 21)) == preset
    assert planner.preset_from_dict(None) == planner.Preset() == planner.preset_from_dict({})


@pytest.mark.parametrize(
    "data, message",
    [
        ({"factors": {"13": "0"}}, "Faktor upaya indikator 13 harus angka lebih dari 0"),
        ({"factors": {"13": "abc"}}, "Faktor upaya indikator 13 .*diisi: abc"),
        ({"factors": {"4": "1.255"}}, "Faktor upaya indikator 4 .*paling banyak dua desimal"),
        ({"factors": {"21": "2"}}, "Indikator 21 tidak ada dalam instrumen"),
        ({"factors": {"x": "2"}}, "“x” bukan nomor indikator"),
        ({"blocked": [3, 48]}, "indikator yang dikunci: Indikator 48 tidak ada"),
        ({"blocked": "5"}, "“blocked” harus berupa daftar"),
        ({"scheme": "steep"}, "skema “steep” tidak dikenal"),
        ({"margin": "0.3333"}, "Margin keamanan"),
        ({"margin": "2"}, "Margin keamanan"),
        ({"block_external": "yes"}, "“block_external” harus true atau false"),
        ({"effort": 2}, "kunci effort tidak dikenal"),
        ([1, 2], "harus berupa pemetaan"),
    ],
)
def test_a_bad_preset_dict_is_refused_naming_the_place(data, message):
    with pytest.raises(planner.PlanError, match=message):
        planner.preset_from_dict(data, range(1, 21))


def test_every_problem_of_a_preset_dict_is_listed():
    with pytest.raises(planner.PlanError) as problem:
        planner.preset_from_dict({"factors": {"2": "-1", "3": "2"}, "blocked": [99], "margin": "-1"}, range(1, 21))
    lines = str(problem.value).splitlines()
    assert len(lines) == 3 and "indikator 2" in lines[0] and "99" in lines[1] and "Margin" in lines[2]


def test_factors_and_explicit_efforts(spec):
    hard = planner.Preset(factors={n: D(3) for n in range(42, 48)})
    plan = planner.plan_for(DEMO_LEVELS, spec, D("2.6"), preset=hard)
    # the 3.00 indicators cost three times as much: four steps of 2.75 (indicators 32-41) instead
    assert plan.total_effort == 4 and all(32 <= s.indicator <= 41 for s in plan.steps)
    # an explicit effort wins over the preset's for that step; a blocked indicator stays put all the same
    explicit = planner.plan_for(DEMO_LEVELS, spec, D("2.6"), {(43, DEMO_LEVELS[43] + 1): D("0.5")}, preset=hard)
    assert 43 in {s.indicator for s in explicit.steps}
    blocked = planner.Preset(blocked=frozenset({43}))
    assert 43 not in {
        s.indicator for s in planner.plan_for(DEMO_LEVELS, spec, D("2.6"), {(43, 3): D("0.01")}, preset=blocked).steps
    }


def test_a_saved_preset_dict_plans_directly(pemdi):
    values = {i.number: D("1.26") for i in pemdi.indicators}
    saved = {"scheme": "increasing", "blocked": [20], "block_external": True, "margin": "0.25"}
    result = planner.plan_for(values, pemdi, D("1.50"), preset=saved, max_step=None)
    assert result.goal == D("1.75") and result.blocked == (5, 6, 7, 18, 20) and result.scheme == "increasing"
    assert result.final_index >= D("1.75")
    with pytest.raises(planner.PlanError, match="Indikator 47 tidak ada dalam instrumen"):
        planner.plan_for(values, pemdi, D("1.50"), preset={"blocked": [47]})


@pytest.mark.parametrize(
    "kwargs, message",
    [({"scheme": "steep"}, "skema “steep”"), ({"factors": {4: D(0)}}, "Faktor upaya indikator 4"), ({"margin": D("3")}, "Margin")],
)
def test_a_preset_built_in_code_is_checked_too(kwargs, message):
    with pytest.raises(planner.PlanError, match=message):
        planner.Preset(**kwargs)

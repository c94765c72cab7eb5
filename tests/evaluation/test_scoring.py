"""The index arithmetic of PermenPANRB 59/2020, checked against the regulation's own worked examples."""

from decimal import Decimal

import pytest

from sia.evaluation import scoring
from sia.evaluation.framework_loader import read_yaml

from .conftest import DEMO_LEVELS, FRAMEWORK_FILE

D = Decimal


@pytest.fixture(scope="module")
def examples():
    return read_yaml(FRAMEWORK_FILE.read_text(encoding="utf-8"))["worked_examples"]["regulation_examples"]


def test_tabel_10_aspect_index(spec, examples):
    example = examples["aspect_2"]
    levels = {int(k): v for k, v in example["levels"].items()}
    total = sum(levels[i.number] * i.weight for i in spec.indicators if i.aspect == 2)
    assert total == example["sum_NIxBI"] == D("30.0")
    assert spec.aspect_map[2].weight == example["BA"]
    assert scoring.aspect_index(levels, 2, spec) == example["index"] == D("3.0")


def test_tabel_11_domain_index(spec, examples):
    example = examples["domain_2"]
    aspects = {int(k): v for k, v in example["aspect_indices"].items()}
    assert sum(aspects[a.number] * a.weight for a in spec.aspects if a.domain == 2) == example["sum_NAxBA"]
    assert spec.domain_map[2].weight == example["BD"]
    assert scoring.domain_index(aspects, 2, spec) == example["index"] == D("3.4")


def test_tabel_12_spbe_index(spec, examples):
    example = examples["spbe"]
    domains = {int(k): v for k, v in example["domain_indices"].items()}
    exact = scoring.spbe_index(domains, spec)
    assert sum(domains[d.number] * d.weight for d in spec.domains) == example["sum_NDxBD"] == D("328.2")
    assert exact == D("3.282")  # unrounded
    assert scoring.display(exact) == example["index"] == D("3.28")  # as published


def test_compute_reproduces_the_aspect_example_inside_a_full_assessment(spec, examples):
    levels = {n: 1 for n in spec.indicator_map} | {int(k): v for k, v in examples["aspect_2"]["levels"].items()}
    assert scoring.compute(levels, spec).aspects[2] == D("3.0")


def test_chain_and_direct_formula_agree(spec):
    result = scoring.compute(DEMO_LEVELS, spec)
    via_chain = scoring.spbe_index(
        {d.number: scoring.domain_index(result.aspects, d.number, spec) for d in spec.domains}, spec
    )
    assert result.index == D("2.49") and result.weighted_sum == D("249.00")
    assert abs(via_chain - result.index) < D("1e-25")
    assert result.predicate == "Cukup"
    assert result.aspects[6] == D(4) * D("1.5") / D("4.5")  # unrounded 1.333…, not 1.33
    assert str(result.aspects[6]).startswith("1.3333333333")


def test_index_is_the_weighted_mean_of_levels(spec):
    assert scoring.compute({n: 3 for n in spec.indicator_map}, spec).index == 3
    assert scoring.compute({n: 5 for n in spec.indicator_map}, spec).predicate == "Memuaskan"
    assert scoring.compute({n: 1 for n in spec.indicator_map}, spec).predicate == "Kurang"


@pytest.mark.parametrize(
    "value, predicate",
    [
        ("1.0", "Kurang"), ("1.7999", "Kurang"), ("1.8", "Cukup"), ("2.5999", "Cukup"), ("2.6", "Baik"),
        ("2.60", "Baik"), ("3.4999", "Baik"), ("3.5", "Sangat Baik"), ("4.1999", "Sangat Baik"), ("4.2", "Memuaskan"),
        ("5.0", "Memuaskan"),
    ],
)
def test_predicate_boundaries_exactly(spec, value, predicate):
    assert scoring.predicate_for(D(value), spec.bands) == predicate


def _levels(base: int, **ranges) -> dict[int, int]:
    levels = {n: base for n in range(1, 48)}
    for span, level in ranges.values():
        for number in span:
            levels[number] = level
    return levels


BOUNDARY_LEVELS = {
    # Σ(level × weight) = 180: indicators 11-20 and 42-46 at level 3, the rest at 1
    D("1.8"): _levels(1, a=(range(11, 21), 3), b=(range(42, 47), 3)),
    # 260: 11-20 at 5, 42-47 at 4, 21-24 at 2
    D("2.6"): _levels(1, a=(range(11, 21), 5), b=(range(42, 48), 4), c=(range(21, 25), 2)),
    # 350: 11-20 at 5, 42-47 at 5, 32-41 at 3, 1-5 and 21-31 at 2
    D("3.5"): _levels(1, a=(range(11, 21), 5), b=(range(42, 48), 5), c=(range(32, 42), 3), d=(range(1, 6), 2),
                      e=(range(21, 32), 2)),
    # 420: all at 5 but 11-20 and 42-46 at 3
    D("4.2"): _levels(5, a=(range(11, 21), 3), b=(range(42, 47), 3)),
}


@pytest.mark.parametrize(
    "boundary, predicate, below",
    [("1.8", "Cukup", "Kurang"), ("2.6", "Baik", "Cukup"), ("3.5", "Sangat Baik", "Baik"), ("4.2", "Memuaskan", "Sangat Baik")],
)
def test_boundaries_reached_by_real_levels(spec, boundary, predicate, below):
    """Level sets whose index is exactly 1.8, 2.6, 3.5 and 4.2 get the higher predicate; one step less does not."""
    levels = BOUNDARY_LEVELS[D(boundary)]
    result = scoring.compute(levels, spec)
    assert result.index == D(boundary)
    assert result.predicate == predicate
    lowered = dict(levels)
    lowered[11] -= 1
    assert scoring.compute(lowered, spec).predicate == below


def test_rounding_for_display_does_not_change_the_predicate(spec):
    assert scoring.display(D("2.5975")) == D("2.60")
    assert scoring.predicate_for(D("2.5975"), spec.bands) == "Cukup"
    assert scoring.display(D("2.495")) == D("2.50")  # half up, as published
    assert scoring.display(D("3.2849")) == D("3.28")


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", True, None])
def test_levels_outside_1_to_5_are_refused(spec, bad):
    levels = dict(DEMO_LEVELS) | {11: bad}
    with pytest.raises(scoring.LevelError, match="Indikator 11: tingkat .* tidak sah"):
        scoring.compute(levels, spec)


def test_unknown_and_missing_indicators(spec):
    with pytest.raises(scoring.LevelError, match="Indikator 48 tidak ada"):
        scoring.compute(dict(DEMO_LEVELS) | {48: 3}, spec)
    partial = {n: lv for n, lv in DEMO_LEVELS.items() if n != 11}
    with pytest.raises(scoring.LevelError, match="Tingkat indikator 11 belum diisi"):
        scoring.compute(partial, spec)
    provisional = scoring.compute(partial, spec, fill_missing=1)
    assert provisional.missing == (11,) and not provisional.complete
    assert provisional.index == D("2.49") - D("2.5") / 100


def test_next_band_floor_and_change(spec):
    assert scoring.next_band_floor(D("2.49"), spec.bands) == D("2.6")
    assert scoring.next_band_floor(D("2.6"), spec.bands) == D("3.5")
    assert scoring.next_band_floor(D("4.5"), spec.bands) is None
    before = scoring.compute(DEMO_LEVELS, spec)
    after = scoring.compute(dict(DEMO_LEVELS) | {11: 3}, spec)
    delta = scoring.change(before, after)
    assert delta.index == D("0.025") and delta.aspects[2] == D("0.25") and delta.domains[1] == 0


@pytest.mark.parametrize(
    "value, shown",
    [
        # two decimals would land in the band above: four decimals instead
        ("2.5975", "2.5975"), ("2.595", "2.5950"), ("1.795", "1.7950"), ("3.495", "3.4950"), ("4.1950", "4.1950"),
        ("2.59995", "2.599950"),  # four (2.6000) would still cross: six
        # no contradiction: two decimals, as published
        ("2.5949", "2.59"), ("2.6", "2.60"), ("2.6049", "2.60"), ("2.49", "2.49"), ("2.495", "2.50"), ("1.8", "1.80"),
        ("3.282", "3.28"), ("5", "5.00"), ("1", "1.00"),
    ],
)
def test_display_never_contradicts_the_predicate(spec, value, shown):
    index = D(value)
    assert str(scoring.display_index(index, spec.bands)) == shown
    assert scoring.predicate_for(D(shown), spec.bands) == scoring.predicate_for(index, spec.bands)


def test_result_index_display_keeps_the_unrounded_predicate(spec):
    result = scoring.compute(dict(DEMO_LEVELS) | {11: 3, 12: 3, 38: 3, 47: 3}, spec)  # Σ = 259.75
    assert result.index == D("2.5975") and result.predicate == "Cukup"
    assert result.display_places == 4 and result.index_display == D("2.5975")
    assert scoring.compute(DEMO_LEVELS, spec).index_display == D("2.49")

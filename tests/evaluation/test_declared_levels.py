"""Any hierarchy a file declares (``framework_hierarchy``): a synthetic 4-level instrument and one of indicators
only load and score exactly; broken ones are refused naming the place; the older forms read as the same tree."""

import copy
from decimal import Decimal

import pytest

from sia.evaluation.framework_hierarchy import group_values, groups_of
from sia.evaluation.framework_loader import FrameworkError, parse_framework, read_yaml
from sia.evaluation.scoring import compute

from .conftest import FRAMEWORK_FILE

D = Decimal


@pytest.fixture(scope="module")
def base():
    """What an instrument needs besides its hierarchy (bands, scales), taken from the 59/2020 file."""
    raw = read_yaml(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    return {key: raw[key] for key in ("predikat", "capability_scales", "level_value")}


def indicator(number, weight, parent=None, **extra):
    row = {"number": number, "name": f"Indikator uji {number}", "weight_pct_of_index": D(weight),
           "levels": {n: f"Kriteria tingkat {n} indikator {number}" for n in range(1, 6)}, **extra}
    if parent is not None:
        row["parent"] = parent
    return row


def four_levels(base):
    return {
        **copy.deepcopy(base),
        "framework": {"code": "uji-4", "name": "Uji empat tingkat"},
        "hierarchy": [
            {"level": "pilar", "name": "Pilar", "rows": "pillars"},
            {"level": "domain", "name": "Domain", "rows": "domains"},
            {"level": "aspect", "name": "Aspek", "rows": "aspects"},
            {"level": "indicator", "name": "Indikator", "rows": "indicators"},
        ],
        "pillars": [{"number": 1, "name": "Pilar Tata Kelola", "weight_pct": D(60)},
                    {"number": 2, "name": "Pilar Layanan", "weight_pct": D(40)}],
        "domains": [{"number": 1, "name": "Kebijakan", "weight_pct": D(30), "parent": 1},
                    {"number": 2, "name": "Manajemen", "weight_pct": D(30), "pilar": 1},  # the level's key as parent
                    {"number": 3, "name": "Layanan", "weight_pct": D(40), "parent": 2}],
        "aspects": [{"number": 1, "name": "Kebijakan internal", "weight_pct": D(30), "parent": 1},
                    {"number": 2, "name": "Risiko", "weight_pct": D(10), "parent": 2},
                    {"number": 3, "name": "Data", "weight_pct": D(20), "parent": 2},
                    {"number": 4, "name": "Layanan publik", "weight_pct": D(40), "parent": 3}],
        "indicators": [indicator(1, 10, 1), indicator(2, 20, 1), indicator(3, 10, 2), indicator(4, 20, 3),
                       indicator(5, 25, 4), indicator(6, 15, aspect=4)],
    }


def one_level(base):
    return {
        **copy.deepcopy(base),
        "framework": {"code": "uji-1", "name": "Uji indikator saja"},
        "hierarchy": [{"level": "indicator", "name": "Indikator", "rows": "indicators"}],
        "indicators": [indicator(1, 40), indicator(2, 30), indicator(3, 20), indicator(4, 10)],
    }


def refused(data) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(data)
    return caught.value.errors


def test_a_four_level_file_loads_with_its_named_levels_and_scores_by_hand(base):
    spec = parse_framework(four_levels(base))
    assert [level.name for level in spec.levels] == ["Pilar", "Domain", "Aspek", "Indikator"]
    assert spec.domains == () and spec.aspects == ()  # not domain > aspect: nothing shown as such
    assert spec.groups["domain"][2].parent == 1 and spec.indicator(6).aspect == 4
    result = compute({1: 2, 2: 4, 3: 3, 4: 1, 5: 5, 6: 2}, spec)
    # Σ v·w = 20 + 80 + 30 + 20 + 125 + 30 = 305 -> 3.05
    assert result.index == D("3.05") and result.predicate == "Baik"
    assert result.groups["aspect"] == {1: D(100) / 30, 2: D(3), 3: D(1), 4: D("3.875")}
    assert result.groups["domain"] == {1: D(100) / 30, 2: D(50) / 30, 3: D("3.875")}
    assert result.groups["pilar"] == {1: D("2.5"), 2: D("3.875")}
    assert result.domains == {} and result.aspects == {}


def test_a_file_of_indicators_only_loads_and_scores_by_hand(base):
    spec = parse_framework(one_level(base))
    assert [level.key for level in spec.levels] == ["indicator"] and spec.groups == {}
    assert spec.aspects == () and spec.domains == ()
    result = compute({1: 3, 2: 2, 3: 5, 4: 1}, spec)
    assert result.index == D("2.9") and result.groups == {} and result.aspects == {}  # 120 + 60 + 100 + 10


def test_a_declared_two_level_file_is_stored_as_aspects_and_scores_like_the_older_form(base):
    data = four_levels(base)
    data["hierarchy"] = data["hierarchy"][2:]
    data["aspects"] = [{**row, "weight_pct": row["weight_pct"]} for row in data["aspects"]]
    for row in data["aspects"]:
        row.pop("parent")
    data["aspects"][0]["weight_pct"] = D(30)
    spec = parse_framework(data)
    assert [a.number for a in spec.aspects] == [1, 2, 3, 4] and spec.domains == ()
    result = compute({1: 2, 2: 4, 3: 3, 4: 1, 5: 5, 6: 2}, spec)
    assert result.aspects == result.groups["aspect"] and result.index == D("3.05")


def test_the_older_forms_read_as_the_same_tree(spec):
    levels, groups = groups_of(spec)
    assert [level.key for level in levels] == ["domain", "aspect", "indicator"]
    values = {i.number: (i.number % 5) + 1 for i in spec.indicators}
    result = compute(values, spec)
    tree = group_values(spec, values)
    assert tree["aspect"] == result.aspects and tree["domain"] == result.domains


def test_a_cycle_in_the_declared_levels_is_refused(base):
    data = four_levels(base)
    data["hierarchy"].insert(2, {"level": "pilar", "name": "Pilar", "rows": "pillars"})
    errors = refused(data)
    assert errors == ["hierarchy: “pilar -> domain -> pilar -> aspect -> indicator” melingkar: pilar, pillars muncul "
                      "lebih dari sekali."]


def test_weights_not_summing_are_refused_naming_the_group_and_its_members(base):
    data = four_levels(base)
    data["aspects"][2]["weight_pct"] = D(21)
    data["indicators"][3]["weight_pct_of_index"] = D(21)
    errors = refused(data)
    assert "Domain 2 (Manajemen): bobot Aspek 2, 3 berjumlah 31.00, tidak sama dengan bobotnya 30.00." in errors
    data = four_levels(base)
    data["pillars"][1]["weight_pct"] = D(41)
    assert "Bobot seluruh Pilar berjumlah 101.00, seharusnya 100.00." in refused(data)
    data = one_level(base)
    data["indicators"][0]["weight_pct_of_index"] = D(41)
    assert "Bobot seluruh Indikator berjumlah 101.00, seharusnya 100.00." in refused(data)


def test_an_unknown_parent_and_a_missing_section_are_refused_naming_the_place(base):
    data = four_levels(base)
    data["domains"][2]["parent"] = 9
    data["indicators"][0]["parent"] = 7
    errors = refused(data)
    assert "domains[2].parent: Pilar 9 tidak dikenal." in errors
    assert "indicators[0].parent: Aspek 7 tidak dikenal." in errors
    data = four_levels(base)
    del data["pillars"]
    assert any(e.startswith("Bagian “pillars” (Pilar) tidak ada atau kosong.") for e in refused(data))
    data = four_levels(base)
    data["hierarchy"][-1]["rows"] = "butir"
    assert refused(data) == ["hierarchy[3]: tingkat terakhir harus indikator (rows: indicators), bukan “butir”."]


def test_band_gaps_and_overlaps_are_refused_in_a_declared_file_too(base):
    data = four_levels(base)
    bands = data["predikat"]["bands"]
    bands[1]["min"] = D("3.6")  # Sangat Baik from 3.6: a gap after Baik (< 3.5)
    errors = refused(data)
    assert any("3.5" in e and "3.6" in e for e in errors), errors
    data = four_levels(base)
    data["predikat"]["bands"][2]["max_exclusive"] = D("3.7")  # Baik up to 3.7 overlaps Sangat Baik from 3.5
    errors = refused(data)
    assert any("3.7" in e for e in errors), errors

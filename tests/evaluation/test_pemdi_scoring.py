"""Indeks Pemdi arithmetic against values worked by hand, value checks, external conversion, stored values."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from sia.evaluation import scoring, services
from sia.evaluation.choices import Stage
from sia.evaluation.framework_loader import load_framework_file
from sia.evaluation.frameworks import DATA_DIR, manifest_entry
from sia.evaluation.models import FrameworkVersion, IndicatorScore
from sia.evaluation.values import check_value, external_value, value_for_level

from .conftest import make_assessment

D = Decimal

# Twenty fractional values (I5 = SDI 25 converted, I18 = SDI 68.75 converted) and, per aspect,
# Σ(NI × BI) worked by hand with the weights of Lampiran Tabel 1 (percent of the index):
VALUES = {
    1: D("2.75"), 2: D("1.50"),                                # A1 (10): 2.75×5 + 1.50×5 = 21.25
    3: D("1.26"), 4: D("3.00"),                                # A2 (10): 6.30 + 15.00 = 21.30
    5: D("2.00"), 6: D("1.00"), 7: D("3.33"), 8: D("2.10"),    # A3 (15): 10.00 + 3.00 + 9.99 + 8.40 = 31.39
    9: D("1.17"), 10: D("2.50"), 11: D("4.00"), 12: D("1.25"), # A4 (15): 4.68 + 10.00 + 12.00 + 5.00 = 31.68
    13: D("1.17"), 14: D("1.00"),                              # A5 (10): 5.85 + 5.00 = 10.85
    15: D("3.10"), 16: D("2.20"), 17: D("1.90"), 18: D("3.75"),# A6 (15): 12.40 + 8.80 + 7.60 + 11.25 = 40.05
    19: D("1.00"), 20: D("1.30"),                              # A7 (25): 10.00 + 19.50 = 29.50
}
ASPECTS = {  # Σ(NI × BI) / BA as exact fractions
    1: Fraction(2125, 1000), 2: Fraction(2130, 1000), 3: Fraction(3139, 1500), 4: Fraction(3168, 1500),
    5: Fraction(1085, 1000), 6: Fraction(4005, 1500), 7: Fraction(2950, 2500),
}
INDEX = Fraction(18602, 10000)  # (21.25 + 21.30 + 31.39 + 31.68 + 10.85 + 40.05 + 29.50) / 100 = 186.02 / 100


@pytest.fixture(scope="module")
def pemdi():
    entry = manifest_entry(code="permenpanrb-8-2026")
    return load_framework_file(DATA_DIR / entry["file"], code=entry["code"], name=entry["name"], overlay=entry)


def test_index_and_aspects_of_twenty_fractional_values(pemdi):
    result = scoring.compute(VALUES, pemdi)
    assert result.weighted_sum == D("186.02") and result.index == D("1.8602")
    assert Fraction(result.index) == INDEX
    for number, expected in ASPECTS.items():
        assert abs(Fraction(result.aspects[number]) - expected) < Fraction(1, 10**25), number
    assert result.aspects[5] == D("1.085") and result.aspects[6] == D("2.67")  # exact where the quotient ends
    assert result.predicate == "Cukup" and result.domains == {} and not result.has_domains
    assert result.index_display == D("1.86") and result.complete


def test_intermediate_results_are_never_rounded(pemdi):
    result = scoring.compute(VALUES, pemdi)
    rounded_aspects = {n: scoring.display(v) for n, v in result.aspects.items()}  # 2.13, 2.13, 2.09, 2.11, 1.09 ...
    from_rounded = sum(rounded_aspects[a.number] * a.weight for a in pemdi.aspects) / 100
    assert from_rounded == D("1.8605") != result.index  # the published method keeps the unrounded aspects
    assert sum(result.aspects[a.number] * a.weight for a in pemdi.aspects) / 100 - result.index < D("1e-25")


def test_unequal_weights_inside_an_aspect(pemdi):
    values = {n: D("1.00") for n in pemdi.indicator_map}
    values[20] = D("5.00")  # I20 weighs 15 of aspect 7's 25, I19 only 10
    result = scoring.compute(values, pemdi)
    assert result.aspects[7] == D("3.4")  # (1×10 + 5×15) / 25
    values[19], values[20] = D("5.00"), D("1.00")
    assert scoring.compute(values, pemdi).aspects[7] == D("2.6")  # (5×10 + 1×15) / 25
    assert scoring.compute(values, pemdi).index == D("1.40")  # 140 / 100


@pytest.mark.parametrize(
    ("value", "predicate", "level"),
    [("1.49", "Kurang", 1), ("1.50", "Cukup", 2), ("2.49", "Cukup", 2), ("2.50", "Baik", 3), ("3.50", "Sangat Baik", 4),
     ("3.99", "Sangat Baik", 4), ("4.00", "Memuaskan", 5), ("5.00", "Memuaskan", 5)],
)
def test_predicate_and_level_bands_at_their_edges(pemdi, value, predicate, level):
    result = scoring.compute({n: D(value) for n in pemdi.indicator_map}, pemdi)
    assert result.index == D(value) and result.predicate == predicate
    assert scoring.level_of(D(value), pemdi) == level
    assert pemdi.level_names[level][0] == next(b.name_id for b in pemdi.bands if b.name == predicate)


def test_values_outside_the_scale_or_with_three_decimals_name_the_indicator(pemdi, spec):
    with pytest.raises(scoring.LevelError, match=r"^Indikator 3: nilai 1.255 memiliki lebih dari 2 desimal"):
        scoring.compute({**VALUES, 3: D("1.255")}, pemdi)
    with pytest.raises(scoring.LevelError, match=r"^Indikator 7: nilai 5.01 di luar rentang"):
        scoring.compute({**VALUES, 7: D("5.01")}, pemdi)
    with pytest.raises(scoring.LevelError, match="Indikator 1: nilai 0.99 di luar rentang"):
        scoring.compute({**VALUES, 1: D("0.99")}, pemdi)
    assert scoring.compute({**VALUES, 3: D("1.250")}, pemdi).index == D("1.8597")  # 1.250 is 1.25: 186.02 - 0.01 × 5
    assert scoring.compute({n: 3 for n in pemdi.indicator_map}, pemdi).index == 3  # ints accepted
    # a whole-level instrument takes whole levels only
    levels = {n: 3 for n in spec.indicator_map}
    with pytest.raises(scoring.LevelError, match="^Indikator 11: PermenPANRB 59/2020 memakai tingkat bulat"):
        scoring.compute({**levels, 11: D("2.5")}, spec)
    assert scoring.compute({**levels, 11: D("3.00")}, spec).index == 3


def test_missing_values_and_the_provisional_fill(pemdi):
    partial = {n: v for n, v in VALUES.items() if n != 20}
    with pytest.raises(scoring.LevelError, match="indikator 20 belum diisi"):
        scoring.compute(partial, pemdi)
    result = scoring.compute(partial, pemdi, fill_missing=1)
    assert result.missing == (20,) and result.weighted_sum == D("186.02") - D("1.30") * 15 + 15


def test_check_value_is_the_one_rule_for_forms_api_and_import(pemdi, spec):
    assert check_value("2,75", pemdi) == D("2.75") and check_value(3, pemdi) == D("3.00")
    for bad, message in (("1.255", "lebih dari 2 desimal"), ("5.5", "di luar rentang"), ("abc", "bukan angka")):
        with pytest.raises(ValidationError, match=message) as caught:
            check_value(bad, pemdi, pemdi.indicator(13))
        assert caught.value.messages[0].startswith("Indikator I13: ")
    with pytest.raises(ValidationError, match="memakai tingkat bulat 1 sampai 5; nilai pecahan 2.5 tidak sah"):
        check_value("2.5", spec, spec.indicator(11))
    assert check_value("4", spec) == 4
    assert [value_for_level(pemdi, k) for k in (1, 2, 3, 4, 5)] == [D(v) for v in ("1.00", "1.50", "2.50", "3.50", "4.00")]
    assert [value_for_level(spec, k) for k in (1, 5)] == [1, 5]


def test_external_indices_are_converted_as_the_file_declares(pemdi):
    assert external_value(pemdi, 5, D("25")) == (D("2.00"), external_value(pemdi, 5, D("25"))[1])
    value, note = external_value(pemdi, 5, "68.75")
    assert value == D("3.75") and "68,75 dikonversi menjadi 3,75 (1 + 0,04 × indeks)" in note
    assert external_value(pemdi, 18, D("12.5"))[0] == D("1.50")
    assert external_value(pemdi, 18, D("100"))[0] == D("5.00")
    assert external_value(pemdi, 5, D("33.333"))[0] == D("2.33")  # 2.33332, rounded half up to two decimals
    missing, note = external_value(pemdi, 18, None)
    assert missing == D("1.00") and "belum tersedia" in note and note.endswith("dianggap 1,00.")


@pytest.mark.parametrize("typed", ["1e2", "1E+2", "100"])
def test_a_source_in_exponent_notation_is_read_as_plain_digits(pemdi, typed):
    value, note = external_value(pemdi, 5, typed)
    assert value == D("5.00") and "(SDI) 100 dikonversi menjadi 5,00" in note and "E+" not in note


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-inf", "sNaN"])
def test_a_source_that_is_no_finite_number_is_refused(pemdi, typed):
    with pytest.raises(ValidationError, match="bukan angka"):
        external_value(pemdi, 5, typed)
    unknown, note = external_value(pemdi, 6, D("3.2"))
    assert unknown is None and "asesor mengisi nilainya" in note
    with pytest.raises(ValidationError, match="di luar rentang 0-100"):
        external_value(pemdi, 5, D("120"))
    with pytest.raises(ValidationError, match="dinilai dari bukti dukung"):
        external_value(pemdi, 1, D("50"))


# --- stored values -----------------------------------------------------------------------------


@pytest.fixture
def pemdi_version(db):
    return FrameworkVersion.objects.get(code="permenpanrb-8-2026")


def score(assessment, number, **fields):
    item = IndicatorScore(
        assessment=assessment, indicator=assessment.framework.indicators.get(number=number), stage=Stage.SELF, **fields
    )
    item.full_clean()
    item.save()
    return item


@pytest.mark.django_db
def test_a_stored_value_gives_its_level_and_the_index_uses_the_values(world, pemdi_version):
    assessment = make_assessment(world, pemdi_version, year=2026)
    for number, value in VALUES.items():
        score(assessment, number, value=value)
    assert IndicatorScore.objects.get(assessment=assessment, indicator__number=1).level == 3  # 2.75: Berkembang
    assert IndicatorScore.objects.get(assessment=assessment, indicator__number=11).level == 5  # 4.00: Unggul
    summary = services.summaries(assessment)[0]
    assert summary.result.index == D("1.8602") and summary.result.domains == {}
    # a level set the 59/2020 way becomes the least value of its band
    stored = services.set_level(assessment, pemdi_version.indicators.get(number=1), 4, user=world.users["assessor"])
    assert (stored.level, stored.value) == (4, D("3.50"))
    stored.value = D("1.26")
    stored.full_clean()
    stored.save()
    assert IndicatorScore.objects.values_list("level", "value").get(pk=stored.pk) == (1, D("1.26"))


@pytest.mark.django_db
def test_bad_values_are_refused_naming_the_indicator_and_nothing_is_written(world, pemdi_version, framework):
    assessment = make_assessment(world, pemdi_version, year=2026)
    with pytest.raises(ValidationError) as caught:
        score(assessment, 13, value=D("1.255"))
    assert any("Indikator I13: nilai 1.255 memiliki lebih dari 2 desimal." in m for m in caught.value.message_dict["value"])
    with pytest.raises(ValidationError) as caught:
        score(assessment, 13, value=D("5.10"))
    assert "value" in caught.value.message_dict
    spbe = make_assessment(world, framework, year=2024)
    with pytest.raises(ValidationError) as caught:
        score(spbe, 11, value=D("2.50"))
    assert caught.value.message_dict["value"] == [
        "Indikator 11: PermenPANRB 59/2020 memakai tingkat bulat 1 sampai 5; nilai pecahan 2.50 tidak sah."
    ]
    assert not IndicatorScore.objects.filter(assessment__in=[assessment, spbe]).exists()


@pytest.mark.django_db
def test_whole_levels_keep_working_and_values_follow_them(world, framework):
    assessment = make_assessment(world, framework, levels={11: 3})
    stored = IndicatorScore.objects.get(assessment=assessment, indicator__number=11)
    assert (stored.level, stored.value) == (3, D("3.00"))
    services.set_level(assessment, framework.indicators.get(number=11), 2, user=world.users["assessor"])
    assert IndicatorScore.objects.values_list("level", "value").get(pk=stored.pk) == (2, D("2.00"))
    assert services.levels_by_stage(assessment)[Stage.SELF.value] == {11: 2}
    assert isinstance(services.levels_by_stage(assessment)[Stage.SELF.value][11], int)

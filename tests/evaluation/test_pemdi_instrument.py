"""PermenPANRB 8/2026 (Indeks Pemdi) as data: the real file loads; broken copies are refused naming the place."""

import copy
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sia.evaluation.framework_loader import FrameworkError, load_framework_file, parse_framework, read_yaml
from sia.evaluation.frameworks import DATA_DIR, install_default_frameworks, manifest_entry, spec_for
from sia.evaluation.models import EvidenceItem, FrameworkGroup, FrameworkVersion, Indicator

from .conftest import FRAMEWORK_FILE

PEMDI_FILE = DATA_DIR / "permenpanrb-8-2026.yaml"
SHARED_PEMDI = Path(__file__).resolve().parents[2] / ".." / "shared" / "evaluation" / "permenpanrb-8-2026.yaml"


@pytest.fixture(scope="module")
def entry():
    return manifest_entry(code="permenpanrb-8-2026")


@pytest.fixture(scope="module")
def pemdi(entry):
    return load_framework_file(PEMDI_FILE, code=entry["code"], name=entry["name"], overlay=entry)


@pytest.fixture(scope="module")
def raw():
    return read_yaml(PEMDI_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw59():
    return read_yaml(FRAMEWORK_FILE.read_text(encoding="utf-8"))


def refused(data, overlay=None) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(data, code="uji", name="Uji", overlay=overlay)
    return caught.value.errors


def test_the_instrument_has_aspects_and_indicators_but_no_domains(pemdi):
    assert not pemdi.has_domains and pemdi.domains == ()
    assert (len(pemdi.aspects), len(pemdi.indicators)) == (7, 20)
    assert [a.weight for a in pemdi.aspects] == [Decimal(w) for w in ("10", "10", "15", "15", "10", "15", "25")]
    assert all(a.domain is None for a in pemdi.aspects) and all(i.domain is None for i in pemdi.indicators)
    assert sum(i.weight for i in pemdi.indicators) == 100
    seven = [i for i in pemdi.indicators if i.aspect == 7]
    assert [(i.number, i.weight) for i in seven] == [(19, Decimal("10.0")), (20, Decimal("15.0"))]  # unequal
    assert pemdi.indicator(13).code == "I13" and pemdi.indicator(13).aspect == 5


def test_values_are_continuous_with_two_decimals_and_levels_are_bands(pemdi, spec):
    assert pemdi.continuous and pemdi.value_places == 2 and pemdi.value_step == Decimal("0.01")
    assert {k: (str(lo), str(hi)) for k, (lo, hi) in pemdi.level_bands.items()} == {
        1: ("1.0", "1.5"), 2: ("1.5", "2.5"), 3: ("2.5", "3.5"), 4: ("3.5", "4.0"), 5: ("4.0", "5.01"),
    }
    assert pemdi.level_names == {
        1: ("Merintis", "Initiate"), 2: ("Membangun", "Emerging"), 3: ("Berkembang", "Developing"),
        4: ("Melembaga", "Embedded"), 5: ("Unggul", "Leading"),
    }
    assert [pemdi.level_of(Decimal(v)) for v in ("1.00", "1.49", "1.50", "2.75", "3.99", "4.00", "5.00")] == [
        1, 1, 2, 3, 4, 5, 5,
    ]
    # 59/2020: whole levels, level k is the single value k
    assert not spec.continuous and spec.value_places == 0 and spec.has_domains
    assert spec.level_bands[3] == (Decimal(3), Decimal(4)) and spec.level_names == {}


def test_predicate_bands_carry_their_names_and_descriptions(pemdi):
    bands = [(b.name, b.name_id, b.name_en, b.lower, b.upper, b.upper_inclusive) for b in pemdi.bands]
    assert bands == [
        ("Kurang", "Merintis", "Initiate", Decimal("1.0"), Decimal("1.5"), False),
        ("Cukup", "Membangun", "Emerging", Decimal("1.5"), Decimal("2.5"), False),
        ("Baik", "Berkembang", "Developing", Decimal("2.5"), Decimal("3.5"), False),
        ("Sangat Baik", "Melembaga", "Embedded", Decimal("3.5"), Decimal("4.0"), False),
        ("Memuaskan", "Unggul", "Leading", Decimal("4.0"), Decimal("5.0"), True),
    ]
    assert pemdi.bands[2].description.startswith("Pemdi dilaksanakan sistematis")


def test_evidence_items_are_coded_per_indicator_level_and_number(pemdi, raw):
    one = pemdi.indicator(1)
    assert [item.code for item in one.items_of_level(2)] == ["I1-L2-01", "I1-L2-02", "I1-L2-03", "I1-L2-04"]
    assert one.items_of_level(2)[1].text.startswith("Pengisian Arsitektur Pemerintah Digital pada sebagian")
    expected = sum(
        len(level.get("data_dukung") or [])
        for row in raw["indicators"] for level in row["levels"].values() if isinstance(level, dict)
    )
    assert len(pemdi.evidence_item_map) == expected == sum(len(i.evidence_items) for i in pemdi.indicators)
    assert pemdi.evidence_item_map["I13-L3-04"].level == 3


def test_criteria_texts_fall_back_to_the_summary_where_the_file_has_none(pemdi):
    three = pemdi.indicator(3)  # no module criteria at all: the pre-regulation summaries are the guidance
    assert three.levels[1] == three.level_summaries[1] == "Telah melaksanakan peningkatan kompetensi digital kepada >90% ASN pengelola."
    assert pemdi.indicator(1).levels[0].startswith("Substansi Rencana Aksi Nasional Pemerintah Digital pada perencanaan")


def test_external_indicators_and_their_conversions(pemdi):
    externals = {i.number: i.external for i in pemdi.external_indicators}
    assert sorted(externals) == [5, 6, 7, 18]
    sdi = externals[5]
    assert (sdi.conversion, sdi.intercept, sdi.slope, sdi.source_min, sdi.source_max) == (
        "linear", Decimal(1), Decimal("0.04"), Decimal(0), Decimal(100)
    )
    assert sdi.source_index == "Indeks Satu Data Indonesia (SDI)"
    assert (externals[18].conversion, externals[18].intercept, externals[18].slope) == ("linear", 1, Decimal("0.04"))
    assert externals[6].conversion == externals[7].conversion == "unknown"
    assert "UNKNOWN" in externals[6].basis and externals[7].source_index.startswith("Indeks Pembangunan Statistik")
    assert pemdi.indicator(10).value_source == "evidence"  # "evidence (IKASANDI score range ...)"


def test_terms_and_years_come_from_the_manifest(pemdi, entry):
    assert pemdi.terms == {"index": "Indeks Pemdi", "coordinator": "Koordinator Pemdi", "internal_team": "Tim Asesor Internal",
                           "coordination_team": "Tim Koordinasi Pemerintah Digital"}
    assert (pemdi.first_year, pemdi.last_year) == (2026, None)
    old = manifest_entry(code="permenpanrb-59-2020")
    spec59 = load_framework_file(FRAMEWORK_FILE, code=old["code"], name=old["name"], overlay=old)
    assert (spec59.term("index"), spec59.term("coordinator"), spec59.term("internal_team"),
            spec59.term("coordination_team")) == ("Indeks SPBE", "Koordinator SPBE", "Tim Evaluator", "Tim Koordinasi SPBE")
    assert (spec59.first_year, spec59.last_year) == (2021, 2025)
    assert parse_framework(read_yaml(PEMDI_FILE.read_text(encoding="utf-8")), code="x", name="x").term("index") == "Indeks"


def test_the_project_copy_is_the_shared_instrument():
    digest = hashlib.sha256(PEMDI_FILE.read_bytes()).hexdigest()
    assert digest in (DATA_DIR / "README.md").read_text(encoding="utf-8")
    if not SHARED_PEMDI.is_file():
        pytest.skip("the shared instrument is not beside this clone")
    assert SHARED_PEMDI.read_bytes() == PEMDI_FILE.read_bytes()


# --- broken copies -----------------------------------------------------------------------------


def test_an_indicator_weight_off_names_the_aspect_and_the_index(raw, entry):
    data = copy.deepcopy(raw)
    data["indicators"][19]["weight_pct_of_index"] = Decimal("14.0")  # I20
    errors = refused(data, entry)
    assert (
        "Aspek 7 (Kepuasan Pengguna Layanan Digital Pemerintah): bobot indikator 19, 20 berjumlah 24.00, "
        "tidak sama dengan bobot aspek 25.00." in errors
    )
    assert "Bobot seluruh indikator berjumlah 99.00, seharusnya 100.00." in errors


def test_aspect_weights_of_an_instrument_without_domains_sum_to_100(raw, entry):
    data = copy.deepcopy(raw)
    data["aspects"][0]["weight_pct"] = Decimal("11.0")
    data["indicators"][0]["weight_pct_of_index"] = Decimal("6.0")  # aspect 1 adds up, the index does not
    errors = refused(data, entry)
    assert "Bobot seluruh aspek berjumlah 101.00, seharusnya 100.00 (instrumen tanpa domain)." in errors
    assert "Bobot seluruh indikator berjumlah 101.00, seharusnya 100.00." in errors


def test_a_weight_that_is_not_a_number_names_its_path(raw, entry):
    data = copy.deepcopy(raw)
    data["indicators"][4]["weight_pct_of_index"] = "lima"
    errors = refused(data, entry)
    assert any(e.endswith("[indicators[4].weight_pct_of_index]") and "“lima”" in e for e in errors), errors


def test_bands_with_a_gap_or_an_overlap_are_refused(raw, entry):
    data = copy.deepcopy(raw)
    data["predikat"]["bands"][1]["max_exclusive"] = Decimal("2.4")  # Cukup stops before Baik starts
    assert refused(data, entry) == [
        "Ada celah antara predikat Cukup (1.5 – < 2.4) dan Baik (2.5 – < 3.5): nilai 2.4 sampai 2.5 tidak memiliki predikat."
    ]
    data = copy.deepcopy(raw)
    data["predikat"]["bands"][3]["min"] = Decimal("3.4")
    assert refused(data, entry) == ["Predikat Baik (2.5 – < 3.5) dan Sangat Baik (3.4 – < 4.0) tumpang tindih."]


def test_a_hierarchy_with_a_cycle_is_refused(raw, entry):
    data = copy.deepcopy(raw)
    data["hierarchy"] = "aspects -> indicators -> aspects"
    assert refused(data, entry) == [
        "hierarchy: “aspects -> indicators -> aspects” melingkar: aspects muncul lebih dari sekali."
    ]
    data["hierarchy"] = "aspects -> domains -> indicators"
    errors = refused(data, entry)
    assert len(errors) == 1 and errors[0].startswith("hierarchy: “aspects -> domains -> indicators” melingkar")
    data["hierarchy"] = "domains -> aspects -> indicators"  # but domains: []
    assert refused(data, entry) == [
        "hierarchy: “domains -> aspects -> indicators” tidak sesuai dengan bagian domains, yang kosong."
    ]


def test_an_indicator_pointing_to_a_missing_aspect_or_listed_elsewhere(raw, entry):
    data = copy.deepcopy(raw)
    data["indicators"][12]["aspect"] = 8  # I13
    errors = refused(data, entry)
    assert any(e.startswith("Indikator 13 (") and "aspek 8 tidak dikenal" in e and "[indicators[12].aspect]" in e
               for e in errors), errors
    data = copy.deepcopy(raw)
    data["indicators"][12]["aspect"] = 6  # aspect 5 still lists 13
    data["indicators"][13]["aspect"] = 6
    errors = refused(data, entry)
    assert (
        "aspects[4].indicators: aspek 5 menyebut indikator 13, 14, tetapi indikator yang merujuk ke aspek ini adalah -."
        in errors
    )
    data = copy.deepcopy(raw)
    data["aspects"][2]["domain"] = 1  # an aspect in a domain the instrument does not have
    assert any("Aspek 3 (Data): domain 1 tidak dikenal." in e and "[aspects[2].domain]" in e for e in refused(data, entry))


def test_evidence_items_must_be_lists_of_texts(raw, entry):
    data = copy.deepcopy(raw)
    data["indicators"][0]["levels"][2]["data_dukung"] = "Satu dokumen"
    data["indicators"][1]["levels"][1]["data_dukung"] = ["Bukti", {"butir": "x"}]
    errors = refused(data, entry)
    assert (
        "indicators[0].levels.2.data_dukung: bukti dukung tingkat 2 harus berupa daftar (list) butir, bukan str." in errors
    )
    assert "indicators[1].levels.1.data_dukung[1]: butir bukti dukung harus berupa teks yang tidak kosong." in errors
    assert len(errors) == 2


def test_a_conversion_that_misses_the_worked_examples_is_refused(raw, entry):
    data = copy.deepcopy(raw)
    data["external_indicators"]["automatic"][0]["inferred_formula"] = "value = 1 + 0.03 * SDI"
    errors = refused(data, entry)
    assert (
        "worked_examples.external_conversion.cases[0]: indeks sumber 25.0 seharusnya menjadi 2.0, tetapi konversi "
        "1 + 0.03 × indeks memberi 1.75." in errors
    )
    assert any(e.startswith("indicators[4].worked_examples[1]: indeks sumber 68.75") for e in errors)
    bad = copy.deepcopy(entry)
    bad["external"] = {18: {**entry["external"][18], "slope": Decimal("0.05")}, 13: {"conversion": "linear"}}
    errors = refused(copy.deepcopy(raw), bad)
    assert any(e.startswith("external.18 (frameworks.yaml): konversi 1 + 0.05 × indeks memetakan 0-100 ke") for e in errors)
    assert any(e.startswith("external.13 (frameworks.yaml): indikator 13 dinilai dari bukti dukung") for e in errors)


def test_a_continuous_instrument_needs_its_level_bands(raw, entry):
    data = copy.deepcopy(raw)
    data["level_names"][4]["predikat"] = "Memuaskan"
    data["level_names"][5]["predikat"] = "Sangat Baik"
    assert refused(data, entry) == [
        "level_names: predikat tingkat 1-5 (Kurang, Cukup, Baik, Memuaskan, Sangat Baik) harus berbeda dan naik "
        "sesuai urutan predikat."
    ]
    del data["level_names"]
    assert refused(data, entry)[0].startswith("level_names: instrumen dengan nilai pecahan harus menyebut predikat")


def test_a_whole_level_instrument_given_fractional_levels_is_refused(raw59):
    data = copy.deepcopy(raw59)
    data["worked_examples"]["regulation_examples"]["aspect_2"]["levels"][12] = Decimal("3.5")
    assert refused(data) == [
        "worked_examples.regulation_examples.aspect_2.levels.12: tingkat 3.5 bukan bilangan bulat, padahal instrumen ini "
        "memakai tingkat bulat (level_value.fractional tidak true)."
    ]


def test_errors_of_a_file_name_the_file(tmp_path, raw, entry):
    data = copy.deepcopy(raw)
    data["indicators"][19]["weight_pct_of_index"] = Decimal("14.0")
    path = tmp_path / "pemdi-rusak.yaml"
    path.write_text(yaml.safe_dump(_plain(data), allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path, overlay=entry)
    assert all(e.startswith("pemdi-rusak.yaml: ") for e in caught.value.errors)


# --- in the database ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrate_installs_both_instruments_with_what_the_file_carries(pemdi):
    versions = {v.code: v for v in install_default_frameworks()}
    stored = versions["permenpanrb-8-2026"]
    assert (stored.first_year, stored.last_year, stored.continuous, stored.value_places) == (2026, None, True, 2)
    assert versions["permenpanrb-59-2020"].last_year == 2025 and not versions["permenpanrb-59-2020"].continuous
    assert stored.term("index") == "Indeks Pemdi" and versions["permenpanrb-59-2020"].term("internal_team") == "Tim Evaluator"
    assert stored.levels == [{"key": "aspect", "name": "Aspek", "rows": "aspects"}] and not stored.has_domains
    assert FrameworkGroup.objects.filter(framework=stored, level="aspect", parent=None, depth=0).count() == 7
    assert not FrameworkGroup.objects.filter(framework=stored).exclude(level="aspect").exists()
    assert EvidenceItem.objects.filter(framework=stored).count() == len(pemdi.evidence_item_map)
    assert EvidenceItem.objects.get(framework=stored, code="I1-L2-02").indicator.number == 1
    five = Indicator.objects.get(framework=stored, number=5)
    assert (five.code, five.value_source, five.external["conversion"], five.external["slope"]) == ("I5", "external", "linear", "0.04")
    assert stored.bands.get(name="Baik").name_en == "Developing"
    assert FrameworkVersion.in_force_for(2026) == stored
    assert FrameworkVersion.in_force_for(2024) == versions["permenpanrb-59-2020"]


@pytest.mark.django_db
def test_the_stored_instrument_reads_back_as_the_file(pemdi):
    stored = spec_for(FrameworkVersion.objects.get(code="permenpanrb-8-2026"))
    assert not stored.has_domains and stored.continuous and stored.value_places == 2
    assert stored.level_bands == pemdi.level_bands and stored.level_names == pemdi.level_names
    assert [(i.number, i.aspect, i.weight, i.value_source, i.code) for i in stored.indicators] == [
        (i.number, i.aspect, i.weight, i.value_source, i.code) for i in pemdi.indicators
    ]
    assert stored.evidence_item_map == pemdi.evidence_item_map
    assert {i.number: i.external for i in stored.external_indicators} == {
        i.number: i.external for i in pemdi.external_indicators
    }
    assert stored.bands == pemdi.bands and stored.terms == pemdi.terms


@pytest.mark.django_db
def test_load_framework_command_checks_an_instrument_without_domains(tmp_path, raw):
    from django.core.management import CommandError, call_command

    path = tmp_path / "pemdi-uji.yaml"
    path.write_text(yaml.safe_dump(_plain(copy.deepcopy(raw)), allow_unicode=True), encoding="utf-8")
    call_command("load_framework", str(path), "--code", "pemdi-uji", "--name", "Pemdi Uji", "--first-year", "2030")
    stored = FrameworkVersion.objects.get(code="pemdi-uji")
    assert stored.first_year == 2030 and stored.indicators.count() == 20 and stored.continuous
    bad = copy.deepcopy(raw)
    bad["predikat"]["bands"][3]["min"] = Decimal("3.4")
    path.write_text(yaml.safe_dump(_plain(bad), allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="pemdi-uji.yaml: Predikat Baik .* tumpang tindih"):
        call_command("load_framework", str(path), "--code", "pemdi-uji-2", "--name", "Pemdi Uji 2")
    assert not FrameworkVersion.objects.filter(code="pemdi-uji-2").exists()


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.django_db
def test_the_years_in_force_follow_the_manifest_without_a_new_version():
    stored = FrameworkVersion.objects.get(code="permenpanrb-59-2020")
    FrameworkVersion.objects.filter(pk=stored.pk).update(last_year=None)
    assert FrameworkVersion.in_force_for(2024).code == "permenpanrb-59-2020"
    assert FrameworkVersion.in_force_for(2027).code == "permenpanrb-8-2026"  # the newest first
    install_default_frameworks()
    stored.refresh_from_db()
    assert (stored.first_year, stored.last_year) == (2021, 2025)
    assert FrameworkVersion.objects.filter(code__startswith="permenpanrb").count() == 2
    assert FrameworkVersion.in_force_for(2020) is None

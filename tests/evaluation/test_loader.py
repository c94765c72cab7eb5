"""The framework loader: the real instrument loads; broken files are refused with a precise message."""

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sia.evaluation.framework_loader import FrameworkError, parse_framework, read_yaml
from sia.evaluation.frameworks import install_framework
from sia.evaluation.models import FrameworkVersion, Indicator

from .conftest import FRAMEWORK_FILE


@pytest.fixture(scope="module")
def raw():
    return read_yaml(FRAMEWORK_FILE.read_text(encoding="utf-8"))


def parse(data):
    return parse_framework(data, code="uji", name="Uji")


def refused(data) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        parse(data)
    return caught.value.errors


def test_the_instrument_loads_with_its_structure(spec):
    assert (len(spec.domains), len(spec.aspects), len(spec.indicators)) == (4, 8, 47)
    assert sum(i.weight for i in spec.indicators) == Decimal("100")
    assert [d.weight for d in spec.domains] == [Decimal("13.0"), Decimal("25.0"), Decimal("16.5"), Decimal("45.5")]
    assert spec.indicator(11).name == "Tingkat Kematangan Arsitektur SPBE Instansi Pusat/Pemerintah Daerah"
    assert spec.indicator(11).levels[2].startswith("Kriteria tingkat 2 telah terpenuhi dan dokumen Arsitektur SPBE")
    assert [b.name for b in spec.bands] == ["Kurang", "Cukup", "Baik", "Sangat Baik", "Memuaskan"]
    assert spec.scale_map["proses"].names[2] == "Terdefinisi"
    assert spec.scale_map["layanan"].names[0] == "Informasi"
    assert spec.indicator(32).scale == "layanan" and spec.indicator(1).scale == "proses"
    assert len(spec.digest) == 64


def test_weights_are_read_as_exact_decimals(raw):
    weights = {row["number"]: row["weight_pct_of_index"] for row in raw["indicators"]}
    assert weights[1] == Decimal("1.3") and isinstance(weights[1], Decimal)
    assert weights[32] == Decimal("2.75")


def test_wrong_indicator_weight_names_the_aspect_and_the_numbers(raw):
    data = copy.deepcopy(raw)
    data["indicators"][10]["weight_pct_of_index"] = Decimal("2.4")  # indicator 11
    errors = refused(data)
    assert (
        "Aspek 2 (Perencanaan Strategis SPBE): bobot indikator 11, 12, 13, 14 berjumlah 9.90, "
        "tidak sama dengan bobot aspek 10.00." in errors
    )
    assert "Bobot seluruh indikator berjumlah 99.90, seharusnya 100.00." in errors


def test_wrong_aspect_weight_names_the_domain(raw):
    data = copy.deepcopy(raw)
    data["aspects"][2]["weight_pct"] = Decimal("11.0")  # aspect 3, domain 2
    errors = refused(data)
    assert (
        "Domain 2 (Tata Kelola SPBE): bobot aspek 2, 3, 4 berjumlah 26.00, tidak sama dengan bobot domain 25.00."
        in errors
    )
    assert any(e.startswith("Aspek 3 (Teknologi Informasi dan Komunikasi): bobot indikator 15, 16, 17, 18 berjumlah 10.00")
               for e in errors)


def test_domain_weights_must_sum_to_100(raw):
    data = copy.deepcopy(raw)
    data["domains"][0]["weight_pct"] = Decimal("14.0")
    assert "Bobot seluruh domain berjumlah 101.00, seharusnya 100.00." in refused(data)


def test_missing_level_text_names_the_indicator_and_the_level(raw):
    data = copy.deepcopy(raw)
    del data["indicators"][2]["levels"][4]  # indicator 3, level 4
    data["indicators"][46]["levels"][5] = "   "  # indicator 47, blank level 5
    errors = refused(data)
    assert (
        "Indikator 3 (Tingkat Kematangan Kebijakan Internal Manajemen Data): teks kriteria tingkat 4 tidak ada; "
        "setiap indikator harus memiliki teks tingkat 1 sampai 5." in errors
    )
    assert any(e.startswith("Indikator 47 (Tingkat Kematangan Layanan Publik Sektor 3): teks kriteria tingkat 5") for e in errors)
    assert not any("bobot" in e for e in errors), "a bad level text must not also report false weight sums"


def test_band_gap_is_refused_with_the_uncovered_range(raw):
    data = copy.deepcopy(raw)
    data["predikat"]["bands"][2]["min"] = Decimal("2.7")  # Baik starts at 2.7, Cukup ends before 2.6
    errors = refused(data)
    assert errors == [
        "Ada celah antara predikat Cukup (1.8 – < 2.6) dan Baik (2.7 – < 3.5): nilai 2.6 sampai 2.7 tidak memiliki predikat."
    ]


def test_band_overlap_and_short_top_are_refused(raw):
    data = copy.deepcopy(raw)
    bands = data["predikat"]["bands"]
    bands[0]["max"] = Decimal("4.9")  # Memuaskan stops at 4.9
    bands[1]["max_exclusive"] = Decimal("4.3")  # Sangat Baik runs into Memuaskan
    errors = refused(data)
    assert "Predikat Sangat Baik (3.5 – < 4.3) dan Memuaskan (4.2 – 4.9) tumpang tindih." in errors
    assert any(e.startswith("Predikat tidak mencakup nilai sampai 5.0") for e in errors)


def test_band_with_inclusive_upper_bound_before_the_next_overlaps(raw):
    data = copy.deepcopy(raw)
    cukup = data["predikat"]["bands"][3]
    del cukup["max_exclusive"]
    cukup["max"] = Decimal("2.6")
    assert refused(data) == ["Predikat Cukup (1.8 – 2.6) dan Baik (2.6 – < 3.5) tumpang tindih."]


def test_unknown_references_and_duplicates(raw):
    data = copy.deepcopy(raw)
    data["indicators"][0]["aspect"] = 9
    data["indicators"][5]["number"] = 5
    errors = refused(data)
    assert any(e.startswith("Indikator 1 (") and "aspek 9 tidak dikenal" in e for e in errors)
    assert "Indikator 5 muncul lebih dari sekali." in errors


def test_totals_must_match(raw):
    data = copy.deepcopy(raw)
    data["totals"]["indicators"] = 46
    assert "Berkas menyatakan 46 indikator, tetapi memuat 47 yang sah." in refused(data)


def test_not_yaml_and_not_a_mapping_are_refused():
    with pytest.raises(FrameworkError, match="bukan YAML yang sah"):
        read_yaml("domains: [1, 2\n")
    with pytest.raises(FrameworkError, match="pemetaan"):
        parse(["a", "b"])


def test_a_small_future_instrument_loads_without_code_changes():
    data = yaml.safe_load(
        """
framework: {code: contoh-2025, name: Instrumen Contoh 2025}
domains: [{number: 1, name: Tata Kelola, weight_pct: 60}, {number: 2, name: Layanan, weight_pct: 40}]
aspects:
  - {number: 1, domain: 1, name: Kebijakan, weight_pct: 60}
  - {number: 2, domain: 2, name: Layanan Digital, weight_pct: 40}
indicators:
  - {number: 1, aspect: 1, name: A, weight_pct_of_index: 35, levels: [l1, l2, l3, l4, l5]}
  - {number: 2, aspect: 1, name: B, weight_pct_of_index: 25, levels: [l1, l2, l3, l4, l5]}
  - {number: 3, aspect: 2, name: C, weight_pct_of_index: 40, levels: [l1, l2, l3, l4, l5]}
predikat:
  bands:
    - {predikat: Rendah, max_exclusive: 3}
    - {predikat: Tinggi, min: 3, max: 5}
"""
    )
    spec = parse_framework(data)
    assert spec.code == "contoh-2025" and [i.weight for i in spec.indicators] == [35, 25, 40]


@pytest.mark.django_db
def test_install_is_idempotent_and_refuses_a_changed_file(framework, spec):
    assert framework.code == "permenpanrb-59-2020" and framework.name == "PermenPANRB 59/2020"
    assert Indicator.objects.filter(framework=framework).count() == 47
    assert install_framework(spec) == framework
    assert FrameworkVersion.objects.filter(code=framework.code).count() == 1
    changed = copy.copy(spec)
    object.__setattr__(changed, "digest", "0" * 64)
    with pytest.raises(FrameworkError, match="sudah dimuat dari berkas lain"):
        install_framework(changed)


@pytest.mark.django_db
def test_stored_framework_reads_back_as_the_same_arithmetic(framework, spec):
    from sia.evaluation.frameworks import spec_for

    stored = spec_for(framework)
    assert [(i.number, i.aspect, i.domain, i.weight) for i in stored.indicators] == [
        (i.number, i.aspect, i.domain, i.weight) for i in spec.indicators
    ]
    assert [(b.name, b.lower, b.upper, b.upper_inclusive) for b in stored.bands] == [
        (b.name, b.lower, b.upper, b.upper_inclusive) for b in spec.bands
    ]
    indicator = Indicator.objects.get(framework=framework, number=11)
    assert indicator.level_3 == spec.indicator(11).levels[2]


REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_FILE = REPO_ROOT / ".." / "shared" / "evaluation" / "permenpanrb-59-2020.yaml"


def test_the_project_copy_is_the_shared_instrument():
    """The copy under data/ is byte for byte the researched file in ../shared (its README names the digest)."""
    import hashlib

    digest = hashlib.sha256(FRAMEWORK_FILE.read_bytes()).hexdigest()
    assert digest in (FRAMEWORK_FILE.parent / "README.md").read_text(encoding="utf-8")
    if not SHARED_FILE.is_file():
        pytest.skip(f"the shared instrument {SHARED_FILE.resolve()} is not beside this clone (CI has ../shared)")
    shared = SHARED_FILE.read_bytes()
    assert hashlib.sha256(shared).hexdigest() == digest, "data/permenpanrb-59-2020.yaml differs from ../shared"
    assert shared == FRAMEWORK_FILE.read_bytes()


@pytest.mark.django_db
def test_load_framework_command(tmp_path, raw):
    from django.core.management import CommandError, call_command

    good = copy.deepcopy(raw)
    path = tmp_path / "instrumen-uji.yaml"
    path.write_text(yaml.safe_dump(_plain(good), allow_unicode=True), encoding="utf-8")
    call_command("load_framework", str(path), "--code", "uji-2030", "--name", "Instrumen Uji 2030", "--check")
    assert not FrameworkVersion.objects.filter(code="uji-2030").exists()
    call_command("load_framework", str(path), "--code", "uji-2030", "--name", "Instrumen Uji 2030", "--first-year", "2030")
    stored = FrameworkVersion.objects.get(code="uji-2030")
    assert stored.first_year == 2030 and stored.indicators.count() == 47
    bad = copy.deepcopy(raw)
    bad["indicators"][0]["weight_pct_of_index"] = Decimal("1.4")
    path.write_text(yaml.safe_dump(_plain(bad), allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="Aspek 1 \\(Kebijakan Internal Tata Kelola SPBE\\): bobot indikator"):
        call_command("load_framework", str(path), "--code", "uji-2031", "--name", "Instrumen Uji 2031")
    assert not FrameworkVersion.objects.filter(code="uji-2031").exists()


def _plain(value):
    """Decimals back to YAML floats' text (as the file had them)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value

"""Carrying evidence over from a PermenPANRB 59/2020 assessment to a PermenPANRB 8/2026 one: the mapping file, the
proposals and the carrying itself (same stored file or link, never a level)."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.evaluation import carryover
from sia.evaluation.carryover import DEFAULT_MAPPING, MappingError, Proposal, carry_over, load_mapping, proposals
from sia.evaluation.framework_loader import load_framework_file
from sia.evaluation.frameworks import DATA_DIR, install_default_frameworks
from sia.evaluation.models import Assessment, Evidence, EvidenceFile, FrameworkVersion, Indicator, IndicatorScore, StageLock
from sia.evaluation.models.scores import StageLockedError
from sia.evaluation.pdf import minimal_pdf
from sia.evaluation.uploads import attach_file, attach_url

from .conftest import make_assessment, pdf_upload

TARGET = "permenpanrb-8-2026"
PEMDI = range(1, 21)


@pytest.fixture(scope="module")
def pemdi_spec():
    """PermenPANRB 8/2026 as read from its file."""
    return load_framework_file(DATA_DIR / "permenpanrb-8-2026.yaml", code=TARGET, name="PermenPANRB 8/2026")


@pytest.fixture(scope="module")
def mapping():
    """The shipped mapping, checked against both shipped instrument files."""
    return load_mapping()


@pytest.fixture
def pemdi(db):
    """The stored PermenPANRB 8/2026 version (installed from frameworks.yaml)."""
    return next(v for v in install_default_frameworks() if v.code == TARGET)


# --- the mapping file ------------------------------------------------------------------------------------------


def test_the_shipped_mapping_covers_every_pemdi_indicator_and_every_spbe_indicator(mapping):
    assert (mapping.code, mapping.source, mapping.target) == ("permenpanrb-59-2020-to-8-2026", "permenpanrb-59-2020", TARGET)
    assert list(mapping.entries) == list(PEMDI)
    used = {p.source for e in mapping.entries.values() for p in e.sources}
    assert used == set(range(1, 48))
    without = {n for n, e in mapping.entries.items() if not e.sources}
    assert without == {5, 6, 7, 11, 12}  # SDI, SJIG, EPSS, kriptografi, insiden siber
    assert all(mapping.entries[n].note for n in without)
    assert all(p.rationale and "\n" not in p.rationale for e in mapping.entries.values() for p in e.sources)
    sources = {n: [p.source for p in e.sources] for n, e in mapping.entries.items()}
    assert {1, 2, 10, 11, 12, 13, 19} == set(sources[1])  # tata kelola: arsitektur, peta rencana, tim koordinasi
    assert set(sources[9]) == {9, 29, 30, 31}  # audit
    assert set(sources[10]) == {8, 22}  # keamanan informasi
    assert {5, 6, 16, 17} <= set(sources[14])  # pusat data, jaringan intra
    assert 28 in sources[19]  # manajemen layanan: pengelolaan keluhan


def test_a_rationale_quotes_the_texts_it_connects(mapping):
    rationale = mapping.pair(20, 4).rationale
    assert "pertukaran informasi dan peningkatan kapasitas" in rationale


def broken_copy(tmp_path, change):
    text = DEFAULT_MAPPING.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the change must apply to the shipped file"
    path = tmp_path / "pemetaan-rusak.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


def drop_entry(number):
    """Removes the entry of one target indicator (up to the next entry)."""
    return lambda text: re.sub(rf"^- target: {number}\b.*?(?=^- target: )", "", text, count=1, flags=re.S | re.M)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.replace("- target: 20 ", "- target: 21 "),
         "indikator PermenPANRB 8/2026 21: indikator 21 tidak dikenal dalam PermenPANRB 8/2026"),
        (lambda t: t.replace("  - source: 24 ", "  - source: 48 "),
         "indikator PermenPANRB 8/2026 14, sumber PermenPANRB 59/2020 48: indikator 48 tidak dikenal"),
        (lambda t: t.replace("  - source: 2  # Kebijakan Internal Peta", "  - source: 1  # Kebijakan Internal Peta"),
         "indikator PermenPANRB 8/2026 1, sumber PermenPANRB 59/2020 1: pasangan ini muncul lebih dari sekali"),
        (lambda t: re.sub(r'(- source: 25 .*\n\s+rationale: )"[^"]*"', r'\1""', t),
         "indikator PermenPANRB 8/2026 3, sumber PermenPANRB 59/2020 25: rationale kosong"),
        (lambda t: t.replace("  sources: []\n", "  sources: tidak ada\n", 1),
         "indikator PermenPANRB 8/2026 5: sources harus berupa daftar"),
        (lambda t: t.replace("  - source: 25  # Penerapan Kompetensi Sumber Daya Manusia\n    rationale:",
                             "  - source: 25\n    rationle:"),
         "sumber PermenPANRB 59/2020 25: kunci “rationle” tidak dikenal"),
        (lambda t: t.replace('  note: "PermenPANRB 59/2020 tidak menyebut penanganan insiden', '  catatan: "x'),
         "indikator PermenPANRB 8/2026 12: kunci “catatan” tidak dikenal"),
        (drop_entry(19), "indikator PermenPANRB 8/2026 19 tidak ada dalam pemetaan"),
        (lambda t: t.replace("- target: 19 ", "- target: 2 "), "indikator PermenPANRB 8/2026 2: indikator ini muncul lebih dari sekali"),
        (lambda t: t.replace("  source: permenpanrb-59-2020\n", "  source: permenpanrb-59-2019\n"),
         "mapping.source: kerangka “permenpanrb-59-2019” tidak terdaftar di frameworks.yaml"),
        (lambda t: t.replace("indicators:\n- target: 1 ", "indicators:\n- 1\n- target: 1 "),
         "indicators entri ke-1: harus berupa pemetaan dengan target dan sources"),
        (lambda t: t.replace("mapping:\n  code:", "mapping:\n  kode:"), "mapping.code: tidak ada atau kosong"),
        (lambda t: t.replace("- target: 20 ", "- target: [20] "), "target harus nomor indikator"),
        (lambda t: t.replace('"Pengaduan pelayanan publik adalah', "'Pengaduan: [tidak ditutup"), "bukan YAML yang sah"),
    ],
    ids=["unknown-target", "unknown-source", "duplicate-pair", "empty-rationale", "sources-not-a-list", "typo-in-pair",
         "typo-in-entry", "missing-target", "duplicate-target", "unknown-instrument", "entry-not-a-mapping",
         "no-code", "target-not-a-number", "not-yaml"],
)
def test_a_broken_copy_is_refused_with_the_place_named(tmp_path, change, message):
    with pytest.raises(MappingError) as caught:
        load_mapping(broken_copy(tmp_path, change))
    text = str(caught.value)
    assert message in text, text
    assert "pemetaan-rusak.yaml" in text


def test_an_entry_without_sources_needs_a_note(tmp_path):
    path = broken_copy(tmp_path, lambda t: re.sub(r'(- target: 6 .*\n  sources: \[\]\n)  note: "[^"]*"\n', r"\1", t))
    with pytest.raises(MappingError, match="indikator PermenPANRB 8/2026 6: tanpa indikator sumber, note harus"):
        load_mapping(path)


def test_every_problem_is_listed_at_once(tmp_path):
    path = broken_copy(tmp_path, lambda t: t.replace("  - source: 24 ", "  - source: 48 ").replace("- target: 20 ", "- target: 21 "))
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert len(caught.value.errors) == 3  # source 48, target 21, and so target 20 missing


# --- proposals -------------------------------------------------------------------------------------------------


@pytest.fixture
def spbe_2024(world, framework):
    """The 2024 SPBE self-assessment with evidence on indicators 10, 11, 12, 16, 19 (same file as 10) and 42 (a link)."""
    assessment = make_assessment(world, framework, levels={11: 3, 12: 2, 16: 4})
    user = world.users["assessor"]
    indicator = {i.number: i for i in framework.indicators.filter(number__in=[10, 11, 12, 16, 19, 42])}
    sk = minimal_pdf(["SK Tim Koordinasi SPBE"])
    return assessment, {
        10: attach_file(assessment, indicator[10], SimpleUploadedFile("sk-tim.pdf", sk), user=user, title="SK Tim Koordinasi SPBE"),
        11: attach_file(assessment, indicator[11], pdf_upload("arsitektur.pdf", "Arsitektur"), user=user,
                        title="Dokumen Arsitektur SPBE 2024"),
        12: attach_file(assessment, indicator[12], pdf_upload("peta.pdf", "Peta Rencana"), user=user,
                        title="Peta Rencana SPBE 2024-2026"),
        16: attach_file(assessment, indicator[16], pdf_upload("pusat-data.pdf", "Pusat data"), user=user,
                        title="Laporan Layanan Pusat Data"),
        19: attach_file(assessment, indicator[19], SimpleUploadedFile("sk-tim-salinan.pdf", sk), user=user,
                        title="SK Tim Koordinasi (salinan)"),
        42: attach_url(assessment, indicator[42], "https://lapor.contoh.go.id/", user=user, title="Kanal pengaduan"),
    }


def test_proposals_list_the_source_evidence_per_pemdi_indicator(spbe_2024, mapping, django_assert_max_num_queries):
    assessment, ev = spbe_2024
    fresh = Assessment.objects.get(pk=assessment.pk)
    with django_assert_max_num_queries(2):  # the assessment's framework, then every evidence at once
        result = proposals(fresh, TARGET, mapping=mapping)
    assert list(result) == list(PEMDI)
    by_source = {p.source: p for p in result[1]}
    assert set(by_source) == {1, 2, 10, 11, 12, 13, 19}
    assert by_source[11] == Proposal(11, mapping.pair(11, 1).rationale, [ev[11]])
    assert by_source[12].evidence == [ev[12]] and by_source[10].evidence == [ev[10]] and by_source[19].evidence == [ev[19]]
    assert by_source[1].evidence == [] and by_source[13].evidence == []
    assert [e for p in result[14] for e in p.evidence] == [ev[16]]
    assert [e for p in result[19] for e in p.evidence] == [ev[42]]
    assert result[5] == [] and result[12] == []
    source, rationale, evidence = result[15][1]  # unpacks as (number, rationale, rows)
    assert (source, evidence) == (11, [ev[11]]) and "Proses Bisnis" in rationale


def test_proposals_take_the_target_as_a_spec_or_a_stored_version(spbe_2024, mapping, pemdi_spec, pemdi):
    assessment, _ev = spbe_2024
    by_code = proposals(assessment, TARGET, mapping=mapping)
    assert proposals(assessment, pemdi_spec, mapping=mapping) == by_code
    assert proposals(assessment, pemdi, mapping=mapping) == by_code


def test_proposals_refuse_other_instruments(spbe_2024, mapping, framework):
    assessment, _ev = spbe_2024
    with pytest.raises(ValidationError, match="bukan tujuan pemetaan"):
        proposals(assessment, framework, mapping=mapping)
    assessment.framework = FrameworkVersion(code=TARGET, name="PermenPANRB 8/2026")
    with pytest.raises(ValidationError, match="pemetaan .* berangkat dari “permenpanrb-59-2020”"):
        proposals(assessment, TARGET, mapping=mapping)


def test_the_last_spbe_assessment_is_found_for_the_pemdi_one(world, framework, pemdi, mapping, spbe_2024):
    assessment, _ev = spbe_2024
    make_assessment(world, framework, year=2023)
    target = Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)
    Assessment.objects.create(institution=world.other, year=2025, framework=framework)
    assert carryover.last_source_assessment(target, mapping=mapping) == assessment


# --- carrying over ---------------------------------------------------------------------------------------------


@pytest.fixture
def pemdi_2026(world, pemdi):
    return Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)


def test_carry_over_attaches_the_same_file_or_link_and_never_a_level(spbe_2024, pemdi_2026, mapping, world, evidence_media):
    assessment, ev = spbe_2024
    blobs, stored = EvidenceFile.objects.count(), sorted(p.name for p in evidence_media.rglob("*") if p.is_file())
    user = world.users["assessor"]
    result = carry_over([(1, ev[11]), (1, ev[12].pk), (14, ev[16]), (19, ev[42])], pemdi_2026, user, mapping=mapping)
    assert result.skipped == []
    created = {(e.indicator.number, e.title): e for e in result.created}
    assert set(created) == {
        (1, "Dokumen Arsitektur SPBE 2024 (dari penilaian 2024 PermenPANRB 59/2020, indikator 11)"),
        (1, "Peta Rencana SPBE 2024-2026 (dari penilaian 2024 PermenPANRB 59/2020, indikator 12)"),
        (14, "Laporan Layanan Pusat Data (dari penilaian 2024 PermenPANRB 59/2020, indikator 16)"),
        (19, "Kanal pengaduan (dari penilaian 2024 PermenPANRB 59/2020, indikator 42)"),
    }
    rows = Evidence.objects.filter(assessment=pemdi_2026).order_by("indicator__number", "pk")
    assert [(e.indicator.number, e.blob_id, e.url) for e in rows] == [
        (1, ev[11].blob_id, ""), (1, ev[12].blob_id, ""), (14, ev[16].blob_id, ""), (19, None, "https://lapor.contoh.go.id/"),
    ]
    assert all(e.stage == "mandiri" and e.added_by == user for e in rows)
    assert [e.file_name for e in rows if e.blob_id] == [
        "Indikator1a-Dokumen_Arsitektur_SPBE_2024.pdf", "Indikator1b-Peta_Rencana_SPBE_2024_2026.pdf",
        "Indikator14a-Laporan_Layanan_Pusat_Data.pdf",  # the Ministry's naming, from the source title
    ]
    # No file copied, no level, value or score carried; the source is untouched.
    assert EvidenceFile.objects.count() == blobs
    assert sorted(p.name for p in evidence_media.rglob("*") if p.is_file()) == stored
    assert not IndicatorScore.objects.filter(assessment=pemdi_2026).exists()
    assert Evidence.objects.filter(assessment=assessment).count() == 6
    assert IndicatorScore.objects.filter(assessment=assessment).count() == 3


def test_carrying_over_again_adds_nothing(spbe_2024, pemdi_2026, mapping, world):
    _assessment, ev = spbe_2024
    selection = [(1, ev[11]), (4, ev[10]), (19, ev[42]), (20, ev[42])]
    first = carry_over(selection, pemdi_2026, world.users["assessor"], mapping=mapping)
    assert len(first.created) == 4
    again = carry_over(selection, pemdi_2026, world.users["admin"], mapping=mapping)
    assert again.created == [] and [(n, e.pk) for n, e in again.skipped] == [(n, e.pk) for n, e in selection]
    assert Evidence.objects.filter(assessment=pemdi_2026).count() == 4


def test_the_same_file_from_two_spbe_indicators_is_attached_once(spbe_2024, pemdi_2026, mapping, world):
    _assessment, ev = spbe_2024
    assert ev[10].blob_id == ev[19].blob_id  # the SK attached to SPBE 10 and 19
    result = carry_over([(1, ev[10]), (1, ev[19]), (4, ev[19])], pemdi_2026, world.users["assessor"], mapping=mapping)
    assert [(e.indicator.number, e.blob_id) for e in result.created] == [(1, ev[10].blob_id), (4, ev[10].blob_id)]
    assert [(n, e.pk) for n, e in result.skipped] == [(1, ev[19].pk)]


def test_a_locked_stage_is_refused_and_nothing_written(spbe_2024, pemdi_2026, mapping, world):
    _assessment, ev = spbe_2024
    StageLock.objects.create(assessment=pemdi_2026, stage="mandiri", index=Decimal(1), predicate="Kurang")
    with pytest.raises(StageLockedError, match="sudah dikunci"):
        carry_over([(1, ev[11])], pemdi_2026, world.users["assessor"], mapping=mapping)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


@pytest.mark.parametrize(
    "selection, message",
    [
        (lambda ev: [(1, ev[11]), (5, ev[11])], "indikator PermenPANRB 59/2020 11 tidak dipetakan ke indikator PermenPANRB 8/2026 5"),
        (lambda ev: [(1, ev[11]), (21, ev[12])], "Pilihan ke-2: indikator PermenPANRB 8/2026 “21” tidak dikenal"),
        (lambda ev: [(1, ev[11]), (1, 999999)], "Bukti dukung #999999 tidak ditemukan"),
        (lambda ev: [(1, ev[11]), (1, "sebuah")], "Pilihan ke-2: bukti dukung “sebuah” tidak dikenal"),
        (lambda ev: [(1, ev[11]), (1,)], "Pilihan ke-2: harus berupa pasangan"),
    ],
    ids=["pair-not-mapped", "unknown-target", "unknown-evidence", "not-an-id", "not-a-pair"],
)
def test_a_bad_choice_refuses_the_whole_selection(spbe_2024, pemdi_2026, mapping, world, selection, message):
    _assessment, ev = spbe_2024
    with pytest.raises(ValidationError) as caught:
        carry_over(selection(ev), pemdi_2026, world.users["assessor"], mapping=mapping)
    assert message in " ".join(caught.value.messages)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


def test_evidence_of_another_instansi_is_not_found(world, framework, pemdi_2026, mapping):
    elsewhere = Assessment.objects.create(institution=world.other, year=2024, framework=framework)
    indicator = framework.indicators.get(number=11)
    foreign = Evidence.objects.create(assessment=elsewhere, indicator=indicator, title="Arsitektur kota lain",
                                      url="https://kota-lain.go.id/arsitektur")
    with pytest.raises(ValidationError, match=f"Bukti dukung #{foreign.pk} tidak ditemukan di penilaian instansi ini"):
        carry_over([(1, foreign)], pemdi_2026, world.users["assessor"], mapping=mapping)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


def test_evidence_is_carried_only_into_the_target_instrument(spbe_2024, world, framework, mapping):
    _assessment, ev = spbe_2024
    spbe_2025 = make_assessment(world, framework, year=2025)
    with pytest.raises(ValidationError, match="bukan tujuan pemetaan"):
        carry_over([(11, ev[11])], spbe_2025, world.users["assessor"], mapping=mapping)


def test_a_failure_midway_rolls_back_what_was_attached(spbe_2024, pemdi_2026, mapping, world, monkeypatch):
    _assessment, ev = spbe_2024
    original, calls = Evidence.full_clean, []

    def failing_second(self, *args, **kwargs):
        calls.append(self.title)
        if len(calls) == 2:
            raise ValidationError({"title": "gagal uji"})
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "full_clean", failing_second)
    with pytest.raises(ValidationError, match="Indikator 1, bukti dukung “Peta Rencana SPBE 2024-2026”: gagal uji"):
        carry_over([(1, ev[11]), (1, ev[12])], pemdi_2026, world.users["assessor"], mapping=mapping)
    assert len(calls) == 2
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


def test_a_long_title_keeps_its_origin_within_the_field():
    long_title = "Dokumen " * 40
    source = Evidence(title=long_title, indicator=Indicator(number=11),
                      assessment=Assessment(year=2024, framework=FrameworkVersion(name="PermenPANRB 59/2020")))
    title = carryover.carried_title(source)
    assert len(title) == carryover.TITLE_MAX
    assert title.endswith("… (dari penilaian 2024 PermenPANRB 59/2020, indikator 11)")


def test_a_selection_may_name_the_target_item(spbe_2024, pemdi_2026, mapping, world):
    from sia.evaluation.models import EvidenceItem
    _source, ev = spbe_2024
    item = EvidenceItem.objects.filter(framework=pemdi_2026.framework, indicator__number=1).order_by("level", "number").first()
    result = carry_over([(1, ev[11], item.code), (1, ev[12])], pemdi_2026, world.users["assessor"], mapping=mapping)
    assert [e.item for e in result.created] == [item, None]


@pytest.mark.parametrize("code, message", [
    ("I99-L1-01", "Butir I99-L1-01 tidak ada"),
    ("other-indicator", "bukan indikator 1"),
])
def test_a_wrong_target_item_refuses_the_selection(spbe_2024, pemdi_2026, mapping, world, code, message):
    from sia.evaluation.models import EvidenceItem
    if code == "other-indicator":
        code = EvidenceItem.objects.filter(framework=pemdi_2026.framework, indicator__number=13).first().code
    _source, ev = spbe_2024
    with pytest.raises(ValidationError, match=message):
        carry_over([(1, ev[12]), (1, ev[11], code)], pemdi_2026, world.users["assessor"], mapping=mapping)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()

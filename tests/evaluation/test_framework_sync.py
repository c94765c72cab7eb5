"""The manifest and corrected files reach an installed database: years, terms, conversions and the texts status
(``framework_sync`` through ``install_default_frameworks``, which migrate and ``sia demo`` run), the "texts only"
update of a framework version (``sia update_framework_texts``), and the mappings the manifest lists."""

import io
import re
import shutil
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from sia.evaluation import carryover, compare, exports, frameworks, services, terms, views_carryover
from sia.evaluation.frameworks import install_default_frameworks, spec_for
from sia.evaluation.models import EvidenceItem, FrameworkVersion, Indicator, IndicatorScore

from .conftest import make_assessment
from .pemdi_fixtures import pemdi_assessment

pytestmark = pytest.mark.django_db
PEMDI = "permenpanrb-8-2026"
LEVEL_2 = ("criteria: Substansi Rencana Aksi Nasional Pemdi pada perencanaan Instansi Pemerintah telah menjadi "
           "referensi arah pelaksanaan\n")
ITEM = "- Pengisian Arsitektur Pemerintah Digital pada sebagian Layanan Digital Pemerintah melalui SIAP Digital."


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A copy of the shipped data directory that the sync reads instead (the files an upgrade brings)."""
    data = tmp_path / "data"
    shutil.copytree(frameworks.DATA_DIR, data)
    monkeypatch.setattr(frameworks, "DATA_DIR", data)
    monkeypatch.setattr(frameworks, "MANIFEST", data / "frameworks.yaml")
    monkeypatch.setattr(carryover, "DATA_DIR", data)
    terms._entries.cache_clear()
    yield data
    terms._entries.cache_clear()
    frameworks._spec_cache.clear()  # the arithmetic of the changed rows (rolled back now) is not kept


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def pemdi():
    return FrameworkVersion.objects.get(code=PEMDI)


def history_count():
    return FrameworkVersion.history.count() + Indicator.history.count() + EvidenceItem.history.count()


# --- the manifest reaches an installed database ---------------------------------------------------------------


def test_the_shipped_manifest_marks_the_8_2026_criteria_texts_as_guidance():
    version, older = pemdi(), FrameworkVersion.objects.get(code="permenpanrb-59-2020")
    assert version.texts_status == "guidance" and "transkripsi" in version.texts_note
    assert older.texts_status == "official" and older.texts_note == ""
    assert spec_for(version).texts_status == "guidance"


def test_changed_terms_years_texts_status_and_a_conversion_reach_the_installed_version(shipped):
    version = pemdi()
    assert version.indicators.get(number=18).external["conversion"] == "linear"
    manifest = shipped / "frameworks.yaml"
    edit(manifest, "      index: Indeks Pemdi\n", "      index: Indeks Pemerintah Digital\n")
    edit(manifest, "    first_year: 2026\n", "    first_year: 2027\n")
    edit(manifest, "    texts_status: guidance\n", "    texts_status: official\n")
    text = manifest.read_text(encoding="utf-8")
    start = text.index("      18:\n")
    end = text.index("      # I6 (SJIG)")
    manifest.write_text(text[:start] + text[end:], encoding="utf-8")  # I18 back to what the file says
    pk, sha = version.pk, version.sha256
    install_default_frameworks()
    version = pemdi()
    assert (version.pk, version.sha256) == (pk, sha)  # the same version, not a new one
    assert version.term("index") == "Indeks Pemerintah Digital" and version.first_year == 2027
    assert version.texts_status == "official"
    assert version.indicators.get(number=18).external["conversion"] == "unknown"
    assert spec_for(version).indicator(18).external.automatic is False  # the arithmetic reads the change
    assert spec_for(version).term("index") == "Indeks Pemerintah Digital"
    assert FrameworkVersion.in_force_for(2026) is None and FrameworkVersion.in_force_for(2027).code == PEMDI
    before = history_count()
    install_default_frameworks()  # idempotent: nothing more is written
    assert history_count() == before


def test_an_unchanged_manifest_writes_nothing():
    before = history_count()
    install_default_frameworks()
    install_default_frameworks()
    assert history_count() == before


def test_a_bad_manifest_entry_is_refused_naming_the_place_and_changes_nothing(shipped):
    edit(shipped / "frameworks.yaml", "    texts_status: guidance\n", "    texts_status: maybe\n")
    with pytest.raises(frameworks.FrameworkError) as refused:
        install_default_frameworks()
    assert "framework.texts_status" in str(refused.value) or "texts_status (frameworks.yaml)" in str(refused.value)
    assert pemdi().texts_status == "guidance"


def score_18(assessment):
    return IndicatorScore.objects.get(assessment=assessment, indicator__number=18, stage=assessment.current_stage)


def test_a_changed_conversion_reaches_the_values_entered_in_open_stages_and_locked_ones_keep_theirs(shipped, world):
    open_2026 = pemdi_assessment(world)  # I18: SDI 25 -> 2.00 by 1 + 0.04 × SDI
    locked_2027 = pemdi_assessment(world, year=2027)
    services.lock_stage(locked_2027, user=world.users["admin"])
    before = services.current_summary(open_2026).result.index
    edit(shipped / "frameworks.yaml", "        slope: 0.04\n", "        slope: 0.08\n")
    edit(shipped / "frameworks.yaml", "        source_range: [0, 100]\n", "        source_range: [0, 50]\n")
    lines = []
    install_default_frameworks(report=lines.append)
    score = score_18(open_2026)
    assert (score.value, score.level, score.source_value) == (Decimal("3.00"), 3, Decimal("25"))
    assert score.source_note == "Indeks SDI, Aspek Interoperabilitas Data 25 dikonversi menjadi 3,00 (1 + 0,08 × indeks)."
    assert score.history.first().history_change_reason.startswith("konversi Indeks SDI")  # saved, audit-trailed
    open_2026.refresh_from_db()
    assert services.current_summary(open_2026).result.index == before + Decimal("0.03")  # 1.00 × BI 3 / 100
    assert score_18(locked_2027).value == Decimal("2.00")  # a locked stage keeps its value
    assert lines == [f"{world.inst} 2026, indikator I18: nilai dihitung ulang 2,00 → 3,00 ({score.source_note})"]
    lines.clear()
    install_default_frameworks(report=lines.append)  # nothing changed: nothing recomputed
    assert lines == []


def test_a_conversion_become_unknown_keeps_the_value_and_says_so_and_migrate_prints_it(shipped, world):
    assessment = pemdi_assessment(world)
    edit(shipped / "frameworks.yaml", "        conversion: linear\n", "        conversion: unknown\n")
    out = io.StringIO()
    frameworks.install_after_migrate(using="default", verbosity=1, stdout=out)
    score = score_18(assessment)
    assert score.value == Decimal("2.00") and "tidak diketahui" in score.source_note
    assert f"{world.inst} 2026, indikator I18: nilai 2,00 tetap (Konversi Indeks SDI" in out.getvalue()


def test_a_manifest_entry_refused_at_migrate_is_written_to_its_output(shipped, caplog):
    edit(shipped / "permenpanrb-8-2026.yaml", "  code: I1\n", "  code: I01\n")
    out = io.StringIO()
    frameworks.install_after_migrate(using="default", verbosity=1, stdout=out)  # migrate goes on
    assert "Kerangka penilaian bawaan tidak dimuat:" in out.getvalue()
    assert "- Indikator I1: kode I1 di kerangka terpasang, I01 di berkas." in out.getvalue()
    assert "Indikator I1: kode I1" in caplog.text  # and the log
    quiet = io.StringIO()
    frameworks.install_after_migrate(using="default", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""


# --- a corrected file with the same structure: the texts only --------------------------------------------------


def corrected(tmp_path, shipped_dir=None, *, name="permenpanrb-8-2026.yaml"):
    source = (shipped_dir or frameworks.DATA_DIR) / "permenpanrb-8-2026.yaml"
    path = tmp_path / name
    if path != source:
        shutil.copy(source, path)
    edit(path, LEVEL_2, "criteria: TEKS RESMI tingkat 2 indikator 1 dari Lampiran PermenPANRB 8/2026 menjadi referensi arah pelaksanaan\n")
    edit(path, ITEM, "- Pengisian Arsitektur Pemerintah Digital (teks resmi butir I1-L2-02).")
    return path


def test_the_texts_of_an_installed_version_are_replaced_and_started_assessments_keep_it(world, tmp_path):
    assessment = pemdi_assessment(world)
    index = services.current_summary(assessment).result.index
    path = corrected(tmp_path)
    edit(path, "schema_version: 1\n", "schema_version: 1\nframework:\n  texts_status: official\n")
    out = io.StringIO()
    call_command("update_framework_texts", str(path), stdout=out)
    assert "teks resmi" in out.getvalue()
    version = pemdi()
    indicator = version.indicators.get(number=1)
    assert indicator.level_2.startswith("TEKS RESMI tingkat 2")
    item = version.evidence_items.get(code="I1-L2-02")
    assert item.text == "Pengisian Arsitektur Pemerintah Digital (teks resmi butir I1-L2-02)."
    assert version.texts_status == "official"  # the corrected file says its texts are the official ones
    assessment.refresh_from_db()
    assert assessment.framework_id == version.pk and services.current_summary(assessment).result.index == index
    assert spec_for(version).indicator(1).levels[1].startswith("TEKS RESMI")
    assert indicator.history.count() == 2 and item.history.first().history_type == "~"  # audit-trailed
    client = Client()
    client.force_login(world.users["leader"])
    page = client.get(f"/evaluasi/penilaian/{assessment.pk}/indikator/1/").content.decode()
    assert "TEKS RESMI tingkat 2" in page and 'data-testid="criteria-guidance"' not in page
    install_default_frameworks()  # the next migrate keeps the official texts (the shipped file did not change)
    assert pemdi().indicators.get(number=1).level_2.startswith("TEKS RESMI")


@pytest.mark.parametrize("change, place", [
    ("weights", "Indikator I1: bobot 5.00 di kerangka terpasang, 6.00 di berkas"),
    (("- Pengisian Arsitektur Pemerintah Digital (teks resmi butir I1-L2-02).\n", ""), "Indikator I1: butir bukti dukung"),
    (("  code: I1\n", "  code: I01\n"), "Indikator I1: kode I1 di kerangka terpasang, I01 di berkas"),
])
def test_a_file_that_changes_more_than_texts_is_refused_naming_the_place_and_writes_nothing(tmp_path, change, place):
    path = corrected(tmp_path)
    if change == "weights":  # still summing to 100 within the aspect: a file the loader takes, another structure
        edit(path, "weight_pct_of_index: 5.0\n  weight_src: roki (Tabel 1)", "weight_pct_of_index: 6.0\n  weight_src: roki (Tabel 1)")
        edit(path, "weight_pct_of_index: 5.0\n  weight_src: roki; at_panduan; minsel\n  value_source: evidence\n",
             "weight_pct_of_index: 4.0\n  weight_src: roki; at_panduan; minsel\n  value_source: evidence\n")
    else:
        edit(path, *change)
    before = history_count()
    with pytest.raises(CommandError) as refused:
        call_command("update_framework_texts", str(path))
    message = str(refused.value)
    assert place.split(":")[0] in message and ("tidak ada yang diubah" in message or "ditolak" in message), message
    assert place in message
    assert history_count() == before
    assert not pemdi().indicators.get(number=1).level_2.startswith("TEKS RESMI")


def test_a_file_named_otherwise_needs_code_and_official_marks_its_texts_official_in_one_step(tmp_path):
    path = corrected(tmp_path, name="pemdi-resmi.yaml")
    out = io.StringIO()
    call_command("update_framework_texts", str(path), "--code", PEMDI, "--official", stdout=out)
    version = pemdi()
    assert version.indicators.get(number=1).level_2.startswith("TEKS RESMI")
    assert (version.texts_status, version.texts_note) == ("official", "") and "status teks: teks resmi." in out.getvalue()
    assert version.history.first().texts_status == "official"  # audit-trailed
    assert spec_for(version).texts_status == "official"
    install_default_frameworks()  # the next migrate keeps them official
    assert pemdi().texts_status == "official"


def test_the_command_help_says_when_code_is_needed():
    from sia.evaluation.management.commands.update_framework_texts import Command

    parser = Command().create_parser("sia", "update_framework_texts")
    text = parser.format_help()
    assert "not named like the shipped one" in " ".join(text.split()) and "--official" in text
    readme = (frameworks.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "needs `--code permenpanrb-8-2026`" in readme and "`--official`" in readme


def test_check_compares_only(tmp_path):
    out = io.StringIO()
    call_command("update_framework_texts", str(corrected(tmp_path)), "--check", stdout=out)
    assert "hanya teks" in out.getvalue()
    assert not pemdi().indicators.get(number=1).level_2.startswith("TEKS RESMI")


def test_an_uninstalled_framework_is_refused(tmp_path):
    path = tmp_path / "lain.yaml"
    shutil.copy(frameworks.DATA_DIR / "permenpanrb-8-2026.yaml", path)
    with pytest.raises(CommandError, match="belum terpasang"):
        call_command("update_framework_texts", str(path), "--code", "pemdi-2030", "--name", "Pemdi 2030")


def test_a_corrected_shipped_file_reaches_an_upgraded_install_at_migrate(shipped, world):
    assessment = pemdi_assessment(world, filled=False)
    corrected(shipped, shipped)
    install_default_frameworks()
    version = pemdi()
    assert version.indicators.get(number=1).level_2.startswith("TEKS RESMI")
    assert version.texts_status == "guidance"  # the manifest still says so
    assert assessment.framework_id == version.pk and FrameworkVersion.objects.filter(code=PEMDI).count() == 1


def test_a_shipped_file_with_another_structure_is_refused_at_migrate_and_the_rest_goes_on(shipped):
    edit(shipped / "permenpanrb-8-2026.yaml", "  code: I1\n", "  code: I01\n")
    edit(shipped / "frameworks.yaml", "      index: Indeks SPBE\n", "      index: Indeks SPBE (lama)\n")
    with pytest.raises(frameworks.FrameworkError, match="Indikator I1: kode I1 di kerangka terpasang, I01 di berkas"):
        install_default_frameworks()
    assert pemdi().indicators.get(number=1).code == "I1"
    assert FrameworkVersion.objects.get(code="permenpanrb-59-2020").term("index") == "Indeks SPBE (lama)"


# --- pages and exports say what the texts are, from the data ---------------------------------------------------


def test_the_indicator_page_and_the_xlsx_say_the_criteria_are_guidance(world, framework):
    client = Client()
    client.force_login(world.users["leader"])
    pemdi_2026 = pemdi_assessment(world)
    spbe_2024 = make_assessment(world, framework)
    page = client.get(f"/evaluasi/penilaian/{pemdi_2026.pk}/indikator/1/").content.decode()
    notice = re.search(r'data-testid="criteria-guidance">(.*?)</p>', page, re.S).group(1)
    assert "panduan" in notice and "transkripsi" in notice
    assert 'data-testid="criteria-guidance"' not in client.get(
        f"/evaluasi/penilaian/{spbe_2024.pk}/indikator/1/").content.decode()
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(
        io.BytesIO(exports.assessment_xlsx(pemdi_2026)))["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Teks kriteria"].startswith("Panduan, belum teks resmi instrumen.")
    assert "transkripsi" in summary["Teks kriteria"]
    spbe = {row[0]: row[1] for row in openpyxl.load_workbook(
        io.BytesIO(exports.assessment_xlsx(spbe_2024)))["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert spbe["Teks kriteria"] == "Teks resmi instrumen"
    FrameworkVersion.objects.filter(code=PEMDI).update(texts_status="official", texts_note="")  # data, not code
    page = client.get(f"/evaluasi/penilaian/{pemdi_2026.pk}/indikator/1/").content.decode()
    assert 'data-testid="criteria-guidance"' not in page


# --- the mappings the manifest lists ---------------------------------------------------------------------------


def test_the_manifest_lists_the_mapping_and_carry_over_reads_it():
    listed = carryover.listed_mappings()
    assert [(m["from"], m["to"], m["file"]) for m in listed] == [
        ("permenpanrb-59-2020", PEMDI, "mapping-59-2020-to-8-2026.yaml")]
    mapping = carryover.mapping_into(PEMDI)
    assert mapping.source == "permenpanrb-59-2020" and len(mapping.entries) == 20
    assert carryover.mapping_between(PEMDI, "permenpanrb-59-2020") is mapping
    assert carryover.mapping_into("permenpanrb-59-2020") is None


def test_without_a_listed_mapping_there_is_no_bridge_and_a_clear_message(shipped, world, framework):
    manifest = shipped / "frameworks.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[:text.index("mappings:")] + "mappings: []\n", encoding="utf-8")
    spbe_2024, pemdi_2026 = make_assessment(world, framework), pemdi_assessment(world)
    assert carryover.mapping_into(PEMDI) is None
    columns = services.year_over_year([spbe_2024, pemdi_2026])
    cross = compare.cross_comparison(columns[0], columns[1])
    assert cross.bridge == () and "Tidak ada pemetaan indikator" in cross.mapping_notice
    assert cross.left.index_name == "Indeks SPBE" and cross.right.index_name == "Indeks Pemdi"
    client = Client()
    client.force_login(world.users["leader"])
    page = client.get(f"/evaluasi/penilaian/{pemdi_2026.pk}/perbandingan/").content.decode()
    assert 'data-testid="compare-bridge-notice"' in page and 'data-testid="compare-bridge"' not in page
    indicator = pemdi_2026.framework.indicators.get(number=1)
    assert views_carryover.panel_context(type("R", (), {"user": world.users["assessor"]})(), pemdi_2026, indicator) == {}
    with pytest.raises(ValidationError, match="Tidak ada pemetaan bukti dukung ke kerangka"):
        views_carryover.carry_for(world.users["assessor"], pemdi_2026, [(1, 1)])
    with pytest.raises(ValidationError, match="Tidak ada pemetaan bukti dukung"):
        carryover.carry_over([(1, 1)], pemdi_2026, world.users["assessor"])


def test_a_listed_mapping_of_other_instruments_is_refused_naming_the_place(shipped):
    edit(shipped / "frameworks.yaml", "    from: permenpanrb-59-2020\n", "    from: permenpanrb-8-2026\n")
    edit(shipped / "frameworks.yaml", "    to: permenpanrb-8-2026\n", "    to: permenpanrb-59-2020\n")
    with pytest.raises(carryover.MappingError, match=r"frameworks.yaml, mappings\[0\]: berkas mapping-59-2020-to-8-2026"):
        carryover.mapping_into("permenpanrb-59-2020")
    assert carryover.mapping_into(PEMDI) is None

"""Instruments of any declared depth are stored as groups (``FrameworkGroup``) and shown with their own level names:
a 4-level file (Pilar > Domain > Aspek > Indikator) and one of indicators only are installed, assessed, scored, and
read back on the framework page, the assessment page, the indicator page, the XLSX export, the Berita Acara, the
planner and the comparison; the two shipped instruments keep Domain/Aspek and Aspek."""

import datetime
import io
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.test import Client

from sia.evaluation import exports, services
from sia.evaluation.choices import TeamRole
from sia.evaluation.framework_loader import parse_framework, read_yaml
from sia.evaluation.frameworks import _build_spec, install_framework, spec_for
from sia.evaluation.framework_sync import structure_differences, update_texts
from sia.evaluation.models import AssessmentTeamMember, FrameworkGroup
from sia.evaluation.scoring import compute

from .conftest import FRAMEWORK_FILE, make_assessment
from .test_declared_levels import four_levels, one_level

pytestmark = pytest.mark.django_db
D = Decimal
FOUR_LEVELS = {1: 2, 2: 4, 3: 3, 4: 1, 5: 5, 6: 2}  # index 3.05 (worked by hand in test_declared_levels)
ONE_LEVEL = {1: 3, 2: 2, 3: 5, 4: 1}  # index 2.90


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode().split('<footer class="foot">')[0])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def base():
    """What the synthetic instruments need besides their hierarchy (bands, scales), from the 59/2020 file."""
    raw = read_yaml(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    return {key: raw[key] for key in ("predikat", "capability_scales", "level_value")}


@pytest.fixture
def four(base):
    return install_framework(parse_framework(four_levels(base)))


@pytest.fixture
def single(base):
    return install_framework(parse_framework(one_level(base)))


def test_a_four_level_file_is_stored_as_groups_and_read_back_the_same(base, four):
    assert four.levels == [{"key": "pilar", "name": "Pilar", "rows": "pillars"},
                           {"key": "domain", "name": "Domain", "rows": "domains"},
                           {"key": "aspect", "name": "Aspek", "rows": "aspects"}]
    groups = {(g.level, g.number): g for g in FrameworkGroup.objects.filter(framework=four)}
    assert len(groups) == 2 + 3 + 4
    assert groups[("domain", 2)].parent == groups[("pilar", 1)] and groups[("aspect", 4)].depth == 2
    assert four.indicators.get(number=6).group == groups[("aspect", 4)]
    stored, file = _build_spec(four), parse_framework(four_levels(base))
    assert [lv.name for lv in stored.levels] == ["Pilar", "Domain", "Aspek", "Indikator"]
    assert stored.groups == file.groups and structure_differences(stored, file) == []
    assert compute(FOUR_LEVELS, stored) == compute(FOUR_LEVELS, file)
    assert str(groups[("aspect", 3)]) == "Aspek 3. Data"


def test_a_file_of_indicators_only_is_stored_without_groups(base, single):
    assert single.levels == [] and not single.groups.exists()
    assert not single.indicators.filter(group__isnull=False).exists()
    stored = _build_spec(single)
    assert compute(ONE_LEVEL, stored).index == D("2.9") and structure_differences(stored, parse_framework(one_level(base))) == []


def test_a_changed_weight_of_a_deep_group_is_a_structural_difference_and_a_new_name_only_a_text(base, four):
    data = four_levels(base)
    data["pillars"][0]["name"] = "Pilar Tata Kelola Digital"
    assert update_texts(four, parse_framework(data)) == 1  # the group (the version is the same: no digest here)
    assert FrameworkGroup.objects.get(framework=four, level="pilar", number=1).name == "Pilar Tata Kelola Digital"
    data["aspects"][1]["weight_pct"], data["aspects"][2]["weight_pct"] = D(15), D(15)
    data["indicators"][2]["weight_pct_of_index"], data["indicators"][3]["weight_pct_of_index"] = D(15), D(15)
    assert "Aspek 2: bobot 10.00 di kerangka terpasang, 15.00 di berkas." in structure_differences(_build_spec(four), parse_framework(data))


def test_the_pages_of_a_four_level_assessment_name_its_levels(world, four):
    assessment = make_assessment(world, four, levels=FOUR_LEVELS)
    result = services.current_summary(assessment).result
    assert result.index == D("3.05") and result.groups["pilar"] == {1: D("2.5"), 2: D("3.875")}
    client = client_for(world.users["leader"])
    tree = text_of(client.get(four.get_absolute_url()))
    assert "Pilar, Domain, Aspek dan Indikator" in tree
    assert re.search(r"<td>P1</td><td>Pilar 1\. Pilar Tata Kelola</td><td class=\"num\">60,00</td>", tree)
    assert "Domain 2. Manajemen" in tree and "Aspek 4. Layanan publik" in tree
    page = text_of(client.get(assessment.get_absolute_url()))
    assert "Pilar, Domain dan Aspek · Penilaian mandiri" in page and "<th>Pilar / Domain / Aspek</th>" in page
    rows = re.search(r'data-testid="value-rows">(.*?)</tbody>', page).group(1)
    assert re.findall(r"<td>(\w+ \d)\.", rows) == ["Pilar 1", "Domain 1", "Aspek 1", "Domain 2", "Aspek 2", "Aspek 3",
                                                 "Pilar 2", "Domain 3", "Aspek 4"]
    assert "Pilar 2. Pilar Layanan</td><td class=\"num\">40,00</td><td class=\"num\" title=\"3,875\">3,88<" in rows
    assert "<title>Pilar 1. Pilar Tata Kelola: 2,5</title>" in page and ">P1. Pilar Tata Kelola<" in page  # the chart
    indicator = text_of(client.get(f"/evaluasi/penilaian/{assessment.pk}/indikator/6/"))
    assert "Pilar 2. Pilar Layanan · Domain 3. Layanan · Aspek 4. Layanan publik · bobot 15,00%" in indicator


def test_the_pages_of_an_indicators_only_assessment_show_no_groups(world, single):
    assessment = make_assessment(world, single, levels=ONE_LEVEL)
    client = client_for(world.users["leader"])
    tree = text_of(client.get(single.get_absolute_url()))
    assert '<h2 data-testid="levels-title">Indikator</h2>' in tree and 'class="domain"' not in tree
    table = re.search(r'data-testid="framework-tree">(.*?)</table>', tree).group(1)
    assert re.findall(r"<tr><td>(\d)</td>", table) == ["1", "2", "3", "4"]
    page = text_of(client.get(assessment.get_absolute_url()))
    assert 'data-testid="value-rows"' not in page and "Aspek" not in page and "Domain" not in page
    assert ">2,90<" in page
    indicator = text_of(client.get(f"/evaluasi/penilaian/{assessment.pk}/indikator/1/"))
    assert 'data-testid="indicator-place">bobot 40,00%' in indicator


def test_the_exports_of_a_four_level_assessment_name_its_levels(world, four):
    assessment = make_assessment(world, four, levels=FOUR_LEVELS)
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
    sheet = book["Indikator"]
    assert [c.value for c in sheet[1]][:6] == ["No", "Pilar", "Domain", "Aspek", "Indikator", "Bobot (%)"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[6][1:7] == ("Pilar Layanan", "Layanan", "Layanan publik", "Indikator uji 6", 15, 2)
    assert sheet.freeze_panes == "F2"
    summary = {row[0]: row[1:3] for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Pilar / Domain / Aspek"] == ("Bobot (%)", "Penilaian mandiri")
    assert summary["Pilar 1. Pilar Tata Kelola"] == (60, 2.5) and summary["    Aspek 4. Layanan publik"] == (40, 3.88)
    assert summary["  Domain 2. Manajemen"] == (30, 1.67)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["admin"], role=TeamRole.LEAD)
    document = docx.Document(io.BytesIO(exports.berita_acara_docx(assessment, day=datetime.date(2026, 6, 8))))
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cells["Indeks Pilar 1. Pilar Tata Kelola"] == "2,50" and cells["Indeks Pilar 2. Pilar Layanan"] == "3,88"
    assert not any(key.startswith(("Indeks Domain", "Indeks Aspek")) for key in cells)  # the top level only


def test_the_export_of_an_indicators_only_assessment_has_no_group_columns(world, single):
    assessment = make_assessment(world, single, levels=ONE_LEVEL)
    book = openpyxl.load_workbook(io.BytesIO(exports.assessment_xlsx(assessment)))
    assert [c.value for c in book["Indikator"][1]][:4] == ["No", "Indikator", "Bobot (%)", "Penilaian mandiri"]
    summary = [row for row in book["Ringkasan"].iter_rows(values_only=True) if row and row[0]]
    assert not any(str(row[0]).startswith(("Aspek", "Domain")) for row in summary)


@pytest.mark.parametrize("shape", ["four", "single"])
def test_the_planner_and_the_comparison_follow_the_declared_levels(world, request, shape):
    version = request.getfixturevalue(shape)
    levels = FOUR_LEVELS if shape == "four" else ONE_LEVEL
    make_assessment(world, version, levels={n: 1 for n in levels}, year=2023)
    assessment = make_assessment(world, version, levels=levels)
    client = client_for(world.users["assessor"])
    planner = text_of(client.get(f"/evaluasi/penilaian/{assessment.pk}/perencana/"))
    assert 'data-testid="plan-target"' in planner
    compare = text_of(client_for(world.users["leader"]).get(f"/evaluasi/penilaian/{assessment.pk}/perbandingan/"))
    if shape == "four":
        assert '<h2 data-testid="compare-levels-title">Pilar, Domain dan Aspek</h2>' in compare
        assert re.search(r"Pilar 2\. Pilar Layanan</td><td class=\"num\">1,00</td><td class=\"num\">3,88</td>", compare)
    else:
        assert "compare-levels-title" not in compare and "Aspek" not in compare
    assert 'data-testid="compare-indicators"' in compare
    assert spec_for(version).levels  # declared, not the older form

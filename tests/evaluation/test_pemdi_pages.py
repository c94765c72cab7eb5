"""The pages follow the instrument: PermenPANRB 8/2026 (no domains, values 1,00-5,00, Indeks Pemdi) beside 59/2020."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from sia.evaluation import services
from sia.evaluation.models import IndicatorScore
from sia.evaluation.terms import terms

from .conftest import DEMO_LEVELS, make_assessment
from .pemdi_fixtures import PEMDI_INDEX, pemdi_assessment, pemdi_framework

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The page without its site-wide footer (which names both regulations)."""
    return re.sub(r"\s+", " ", response.content.decode().split('<footer class="foot">')[0])


def indicator_url(assessment, number):
    return f"/evaluasi/penilaian/{assessment.pk}/indikator/{number}/"


def stored(assessment, number):
    return IndicatorScore.objects.filter(assessment=assessment, indicator__number=number, stage="mandiri").first()


class TestAssessmentPage:
    def test_aspects_stand_directly_under_the_index_with_hand_worked_figures(self, world, count_queries, query_budget):
        assessment = pemdi_assessment(world)
        assert services.current_summary(assessment).result.index == PEMDI_INDEX
        client = client_for(world.users["leader"])
        client.get(assessment.get_absolute_url())
        queries, response = count_queries(lambda: client.get(assessment.get_absolute_url()))
        text = text_of(response)
        assert response.status_code == 200
        assert 'data-testid="assessment-index" title="1,397">1,40<' in text
        assert "Kurang" in text and "Indeks Pemdi · Penilaian mandiri" in text and "Indeks SPBE" not in text
        rows = re.search(r'data-testid="value-rows">(.*?)</tbody>', text).group(1)
        assert rows.count('<tr class="aspect">') == 7 and 'class="domain"' not in rows
        for figure in ("2,88", "2,20", "1,20"):
            assert f">{figure}<" in rows, figure
        assert "Domain / aspek" not in text and "Aspek · Penilaian mandiri" in text
        assert text.count('class="aspect"><title>') == 7 and 'class="domain"><title>' not in text  # the chart
        assert ">2,75<" in text and ">2,40<" in text  # values with two decimals in the indicator table
        assert "Tim Asesor Internal" in text and "Koordinator Pemdi" in text
        assert queries == query_budget["evaluation.assessment"], queries

    def test_the_list_names_each_assessments_index(self, world, framework, count_queries, query_budget):
        make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
        pemdi_assessment(world)
        client = client_for(world.users["leader"])
        client.get("/evaluasi/penilaian/")
        queries, response = count_queries(lambda: client.get("/evaluasi/penilaian/"))
        text = text_of(response)
        assert "Nama indeks" in text and "Indeks Pemdi" in text and "Indeks SPBE" in text
        assert "1,40" in text and "2,49" in text
        assert queries == query_budget["evaluation.assessment_list"], queries

    def test_the_59_2020_page_keeps_its_domains_and_names(self, world, framework):
        assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
        text = text_of(client_for(world.users["leader"]).get(assessment.get_absolute_url()))
        rows = re.search(r'data-testid="value-rows">(.*?)</tbody>', text).group(1)
        assert rows.count('<tr class="domain">') == 4 and rows.count('<tr class="aspect">') == 8
        assert "Indeks SPBE · Penilaian mandiri" in text and "Tim Evaluator" in text and "Koordinator SPBE" in text
        # the page says SPBE throughout; only the menu above it is named after the index in force this year
        assert "Indeks Pemdi" not in text.split('<main id="main">')[1]

    def test_english_names_come_from_the_manifest(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["leader"])
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        text = text_of(client.get(assessment.get_absolute_url()))
        assert 'lang="en"' in text
        assert "Digital Government Index" in text and "Internal Assessor Team" in text and "Indeks Pemdi" not in text
        with translation.override("id"):
            assert terms(assessment.framework)["index"] == "Indeks Pemdi"


class TestFrameworkPage:
    def test_the_tree_has_no_domain_where_the_instrument_has_none(self, world):
        framework = pemdi_framework()
        text = text_of(client_for(world.users["leader"]).get(framework.get_absolute_url()))
        assert "Aspek dan Indikator" in text and 'data-testid="term-index">Indeks Pemdi<' in text
        assert 'data-testid="term-coordination-team">Tim Koordinasi Pemerintah Digital<' in text
        assert not re.search(r"<td>D\d", text) and len(re.findall(r"<td>I\d+</td>", text)) == 20  # codes, no D rows
        bands = re.search(r'data-testid="level-bands">(.*?)</table>', text).group(1)
        assert "Merintis" in bands and "1,50 – 2,49" in bands and "4,00 – 5,00" in bands

    def test_the_59_2020_tree_keeps_its_domains(self, world, framework):
        text = text_of(client_for(world.users["leader"]).get(framework.get_absolute_url()))
        assert len(re.findall(r"<td>D\d</td>", text)) == 4 and "Domain, Aspek dan Indikator" in text and "level-bands" not in text


class TestValueEntry:
    def test_a_value_with_a_decimal_comma_or_point_is_stored_with_its_level_band(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        page = text_of(client.get(indicator_url(assessment, 1)))
        assert 'name="value"' in page and 'name="level"' not in page and "Merintis" in page
        assert 'data-testid="indicator-place">Aspek 1. Tata Kelola dan Manajemen · bobot 5,00%<' in page
        assert "Indikator I1. " in page and "dihitung 1,00" in page
        response = client.post(indicator_url(assessment, 1), {"value": "2,75", "fakta": "Ada SK."}, follow=True)
        assert response.status_code == 200
        score = stored(assessment, 1)
        assert (score.value, score.level) == (Decimal("2.75"), 3)
        text = text_of(response)
        assert 'data-testid="indicator-value">2,75<' in text
        assert "Tingkat 3 · Berkembang (2,50–3,49)" in text
        client.post(indicator_url(assessment, 1), {"value": "1.49"})
        score = stored(assessment, 1)
        assert (score.value, score.level) == (Decimal("1.49"), 1)

    @pytest.mark.parametrize(
        "value, message",
        [("5,01", "di luar rentang 1,00 sampai 5,00"), ("1,234", "lebih dari 2 desimal"), ("dua", "bukan angka"),
         ("", "isi nilainya")],
    )
    def test_a_refused_value_names_the_indicator_and_writes_nothing(self, world, value, message):
        assessment = pemdi_assessment(world, filled=False)
        response = client_for(world.users["assessor"]).post(indicator_url(assessment, 2), {"value": value})
        assert response.status_code == 400
        text = text_of(response)
        assert message in text.lower() or message in text, text[:2000]
        if value:
            assert "Indikator I2" in text
        assert stored(assessment, 2) is None

    def test_htmx_answers_the_panel_with_the_value_or_the_message(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        refused = client.post(indicator_url(assessment, 3), {"value": "4,999"}, HTTP_HX_REQUEST="true")
        assert refused.status_code == 400 and text_of(refused).strip().startswith('<section id="score-panel">')
        assert "Indikator I3: nilai 4.999 memiliki lebih dari 2 desimal." in text_of(refused)
        saved = client.post(indicator_url(assessment, 3), {"value": "4,00"}, HTTP_HX_REQUEST="true")
        text = text_of(saved)
        assert saved.status_code == 200 and 'data-testid="indicator-value">4,00<' in text
        assert "Tingkat 5 · Unggul (4,00–5,00)" in text and 'data-testid="index-change"' in text

    def test_level_names_in_english(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        client.post(indicator_url(assessment, 1), {"value": "1.60"})
        text = text_of(client.get(indicator_url(assessment, 1)))
        assert "· Emerging (1.50–2.49)" in text and 'data-testid="indicator-value">1.60<' in text

    def test_59_2020_keeps_whole_level_radios(self, world, framework):
        assessment = make_assessment(world, framework)
        client = client_for(world.users["assessor"])
        page = text_of(client.get(indicator_url(assessment, 11)))
        assert 'type="radio" name="level"' in page and 'name="value"' not in page
        assert client.post(indicator_url(assessment, 11), {"level": "2.5"}).status_code == 400
        client.post(indicator_url(assessment, 11), {"level": "3"})
        score = stored(assessment, 11)
        assert (score.level, score.value) == (3, Decimal("3"))

    def test_indicator_page_queries_do_not_grow_with_the_scores(self, world, count_queries):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        client.get(indicator_url(assessment, 1))
        empty, _ = count_queries(lambda: client.get(indicator_url(assessment, 1)))
        filled = pemdi_assessment(world, year=2027)
        client.get(indicator_url(filled, 1))
        full, response = count_queries(lambda: client.get(indicator_url(filled, 1)))
        assert response.status_code == 200 and full == empty, (empty, full)


class TestNewAssessment:
    def test_the_form_offers_the_active_instruments_with_the_one_in_force_chosen(self, world, framework):
        pemdi = pemdi_framework()
        client = client_for(world.users["admin"])
        text = text_of(client.get("/evaluasi/penilaian/tambah/?year=2026"))
        assert re.search(rf'<option value="{pemdi.pk}" selected>PermenPANRB 8/2026 · Indeks Pemdi · berlaku 2026–</option>', text)
        assert f'<option value="{framework.pk}">PermenPANRB 59/2020 · Indeks SPBE · berlaku 2021–2025</option>' in text
        assert "2026: PermenPANRB 8/2026" in text
        text = text_of(client.get("/evaluasi/penilaian/tambah/?year=2024"))
        assert re.search(rf'<option value="{framework.pk}" selected>', text)

    def test_another_active_instrument_may_be_chosen(self, world, framework):
        client = client_for(world.users["admin"])
        response = client.post("/evaluasi/penilaian/tambah/",
                               {"institution": world.inst.pk, "year": 2026, "framework": framework.pk})
        assert response.status_code == 302
        from sia.evaluation.models import Assessment

        assert Assessment.objects.get(year=2026).framework == framework


class TestMenuAndDashboard:
    @pytest.mark.parametrize("today, group", [
        ("2026-12-05", "Indeks Pemdi"), ("2025-03-01", "Indeks SPBE"), ("2019-06-01", "Evaluasi"),
    ])
    def test_the_menu_follows_the_instrument_in_force_and_the_dashboard_names_each_index(
            self, world, framework, monkeypatch, today, group):
        import datetime

        from django.utils import timezone
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date.fromisoformat(today))
        make_assessment(world, framework, levels=DEMO_LEVELS, year=2024)
        pemdi_assessment(world)
        home = text_of(client_for(world.users["leader"]).get("/"))
        assert f"<summary>{group}</summary>" in home and "Penilaian indeks" in home
        assert f'<h2>{group}</h2>' in home  # the dashboard panel, named as the menu
        assert "Evaluasi SPBE" not in home and "Penilaian SPBE" not in home
        assert 'data-testid="dashboard-index-name">Indeks Pemdi<' in home and 'data-testid="dashboard-index">1,40<' in home
        note = re.search(r'data-testid="other-instrument">(.*?)</p>', home).group(1)
        assert "Indeks SPBE 2024: 2,49" in note

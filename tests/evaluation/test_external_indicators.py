"""Indicators valued from another institution's index (8/2026: I5 and I18 from SDI, I6 SJIG, I7 EPSS/IPS)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sia.evaluation import services
from sia.evaluation.frameworks import spec_for
from sia.evaluation.models import IndicatorScore

from .conftest import client_for, text_of
from .pemdi_fixtures import PEMDI_INDEX, pemdi_assessment, pemdi_framework

pytestmark = pytest.mark.django_db


def url(assessment, number):
    return f"/evaluasi/penilaian/{assessment.pk}/indikator/{number}/"


def score_of(assessment, number):
    return IndicatorScore.objects.get(assessment=assessment, indicator__number=number, stage=assessment.current_stage)


class TestResolveValue:
    """``services.resolve_value``: the one path forms and the API take."""

    @pytest.mark.parametrize("number, index", [(6, "SJIG"), (7, "IPS")])
    def test_a_typed_value_without_the_source_index_is_refused_not_replaced_by_one(self, number, index):
        spec = spec_for(pemdi_framework())
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, number, "4.00", source_value=None, source_year=None)
        message = refused.value.message_dict["value"][0]
        assert message.startswith(f"Indikator I{number}: indeks sumber ({index}") and "belum diisi" in message
        assert "nilainya 1,00 (ditandai). Isi indeks sumbernya, atau kosongkan nilai." in message

    def test_linear_conversion_computes_the_value(self):
        spec = spec_for(pemdi_framework())
        resolved = services.resolve_value(spec, 5, None, source_value="68,75", source_year=2025)
        assert (resolved.value, resolved.source_value, resolved.source_year, resolved.missing) == (
            Decimal("3.75"), Decimal("68.75"), 2025, False)
        assert services.resolve_value(spec, 5, "3,75", source_value="68.75", source_year=2025).value == Decimal("3.75")
        assert services.resolve_value(spec, 18, None, source_value="25", source_year="2025").value == Decimal("2.00")

    @pytest.mark.parametrize("number, value, source", [(5, "4.90", "68.75"), (18, "3.00", ""), (5, "tiga", "68.75")])
    def test_a_value_other_than_the_converted_one_is_refused(self, number, value, source):
        spec = spec_for(pemdi_framework())
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, number, value, source_value=source, source_year=2025)
        assert refused.value.message_dict == {
            "value": [f"Nilai indikator I{number} dihitung dari SDI; isi nilai indeks sumbernya."]}

    def test_missing_source_counts_one_flagged(self):
        spec = spec_for(pemdi_framework())
        for number, value in ((5, None), (6, None), (6, "1.00"), (7, "1,00"), (18, "1.00")):
            resolved = services.resolve_value(spec, number, value, source_value="", source_year=2025)
            assert (resolved.value, resolved.missing, resolved.source_year) == (Decimal("1.00"), True, None), number
            assert "belum tersedia" in resolved.note

    def test_unknown_conversion_takes_the_assessors_value(self):
        spec = spec_for(pemdi_framework())
        resolved = services.resolve_value(spec, 6, "2,40", source_value="3.2", source_year=2025)
        assert (resolved.value, resolved.source_value) == (Decimal("2.40"), Decimal("3.2"))
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, 7, None, source_value="3.1", source_year=2025)
        assert "Indikator I7" in refused.value.message_dict["value"][0] and "isi nilainya" in refused.value.message_dict["value"][0]
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, 6, "2.405", source_value="3.2", source_year=2025)
        assert "lebih dari 2 desimal" in refused.value.message_dict["value"][0]

    @pytest.mark.parametrize("number, source, source_year, year, message", [
        (5, "68.75", None, 2026, "Indikator I5: isi tahun SDI (tahun nilai indeks sumber)."),
        (5, "68.75", "", None, "Indikator I5: isi tahun SDI (tahun nilai indeks sumber)."),
        (6, "3.2", 25, 2026, "Indikator I6: tahun SJIG “25” bukan tahun empat angka."),
        (18, "25", "20255", None, "Indikator I18: tahun SDI “20255” bukan tahun empat angka."),
        (5, "68.75", 2027, 2026, "Indikator I5: tahun SDI 2027 lebih lambat dari tahun penilaian 2026."),
    ])
    def test_a_source_index_needs_its_year_not_later_than_the_assessment(self, number, source, source_year, year,
                                                                          message):
        spec = spec_for(pemdi_framework())
        value = "2.40" if number == 6 else None
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, number, value, source_value=source, source_year=source_year, year=year)
        assert refused.value.message_dict == {"source_year": [message]}
        assert services.resolve_value(spec, number, value, source_value=source, source_year=2026, year=2026).source_year == 2026

    def test_the_year_and_the_value_are_told_together(self):
        spec = spec_for(pemdi_framework())
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, 7, None, source_value="3.1")
        assert set(refused.value.message_dict) == {"source_year", "value"}

    def test_set_value_checks_the_year_against_the_assessment_and_writes_nothing(self, world):
        assessment = pemdi_assessment(world, filled=False)
        indicator = assessment.framework.indicators.get(number=5)
        with pytest.raises(ValidationError, match="lebih lambat dari tahun penilaian 2026"):
            services.set_value(assessment, indicator, user=world.users["assessor"], source_value="68.75",
                               source_year=2027)
        assert not IndicatorScore.objects.filter(assessment=assessment).exists()

    def test_a_source_outside_its_range_names_the_indicator(self):
        spec = spec_for(pemdi_framework())
        with pytest.raises(ValidationError) as refused:
            services.resolve_value(spec, 5, None, source_value="101")
        assert "Indikator I5" in refused.value.message_dict["source_value"][0]


class TestIndicatorPage:
    def test_sdi_is_converted_and_shown_with_the_formula(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        page = text_of(client.get(url(assessment, 5)))
        assert 'name="source_value"' in page and 'name="value"' not in page  # nothing to enter but the index
        assert "nilai = 1 + 0,04 × indeks" in page
        response = client.post(url(assessment, 5), {"source_value": "68,75", "source_year": "2025"}, follow=True)
        score = score_of(assessment, 5)
        assert (score.value, score.level, score.source_value, score.source_year) == (Decimal("3.75"), 4, Decimal("68.75"), 2025)
        text = text_of(response)
        assert 'data-testid="external-formula">SDI 68,75 (2025) → 3,75<' in text
        assert 'data-testid="indicator-value">3,75<' in text and "Tingkat 4 · Melembaga" in text

    def test_unknown_conversion_says_so_and_takes_the_assessors_value(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        page = text_of(client.get(url(assessment, 6)))
        assert "Konversinya tidak diketahui dari instrumen: asesor mengisi nilai indikator." in page
        refused = client.post(url(assessment, 6), {"source_value": "3,2", "source_year": "2025"})
        assert refused.status_code == 400 and "Indikator I6: konversi" in text_of(refused)
        assert not IndicatorScore.objects.filter(assessment=assessment, indicator__number=6).exists()
        response = client.post(url(assessment, 6), {"source_value": "3,2", "source_year": "2025", "value": "2,40"}, follow=True)
        assert score_of(assessment, 6).value == Decimal("2.40")
        assert "SJIG 3,2 (2025) → 2,40 (nilai diisi asesor)" in text_of(response)

    def test_a_source_index_without_its_year_is_refused_on_the_page(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        refused = client.post(url(assessment, 5), {"source_value": "68,75"})
        assert refused.status_code == 400 and "Indikator I5: isi tahun SDI" in text_of(refused)
        later = client.post(url(assessment, 5), {"source_value": "68,75", "source_year": "2027"})
        assert later.status_code == 400 and "tahun SDI 2027 lebih lambat dari tahun penilaian 2026" in text_of(later)
        assert not IndicatorScore.objects.filter(assessment=assessment).exists()
        score = IndicatorScore.objects.create(assessment=assessment, indicator=assessment.framework.indicators.get(
            number=5), stage="mandiri", value=Decimal("1.00"))  # an existing score: the form knows the year itself
        form_later = client.post(url(assessment, 5), {"source_value": "68,75", "source_year": "2030"})
        assert form_later.status_code == 400 and "lebih lambat dari tahun penilaian 2026" in text_of(form_later)
        score.refresh_from_db()
        assert (score.value, score.source_value) == (Decimal("1.00"), None)

    def test_missing_source_is_one_and_flagged(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        refused = client.post(url(assessment, 7), {"source_value": "", "value": "3,00"})  # never silently 1.00
        assert refused.status_code == 400
        assert "Indikator I7: indeks sumber (IPS) belum diisi: nilainya 1,00 (ditandai)." in text_of(refused)
        assert not IndicatorScore.objects.filter(assessment=assessment).exists()
        response = client.post(url(assessment, 7), {"source_value": "", "value": ""}, follow=True)
        score = score_of(assessment, 7)
        assert (score.value, score.source_missing, score.source_value) == (Decimal("1.00"), True, None)
        assert "Belum ada nilai indeks sumber (IPS); dihitung 1,00." in text_of(response)

    def test_scoring_uses_the_converted_values(self, world):
        assessment = pemdi_assessment(world)
        assert {n: score_of(assessment, n).value for n in (5, 6, 7, 18)} == {
            5: Decimal("3.75"), 6: Decimal("2.40"), 7: Decimal("1.00"), 18: Decimal("2.00")}
        assert services.current_summary(assessment).result.index == PEMDI_INDEX

    def test_the_source_is_carried_to_the_next_stage(self, world):
        assessment = pemdi_assessment(world)
        services.advance_stage(assessment, user=world.users["admin"])
        copy = score_of(assessment, 5)
        assert (copy.stage, copy.source_value, copy.source_year, copy.value) == ("dokumen", Decimal("68.75"), 2025, Decimal("3.75"))
        assert score_of(assessment, 7).source_missing


SCORES = "/api/evaluation/indicator-scores/"


class TestApi:
    """The API takes the same path: a source index with its year, no level or other value on an SDI indicator."""

    def body(self, assessment, number, **extra):
        return {"assessment": assessment.pk, "indicator": assessment.framework.indicators.get(number=number).pk,
                **extra}

    def test_a_level_or_another_value_on_a_converted_indicator_is_refused(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        client = api(world.users["assessor"])
        level = client.post(SCORES, self.body(assessment, 5, level=4, source_value="68.75", source_year=2025),
                            format="json")
        assert level.status_code == 400
        assert level.json() == {"level": ["Nilai indikator I5 dihitung dari SDI; isi nilai indeks sumbernya."]}
        other = client.post(SCORES, self.body(assessment, 5, value="4.90", source_value="68.75", source_year=2025),
                            format="json")
        assert other.status_code == 400
        assert other.json() == {"value": ["Nilai indikator I5 dihitung dari SDI; isi nilai indeks sumbernya."]}
        no_source = client.post(SCORES, self.body(assessment, 18, value="3.00"), format="json")
        assert no_source.status_code == 400 and "dihitung dari SDI" in str(no_source.json()["value"])
        assert not IndicatorScore.objects.exists()
        created = client.post(SCORES, self.body(assessment, 5, value="3.75", source_value="68.75", source_year=2025),
                              format="json")
        assert created.status_code == 201, created.content
        assert (created.json()["value"], created.json()["level"]) == ("3.75", 4)
        detail = f"{SCORES}{created.json()['id']}/"
        patched = client.patch(detail, {"level": 5}, format="json")  # a level alone: the bypass, closed
        assert patched.status_code == 400 and "dihitung dari SDI" in str(patched.json()["level"])
        assert client.patch(detail, {"value": "5.00"}, format="json").status_code == 400
        assert (score_of(assessment, 5).value, score_of(assessment, 5).level) == (Decimal("3.75"), 4)

    def test_a_source_index_needs_its_year(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        client = api(world.users["assessor"])
        missing = client.post(SCORES, self.body(assessment, 5, source_value="68.75"), format="json")
        assert missing.status_code == 400
        assert missing.json() == {"source_year": ["Indikator I5: isi tahun SDI (tahun nilai indeks sumber)."]}
        later = client.post(SCORES, self.body(assessment, 6, value="2.40", source_value="3.2", source_year=2027),
                            format="json")
        assert later.status_code == 400 and "lebih lambat dari tahun penilaian 2026" in str(later.json()["source_year"])
        assert not IndicatorScore.objects.exists()
        created = client.post(SCORES, self.body(assessment, 5, source_value="68.75", source_year=2025), format="json")
        assert created.status_code == 201 and created.json()["value"] == "3.75"
        detail = f"{SCORES}{created.json()['id']}/"
        assert client.patch(detail, {"source_year": None}, format="json").status_code == 400
        assert score_of(assessment, 5).source_year == 2025
        flagged = client.post(SCORES, self.body(assessment, 18), format="json")  # no source: 1.00, no year needed
        assert flagged.status_code == 201 and flagged.json()["source_missing"] is True


@pytest.mark.django_db(transaction=True)
def test_browser_journey_the_2026_assessment_and_an_sdi_index(new_page):
    """The koordinator creates the 2026 assessment (Indeks Pemdi pre-selected) and puts the asesor in the team;
    the asesor enters indicator 5's SDI and sees its value, band and the index move."""
    from playwright.sync_api import expect

    from sia.core.roles import Role

    from .. import factories as f
    from ..browser.conftest import login

    pemdi = pemdi_framework()  # the database is flushed between browser tests
    inst = f.institution(name="Pemerintah Provinsi Maluku Utara (data contoh)", code="82")
    asesor = f.member(inst, Role.ASSESSOR, username="asesor")
    f.member(inst, Role.ADMIN, username="koordinator")
    page = new_page()
    login(page, "koordinator")
    page.goto("/evaluasi/penilaian/tambah/?year=2026")
    expect(page.locator("select[name=framework]")).to_have_value(str(pemdi.pk))
    page.select_option("select[name=institution]", str(inst.pk))
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("assessment-index")).to_have_text("1,00")
    expect(page.locator("#tim")).to_have_text("Tim Asesor Internal")
    page.select_option("select[name=user]", str(asesor.pk))
    page.select_option("select[name=role]", "asesor")
    page.get_by_role("button", name="Tambah ke tim").click()
    assessment_url = page.url.split("#")[0]

    page.context.clear_cookies()
    login(page, "asesor")
    page.goto(assessment_url + "indikator/5/")
    expect(page.locator("h1")).to_contain_text("Indikator I5.")
    expect(page.get_by_test_id("external-source")).to_contain_text("nilai = 1 + 0,04 × indeks")
    page.fill("input[name=source_value]", "68,75")
    page.fill("input[name=source_year]", "2025")
    page.get_by_role("button", name="Simpan nilai").click()
    expect(page.get_by_test_id("external-formula")).to_have_text("SDI 68,75 (2025) → 3,75")
    expect(page.get_by_test_id("indicator-value")).to_have_text("3,75")
    expect(page.get_by_test_id("value-band")).to_contain_text("Tingkat 4 · Melembaga")
    expect(page.get_by_test_id("stage-index")).to_have_text("1,14")  # 1 + (3.75 - 1) × 5 / 100 = 1.1375

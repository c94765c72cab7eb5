"""The API follows the instrument: values as decimal text (8/2026), external sources, no domains, its terms."""

from decimal import Decimal

import pytest

from sia.evaluation.models import Indicator, IndicatorScore

from .conftest import DEMO_LEVELS, make_assessment
from .pemdi_fixtures import pemdi_assessment, pemdi_framework

pytestmark = pytest.mark.django_db
SCORES = "/api/evaluation/indicator-scores/"


def pemdi_indicator(number):
    return Indicator.objects.get(framework=pemdi_framework(), number=number)


def post_score(api, world, assessment, number, **data):
    indicator = Indicator.objects.get(framework=assessment.framework, number=number)
    return api(world.users["assessor"]).post(
        SCORES, {"assessment": assessment.pk, "indicator": indicator.pk, **data}, format="json"
    )


class TestValues:
    @pytest.mark.parametrize("typed", ["2.75", "2,75"])
    def test_a_value_with_two_decimals_is_stored_with_its_level(self, world, api, typed):
        assessment = pemdi_assessment(world, filled=False)
        response = post_score(api, world, assessment, 1, value=typed, fakta="SK tim")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["value"], body["level"], body["source_missing"]) == ("2.75", 3, False)
        patched = api(world.users["assessor"]).patch(f"{SCORES}{body['id']}/", {"value": "1.49"}, format="json")
        assert (patched.json()["value"], patched.json()["level"]) == ("1.49", 1)

    @pytest.mark.parametrize(
        "value, message", [("5.01", "di luar rentang"), ("1.234", "lebih dari 2 desimal"), ("0,99", "di luar rentang")]
    )
    def test_a_refused_value_names_the_indicator_and_writes_nothing(self, world, api, value, message):
        assessment = pemdi_assessment(world, filled=False)
        response = post_score(api, world, assessment, 2, value=value)
        assert response.status_code == 400
        (error,) = response.json()["value"]
        assert error.startswith("Indikator I2: ") and message in error
        assert not IndicatorScore.objects.exists()

    def test_neither_value_nor_level_is_refused(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        response = post_score(api, world, assessment, 3, fakta="x")
        assert response.status_code == 400 and "Indikator I3" in response.json()["value"][0]

    def test_a_whole_level_instrument_refuses_a_fraction_and_takes_a_whole_value(self, world, api, framework):
        assessment = make_assessment(world, framework)
        refused = post_score(api, world, assessment, 11, value="2.5")
        assert refused.status_code == 400 and "tingkat bulat" in refused.json()["value"][0]
        assert "Indikator 11" in refused.json()["value"][0]
        body = post_score(api, world, assessment, 11, value="3").json()
        assert (body["level"], body["value"]) == (3, "3")
        body = post_score(api, world, assessment, 12, level=2).json()  # 59/2020 clients keep sending levels
        assert (body["level"], Decimal(body["value"])) == (2, 2)


class TestExternalSources:
    def test_sdi_is_converted(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        body = post_score(api, world, assessment, 5, source_value="68.75", source_year=2025).json()
        assert (body["value"], body["level"], body["source_value"], body["source_year"]) == ("3.75", 4, "68.75", 2025)
        assert "(SDI) 68,75 dikonversi menjadi 3,75" in body["source_note"] and not body["source_missing"]

    def test_missing_source_is_one_flagged(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        body = post_score(api, world, assessment, 7).json()
        assert (body["value"], body["source_missing"], body["source_value"]) == ("1.00", True, None)

    def test_a_typed_value_without_the_source_index_is_refused_and_nothing_written(self, world, api):
        assessment = pemdi_assessment(world)  # I6: SJIG 3.2 (conversion unknown), 2.40 entered by the assessor
        score = IndicatorScore.objects.get(assessment=assessment, indicator__number=6)
        response = api(world.users["assessor"]).patch(
            f"{SCORES}{score.pk}/", {"source_value": None, "value": "4.00"}, format="json")
        assert response.status_code == 400, response.json()
        (error,) = response.json()["value"]
        assert error.startswith("Indikator I6: indeks sumber (SJIG) belum diisi: nilainya 1,00 (ditandai).")
        score.refresh_from_db()
        assert (score.value, score.source_value, score.source_missing) == (Decimal("2.40"), Decimal("3.2"), False)
        refused = post_score(api, world, pemdi_assessment(world, filled=False, year=2027), 7, value="3.00")
        assert refused.status_code == 400 and "Indikator I7: indeks sumber" in refused.json()["value"][0]
        assert not IndicatorScore.objects.filter(assessment__year=2027).exists()


class TestContradictoryInput:
    def test_a_level_that_disagrees_with_the_value_is_refused_and_nothing_written(self, world, api):
        assessment = pemdi_assessment(world)
        score = IndicatorScore.objects.get(assessment=assessment, indicator__number=1)  # 2.75, level 3
        client = api(world.users["assessor"])
        response = client.patch(f"{SCORES}{score.pk}/", {"value": "2.50", "level": 1}, format="json")
        assert response.status_code == 400
        assert response.json()["level"] == [
            "Indikator I1: tingkat 1 tidak sesuai dengan nilai 2,50 (tingkat 3); kirim salah satunya, atau keduanya "
            "yang sesuai."]
        score.refresh_from_db()
        assert (score.value, score.level) == (Decimal("2.75"), 3)
        agreed = client.patch(f"{SCORES}{score.pk}/", {"value": "2.50", "level": 3}, format="json")
        assert agreed.status_code == 200 and agreed.json()["value"] == "2.50"

    def test_a_level_alone_does_not_overwrite_a_fractional_value_of_another_level(self, world, api):
        assessment = pemdi_assessment(world)
        score = IndicatorScore.objects.get(assessment=assessment, indicator__number=1)
        client = api(world.users["assessor"])
        response = client.patch(f"{SCORES}{score.pk}/", {"level": 4}, format="json")
        assert response.status_code == 400
        (error,) = response.json()["level"]
        assert error.startswith("Indikator I1: tingkat 4 tidak sesuai dengan nilai tersimpan 2,75 (tingkat 3)")
        score.refresh_from_db()
        assert (score.value, score.level) == (Decimal("2.75"), 3)
        same = client.patch(f"{SCORES}{score.pk}/", {"level": 3, "fakta": "Rencana aksi"}, format="json")
        assert same.status_code == 200 and same.json()["value"] == "2.75"  # the level it has: the value stays

    def test_the_59_2020_instrument_still_takes_a_level_alone(self, world, api, framework):
        assessment = make_assessment(world, framework)
        body = post_score(api, world, assessment, 12, level=2).json()
        patched = api(world.users["assessor"]).patch(f"{SCORES}{body['id']}/", {"level": 4}, format="json")
        assert patched.status_code == 200 and (patched.json()["level"], Decimal(patched.json()["value"])) == (4, 4)
        refused = api(world.users["assessor"]).patch(f"{SCORES}{body['id']}/", {"value": "3", "level": 2},
                                                     format="json")
        assert refused.status_code == 400 and "tingkat 2 tidak sesuai dengan nilai 3" in refused.json()["level"][0]


def test_a_bad_planner_margin_is_told_under_margin(world, api):
    assessment = pemdi_assessment(world)
    response = api(world.users["leader"]).post(
        f"/api/evaluation/assessments/{assessment.pk}/planner/", {"target": "2.5", "margin": "1.50"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "efforts" not in body and body["margin"][0].startswith("Margin keamanan harus angka 0 sampai")

    def test_unknown_conversion_needs_the_assessors_value(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        refused = post_score(api, world, assessment, 6, source_value="3.2", source_year=2025)
        assert refused.status_code == 400 and refused.json()["value"][0].startswith("Indikator I6: konversi")
        body = post_score(api, world, assessment, 6, source_value="3.2", source_year=2025, value="2.40").json()
        assert (body["value"], body["source_value"]) == ("2.40", "3.2")

    def test_a_source_out_of_range_is_refused(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        response = post_score(api, world, assessment, 18, source_value="120")
        assert response.status_code == 400 and "Indikator I18" in response.json()["source_value"][0]
        assert not IndicatorScore.objects.exists()


class TestRepresentations:
    def test_an_assessment_has_aspects_but_no_domains_and_its_terms(self, world, api):
        assessment = pemdi_assessment(world)
        body = api(world.users["leader"]).get(f"/api/evaluation/assessments/{assessment.pk}/").json()
        assert body["terms"] == {"index": "Indeks Pemdi", "coordinator": "Koordinator Pemdi",
                                 "internal_team": "Tim Asesor Internal",
                                 "coordination_team": "Tim Koordinasi Pemerintah Digital"}
        (stage,) = body["score"]
        assert (stage["index"], stage["index_display"], stage["predicate"]) == ("1.397", "1.40", "Kurang")
        assert stage["domains"] == [] and len(stage["aspects"]) == 7
        aspect_3 = next(a for a in stage["aspects"] if a["number"] == 3)
        assert aspect_3["value"].startswith("2.19666666") and aspect_3["value_display"] == "2.20"

    def test_the_59_2020_assessment_keeps_its_domains(self, world, api, framework):
        assessment = make_assessment(world, framework, levels=DEMO_LEVELS)
        body = api(world.users["leader"]).get(f"/api/evaluation/assessments/{assessment.pk}/").json()
        assert body["terms"]["index"] == "Indeks SPBE" and len(body["score"][0]["domains"]) == 4

    def test_the_framework_lists_its_aspects_directly(self, world, api):
        framework = pemdi_framework()
        body = api(world.users["leader"]).get(f"/api/evaluation/frameworks/{framework.pk}/").json()
        assert (body["has_domains"], body["continuous"], body["value_places"]) == (False, True, 2)
        assert body["domains"] == [] and [a["number"] for a in body["aspects"]] == [1, 2, 3, 4, 5, 6, 7]
        assert body["texts_status"] == "guidance" and "transkripsi" in body["texts_note"]
        assert body["level_bands"][1] == {"level": 2, "name_id": "Membangun", "name_en": "Emerging",
                                          "lower": "1.50", "upper": "2.49"}
        i5 = next(i for i in body["indicators"] if i["number"] == 5)
        assert (i5["code"], i5["value_source"]) == ("I5", "external")
        indicator = api(world.users["leader"]).get(f"/api/evaluation/indicators/{pemdi_indicator(18).pk}/").json()
        assert indicator["domain"] is None and indicator["external"]["conversion"] == "linear"

    def test_the_59_2020_framework_has_no_loose_aspects(self, world, api, framework):
        body = api(world.users["leader"]).get(f"/api/evaluation/frameworks/{framework.pk}/").json()
        assert body["has_domains"] and body["aspects"] == [] and len(body["domains"]) == 4
        assert body["level_bands"][2]["lower"] == "3"

    def test_the_schema_documents_value_and_sources(self, world, api):
        schema = api(world.users["admin"]).get("/api/schema/", {"format": "json"}).json()
        props = schema["components"]["schemas"]["IndicatorScore"]["properties"]
        (text, _blank) = props["value"]["oneOf"]
        assert (text["type"], text["format"], text["example"]) == ("string", "decimal", "2.75")
        assert props["source_value"]["oneOf"][0]["example"] == "68.75" and props["source_value"]["nullable"]
        assert {"source_value", "source_year", "source_note", "source_missing"} <= set(props)
        version = schema["components"]["schemas"]["FrameworkVersion"]["properties"]
        assert version["texts_status"]["readOnly"] and version["texts_note"]["readOnly"]

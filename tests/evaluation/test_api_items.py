"""The API under PermenPANRB 8/2026: evidence put on an item (``item``: its code) and the planner with a preset,
a margin and a step cap, answering values and the explanation."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.evaluation.models import Evidence
from sia.evaluation.pdf import minimal_pdf
from sia.evaluation.planner_presets import INCREASING, Preset, preset_to_dict

from .pemdi_fixtures import PEMDI_INDEX, pemdi_assessment, pemdi_framework

pytestmark = pytest.mark.django_db
EVIDENCE = "/api/evaluation/evidence/"


def indicator_pk(number):
    return pemdi_framework().indicators.get(number=number).pk


def upload(client, assessment, number, item, name="bukti.pdf"):
    data = {"assessment": assessment.pk, "indicator": indicator_pk(number), "title": "Rencana Aksi",
            "file": SimpleUploadedFile(name, minimal_pdf([name]), content_type="application/pdf")}
    if item is not None:
        data["item"] = item
    return client.post(EVIDENCE, data, format="multipart")


class TestEvidenceItem:
    def test_a_file_on_an_item_of_its_indicator(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        client = api(world.users["assessor"])
        response = upload(client, assessment, 13, "I13-L2-02")
        assert response.status_code == 201, response.content
        assert response.json()["item"] == "I13-L2-02"
        assert Evidence.objects.get(assessment=assessment).item.code == "I13-L2-02"
        row = client.get(f"{EVIDENCE}{response.json()['id']}/").json()
        assert row["item"] == "I13-L2-02"
        # moved to another item, then to none
        moved = client.patch(f"{EVIDENCE}{row['id']}/", {"item": "I13-L2-01"}, format="json")
        assert moved.status_code == 200 and moved.json()["item"] == "I13-L2-01"
        assert client.patch(f"{EVIDENCE}{row['id']}/", {"item": None}, format="json").json()["item"] is None

    @pytest.mark.parametrize("code, named", [("I14-L2-01", "I14-L2-01"), ("I99-L1-01", "I99-L1-01")])
    def test_an_item_of_another_indicator_or_unknown_is_refused_naming_it(self, world, api, code, named):
        assessment = pemdi_assessment(world, filled=False)
        response = upload(api(world.users["assessor"]), assessment, 13, code)
        assert response.status_code == 400 and named in str(response.json()["item"])
        assert not Evidence.objects.exists()

    def test_an_spbe_assessment_has_no_items(self, world, api, framework):
        from .conftest import make_assessment

        assessment = make_assessment(world, framework)
        data = {"assessment": assessment.pk, "indicator": framework.indicators.get(number=11).pk,
                "link": "https://spbe.example.go.id/arsitektur", "item": "I1-L2-02"}
        response = api(world.users["assessor"]).post(EVIDENCE, data, format="json")
        assert response.status_code == 400 and "I1-L2-02" in str(response.json()["item"])


class TestPlanner:
    def url(self, assessment):
        return f"/api/evaluation/assessments/{assessment.pk}/planner/"

    def test_values_explanation_and_the_saved_preset(self, world, api):
        assessment = pemdi_assessment(world)  # 1.397, Kurang: the default target is 1.50
        assessment.planner_preset = preset_to_dict(Preset(scheme=INCREASING, block_external=True,
                                                          margin=Decimal("0.05")))
        assessment.save()
        plan = api(world.users["leader"]).post(self.url(assessment), {}, format="json").json()
        assert Decimal(plan["current_index"]) == PEMDI_INDEX and Decimal(plan["target"]) == Decimal("1.5")
        assert plan["reachable"] and Decimal(plan["goal"]) == Decimal("1.55") and plan["scheme"] == INCREASING
        assert plan["blocked"] == [5, 6, 7, 18]
        assert Decimal(plan["final_index"]) >= Decimal("1.55")
        assert plan["values"]["1"] == "2.75" or Decimal(plan["values"]["1"]) > Decimal("2.75")
        assert plan["values"]["5"] == "3.75"  # external: blocked, unchanged
        for step in plan["steps"]:
            assert step["indicator"] not in (5, 6, 7, 18)
            assert Decimal(step["to_value"]) > Decimal(step["from_value"])
            assert plan["values"][str(step["indicator"])] == step["to_value"]
        assert any("Margin keamanan" in line for line in plan["explanation"])

    def test_preset_margin_and_step_cap_given(self, world, api):
        assessment = pemdi_assessment(world)
        body = {"target": "2.50", "preset": {"scheme": "uniform", "blocked": [20]}, "margin": "0.10",
                "max_step": None}
        plan = api(world.users["assessor"]).post(self.url(assessment), body, format="json").json()
        assert plan["reachable"] and Decimal(plan["goal"]) == Decimal("2.6") and plan["blocked"] == [20]
        assert plan["values"]["20"] == "1.00"
        one_step = api(world.users["assessor"]).post(self.url(assessment), {**body, "max_step": 1}, format="json")
        assert one_step.json()["max_index"] <= plan["max_index"]

    @pytest.mark.parametrize("body, field", [
        ({"preset": {"scheme": "steil"}}, "preset"),
        ({"preset": {"factors": {"99": 2}}}, "preset"),
        ({"margin": "2.00"}, "margin"),  # the margin is named as itself (review of issue 16)
        ({"max_step": 0}, "max_step"),
    ])
    def test_bad_planner_input_is_named(self, world, api, body, field):
        response = api(world.users["assessor"]).post(self.url(pemdi_assessment(world)), body, format="json")
        assert response.status_code == 400 and field in response.json(), response.json()


class TestItemReview:
    def url(self, assessment):
        return f"/api/evaluation/assessments/{assessment.pk}/review-item/"

    def test_the_asesor_accepts_then_asks_for_a_revision(self, world, api):
        from sia.evaluation.models import EvidenceItemReview

        assessment = pemdi_assessment(world, filled=False)
        client = api(world.users["assessor"])
        accepted = client.post(self.url(assessment), {"item": "I13-L2-02", "status": "accepted"}, format="json")
        assert accepted.status_code == 200, accepted.content
        assert accepted.json() | {"reviewed_at": None} == {
            "item": "I13-L2-02", "indicator": 13, "stage": "mandiri", "status": "accepted", "status_label": "Diterima",
            "note": "", "reviewed_by": world.users["assessor"].username, "reviewed_at": None}
        revise = client.post(self.url(assessment), {"item": "I13-L2-02", "status": "revise",
                                                     "note": "Lampirkan Renja yang disahkan."}, format="json")
        assert revise.json()["status"] == "revise" and revise.json()["note"] == "Lampirkan Renja yang disahkan."
        review = EvidenceItemReview.objects.get(assessment=assessment)
        assert (review.status, review.note) == ("revise", "Lampirkan Renja yang disahkan.")

    @pytest.mark.parametrize("body, field, named", [
        ({"item": "I99-L1-01", "status": "accepted"}, "item", "I99-L1-01"),
        ({"item": "I13-L2-02", "status": "revise"}, None, "I13-L2-02"),  # to revise without a note
        ({"item": "I13-L2-02", "status": "lulus"}, "status", "lulus"),
    ])
    def test_bad_input_is_refused_naming_it_and_nothing_written(self, world, api, body, field, named):
        from sia.evaluation.models import EvidenceItemReview

        assessment = pemdi_assessment(world, filled=False)
        response = api(world.users["assessor"]).post(self.url(assessment), body, format="json")
        assert response.status_code == 400 and named in str(response.json())
        if field:
            assert field in response.json()
        assert not EvidenceItemReview.objects.exists()

    def test_who_reviews(self, world, api):
        assessment = pemdi_assessment(world, filled=False)
        body = {"item": "I1-L2-02", "status": "accepted"}
        assert api(world.users["admin"]).post(self.url(assessment), body, format="json").status_code == 200
        assert api(world.users["leader"]).post(self.url(assessment), body, format="json").status_code == 403
        assert api(world.users["verifier"]).post(self.url(assessment), body, format="json").status_code == 403
        assert api(world.users["other_admin"]).post(self.url(assessment), body, format="json").status_code == 404

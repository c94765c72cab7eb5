"""The read API of evidence items (``/api/evaluation/evidence-items/``) and of their statuses per stage
(``/api/evaluation/evidence-item-reviews/``), and the names of the assessment's downloads."""

import pytest
from django.urls import reverse
from django.utils.http import content_disposition_header

from sia.evaluation import evidence_items, services
from sia.evaluation.frameworks import spec_for
from sia.evaluation.models import AssessmentTeamMember, EvidenceItem, EvidenceItemReview
from sia.organizations.models import Institution

from ..api_contract import ReadOnlyApiContract
from .conftest import make_assessment
from .pemdi_fixtures import pemdi_assessment, pemdi_framework

pytestmark = pytest.mark.django_db
ITEMS = "/api/evaluation/evidence-items/"
REVIEWS = "/api/evaluation/evidence-item-reviews/"


def item(code):
    return EvidenceItem.objects.select_related("indicator").get(framework=pemdi_framework(), code=code)


def reviewed(world, code="I13-L2-01", status="revise", note="Lampirkan SK yang ditandatangani."):
    """The world's 2026 assessment (made once) with ``code`` reviewed at its current stage."""
    assessment = pemdi_assessment(world, filled=False) if not hasattr(world, "pemdi") else world.pemdi
    world.pemdi = assessment
    return evidence_items.review_item(assessment, item(code), status, user=world.users["assessor"], note=note)


class TestEvidenceItemApi(ReadOnlyApiContract):
    url = ITEMS
    list_query = "?framework=permenpanrb-8-2026&indicator=13&level=2"
    model = EvidenceItem
    writer = "operator"  # reference data: every signed-in user reads it
    read_only = ("leader", "other_admin")
    hidden_from = ()

    def make_object(self, w):
        return item("I13-L2-01")

    def test_filtered_by_framework_indicator_and_level_as_the_file_lists_them(self, world, api):
        spec = spec_for(pemdi_framework())
        client = api(world.users["operator"])
        rows = client.get(ITEMS, {"framework": "permenpanrb-8-2026", "indicator": 13, "level": 2}).json()["results"]
        assert [r["code"] for r in rows] == [i.code for i in spec.indicator(13).items_of_level(2)]
        assert rows[0]["indicator_number"] == 13 and rows[0]["level"] == 2 and rows[0]["text"]
        assert rows[0]["framework"]["display"] == pemdi_framework().name
        every = client.get(ITEMS, {"framework": "permenpanrb-8-2026", "indicator": 13}).json()
        assert every["count"] == len(spec.indicator(13).evidence_items)
        assert client.get(ITEMS, {"framework": "permenpanrb-59-2020"}).json()["count"] == 0  # no items there

    @pytest.mark.parametrize("query", [{"level": "tiga"}, {"indicator": "9" * 30}, {"framework": "permenpanrb-0"}])
    def test_bad_filters_are_400(self, world, api, query):
        pemdi_framework()
        assert api(world.users["operator"]).get(ITEMS, query).status_code == 400


class TestEvidenceItemReviewApi(ReadOnlyApiContract):
    url = REVIEWS
    model = EvidenceItemReview
    writer = "admin"
    read_only = ("leader", "verifier", "assessor")
    hidden_from = ("other_admin", "operator", "operator_dinkes")

    def make_object(self, w):
        existing = EvidenceItemReview.objects.first()
        return existing or reviewed(w)

    def test_the_review_as_the_assessor_left_it(self, world, api):
        review = reviewed(world)
        body = api(world.users["leader"]).get(f"{REVIEWS}{review.pk}/").json()
        assert {k: body[k] for k in ("item", "item_id", "indicator", "level", "stage", "status", "status_label", "note",
                                     "reviewed_by")} == {
            "item": "I13-L2-01", "item_id": review.item_id, "indicator": 13, "level": 2, "stage": "mandiri",
            "status": "revise", "status_label": "Perlu perbaikan", "note": "Lampirkan SK yang ditandatangani.",
            "reviewed_by": world.users["assessor"].username}
        assert body["assessment"]["id"] == review.assessment_id

    def test_filters_by_assessment_stage_and_item(self, world, api):
        first = reviewed(world, "I13-L2-01")
        reviewed(world, "I13-L2-02", "accepted", "")
        assessment = world.pemdi
        framework = assessment.framework
        for indicator in framework.indicators.all():  # every value, so the stage can be locked and the next begun
            services.set_value(assessment, indicator, "1.00" if indicator.value_source != "external" else None,
                               user=world.users["assessor"])
        services.advance_stage(assessment, user=world.users["admin"])
        later = evidence_items.review_item(assessment, item("I13-L2-01"), "accepted", user=world.users["assessor"])
        other = make_assessment(world, pemdi_framework(), year=2027)
        evidence_items.review_item(other, item("I13-L2-01"), "accepted", user=world.users["assessor"])
        client = api(world.users["leader"])

        def ids(**query):
            response = client.get(REVIEWS, query)
            assert response.status_code == 200, response.content
            return sorted(row["id"] for row in response.json()["results"])

        assert len(ids(assessment_id=assessment.pk)) == 3
        assert ids(assessment_id=assessment.pk, stage="mandiri", item="I13-L2-01") == [first.pk]
        assert ids(assessment_id=assessment.pk, stage="dokumen") == [later.pk]
        assert ids(assessment_id=assessment.pk, item=str(first.item_id), status="revise") == [first.pk]
        assert len(ids(item="i13-l2-01")) == 3  # a code, whatever its case, across the assessments seen
        assert ids(assessment_id=assessment.pk, indicator=14) == []

    def test_a_team_member_reads_the_reviews_of_their_assessment_only(self, world, api):
        review = reviewed(world)
        client = api(world.users["operator"])
        assert client.get(f"{REVIEWS}{review.pk}/").status_code == 404
        AssessmentTeamMember.objects.create(assessment=world.pemdi, user=world.users["operator"], role="operator")
        assert [r["id"] for r in client.get(REVIEWS).json()["results"]] == [review.pk]

    @pytest.mark.parametrize("query", [{"stage": "akhir-tahun"}, {"item": "9" * 30}, {"assessment_id": "x"},
                                       {"status": "lulus"}])
    def test_bad_filters_are_400(self, world, api, query):
        reviewed(world)
        assert api(world.users["admin"]).get(REVIEWS, query).status_code == 400

    def test_another_instansis_assessment_cannot_be_named(self, world, api):
        reviewed(world)
        response = api(world.users["other_admin"]).get(REVIEWS, {"assessment_id": world.pemdi.pk})
        assert response.status_code == 400  # the assessment is not among the choices: as if it did not exist


@pytest.mark.parametrize("page_name, api_action, name", [
    ("evaluation:assessment_xlsx", "export-xlsx", 'penilaian-spbe-Sulé"82-2024.xlsx'),
    ("evaluation:assessment_berita_acara", "berita-acara", 'berita-acara-penilaian-mandiri-Sulé"82-2024.docx'),
])
def test_download_names_with_any_instansi_code(world, client, api, page_name, api_action, name, framework):
    """An instansi's code is free text: downloads name their file through ``content_disposition_header``
    (a quote or a letter outside ASCII stays in the name, never breaks the header)."""
    Institution.objects.filter(pk=world.inst.pk).update(code='Sulé"82')
    assessment = make_assessment(world, framework)
    client.force_login(world.users["leader"])
    page = client.get(reverse(page_name, args=[assessment.pk]))
    from_api = api(world.users["leader"]).get(f"/api/evaluation/assessments/{assessment.pk}/{api_action}/")
    for response in (page, from_api):
        assert response.status_code == 200
        assert response["Content-Disposition"] == content_disposition_header(True, name)
        assert "filename*=utf-8''" in response["Content-Disposition"]

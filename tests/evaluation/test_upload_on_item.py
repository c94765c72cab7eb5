"""Evidence put on an item in the upload itself (PermenPANRB 8/2026), and the previous stage's review of each
item beside the current one."""

import re

import pytest
from django.test import Client

from sia.evaluation import evidence_items, services
from sia.evaluation.frameworks import spec_for
from sia.evaluation.models import Evidence, EvidenceFile, EvidenceItem

from .conftest import make_assessment, pdf_upload
from .pemdi_fixtures import pemdi_assessment, pemdi_framework

pytestmark = pytest.mark.django_db


def page_url(assessment, number):
    return f"/evaluasi/penilaian/{assessment.pk}/indikator/{number}/"


def add_url(assessment, number):
    return f"/evaluasi/penilaian/{assessment.pk}/indikator/{number}/bukti/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def item_select(page: str) -> str:
    """The item list of the upload form (the SIA-records panel has one of its own)."""
    form = page.split('id="evidence-form"', 1)[1].split("</form>", 1)[0]
    return re.search(r'<select name="item"[^>]*>(.*?)</select>', form, re.S).group(1)


def codes(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html)


def nothing_stored(evidence_media):
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert not [p for p in evidence_media.rglob("*") if p.is_file()]


class TestTheUploadForm:
    def test_offers_the_indicators_items_grouped_by_level(self, world):
        assessment = pemdi_assessment(world, filled=False)
        spec = spec_for(assessment.framework)
        page = client_for(world.users["assessor"]).get(page_url(assessment, 13)).content.decode()
        select = item_select(page)
        items = spec.indicator(13).evidence_items
        assert codes(select) == [i.code for i in items]  # every item of indicator 13, in level order
        levels = sorted({i.level for i in items})
        groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
        assert [label for label, _ in groups] == [f"Tingkat {n} · {spec.level_names[n][0]}" for n in levels]
        for (label, body), level in zip(groups, levels):
            assert codes(body) == [i.code for i in spec.indicator(13).items_of_level(level)]
        first = items[0]
        assert f'<option value="{first.code}">{first.code} — {" ".join(first.text.split())[:40]}' in select
        assert '<option value="" selected>— tanpa butir —</option>' in select

    def test_a_levels_link_offers_that_levels_items_only(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        page = client.get(page_url(assessment, 13)).content.decode()
        assert 'href="?tingkat=2#evidence-form" data-testid="upload-level-2"' in page  # in the items panel
        page = client.get(page_url(assessment, 13) + "?tingkat=2").content.decode()
        level_2 = [i.code for i in spec_for(assessment.framework).indicator(13).items_of_level(2)]
        assert codes(item_select(page)) == level_2
        assert '<input type="hidden" name="item_level" value="2"' in page
        # a level that is no level: the whole list
        assert len(codes(item_select(client.get(page_url(assessment, 13) + "?tingkat=9").content.decode()))) > len(level_2)

    def test_an_spbe_indicator_offers_no_item(self, world, framework):
        assessment = make_assessment(world, framework)
        page = client_for(world.users["assessor"]).get(page_url(assessment, 11)).content.decode()
        form = page.split('id="evidence-form"', 1)[1].split("</form>", 1)[0]
        assert '<select name="item"' not in form and '<input type="hidden" name="item"' in form

    def test_readers_get_no_form_and_no_upload_link(self, world):
        assessment = pemdi_assessment(world, filled=False)
        page = client_for(world.users["leader"]).get(page_url(assessment, 13)).content.decode()
        assert 'id="evidence-form"' not in page and "upload-level-" not in page


class TestUploadOnAnItem:
    def test_a_file_is_uploaded_and_put_on_its_item_in_one_step(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client = client_for(world.users["assessor"])
        response = client.post(add_url(assessment, 13), {
            "title": "Peta Rencana SPBE", "file": pdf_upload("peta.pdf"), "item": "I13-L2-01", "item_level": ""},
            follow=True)
        page = response.content.decode()
        evidence = Evidence.objects.get(assessment=assessment)
        assert evidence.item.code == "I13-L2-01" and evidence.is_file and evidence.indicator.number == 13
        assert "dilampirkan pada butir I13-L2-01" in page
        row = page.split('data-testid="item-I13-L2-01"', 1)[1].split("</tr>", 1)[0]
        assert evidence.file_name in row  # shown on its item in the items panel

    def test_a_link_on_the_level_being_documented(self, world):
        assessment = pemdi_assessment(world, filled=False)
        client_for(world.users["assessor"]).post(add_url(assessment, 13), {
            "url": "https://portal.example.go.id/sk", "item": "I13-L3-01", "item_level": "3"})
        assert Evidence.objects.get().item.code == "I13-L3-01"

    @pytest.mark.parametrize("item, level, message", [
        ("I14-L2-01", "", "Butir I14-L2-01 adalah butir indikator 14, bukan indikator 13"),
        ("I13-L3-01", "2", "Butir I13-L3-01 adalah butir tingkat 3, bukan tingkat 2."),
        ("I13-L9-99", "", "Butir I13-L9-99 tidak ada dalam kerangka penilaian ini."),
        ("I13-L2-01", "tujuh", "Tingkat “tujuh” tidak dikenal"),
    ])
    def test_a_wrong_item_is_refused_with_the_assigning_message_and_nothing_written(
        self, world, evidence_media, item, level, message
    ):
        assessment = pemdi_assessment(world, filled=False)
        response = client_for(world.users["assessor"]).post(add_url(assessment, 13), {
            "title": "Peta Rencana SPBE", "file": pdf_upload("peta.pdf"), "item": item, "item_level": level})
        assert response.status_code == 400
        page = response.content.decode()
        assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in page or message in page
        nothing_stored(evidence_media)

    def test_an_spbe_assessment_refuses_an_item_sent_anyway(self, world, framework, evidence_media):
        assessment = make_assessment(world, framework)
        response = client_for(world.users["assessor"]).post(add_url(assessment, 11), {
            "file": pdf_upload(), "item": "I1-L2-02"})
        assert response.status_code == 400 and "Butir I1-L2-02 tidak ada dalam kerangka penilaian ini." in (
            response.content.decode())
        nothing_stored(evidence_media)

    def test_the_same_check_as_assigning_later(self, world):
        """``item_for`` (the upload) and ``assign_item`` (later) refuse the same items with the same words."""
        assessment = pemdi_assessment(world, filled=False)
        indicator = assessment.framework.indicators.get(number=13)
        evidence = Evidence.objects.create(assessment=assessment, indicator=indicator, url="https://x.go.id/a",
                                           title="a")
        for code, level in (("I14-L2-01", None), ("I13-L3-01", 2)):
            with pytest.raises(Exception) as upload:
                evidence_items.item_for(assessment, indicator, code, level)
            with pytest.raises(Exception) as later:
                evidence_items.assign_item(evidence, evidence_items.item_by_code(assessment, code), level)
            assert upload.value.message_dict == later.value.message_dict
        assert evidence_items.item_for(assessment, indicator, " ", None) is None


class TestTheApiUpload:
    def test_a_file_with_its_item_and_level_or_refused_with_nothing_stored(self, world, api, evidence_media):
        assessment = pemdi_assessment(world, filled=False)
        client = api(world.users["assessor"])
        body = {"assessment": assessment.pk, "indicator": assessment.framework.indicators.get(number=13).pk,
                "item": "I13-L3-01", "level": 2, "file": pdf_upload("sk.pdf")}
        refused = client.post("/api/evaluation/evidence/", body, format="multipart")
        assert refused.status_code == 400 and refused.json() == {
            "item": ["Butir I13-L3-01 adalah butir tingkat 3, bukan tingkat 2."]}
        nothing_stored(evidence_media)
        created = client.post("/api/evaluation/evidence/", body | {"level": 3, "file": pdf_upload("sk.pdf")},
                              format="multipart")
        assert created.status_code == 201 and created.json()["item"] == "I13-L3-01" and created.json()["size"]


class TestThePreviousStagesReview:
    def advanced(self, world):
        """The 2026 assessment with I13-L2-01 sent back for revision at the self-assessment, now at the document
        stage."""
        assessment = pemdi_assessment(world)
        item = EvidenceItem.objects.get(framework=pemdi_framework(), code="I13-L2-01")
        evidence_items.review_item(assessment, item, "revise", user=world.users["assessor"],
                                   note="Lampirkan peta yang ditandatangani Sekda.")
        evidence_items.review_item(assessment, EvidenceItem.objects.get(framework=pemdi_framework(), code="I13-L2-02"),
                                   "accepted", user=world.users["assessor"])
        services.advance_stage(assessment, user=world.users["admin"])
        assessment.refresh_from_db()
        return assessment, item

    def test_each_item_carries_its_review_of_the_stage_before(self, world, django_assert_max_num_queries):
        assessment, item = self.advanced(world)
        indicator = item.indicator
        with django_assert_max_num_queries(3):
            rows = {row.item.code: row for row in evidence_items.items_of(assessment, indicator)}
        assert rows["I13-L2-01"].review is None and rows["I13-L2-01"].status == "pending"
        assert (rows["I13-L2-01"].previous.status, rows["I13-L2-01"].previous.note) == (
            "revise", "Lampirkan peta yang ditandatangani Sekda.")
        assert rows["I13-L2-02"].previous.status == "accepted" and rows["I13-L3-01"].previous is None
        first_stage = evidence_items.items_of(assessment, indicator, stage="mandiri")
        assert all(row.previous is None for row in first_stage)  # nothing comes before the self-assessment

    def test_the_page_shows_it_beside_the_current_status(self, world):
        assessment, item = self.advanced(world)
        evidence_items.review_item(assessment, item, "accepted", user=world.users["assessor"])
        page = client_for(world.users["leader"]).get(page_url(assessment, 13)).content.decode()
        assert "Status pada Penilaian mandiri" in page
        row = page.split('data-testid="item-I13-L2-01"', 1)[1].split("</tr>", 1)[0]
        previous = row.split('data-testid="item-previous"', 1)[1].split("</td>", 1)[0]
        assert "Perlu perbaikan" in previous and "Lampirkan peta yang ditandatangani Sekda." in previous
        assert "Diterima" in row.split('data-testid="item-status"', 1)[1]
        untouched = page.split('data-testid="item-I13-L3-01"', 1)[1].split("</tr>", 1)[0]
        assert '<td data-testid="item-previous"><span class="muted">—</span></td>' in untouched

    def test_the_first_stage_has_no_such_column(self, world):
        assessment = pemdi_assessment(world, filled=False)
        page = client_for(world.users["leader"]).get(page_url(assessment, 13)).content.decode()
        assert 'data-testid="evidence-items"' in page and "item-previous" not in page and "Status pada" not in page

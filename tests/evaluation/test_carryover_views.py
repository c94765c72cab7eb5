"""Carrying evidence over by hand: the panel on a PermenPANRB 8/2026 indicator page listing the last SPBE assessment's
evidence proposed for it, its POST, and the API actions ``carry-over`` and ``carry-over-proposals``."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sia.evaluation.models import Assessment, Evidence, EvidenceFile, EvidenceItem, IndicatorScore, StageLock
from sia.evaluation.uploads import attach_file, attach_url

from .conftest import make_assessment, pdf_upload
from .pemdi_fixtures import pemdi_framework

PAGE = "/evaluasi/penilaian/{pk}/indikator/{n}/"
CARRY = "/evaluasi/penilaian/{pk}/indikator/{n}/bawa-bukti/"
API_CARRY = "/api/evaluation/assessments/{pk}/carry-over/"
API_PROPOSALS = "/api/evaluation/assessments/{pk}/carry-over-proposals/"


def other_item_code(assessment) -> str:
    """An evidence item of Pemdi indicator 2 (not of indicator 1)."""
    return EvidenceItem.objects.filter(indicator__framework=assessment.framework, indicator__number=2).first().code


def _indicators(framework, numbers):
    return {i.number: i for i in framework.indicators.filter(number__in=numbers)}


@pytest.fixture
def spbe_2024(world, framework):
    """The instansi's 2024 SPBE assessment: evidence on SPBE 11 and 12 (mapped to Pemdi 1) and a link on 42."""
    assessment = make_assessment(world, framework)
    user = world.users["assessor"]
    ind = _indicators(framework, [11, 12, 42])
    return assessment, {
        11: attach_file(assessment, ind[11], pdf_upload("arsitektur.pdf", "Arsitektur"), user=user,
                        title="Dokumen Arsitektur SPBE 2024"),
        12: attach_file(assessment, ind[12], pdf_upload("peta.pdf", "Peta Rencana"), user=user,
                        title="Peta Rencana SPBE 2024-2026"),
        42: attach_url(assessment, ind[42], "https://lapor.contoh.go.id/", user=user, title="Kanal pengaduan"),
    }


@pytest.fixture
def pemdi_2026(world, db):
    assessment = Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi_framework())
    from sia.evaluation.models import AssessmentTeamMember

    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["assessor"], role="asesor")
    return assessment


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


# --- the panel -------------------------------------------------------------------------------------------------


def test_the_panel_lists_the_mapped_spbe_indicators_with_their_evidence(world, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    page = client_for(world.users["assessor"]).get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()
    assert 'data-testid="carryover-panel"' in page
    assert "Bukti dari penilaian Indeks SPBE 2024" in page
    assert "Dokumen Arsitektur SPBE 2024" in page and "Peta Rencana SPBE 2024-2026" in page
    assert f'name="evidence" value="{ev[11].pk}"' in page and f'name="item-{ev[11].pk}"' in page
    assert ev[11].file_name in page
    first_item = EvidenceItem.objects.filter(indicator__framework=pemdi_2026.framework, indicator__number=1).order_by(
        "level", "number").first()
    assert f'<optgroup label="Tingkat {first_item.level}">' in page and f'value="{first_item.code}"' in page
    assert "Kanal pengaduan" not in page  # SPBE 42 is not proposed for Pemdi 1
    assert "Kanal pengaduan" in client_for(world.users["assessor"]).get(PAGE.format(pk=pemdi_2026.pk, n=19)).content.decode()


def test_no_panel_without_a_source_assessment_a_mapping_or_for_a_spbe_assessment(world, spbe_2024, pemdi_2026, framework):
    source, _ev = spbe_2024
    client = client_for(world.users["assessor"])
    assert "carryover-panel" not in client.get(PAGE.format(pk=pemdi_2026.pk, n=5)).content.decode()  # SDI: no source
    assert "carryover-panel" not in client.get(PAGE.format(pk=source.pk, n=11)).content.decode()  # 59/2020 itself
    Evidence.objects.filter(assessment=source).delete()
    source.delete()
    assert "carryover-panel" not in client.get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()


def test_a_reader_sees_the_panel_without_the_form(world, spbe_2024, pemdi_2026):
    page = client_for(world.users["leader"]).get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()
    assert "Dokumen Arsitektur SPBE 2024" in page and 'data-testid="carryover-form"' not in page


def test_page_queries_do_not_grow_with_the_evidence_rows(world, framework, spbe_2024, pemdi_2026,
                                                         django_assert_max_num_queries):
    source, _ev = spbe_2024
    client = client_for(world.users["assessor"])
    url = PAGE.format(pk=pemdi_2026.pk, n=1)
    client.get(url)  # warm the caches (mapping, instrument, terms)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    ind = _indicators(framework, [10, 11, 13])
    for n in range(8):
        attach_file(source, ind[(10, 11, 13)[n % 3]], pdf_upload(f"lain-{n}.pdf", f"Dokumen {n}"),
                    user=world.users["assessor"], title=f"Dokumen tambahan {n}")
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert "Dokumen tambahan 7" in page


# --- carrying over on the page ---------------------------------------------------------------------------------


def test_carrying_over_reuses_the_file_and_writes_no_level(world, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    item = EvidenceItem.objects.filter(indicator__framework=pemdi_2026.framework, indicator__number=1).first()
    blobs = EvidenceFile.objects.count()
    response = client_for(world.users["assessor"]).post(
        CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[11].pk, ev[12].pk], f"item-{ev[11].pk}": item.code})
    assert response.status_code == 302 and response["Location"].endswith("#bukti")
    assert "Dibawa dari penilaian 2024" in _messages(response)
    carried = {e.blob_id: e for e in Evidence.objects.filter(assessment=pemdi_2026, indicator__number=1)}
    assert set(carried) == {ev[11].blob_id, ev[12].blob_id}
    assert carried[ev[11].blob_id].item == item and carried[ev[12].blob_id].item is None
    assert carried[ev[11].blob_id].added_by == world.users["assessor"]
    assert EvidenceFile.objects.count() == blobs
    assert not IndicatorScore.objects.filter(assessment=pemdi_2026).exists()
    page = client_for(world.users["assessor"]).get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()
    assert "sudah ada" in page and f'name="evidence" value="{ev[11].pk}"' not in page


def test_carrying_over_again_is_skipped(world, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    client = client_for(world.users["assessor"])
    client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[11].pk]})
    response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[11].pk]})
    assert "Sudah ada pada indikator ini: Dokumen Arsitektur SPBE 2024" in _messages(response)
    assert Evidence.objects.filter(assessment=pemdi_2026).count() == 1


def test_a_locked_stage_is_refused(world, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    StageLock.objects.create(assessment=pemdi_2026, stage="mandiri", index=Decimal(1), predicate="Kurang")
    client = client_for(world.users["assessor"])
    response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[11].pk]})
    assert response.status_code == 302 and "sudah dikunci" in _messages(response)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()
    page = client.get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()
    assert "carryover-panel" in page and 'data-testid="carryover-form"' not in page


def test_evidence_of_another_instansi_or_an_older_assessment_is_refused(world, framework, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    elsewhere = Assessment.objects.create(institution=world.other, year=2024, framework=framework)
    indicator = framework.indicators.get(number=11)
    foreign = attach_file(elsewhere, indicator, pdf_upload("asing.pdf", "Asing"), user=None, title="Milik instansi lain")
    older = make_assessment(world, framework, year=2022)
    old = attach_file(older, indicator, pdf_upload("lama.pdf", "Lama"), user=None, title="Arsitektur 2022")
    client = client_for(world.users["assessor"])
    for pk in (foreign.pk, old.pk):
        response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[12].pk, pk]})
        assert f"Bukti dukung #{pk} tidak ditemukan di penilaian Indeks SPBE 2024" in _messages(response)
    response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[12].pk], f"item-{ev[12].pk}": other_item_code(pemdi_2026)})
    assert "adalah butir indikator 2, bukan indikator 1" in _messages(response)
    response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": ["x"]})
    assert "tidak dikenal" in _messages(response)
    response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {})
    assert "Pilih sedikitnya satu bukti dukung" in _messages(response)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


def test_who_may_carry_over_on_the_page(world, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    url = CARRY.format(pk=pemdi_2026.pk, n=1)
    assert client_for(world.users["operator"]).post(url, {"evidence": [ev[11].pk]}).status_code == 404  # not on the team
    assert client_for(world.users["leader"]).post(url, {"evidence": [ev[11].pk]}).status_code == 403  # reads only
    assert client_for(world.users["admin"]).post(url, {"evidence": [ev[11].pk]}).status_code == 403
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


# --- the API ---------------------------------------------------------------------------------------------------


def test_api_proposals(api, world, spbe_2024, pemdi_2026):
    source, ev = spbe_2024
    body = api(world.users["assessor"]).get(API_PROPOSALS.format(pk=pemdi_2026.pk) + "?indicator=1").json()
    assert body["source_assessment"] == {"id": source.pk, "year": 2024, "framework": "permenpanrb-59-2020",
                                         "index": "Indeks SPBE"}
    [entry] = body["indicators"]
    assert entry["indicator"] == 1
    by_source = {row["source"]: row for row in entry["sources"]}
    assert set(by_source) == {1, 2, 10, 11, 12, 13, 19} and all(row["rationale"] for row in entry["sources"])
    assert [(e["id"], e["title"], e["present"]) for e in by_source[11]["evidence"]] == [
        (ev[11].pk, "Dokumen Arsitektur SPBE 2024", False)]
    every = api(world.users["assessor"]).get(API_PROPOSALS.format(pk=pemdi_2026.pk)).json()
    assert [e["indicator"] for e in every["indicators"]] == list(range(1, 21))
    assert api(world.users["assessor"]).get(API_PROPOSALS.format(pk=pemdi_2026.pk) + "?indicator=21").status_code == 400
    spbe = api(world.users["assessor"]).get(API_PROPOSALS.format(pk=source.pk)).json()
    assert spbe == {"source_assessment": None, "indicators": []}
    assert api(world.users["operator"]).get(API_PROPOSALS.format(pk=pemdi_2026.pk)).status_code == 404


def test_api_carry_over(api, world, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    item = EvidenceItem.objects.filter(indicator__framework=pemdi_2026.framework, indicator__number=1).first()
    client = api(world.users["assessor"])
    url = API_CARRY.format(pk=pemdi_2026.pk)
    response = client.post(url, {"items": [{"indicator": 1, "evidence": ev[11].pk, "item": item.code},
                                           {"indicator": 19, "evidence": ev[42].pk}]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(c["indicator"], c["item"]) for c in body["created"]] == [(1, item.code), (19, None)]
    assert body["skipped"] == []
    created = Evidence.objects.get(pk=body["created"][0]["id"])
    assert created.assessment == pemdi_2026 and created.blob_id == ev[11].blob_id
    assert Evidence.objects.get(pk=body["created"][1]["id"]).url == "https://lapor.contoh.go.id/"
    assert not IndicatorScore.objects.filter(assessment=pemdi_2026).exists()
    again = client.post(url, {"items": [{"indicator": 1, "evidence": ev[11].pk}]}, format="json").json()
    assert again["created"] == [] and again["skipped"] == [
        {"indicator": 1, "evidence": ev[11].pk, "title": "Dokumen Arsitektur SPBE 2024"}]


def test_api_carry_over_refusals(api, world, framework, spbe_2024, pemdi_2026):
    _source, ev = spbe_2024
    elsewhere = Assessment.objects.create(institution=world.other, year=2024, framework=framework)
    foreign = attach_file(elsewhere, framework.indicators.get(number=11), pdf_upload("asing.pdf", "Asing"), user=None,
                          title="Milik instansi lain")
    url = API_CARRY.format(pk=pemdi_2026.pk)
    client = api(world.users["assessor"])
    response = client.post(url, {"items": [{"indicator": 1, "evidence": ev[12].pk},
                                           {"indicator": 1, "evidence": foreign.pk}]}, format="json")
    assert response.status_code == 400 and f"#{foreign.pk} tidak ditemukan" in response.json()["items"][0]
    response = client.post(url, {"items": [{"indicator": 1, "evidence": ev[12].pk, "item": other_item_code(pemdi_2026)}]}, format="json")
    assert response.status_code == 400 and "bukan indikator 1" in str(response.json()["items"])
    assert client.post(url, {"items": []}, format="json").status_code == 400
    assert client.post(API_CARRY.format(pk=spbe_2024[0].pk), {"items": [{"indicator": 1, "evidence": ev[12].pk}]},
                       format="json").status_code == 400  # into a 59/2020 assessment
    StageLock.objects.create(assessment=pemdi_2026, stage="mandiri", index=Decimal(1), predicate="Kurang")
    response = client.post(url, {"items": [{"indicator": 1, "evidence": ev[12].pk}]}, format="json")
    assert response.status_code == 400 and "sudah dikunci" in str(response.json())
    payload = {"items": [{"indicator": 1, "evidence": ev[12].pk}]}
    assert api(world.users["operator"]).post(url, payload, format="json").status_code == 404
    assert api(world.users["leader"]).post(url, payload, format="json").status_code == 403
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()


def test_an_operator_carries_only_what_he_sees_of_the_source(world, spbe_2024, pemdi_2026):
    """An operator entri data adds evidence on the team's assessment, but carries over only from a source
    assessment he sees (on its team too)."""
    from sia.evaluation.models import AssessmentTeamMember

    source, ev = spbe_2024
    operator = world.users["operator"]
    AssessmentTeamMember.objects.create(assessment=pemdi_2026, user=operator, role="operator")
    client = client_for(operator)
    assert "carryover-panel" not in client.get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()
    response = client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[11].pk]})
    assert "Tidak ada penilaian PermenPANRB 59/2020 sebelumnya" in _messages(response)
    assert not Evidence.objects.filter(assessment=pemdi_2026).exists()
    AssessmentTeamMember.objects.create(assessment=source, user=operator, role="operator")
    assert 'data-testid="carryover-form"' in client.get(PAGE.format(pk=pemdi_2026.pk, n=1)).content.decode()
    client.post(CARRY.format(pk=pemdi_2026.pk, n=1), {"evidence": [ev[11].pk]})
    assert Evidence.objects.get(assessment=pemdi_2026).added_by == operator

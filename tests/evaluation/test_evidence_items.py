"""Evidence per item (PermenPANRB 8/2026): an evidence on an item of its own indicator, a status per item and stage."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from sia.core import permissions
from sia.evaluation import evidence_items, services
from sia.evaluation.frameworks import install_default_frameworks
from sia.evaluation.models import (
    Assessment, AssessmentTeamMember, Evidence, EvidenceItem, EvidenceItemReview, ItemStatus,
)
from sia.evaluation.uploads import attach_url

TARGET = "permenpanrb-8-2026"


@pytest.fixture
def pemdi(db):
    return next(v for v in install_default_frameworks() if v.code == TARGET)


@pytest.fixture
def pemdi_2026(world, pemdi):
    assessment = Assessment.objects.create(institution=world.inst, year=2026, framework=pemdi)
    AssessmentTeamMember.objects.create(assessment=assessment, user=world.users["operator"], role="operator")
    return assessment


def indicator(framework, number):
    return framework.indicators.get(number=number)


def item(framework, code):
    return EvidenceItem.objects.select_related("indicator").get(framework=framework, code=code)


def link(assessment, number, user, url="https://contoh.go.id/dok.pdf"):
    return attach_url(assessment, indicator(assessment.framework, number), url, user=user)


def test_the_items_of_an_indicator_come_from_the_instrument_in_level_order(pemdi_2026, pemdi):
    rows = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))
    codes = [row.item.code for row in rows]
    assert codes and all(code.startswith("I1-L") for code in codes)
    assert [(r.item.level, r.item.number) for r in rows] == sorted((r.item.level, r.item.number) for r in rows)
    assert {row.status for row in rows} == {"pending"}


def test_an_evidence_on_an_item_of_its_own_indicator(world, pemdi_2026, pemdi):
    evidence = link(pemdi_2026, 1, world.users["assessor"])
    first = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))[0].item
    evidence_items.assign_item(evidence, first)
    rows = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))
    assert rows[0].evidence == [evidence] and all(not r.evidence for r in rows[1:])


def test_an_item_of_another_indicator_is_refused_naming_the_code_and_nothing_written(world, pemdi_2026, pemdi):
    evidence = link(pemdi_2026, 1, world.users["assessor"])
    other = EvidenceItem.objects.filter(framework=pemdi, indicator__number=13).order_by("level", "number").first()
    with pytest.raises(ValidationError) as error:
        evidence_items.assign_item(evidence, other)
    assert other.code in str(error.value) and "indikator 13" in str(error.value)
    assert Evidence.objects.get(pk=evidence.pk).item_id is None
    # a new evidence on that item (the one model check for forms, the API and imports): refused, not stored
    fresh = Evidence(assessment=pemdi_2026, indicator=indicator(pemdi, 1), stage="mandiri", url="https://x.go.id/a",
                     title="a", item=other)
    with pytest.raises(ValidationError, match=other.code):
        fresh.full_clean()
    assert Evidence.objects.filter(assessment=pemdi_2026).count() == 1


def test_an_item_of_another_instrument_is_refused(world, framework, pemdi):
    spbe = Assessment.objects.create(institution=world.inst, year=2024, framework=framework)
    evidence = link(spbe, 1, world.users["assessor"])
    pemdi_item = EvidenceItem.objects.filter(framework=pemdi).first()
    with pytest.raises(ValidationError, match=pemdi_item.code):
        evidence_items.assign_item(evidence, pemdi_item)
    with pytest.raises(ValidationError, match="I1-L9-99"):
        evidence_items.item_by_code(spbe, "I1-L9-99")


def test_an_item_has_a_status_per_stage(world, pemdi_2026, pemdi):
    target = item(pemdi, evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))[0].item.code)
    assessor = world.users["assessor"]
    evidence_items.review_item(pemdi_2026, target, "revise", user=assessor, note="Tanda tangan belum ada")
    review = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))[0].review
    assert (review.status, review.note, review.reviewed_by) == ("revise", "Tanda tangan belum ada", assessor)
    evidence_items.review_item(pemdi_2026, target, "accepted", user=assessor)
    assert EvidenceItemReview.objects.get().status == "accepted"
    assert EvidenceItemReview.history.filter(item=target).count() == 2  # the audit trail keeps the revision
    pemdi_2026.current_stage = "dokumen"
    pemdi_2026.save()
    rows = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))
    assert rows[0].status == "pending"  # a new stage is reviewed afresh
    assert evidence_items.items_of(pemdi_2026, indicator(pemdi, 1), stage="mandiri")[0].status == "accepted"


@pytest.mark.parametrize("status, note, message", [
    ("revise", "", "tuliskan catatan"),
    ("maybe", "", "tidak dikenal"),
])
def test_a_bad_review_is_refused_naming_the_item_and_nothing_written(world, pemdi_2026, pemdi, status, note, message):
    target = EvidenceItem.objects.filter(framework=pemdi, indicator__number=2).first()
    with pytest.raises(ValidationError) as error:
        evidence_items.review_item(pemdi_2026, target, status, user=world.users["assessor"], note=note)
    assert target.code in str(error.value) and message in str(error.value)
    assert not EvidenceItemReview.objects.exists()


def test_a_locked_stage_refuses_a_review(world, pemdi_2026, pemdi):
    from sia.evaluation.models import StageLock
    from decimal import Decimal
    StageLock.objects.create(assessment=pemdi_2026, stage="mandiri", index=Decimal(1), predicate="Kurang")
    target = EvidenceItem.objects.filter(framework=pemdi).first()
    with pytest.raises(ValidationError, match="dikunci"):
        evidence_items.review_item(pemdi_2026, target, "accepted", user=world.users["assessor"])
    assert not EvidenceItemReview.objects.exists()


@pytest.mark.parametrize("user, allowed", [
    ("assessor", True), ("admin", True), ("operator", False), ("verifier", False), ("leader", False),
    ("other_admin", False), ("nobody", False),
])
def test_who_reviews_an_item(world, pemdi_2026, pemdi, user, allowed):
    probe = EvidenceItemReview(assessment=pemdi_2026, item=EvidenceItem.objects.filter(framework=pemdi).first(),
                               stage="mandiri")
    assert permissions.can(world.users[user], permissions.ADD, probe) is allowed


def test_a_team_assessor_reviews_a_team_operator_does_not(world, pemdi_2026, pemdi):
    target = EvidenceItem.objects.filter(framework=pemdi, indicator__number=3).first()
    url = f"/evaluasi/penilaian/{pemdi_2026.pk}/butir/{target.pk}/"
    operator = Client()
    operator.force_login(world.users["operator"])  # on the team as operator entri data
    assert operator.post(url, {"status": "accepted"}).status_code == 403
    AssessmentTeamMember.objects.filter(assessment=pemdi_2026).update(role="asesor")
    permissions_reset = __import__("sia.evaluation.policies", fromlist=["forget_teams"]).forget_teams
    permissions_reset()
    response = operator.post(url, {"status": "revise", "note": "Perlu SK terbaru"})
    assert response.status_code == 302 and response["Location"].endswith("/indikator/3/#butir")
    assert EvidenceItemReview.objects.get().note == "Perlu SK terbaru"


def test_the_indicator_page_lists_items_and_the_status_form(world, pemdi_2026, pemdi):
    evidence = link(pemdi_2026, 1, world.users["assessor"])
    client = Client()
    client.force_login(world.users["assessor"])
    page = client.get(f"/evaluasi/penilaian/{pemdi_2026.pk}/indikator/1/").content.decode()
    first = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))[0].item
    assert 'data-testid="evidence-items"' in page and f'data-testid="item-{first.code}"' in page
    assert 'name="status"' in page and f'data-testid="item-assign-{first.level}"' in page
    assert f'<input type="hidden" name="level" value="{first.level}">' in page  # each level's form sends its level
    response = client.post(f"/evaluasi/penilaian/{pemdi_2026.pk}/butir/",
                           {"evidence": evidence.pk, "item": first.code, "level": first.level})
    assert response.status_code == 302
    assert Evidence.objects.get(pk=evidence.pk).item == first
    other = EvidenceItem.objects.filter(framework=pemdi, indicator__number=13).first()
    client.post(f"/evaluasi/penilaian/{pemdi_2026.pk}/butir/", {"evidence": evidence.pk, "item": other.code})
    assert Evidence.objects.get(pk=evidence.pk).item == first  # refused, unchanged
    leader = Client()
    leader.force_login(world.users["leader"])
    page = leader.get(f"/evaluasi/penilaian/{pemdi_2026.pk}/indikator/1/").content.decode()
    assert 'data-testid="evidence-items"' in page and 'name="status"' not in page


def test_the_items_panel_reads_in_few_queries(world, pemdi_2026, pemdi, django_assert_max_num_queries):
    rows = evidence_items.items_of(pemdi_2026, indicator(pemdi, 1))
    for row in rows:
        evidence_items.review_item(pemdi_2026, row.item, "accepted", user=world.users["assessor"])
        evidence_items.assign_item(link(pemdi_2026, 1, world.users["assessor"], f"https://x.go.id/{row.item.pk}"), row.item)
    number_one = indicator(pemdi, 1)
    with django_assert_max_num_queries(3):
        rows = evidence_items.items_of(pemdi_2026, number_one)
        assert all(r.evidence and r.status == "accepted" for r in rows)


# --- an item of another level ---------------------------------------------------------------------------


def test_an_item_of_another_level_is_refused_naming_the_item_and_both_levels(world, pemdi_2026, pemdi):
    evidence = link(pemdi_2026, 13, world.users["assessor"])
    level_3 = item(pemdi, "I13-L3-01")
    with pytest.raises(ValidationError) as error:
        evidence_items.assign_item(evidence, level_3, 2)
    assert error.value.message_dict == {"item": ["Butir I13-L3-01 adalah butir tingkat 3, bukan tingkat 2."]}
    assert Evidence.objects.get(pk=evidence.pk).item_id is None  # nothing written
    evidence_items.assign_item(evidence, level_3, 3)  # the level it documents: accepted
    assert Evidence.objects.get(pk=evidence.pk).item == level_3
    evidence_items.assign_item(evidence, item(pemdi, "I13-L2-01"))  # no level in context: any level of the indicator
    assert Evidence.objects.get(pk=evidence.pk).item.code == "I13-L2-01"


@pytest.mark.parametrize("value, expected", [(None, None), ("", None), ("2", 2), (5, 5)])
def test_the_documented_level_is_read(value, expected):
    assert evidence_items.documented_level(value) == expected


@pytest.mark.parametrize("value", ["0", "6", "dua", "2.5", "-1"])
def test_a_documented_level_outside_1_to_5_is_refused_naming_it(value):
    with pytest.raises(ValidationError) as error:
        evidence_items.documented_level(value)
    assert list(error.value.message_dict) == ["level"] and value in str(error.value)


def test_the_items_panel_groups_items_by_level_and_refuses_another_levels_item(world, pemdi_2026, pemdi):
    evidence = link(pemdi_2026, 13, world.users["assessor"])
    client = Client()
    client.force_login(world.users["assessor"])
    page = client.get(f"/evaluasi/penilaian/{pemdi_2026.pk}/indikator/13/").content.decode()
    levels = sorted(set(EvidenceItem.objects.filter(indicator__number=13, framework=pemdi).values_list("level", flat=True)))
    for level in levels:
        group = page.split(f'data-testid="items-level-{level}"', 1)[1].split("</tbody>", 1)[0]
        codes = set(EvidenceItem.objects.filter(indicator__number=13, framework=pemdi, level=level)
                    .values_list("code", flat=True))
        assert all(f'<option value="{code}">' in group for code in codes)
        assert f'<input type="hidden" name="level" value="{level}">' in group
        assert "-L" in group and all(f"-L{other}-" not in group for other in levels if other != level)
    url = f"/evaluasi/penilaian/{pemdi_2026.pk}/butir/"
    response = client.post(url, {"evidence": evidence.pk, "item": "I13-L3-01", "level": "2"}, follow=True)
    assert "Butir I13-L3-01 adalah butir tingkat 3, bukan tingkat 2." in response.content.decode()
    assert Evidence.objects.get(pk=evidence.pk).item_id is None
    client.post(url, {"evidence": evidence.pk, "item": "I13-L3-01", "level": "tiga"})
    assert Evidence.objects.get(pk=evidence.pk).item_id is None
    client.post(url, {"evidence": evidence.pk, "item": "I13-L3-01", "level": "3"})
    assert Evidence.objects.get(pk=evidence.pk).item.code == "I13-L3-01"


EVIDENCE_API = "/api/evaluation/evidence/"


def test_the_api_refuses_an_item_of_another_level_on_create_and_on_change(world, pemdi_2026, pemdi, api):
    client = api(world.users["assessor"])
    body = {"assessment": pemdi_2026.pk, "indicator": indicator(pemdi, 13).pk, "link": "https://x.go.id/sk.pdf",
            "item": "I13-L3-01", "level": 2}
    refused = client.post(EVIDENCE_API, body, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"item": ["Butir I13-L3-01 adalah butir tingkat 3, bukan tingkat 2."]}
    assert not Evidence.objects.exists()
    created = client.post(EVIDENCE_API, body | {"level": 3}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["item"] == "I13-L3-01" and "level" not in created.json()
    url = f"{EVIDENCE_API}{created.json()['id']}/"
    moved = client.patch(url, {"item": "I13-L2-01", "level": 3}, format="json")
    assert moved.status_code == 400 and "bukan tingkat 3" in str(moved.json()["item"])
    assert Evidence.objects.get().item.code == "I13-L3-01"
    assert client.patch(url, {"item": "I13-L2-01", "level": 2}, format="json").json()["item"] == "I13-L2-01"
    assert client.patch(url, {"item": "I13-L3-01"}, format="json").status_code == 200  # no level: any level
    assert client.patch(url, {"item": "I13-L3-01", "level": 9}, format="json").status_code == 400

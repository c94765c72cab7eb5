"""The review of a kegiatan: the architecture's workflow (sia.architecture.workflow) on a model without a DomainSpec,
what must hold before a submit, who may do each transition, an edit of a reviewed kegiatan (its fields, its years,
its gaps) sending it back to draft, and the API actions."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import ReviewEvent
from sia.roadmap import review
from sia.roadmap.models import Activity, ActivityYear

from .conftest import make_activity, make_year


def reviewed(activity, status):
    Activity.objects.filter(pk=activity.pk).update(status=status)
    activity.refresh_from_db()
    return activity


def test_the_operator_submits_the_verifier_verifies_the_koordinator_validates(roadmap, world):
    activity = roadmap.d  # DINKES, 2026, pagu 30
    workflow.apply(activity, workflow.A.SUBMIT, world.users["operator_dinkes"])
    assert activity.status == S.SUBMITTED
    workflow.apply(activity, workflow.A.VERIFY, world.users["verifier"])
    workflow.apply(activity, workflow.A.VALIDATE, world.users["admin"])
    activity.refresh_from_db()
    assert activity.status == S.VALIDATED
    actions = list(workflow.conversation(activity).values_list("action", "to_status"))
    assert actions == [("ajukan", S.SUBMITTED), ("verifikasi", S.VERIFIED), ("validasi", S.VALIDATED)]


def test_the_verifier_returns_with_a_comment_only(roadmap, world):
    activity = roadmap.a
    workflow.apply(activity, workflow.A.SUBMIT, world.users["operator"])
    with pytest.raises(workflow.TransitionError):
        workflow.apply(activity, workflow.A.RETURN, world.users["verifier"])
    workflow.apply(activity, workflow.A.RETURN, world.users["verifier"], "Pagu 2026 belum ada sumbernya.")
    assert activity.status == S.RETURNED
    assert workflow.conversation(activity).last().comment == "Pagu 2026 belum ada sumbernya."


@pytest.mark.parametrize("user, action, status", [
    ("operator_dinkes", "ajukan", S.DRAFT),  # another OPD's kegiatan
    ("verifier", "ajukan", S.DRAFT),
    ("leader", "ajukan", S.DRAFT),
    ("operator", "verifikasi", S.SUBMITTED),  # its own, but operators do not review
    ("assessor", "verifikasi", S.SUBMITTED),
    ("verifier", "validasi", S.VERIFIED),  # only the koordinator validates
    ("operator", "validasi", S.VERIFIED),
])
def test_roles_that_may_not_do_a_transition_are_refused(roadmap, world, user, action, status):
    activity = reviewed(roadmap.a, status)
    with pytest.raises(PermissionDenied):
        workflow.apply(activity, action, world.users[user], "Catatan.")
    activity.refresh_from_db()
    assert activity.status == status and not ReviewEvent.objects.exists()


def test_another_instansi_may_not_touch_it(roadmap, world):
    with pytest.raises(PermissionDenied):
        workflow.apply(roadmap.a, workflow.A.SUBMIT, world.users["other_admin"])


def test_a_kegiatan_without_a_pagu_cannot_be_submitted(roadmap, world):
    activity = make_activity(roadmap.apps, world.kominfo, "KG-NOL", start=2027, end=2027)
    make_year(activity, 2027, 0)
    assert activity.submit_problems() == ["Isi minimal satu tahun dengan pagu sebelum kegiatan diajukan."]
    with pytest.raises(workflow.TransitionError) as refused:
        workflow.apply(activity, workflow.A.SUBMIT, world.users["operator"])
    assert "pagu" in refused.value.messages[0]
    activity.refresh_from_db()
    assert activity.status == S.DRAFT


def test_a_year_outside_the_kegiatan_years_blocks_a_submit(roadmap, world):
    # Written around the rules (as an old import could have left it): the submit still refuses it.
    ActivityYear.objects.create(activity=roadmap.s, year=2028, budget=10)
    problems = workflow.submit_problems(roadmap.s)
    assert problems == ["Tahun 2028 di luar tahun pelaksanaan kegiatan (2025-2026)."]


def test_submit_problems_ask_no_domain_spec(roadmap):
    assert not hasattr(Activity, "spec")
    assert workflow.submit_problems(roadmap.a) == []


def test_changing_a_year_of_a_validated_kegiatan_reopens_it(roadmap, world):
    activity = reviewed(roadmap.a, S.VALIDATED)
    version = activity.lock_version
    assert review.reopen(activity, world.users["operator"]) is True
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and activity.lock_version == version + 1
    event = workflow.conversation(activity).last()
    assert (event.action, event.from_status, event.to_status) == ("buka-kembali", S.VALIDATED, S.DRAFT)
    assert review.reopen(activity, world.users["operator"]) is False  # a draft stays as it is


def test_a_submitted_kegiatan_is_not_reopened(roadmap, world):
    activity = reviewed(roadmap.a, S.SUBMITTED)
    assert review.reopen(activity, world.users["admin"]) is False
    assert not ReviewEvent.objects.exists()


# --- the API actions -----------------------------------------------------------------------------------------

def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_actions_move_the_kegiatan_through_review(roadmap, world):
    url = lambda name: reverse(f"roadmap-api:activity-{name}", args=[roadmap.d.pk])  # noqa: E731
    response = api(world.users["operator_dinkes"]).post(url("submit"), {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == S.SUBMITTED
    response = api(world.users["verifier"]).post(url("return"), {"comment": ""}, format="json")
    assert response.status_code == 400
    response = api(world.users["verifier"]).post(url("return"), {"comment": "Lengkapi RKA."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == S.RETURNED
    api(world.users["operator_dinkes"]).post(url("submit"), {}, format="json")
    assert api(world.users["verifier"]).post(url("verify"), {}, format="json").status_code == 200
    assert api(world.users["verifier"]).post(url("validate"), {}, format="json").status_code == 403
    assert api(world.users["admin"]).post(url("validate"), {}, format="json").json()["status"] == S.VALIDATED
    response = api(world.users["assessor"]).post(url("comments"), {"comment": "Sudah sesuai RKA."}, format="json")
    assert response.status_code == 200 and response.json()[-1]["comment"] == "Sudah sesuai RKA."
    assert api(world.users["other_admin"]).post(url("submit"), {}, format="json").status_code == 404


def test_an_api_edit_of_a_verified_kegiatan_reopens_it_an_unchanged_one_does_not(roadmap, world):
    activity = reviewed(roadmap.a, S.VERIFIED)
    url = reverse("roadmap-api:activity-detail", args=[activity.pk])
    client = api(world.users["operator"])
    response = client.patch(url, {"name": activity.name, "lock_version": activity.lock_version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == S.VERIFIED
    response = client.patch(url, {"name": "Nama baru", "lock_version": response.json()["lock_version"]},
                            format="json")
    assert response.status_code == 200 and response.json()["status"] == S.DRAFT
    assert workflow.conversation(activity).last().action == "buka-kembali"


def test_api_writes_to_years_and_gaps_reopen_the_kegiatan(roadmap, world):
    client = api(world.users["admin"])
    activity = reviewed(roadmap.a, S.VALIDATED)
    row = activity.years.get(year=2026)
    response = client.patch(reverse("roadmap-api:activityyear-detail", args=[row.pk]), {"budget": "150"},
                            format="json")
    assert response.status_code == 200
    activity.refresh_from_db()
    assert activity.status == S.DRAFT
    activity = reviewed(roadmap.a, S.VALIDATED)
    response = client.post(reverse("roadmap-api:activitygap-list"),
                           {"activity": activity.pk, "kind": "aplikasi", "object_id": roadmap.upgrade.pk},
                           format="json")
    assert response.status_code == 201, response.json()
    activity.refresh_from_db()
    assert activity.status == S.DRAFT
    activity = reviewed(roadmap.a, S.VALIDATED)
    link = activity.gaps.get(object_id=roadmap.upgrade.pk)
    assert client.delete(reverse("roadmap-api:activitygap-detail", args=[link.pk])).status_code == 204
    activity.refresh_from_db()
    assert activity.status == S.DRAFT


def test_a_refused_year_leaves_a_reviewed_kegiatan_as_it_was(roadmap, world):
    activity = reviewed(roadmap.a, S.VALIDATED)
    response = api(world.users["operator"]).post(reverse("roadmap-api:activityyear-list"),
                                                 {"activity": activity.pk, "year": 2029, "budget": "5"}, format="json")
    assert response.status_code == 400 and "year" in response.json()
    activity.refresh_from_db()
    assert activity.status == S.VALIDATED and not ReviewEvent.objects.exists()


# --- the page ------------------------------------------------------------------------------------------------

def page(user, activity):
    client = Client()
    client.force_login(user)
    return client.get(reverse("roadmap:activity", args=[activity.pk])).content.decode()


def test_the_page_shows_status_buttons_and_conversation(roadmap, world):
    html = page(world.users["operator_dinkes"], roadmap.d)
    assert 'value="ajukan"' in html and "status-draf" in html
    assert 'value="verifikasi"' not in html
    assert 'value="ajukan"' not in page(world.users["operator"], roadmap.d)  # another OPD's kegiatan
    workflow.apply(roadmap.d, workflow.A.SUBMIT, world.users["operator_dinkes"])
    html = page(world.users["verifier"], roadmap.d)
    assert 'value="verifikasi"' in html and 'value="kembalikan"' in html and 'value="validasi"' not in html
    assert "diajukan" in html.lower()
    assert 'value="verifikasi"' not in page(world.users["leader"], roadmap.d)


def test_the_page_tells_what_is_missing_before_a_submit(roadmap, world):
    activity = make_activity(roadmap.apps, world.kominfo, "KG-KOSONG", start=2027, end=2027)
    assert "Isi minimal satu tahun dengan pagu" in page(world.users["operator"], activity)


def test_web_actions_go_through_the_workflow(roadmap, world):
    client = Client()
    client.force_login(world.users["operator_dinkes"])
    url = reverse("roadmap:activity_action", args=[roadmap.d.pk])
    response = client.post(url, {"action": "ajukan"})
    assert response.status_code == 302
    roadmap.d.refresh_from_db()
    assert roadmap.d.status == S.SUBMITTED
    response = client.post(url, {"action": "verifikasi"})  # an operator does not verify: a message, nothing changes
    roadmap.d.refresh_from_db()
    assert response.status_code == 302 and roadmap.d.status == S.SUBMITTED
    client.force_login(world.users["verifier"])
    client.post(url, {"action": "komentar", "comment": "Cek sumber dana."})
    assert workflow.conversation(roadmap.d).last().comment == "Cek sumber dana."


def test_the_page_keeps_its_query_budget(roadmap, world, count_queries, query_budget):
    client = Client()
    client.force_login(world.users["verifier"])
    url = reverse("roadmap:activity", args=[roadmap.a.pk])
    assert client.get(url).status_code == 200
    before, _ = count_queries(lambda: client.get(url))
    for n in range(3):
        workflow.comment(roadmap.a, world.users["verifier"], f"Catatan {n}")
        make_year(make_activity(roadmap.apps, world.kominfo, f"KG-Q{n}", start=2028, end=2028), 2028, 5)
    after, response = count_queries(lambda: client.get(url))
    assert response.status_code == 200 and "Catatan 2" in response.content.decode()
    assert after == before <= query_budget["roadmap.activity"], (before, after)

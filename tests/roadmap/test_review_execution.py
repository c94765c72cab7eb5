"""Recording the execution of a reviewed kegiatan (its status pelaksanaan; per year the realisation, "selesai" and
the RKA: ``sia.roadmap.review.EXECUTION_FIELDS``) keeps its review; a change of its plan (the pagu here) sends it
back to draft: through the web form, the API and the Excel upload."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import ReviewEvent
from sia.roadmap import review
from sia.roadmap.models import Activity, ActivityYear
from sia.roadmap.workbook import build_workbook
from sia.roadmap.workbook_commit import commit_workbook
from sia.roadmap.workbook_import import plan_workbook

from .test_forms import activity_data
from .test_workbook import edit, row_of

pytestmark = pytest.mark.django_db


def validated(activity):
    Activity.objects.filter(pk=activity.pk).update(status=S.VALIDATED)
    activity.refresh_from_db()
    return activity


def reopened(activity) -> int:
    return ReviewEvent.objects.filter(object_id=activity.pk, action="buka-kembali").count()


def test_the_execution_fields_are_one_definition():
    assert review.EXECUTION_FIELDS == {Activity: {"progress"}, ActivityYear: {"realisation", "done", "rka"}}
    assert not review.changes_plan(ActivityYear, ["realisation", "done", "rka"])
    assert not review.changes_plan(Activity, ["progress", "lock_version"])
    assert review.changes_plan(ActivityYear, ["realisation", "budget"])
    assert review.changes_plan(ActivityYear, ["source"])
    assert review.changes_plan(ActivityYear, ["activity_id"])
    assert review.changes_plan(Activity, ["name"]) and review.changes_plan(Activity, ["units"])
    assert review.changes_plan(Activity, ["department_id"]) and review.changes_plan(Activity, ["end_year"])


# --- the web form --------------------------------------------------------------------------------------------

def post_form(roadmap, world, activity, years=(), **changes):
    activity.refresh_from_db()
    rows = list(activity.years.order_by("year"))
    data = activity_data(roadmap, world, existing=rows, years=years, code=activity.code, name=activity.name, output=activity.output,
                         start_year=activity.start_year, end_year=activity.end_year, progress=activity.progress,
                         lock_version=activity.lock_version, gaps=[f"aplikasi:{roadmap.new_app.pk}"])
    data.update(changes)
    client = Client()
    client.force_login(world.users["operator"])
    return client.post(reverse("roadmap:activity_edit", args=[activity.pk]), data, follow=True)


def test_the_form_records_execution_without_reopening(roadmap, world):
    activity = validated(roadmap.a)  # rows 2025 (done) and 2026
    client = Client()
    client.force_login(world.users["operator"])
    edit_page = client.get(reverse("roadmap:activity_edit", args=[activity.pk])).content.decode()
    assert 'data-testid="review-note"' in edit_page and "tidak mengubah status reviewnya" in edit_page
    version = activity.lock_version
    response = post_form(roadmap, world, activity, **{
        "progress": "selesai", "years-1-realisation": "190", "years-1-rka": "195", "years-1-done": "on"})
    assert response.status_code == 200
    assert "kembali menjadi draf" not in response.content.decode()
    activity.refresh_from_db()
    row = activity.years.get(year=2026)
    assert (row.realisation, row.rka, row.done) == (Decimal("190.00"), Decimal("195.00"), True)
    assert (activity.status, activity.progress, activity.lock_version) == (S.VALIDATED, "selesai", version + 1)
    assert reopened(activity) == 0


def test_the_form_reopens_on_a_pagu_change(roadmap, world):
    client = Client()
    client.force_login(world.users["operator"])
    assert 'data-testid="review-note"' not in client.get(
        reverse("roadmap:activity_edit", args=[roadmap.a.pk])).content.decode()  # a draft: nothing to keep
    activity = validated(roadmap.a)
    response = post_form(roadmap, world, activity, **{"years-1-realisation": "190", "years-1-budget": "210"})
    assert "kembali menjadi draf" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and activity.years.get(year=2026).budget == Decimal("210.00")
    assert reopened(activity) == 1


def test_the_form_reopens_on_a_new_or_deleted_year_or_a_name(roadmap, world):
    activity = validated(roadmap.a)  # 2025-2027: rows 2025, 2026; the form offers one empty row
    post_form(roadmap, world, activity, years=[{"year": 2027, "budget": "5"}])
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and activity.years.filter(year=2027).exists()
    activity = validated(activity)
    post_form(roadmap, world, activity, **{"years-2-DELETE": "on"})
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and not activity.years.filter(year=2027).exists()
    activity = validated(activity)
    post_form(roadmap, world, activity, name="Nama lain")
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and reopened(activity) == 3


# --- the API -------------------------------------------------------------------------------------------------

def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_records_execution_without_reopening(roadmap, world):
    client = api(world.users["operator"])
    activity = validated(roadmap.a)
    row = activity.years.get(year=2026)
    response = client.patch(reverse("roadmap-api:activityyear-detail", args=[row.pk]),
                            {"realisation": "180", "rka": "190", "done": True}, format="json")
    assert response.status_code == 200, response.json()
    read = activity.lock_version
    activity.refresh_from_db()
    assert activity.lock_version == read + 1  # a year written is the kegiatan's next version, even its execution
    response = client.patch(reverse("roadmap-api:activity-detail", args=[activity.pk]),
                            {"progress": "selesai", "lock_version": activity.lock_version}, format="json")
    assert response.status_code == 200 and response.json()["status"] == S.VALIDATED
    activity.refresh_from_db()
    assert (activity.status, activity.progress) == (S.VALIDATED, "selesai") and reopened(activity) == 0
    assert activity.years.get(year=2026).realisation == Decimal("180.00")


def test_the_api_reopens_on_a_pagu_change(roadmap, world):
    client = api(world.users["operator"])
    activity = validated(roadmap.a)
    row = activity.years.get(year=2026)
    response = client.patch(reverse("roadmap-api:activityyear-detail", args=[row.pk]),
                            {"realisation": "180", "budget": "250"}, format="json")
    assert response.status_code == 200, response.json()
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and reopened(activity) == 1
    activity = validated(activity)
    response = client.patch(reverse("roadmap-api:activity-detail", args=[activity.pk]),
                            {"progress": "sedang", "output": "Lain", "lock_version": activity.lock_version},
                            format="json")
    assert response.status_code == 200 and response.json()["status"] == S.DRAFT


# --- the Excel upload ----------------------------------------------------------------------------------------

def test_an_upload_of_realisation_keeps_validated_and_warns_of_no_reopening(roadmap, world):
    admin = world.users["admin"]
    activity = validated(roadmap.a)
    content = build_workbook(world.inst, admin)
    row = row_of(content, "Anggaran", "KG-A")  # its 2025 row
    content = edit(content, "Anggaran", {(row, "Realisasi"): 95, (row, "RKA"): 110})
    content = edit(content, "Kegiatan", {(row_of(content, "Kegiatan", "KG-A"), "Status pelaksanaan"): "Selesai"})
    plan = plan_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean and plan.counts()["update"] == 2 and not plan.warnings, [p.message for p in plan.problems]
    assert commit_workbook(content, user=admin, institution=world.inst).is_clean
    activity.refresh_from_db()
    assert (activity.status, activity.progress) == (S.VALIDATED, "selesai") and reopened(activity) == 0
    assert activity.years.get(year=2025).realisation == Decimal("95.00")


def test_an_upload_of_a_pagu_reopens(roadmap, world):
    admin = world.users["admin"]
    activity = validated(roadmap.a)
    content = build_workbook(world.inst, admin)
    row = row_of(content, "Anggaran", "KG-A")
    content = edit(content, "Anggaran", {(row, "Realisasi"): 95, (row, "Pagu*"): 111})
    plan = plan_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean and [p.message.split(" ")[0] for p in plan.warnings] == ["KG-A"]
    assert commit_workbook(content, user=admin, institution=world.inst).is_clean
    activity.refresh_from_db()
    assert activity.status == S.DRAFT and reopened(activity) == 1

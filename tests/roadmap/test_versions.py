"""Every write to a kegiatan's years or gaps (API, web form, Excel, an architecture object deleted) is the
kegiatan's next version: an older read (an exported Excel file, an open web form) meets a conflict instead of
silently undoing it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.models import Application
from sia.roadmap import review
from sia.roadmap.models import Activity, ActivityGap
from sia.roadmap.workbook import build_workbook
from sia.roadmap.workbook_commit import commit_workbook

from .test_forms import activity_data, client_for
from .test_workbook import edit, fingerprint, read, refused, row_of

pytestmark = pytest.mark.django_db
BASE = "/api/roadmap/"


def version(activity) -> int:
    return Activity.objects.values_list("lock_version", flat=True).get(pk=activity.pk)


def test_an_old_excel_file_does_not_undo_year_and_gap_changes_made_through_the_api(world, roadmap, api):
    operator, admin = world.users["operator"], world.users["admin"]
    content = build_workbook(world.inst, operator)  # the operator downloads the plan
    extra = Application.objects.create(department=world.kominfo, name="Aplikasi tambahan",
                                       state=ArchitectureState.TO_BE_NEW)
    koordinator = api(admin)
    response = koordinator.post(f"{BASE}activity-gaps/", {"activity": roadmap.a.pk, "kind": "aplikasi",
                                                           "object_id": extra.pk}, format="json")
    assert response.status_code == 201, response.content
    row = roadmap.a.years.get(year=2026)
    response = koordinator.patch(f"{BASE}activity-years/{row.pk}/", {"budget": "250.00"}, format="json")
    assert response.status_code == 200, response.content
    # the operator uploads the old file with another cell of KG-A changed: refused, nothing written
    old = edit(content, "Kegiatan", {(row_of(content, "Kegiatan", "KG-A"), "Keluaran"): "Portal"})
    problems = refused(world, old, user=operator)
    assert problems and all(p[3].startswith("KG-A sudah diubah di SIA") for p in problems), problems
    assert set(roadmap.a.gaps.values_list("object_id", flat=True)) == {roadmap.new_app.pk, extra.pk}
    assert str(roadmap.a.years.get(year=2026).budget) == "250.00"


def test_an_api_write_of_only_the_execution_is_also_a_new_version_a_repeat_is_not(world, roadmap, api):
    row = roadmap.a.years.get(year=2026)
    client = api(world.users["admin"])
    before = version(roadmap.a)
    assert client.patch(f"{BASE}activity-years/{row.pk}/", {"realisation": "5.00"}, format="json").status_code == 200
    assert version(roadmap.a) == before + 1
    assert client.patch(f"{BASE}activity-years/{row.pk}/", {"realisation": "5.00"}, format="json").status_code == 200
    assert version(roadmap.a) == before + 1
    link = ActivityGap.objects.get(activity=roadmap.a)
    assert client.delete(f"{BASE}activity-gaps/{link.pk}/").status_code == 204
    assert version(roadmap.a) == before + 2


def test_a_stale_web_form_after_an_api_year_change_is_a_conflict(world, roadmap, api):
    activity = roadmap.a
    opened = activity.lock_version  # the operator opens the form
    row = activity.years.get(year=2026)
    response = api(world.users["admin"]).patch(f"{BASE}activity-years/{row.pk}/", {"budget": "250.00"},
                                               format="json")
    assert response.status_code == 200
    data = activity_data(roadmap, world, existing=list(activity.years.order_by("year")), name="Nama saya",
                         start_year=2025, end_year=2027, lock_version=opened,
                         gaps=[f"aplikasi:{roadmap.new_app.pk}"])
    data["years-1-budget"] = "200"  # what the stale form held
    before = fingerprint()
    response = client_for(world.users["operator"]).post(reverse("roadmap:activity_edit", args=[activity.pk]), data)
    assert response.status_code == 409
    assert "Isian Anda tidak hilang" in response.content.decode()
    assert fingerprint() == before


def test_an_excel_commit_writing_several_years_of_a_kegiatan_is_one_version(world, roadmap):
    admin = world.users["admin"]
    before = version(roadmap.a)
    content = build_workbook(world.inst, admin)
    rows = [index for index, row in enumerate(read(content)["Anggaran"], start=1) if row[0] == "KG-A"]
    assert len(rows) == 2
    content = edit(content, "Anggaran", {(rows[0], "Realisasi"): 90, (rows[1], "Realisasi"): 10})
    plan = commit_workbook(content, user=admin, institution=world.inst)
    assert plan.is_clean, [p.message for p in plan.errors]
    assert version(roadmap.a) == before + 1
    # the file it came from is now older than SIA: a further change in it is refused
    problems = refused(world, edit(content, "Anggaran", {(rows[0], "Realisasi"): 80}))
    assert "KG-A sudah diubah di SIA" in problems[0][3], problems


def test_deleting_an_object_a_kegiatan_closes_is_a_new_version_in_its_history(world, roadmap):
    Activity.objects.filter(pk=roadmap.a.pk).update(status=ReviewStatus.VALIDATED)
    before = version(roadmap.a)
    records = ActivityGap.history.filter(activity_id=roadmap.a.pk).count()
    roadmap.new_app.delete()
    assert version(roadmap.a) == before + 1
    assert not roadmap.a.gaps.exists()
    removed = ActivityGap.history.filter(activity_id=roadmap.a.pk).order_by("-history_date").first()
    assert ActivityGap.history.filter(activity_id=roadmap.a.pk).count() == records + 1
    assert removed.history_type == "-"
    assert Activity.objects.get(pk=roadmap.a.pk).status == ReviewStatus.VALIDATED


def test_part_written_reopens_a_reviewed_kegiatan_once(world, roadmap):
    Activity.objects.filter(pk=roadmap.a.pk).update(status=ReviewStatus.VERIFIED)
    activity = Activity.objects.get(pk=roadmap.a.pk)
    before = activity.lock_version
    assert review.part_written(activity, world.users["admin"]) is True
    assert (activity.status, activity.lock_version) == (ReviewStatus.DRAFT, before + 1)
    assert review.part_written(activity, world.users["admin"]) is False
    assert version(activity) == before + 2


def test_the_delete_page_names_the_kegiatan_closing_the_object_and_the_delete_is_in_its_history(world, roadmap):
    client = client_for(world.users["admin"])
    url = reverse("architecture:application_delete", args=[roadmap.new_app.pk])
    html = client.get(url).content.decode()
    assert "data-delete-note" in html and "Kegiatan KG-A" in html and roadmap.a.get_absolute_url() in html
    other = client.get(reverse("architecture:application_delete", args=[roadmap.upgrade.pk])).content.decode()
    assert "data-delete-note" not in other  # no kegiatan closes it
    before = version(roadmap.a)
    response = client.post(url)
    assert response.status_code == 302
    assert version(roadmap.a) == before + 1 and not roadmap.a.gaps.exists()
    history = client.get(reverse("roadmap:activity_history", args=[roadmap.a.pk])).content.decode()
    assert "dihapus" in history and "Aplikasi baru bersama" in history

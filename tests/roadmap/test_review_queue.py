"""Kegiatan wait in the review queues of the architecture (registered by the roadmap through
``sia.architecture.queues.register_reviewed_kind``; the architecture does not import the roadmap): a submitted
kegiatan in the verifikator's queue (home page, "Perlu tindakan", the next item after a review action), a verified
one in the koordinator's validation queue, a returned one in its OPD operator's tasks with the comment; queries
that do not grow with the kegiatan waiting."""

import pytest
from django.test import Client
from django.urls import reverse

from sia.architecture import queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess
from sia.roadmap.models import Activity

from .conftest import make_activity, make_year

pytestmark = pytest.mark.django_db
A = workflow.A
NEEDS_ACTION = "/arsitektur/perlu-tindakan/"


def page(user, url="/"):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def submit(world, activity):
    operator = world.users["operator_dinkes"] if activity.department == world.dinkes else world.users["operator"]
    workflow.apply(activity, A.SUBMIT, operator)
    return activity


def test_the_kegiatan_is_a_kind_of_the_queues_the_architecture_does_not_import_the_roadmap():
    import ast
    from pathlib import Path

    import sia.architecture

    assert Activity in queues.queue_models() and queues.queue_models()[-1] is Activity
    assert queues.queue_label(Activity, plural=True) == "Kegiatan"
    for path in Path(sia.architecture.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(name.startswith("sia.roadmap") for name in names), path


def test_a_submitted_kegiatan_waits_for_the_verifikator(roadmap, world):
    submit(world, roadmap.d)
    verifier = world.users["verifier"]
    items = queues.queue(verifier, S.SUBMITTED, 10)
    assert [(type(i.obj), i.obj.code, i.obj.department.abbreviation) for i in items] == [
        (Activity, "KG-D", world.dinkes.abbreviation)]
    assert items[0].queue_url == roadmap.d.get_absolute_url() + "?antrean=1#review"
    assert items[0].action_url == reverse("roadmap:activity_action", args=[roadmap.d.pk])
    body = page(verifier)
    assert 'data-code="KG-D"' in body and "Kegiatan" in body
    body = page(verifier, NEEDS_ACTION)
    assert "<h3>Kegiatan <" in body and roadmap.d.get_absolute_url() in body
    assert reverse("roadmap:activity_list") + "?status=diajukan" not in body  # one waits: all of it is shown
    assert queues.by_department(verifier, S.SUBMITTED)[0].count == 1
    assert "KG-D" not in page(world.users["operator"], NEEDS_ACTION)  # another OPD's operator


def test_verifying_from_the_queue_opens_the_next_item_across_kinds(roadmap, world):
    from tests.architecture.conftest import node

    process = BusinessProcess.objects.create(department=world.kominfo, name="Proses", reference=node("RAB.09.03.04"))
    workflow.apply(process, A.SUBMIT, world.users["operator"])
    submit(world, roadmap.d)  # entered after the process
    client = Client()
    client.force_login(world.users["verifier"])
    response = client.post(f"/arsitektur/proses-bisnis/{process.pk}/tindakan/", {"action": "verifikasi",
                                                                                 "next": "queue"})
    assert response["Location"] == roadmap.d.get_absolute_url() + "?antrean=1#review"
    response = client.post(reverse("roadmap:activity_action", args=[roadmap.d.pk]),
                           {"action": "verifikasi", "next": "queue"})
    assert response["Location"] == "/"
    roadmap.d.refresh_from_db()
    assert roadmap.d.status == S.VERIFIED


def test_the_kegiatan_page_opened_from_the_queue_offers_the_next_item(roadmap, world):
    submit(world, roadmap.d)
    box = '<input type="checkbox" name="next" value="queue"'
    body = page(world.users["verifier"], roadmap.d.get_absolute_url() + "?antrean=1")
    assert box + " checked>" in body
    assert box + ">" in page(world.users["verifier"], roadmap.d.get_absolute_url())
    assert box not in page(world.users["operator_dinkes"], roadmap.d.get_absolute_url() + "?antrean=1")


def test_the_koordinator_validates_a_verified_kegiatan_from_the_home_page(roadmap, world):
    submit(world, roadmap.d)
    workflow.apply(roadmap.d, A.VERIFY, world.users["verifier"])
    admin = world.users["admin"]
    body = page(admin)
    assert 'data-code="KG-D"' in body and reverse("roadmap:activity_action", args=[roadmap.d.pk]) in body
    client = Client()
    client.force_login(admin)
    response = client.post(reverse("roadmap:activity_action", args=[roadmap.d.pk]),
                           {"action": "validasi", "return_to": "/#panel-queue-validasi"})
    assert response["Location"] == "/#panel-queue-validasi"
    roadmap.d.refresh_from_db()
    assert roadmap.d.status == S.VALIDATED


def test_a_returned_kegiatan_is_its_opd_operators_task_with_the_comment(roadmap, world):
    submit(world, roadmap.d)
    workflow.apply(roadmap.d, A.RETURN, world.users["verifier"], "Lengkapi RKA 2026.")
    items = queues.returned_with_comments(world.users["operator_dinkes"], 10)
    assert [(i.obj.code, i.comment) for i in items] == [("KG-D", "Lengkapi RKA 2026.")]
    assert items[0].edit_url == reverse("roadmap:activity_edit", args=[roadmap.d.pk])
    body = page(world.users["operator_dinkes"])
    assert 'data-code="KG-D"' in body and "Lengkapi RKA 2026." in body and items[0].edit_url in body
    assert "Dikembalikan untuk diperbaiki (1)" in body
    assert "Lengkapi RKA 2026." not in page(world.users["operator"])  # DISKOMINFO's operator
    assert queues.returned_with_comments(world.users["operator"], 10) == []


@pytest.mark.parametrize("key,status,url", [
    ("verifier", S.SUBMITTED, "/"), ("verifier", S.SUBMITTED, NEEDS_ACTION), ("admin", S.VERIFIED, "/"),
    ("operator", S.RETURNED, "/"), ("operator", S.RETURNED, NEEDS_ACTION),
])
def test_queries_do_not_grow_with_the_kegiatan_waiting(roadmap, world, count_queries, key, status, url):
    client = Client()
    client.force_login(world.users[key])

    def wait(activity):
        workflow.apply(activity, A.SUBMIT, world.users["operator"])
        if status == S.VERIFIED:
            workflow.apply(activity, A.VERIFY, world.users["verifier"])
        elif status == S.RETURNED:
            workflow.apply(activity, A.RETURN, world.users["verifier"], "Perbaiki.")

    def queries():
        client.get(url)  # warm up session and caches
        n, response = count_queries(lambda: client.get(url))
        assert response.status_code == 200
        return n, response.content.decode()

    wait(roadmap.a)
    few, body = queries()
    assert "KG-A" in body
    for code in ("KG-E", "KG-F", "KG-G"):
        activity = make_activity(roadmap.apps, world.kominfo, code, start=2026, end=2026)
        make_year(activity, 2026, 10)
        wait(activity)
    many, body = queries()
    assert "KG-G" in body and few == many, (few, many)

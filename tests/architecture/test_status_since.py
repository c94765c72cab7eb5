"""``status_since``: when an object entered its review status, the order of the review queues. Every path that sets a
status (the workflow's actions, an edit that reopens a reviewed object, the Excel import's new and changed objects)
sets it to the time of the review event it records, so the queues read the (instansi, status, since) index and not
every waiting object's events; the migration that added the column filled it the same way."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sia.architecture import kept, queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, DataItem, ReviewEvent
from sia.organizations.models import MentorAssignment
from tests.kinds import Builder

pytestmark = pytest.mark.django_db
A = workflow.A


def latest_into_status(obj):
    """The time of ``obj``'s latest review event into its current status (None without one)."""
    return (ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk,
                                       to_status=obj.status)
            .order_by("-created", "-pk").values_list("created", flat=True).first())


def assert_stamped(obj):
    obj.refresh_from_db()
    assert obj.status_since == latest_into_status(obj), (obj.status, obj.status_since, latest_into_status(obj))


def test_each_action_of_the_workflow_stamps_the_time_of_its_event(arch, world):
    obj, seen = arch.process, []
    for action, user in ((A.SUBMIT, "operator"), (A.RETURN, "verifier"), (A.SUBMIT, "operator"),
                         (A.VERIFY, "verifier"), (A.VALIDATE, "admin")):
        workflow.apply(obj, action, world.users[user], "Lengkapi IKU" if action == A.RETURN else "")
        assert_stamped(obj)
        seen.append(obj.status_since)
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_an_edit_that_reopens_a_reviewed_object_stamps_it(arch, world, client):
    obj = arch.data
    for action, user in ((A.SUBMIT, "operator"), (A.VERIFY, "verifier")):
        workflow.apply(obj, action, world.users[user])
    verified_since = obj.status_since
    client.force_login(world.users["admin"])
    page = client.get(f"/arsitektur/data/{obj.pk}/ubah/")
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data |= {name: [v.pk if hasattr(v, "pk") else v for v in value]
             for name, value in form.initial.items() if isinstance(value, list)}
    data |= {"name": "Data yang diubah", "lock_version": obj.lock_version}
    response = client.post(f"/arsitektur/data/{obj.pk}/ubah/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    obj.refresh_from_db()
    assert obj.status == S.DRAFT and obj.status_since > verified_since
    assert_stamped(obj)


def test_the_queue_is_ordered_by_the_column_without_reading_review_events(arch, world):
    verifier = world.users["verifier"]
    for obj in (arch.process, arch.data):
        workflow.apply(obj, A.SUBMIT, world.users["operator"])
    # The data item has waited longer: moved back by the column alone, its events untouched.
    DataItem.objects.filter(pk=arch.data.pk).update(status_since=timezone.now() - timedelta(days=3))
    with CaptureQueriesContext(connection) as ctx:
        items = queues.queue(verifier, S.SUBMITTED, 10)
    assert [type(item.obj) for item in items] == [DataItem, BusinessProcess]
    assert items[0].age_days == 3
    sql = " ".join(query["sql"] for query in ctx.captured_queries)
    assert ReviewEvent._meta.db_table not in sql


def test_the_migration_fills_the_column_from_the_review_events(arch, world):
    for action, user in ((A.SUBMIT, "operator"), (A.VERIFY, "verifier")):
        workflow.apply(arch.process, action, world.users[user])
    never = BusinessProcess.objects.create(department=world.kominfo, name="Tanpa catatan review")  # no event at all
    BusinessProcess.objects.all().update(status_since=timezone.now() + timedelta(days=400))
    migration = importlib.import_module("sia.architecture.migrations.0011_status_since")
    migration.stamp_status_since(apps, connection.schema_editor(), "architecture")
    assert_stamped(arch.process)
    never.refresh_from_db()
    assert never.status_since == never.updated


def test_a_verifikators_queue_takes_the_first_of_the_mentored_opds_then_the_others(world, kinds):
    """Read as two parts (the OPDs they mentor, the others), each the first ``limit`` in the index's order: the
    queue still gives the mentored OPDs' oldest first, then the others' oldest, and the kind's total."""
    verifier = world.users["verifier"]
    MentorAssignment.objects.create(department=world.dinkes, mentor=verifier)
    now, made = timezone.now(), {}
    for department, operator, days in ((world.kominfo, "operator", (9, 8, 7)),
                                       (world.dinkes, "operator_dinkes", (3, 2, 1))):
        for day in days:
            obj = Builder(department).build(BusinessProcess)
            workflow.apply(obj, A.SUBMIT, world.users[operator])
            BusinessProcess.objects.filter(pk=obj.pk).update(status_since=now - timedelta(days=day))
            made[(department.abbreviation, day)] = obj.pk
    kept.clear()
    items = queues.queue(verifier, S.SUBMITTED, 4)
    assert [item.obj.pk for item in items] == [made[("DINKES", 3)], made[("DINKES", 2)], made[("DINKES", 1)],
                                               made[("DISKOMINFO", 9)]]
    assert [item.obj.mentored for item in items] == [True, True, True, False]
    [(model, shown, total)] = queues.waiting_by_kind(verifier, S.SUBMITTED, 2)
    assert model is BusinessProcess and total == 6
    assert [obj.pk for obj in shown] == [made[("DINKES", 3)], made[("DINKES", 2)]]

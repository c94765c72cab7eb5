"""The demo (``sia demo``) records what the invited OPDs produced during each past kegiatan, consistently with the
objects: created or changed by the OPD's operator inside the session's window, shown on the workshop's page; the
progress history counts those objects from that day, so the invited OPDs' burn-up charts step at the session; the
coming session's invitations reach its invited operators; a second run changes nothing."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from sia.architecture.kindgroups import group_of
from sia.architecture.registry import domain_models
from sia.notifications import kinds
from sia.notifications.models import Notification
from sia.organizations.models import Institution
from sia.progress import burnup
from sia.progress.models import ProgressSnapshot
from sia.workshops.choices import ATTENDED
from sia.workshops.models import Workshop
from sia.workshops.produced import produced_during

from .. import demo as demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))), django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            demo_data.build()
            yield Institution.objects.get(code="82")
        finally:
            for alias, atomic in zip(connections, atomics):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def _past(demo):
    return list(Workshop.objects.filter(institution=demo, ends_at__lt=timezone.now()).order_by("starts_at"))


def test_every_past_session_shows_what_the_attending_opds_produced(demo):
    koordinator = get_user_model().objects.get(username="koordinator")
    for workshop in _past(demo):
        produced = produced_during(workshop, koordinator)
        attended = set(workshop.attendances.filter(status__in=ATTENDED, department__isnull=False)
                       .values_list("department_id", flat=True))
        assert produced, workshop.title
        assert set(produced) <= {d.pk for d in workshop.departments.all()}
        for department_id, items in produced.items():
            assert any(item.created for item in items)
            assert len(items) == 1 or sum(not item.created for item in items) == 1  # the last one was changed
            assert all(workshop.starts_at <= item.last <= workshop.ends_at for item in items)
        assert set(produced) == attended  # each OPD whose operator attended, no other


def test_the_workshop_page_shows_them(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="koordinator"))
    workshop = _past(demo)[1]  # the online workshop
    html = client.get(workshop.get_absolute_url()).content.decode()
    produced = produced_during(workshop, get_user_model().objects.get(username="koordinator"))
    assert len(produced) == 3  # Diskominfosan, Bappeda and Dinkes attended (two with problems); BPKAD was absent
    for items in produced.values():
        for item in items:
            assert item.code in html and item.url in html


def test_the_history_is_consistent_with_the_objects(demo):
    for workshop in _past(demo):
        for model in domain_models():
            rows = model.history.filter(history_date__gte=workshop.starts_at, history_date__lte=workshop.ends_at)
            for row in rows:
                obj = model.objects.get(pk=row.id)
                operator = f"operator.{obj.department.abbreviation.lower()}"
                assert row.history_user.username == operator
                first = model.history.filter(id=row.id).order_by("history_date", "history_id").first()
                assert first.history_type == "+" and first.history_date == obj.created  # created first, then changed
                assert not workshop.domains or group_of(model).slug in workshop.domains
                if row.history_type == "~":
                    assert first.description == "" and row.description  # the description written in the session


def test_the_invited_opds_burn_up_steps_at_the_session(demo):
    workshop = _past(demo)[0]
    day = timezone.localdate(workshop.starts_at)
    produced = produced_during(workshop, get_user_model().objects.get(username="koordinator"))
    for department_id, items in produced.items():
        created = sum(item.created for item in items)

        def count(on):
            return sum(ProgressSnapshot.objects.filter(institution=demo, department_id=department_id, date=on)
                       .values_list("count", flat=True))
        assert count(day) - count(day - timedelta(days=1)) >= created
    marks = burnup.chart_marks(demo, workshop.departments.first(), day, day)
    assert (day, workshop.title) in marks


def test_the_coming_session_invites_its_operators_and_mentor(demo):
    coming = Workshop.objects.get(institution=demo, starts_at__gt=timezone.now())
    invited = set(Notification.objects.filter(kind=kinds.WORKSHOP_INVITATION.key, object_id=coming.pk)
                  .values_list("recipient__username", flat=True))
    assert invited == {"operator.diskominfosan", "operator.bappeda", "operator.dinkes", "verifikator"}
    assert all(note.read_at is None and coming.title in note.message
               for note in Notification.objects.filter(kind=kinds.WORKSHOP_INVITATION.key))


def test_a_second_demo_run_changes_nothing(demo):
    from sia.architecture.models import BusinessProcess

    before = (sorted(Notification.objects.values_list("pk", "read_at")),
              BusinessProcess.history.count(), sorted(ProgressSnapshot.objects.values_list("date", "department_id",
                                                                                         "domain", "count")))
    call_command("demo", stdout=io.StringIO())
    after = (sorted(Notification.objects.values_list("pk", "read_at")),
             BusinessProcess.history.count(), sorted(ProgressSnapshot.objects.values_list("date", "department_id",
                                                                                        "domain", "count")))
    assert after == before

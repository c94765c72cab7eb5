"""The demo users' notifications (``sia.architecture.demo_notices``), built by ``sia demo`` on an empty database:
made from the demo's review conversations by the live rule, dated like them, each about an object its recipient may
see; the operators of DISKOMINFOSAN have returned items with the reviewer's comment and validated items, a few unread;
a second ``sia demo`` changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings

from sia.architecture.models import ReviewEvent
from sia.notifications import kinds
from sia.notifications.models import Notification
from sia.notifications.services import visible_targets
from sia.organizations.models import Institution

from .. import demo as demo_data

pytestmark = pytest.mark.django_db
REVIEW_KINDS = [kinds.REVIEW_RETURNED.key, kinds.REVIEW_VERIFIED.key, kinds.REVIEW_VALIDATED.key]


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


def test_the_operator_has_returned_items_with_comments_and_validated_items(demo):
    operator = get_user_model().objects.get(username="operator.diskominfosan")
    mine = Notification.objects.filter(recipient=operator)
    returned = list(mine.filter(kind=kinds.REVIEW_RETURNED.key))
    assert returned and mine.filter(kind=kinds.REVIEW_VALIDATED.key).exists()
    for note in returned:
        event = ReviewEvent.objects.filter(content_type=note.content_type, object_id=note.object_id,
                                           action=ReviewEvent.Action.RETURN).order_by("-created").first()
        assert event.comment and event.comment in note.message
    assert 0 < mine.filter(read_at__isnull=True).count() < mine.count()


def test_every_notification_is_dated_like_its_event_and_visible_to_its_recipient(demo):
    notes = list(Notification.objects.filter(institution=demo, kind__in=REVIEW_KINDS).select_related("recipient"))
    assert len(notes) >= 20
    users = {note.recipient for note in notes}
    assert all(user.username.startswith("operator.") for user in users)  # only the OPDs' operators
    assert len(users) >= 3
    for user in users:
        own = [note for note in notes if note.recipient == user]
        assert visible_targets(user, own) == {note.pk for note in own}, user
    events = {(e.content_type_id, e.object_id, e.created) for e in ReviewEvent.objects.filter(
        institution=demo, action__in=["kembalikan", "verifikasi", "validasi"])}
    assert all((n.content_type_id, n.object_id, n.created) in events for n in notes)


def test_the_coming_kegiatan_invitation_is_kept_beside_the_review_notices(demo):
    invitations = Notification.objects.filter(institution=demo, kind=kinds.WORKSHOP_INVITATION.key)
    assert set(invitations.values_list("recipient__username", flat=True)) == {
        "operator.diskominfosan", "operator.bappeda", "operator.dinkes", "verifikator"}
    for note in invitations.select_related("recipient"):
        assert visible_targets(note.recipient, [note]) == {note.pk}


def test_the_demo_users_have_addresses_on_a_reserved_domain(demo):
    users = get_user_model().objects.filter(memberships__institution=demo).distinct()
    assert users.count() > 30
    assert all(user.email == f"{user.username}@malut.example.org" for user in users)


def test_the_morning_command_reminds_the_late_opds_of_the_demo_deadlines(demo, mailoutbox):
    out = io.StringIO()
    call_command("notify_daily", stdout=out)
    assert "progress-deadlines: 0 notifikasi" not in out.getvalue()
    reminders = Notification.objects.filter(institution=demo, kind__in=[kinds.DEADLINE_APPROACHING.key,
                                                                        kinds.DEADLINE_MISSED.key])
    approaching = reminders.filter(kind=kinds.DEADLINE_APPROACHING.key, recipient__username="operator.diskominfosan")
    assert approaching.filter(message__contains="tinggal 7 hari lagi").exists()  # the applications, a week ahead
    assert reminders.filter(message__contains="Seluruh aplikasi OPD diajukan").values("recipient").distinct().count() >= 5
    assert all(note.recipient.username.startswith("operator.") for note in reminders.select_related("recipient"))
    # the daily digest (the demo users' default) reaches the operators at their demo addresses
    digest = [m for m in mailoutbox if m.to == ["operator.diskominfosan@malut.example.org"]]
    assert len(digest) == 1 and "Seluruh aplikasi OPD diajukan" in digest[0].body
    assert "sudah dijalankan hari ini" in _run_again()


def _run_again() -> str:
    out = io.StringIO()
    call_command("notify_daily", stdout=out)
    return out.getvalue()


def test_a_second_demo_run_changes_nothing(demo):
    before = sorted(Notification.objects.values_list("pk", "read_at"))
    call_command("demo", stdout=io.StringIO())
    assert sorted(Notification.objects.values_list("pk", "read_at")) == before

"""E-mail through Django's mail backend (locmem in tests): immediate e-mail once the step is committed, the daily
digest in Indonesian with links, permissions asked again at send time, and ``sia notify_daily`` idempotent per day."""

import io
import smtplib
from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command

from sia.architecture import workflow
from sia.notifications import kinds
from sia.notifications.mail import send_digests
from sia.notifications.models import DailyRun, Delivery, Notification, NotificationPreference
from sia.notifications.services import Notice, _sources, register_notice_source
from sia.organizations.models import Membership

pytestmark = pytest.mark.django_db

COMMENT = "Uraian belum menjelaskan keluaran proses; lengkapi target IKU."
DAY = date(2026, 3, 2)


def prefer(user, delivery):
    NotificationPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})


def test_immediate_e_mail_after_the_commit(review, django_capture_on_commit_callbacks, settings):
    settings.SIA_BASE_URL = "https://sia.example.go.id"
    prefer(review.operator, Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert [m.to for m in mail.outbox] == [[review.operator.email]]  # the author keeps the default: the digest
    message = mail.outbox[0]
    assert message.subject.startswith("[SIA] Dikembalikan dengan catatan:")
    assert COMMENT in message.body and "Yth." in message.body
    note = Notification.objects.get(recipient=review.operator)
    # the link is the notification's own (it asks the permissions again and marks read), not the object's
    assert f"https://sia.example.go.id/notifikasi/{note.pk}/buka/\n" in message.body
    assert review.process.get_absolute_url() not in message.body
    assert "https://sia.example.go.id/notifikasi/pengaturan/" in message.body
    assert note.emailed_at is not None


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections as in production
def test_immediate_e_mail_leaves_from_the_background_worker_not_the_request(review, settings):
    """With the database queue (production, development) the step only queues the job after its commit; the
    worker (``sia db_worker``, as for the documents) sends the mail."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    prefer(review.operator, Delivery.IMMEDIATE)
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert mail.outbox == [] and DBTaskResult.objects.count() == 1
    assert Notification.objects.get(recipient=review.operator).emailed_at is None
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    assert [m.to for m in mail.outbox] == [[review.operator.email]]
    assert Notification.objects.get(recipient=review.operator).emailed_at is not None


def test_nothing_is_mailed_before_the_commit_or_to_who_chose_none(review, django_capture_on_commit_callbacks):
    prefer(review.operator, Delivery.NONE)
    prefer(review.author, Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[review.author.email]]


def test_the_digest_lists_each_users_unread_notices_with_links(review, settings):
    settings.SIA_BASE_URL = "https://sia.example.go.id/"
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    prefer(review.author, Delivery.NONE)
    assert send_digests(DAY) == 1
    (message,) = mail.outbox
    assert message.to == [review.operator.email]
    assert message.subject == "[SIA] Ringkasan notifikasi 02-03-2026: 1 baru"
    assert "Ada 1 notifikasi baru di SIA yang belum Anda baca:" in message.body
    assert "[Dikembalikan dengan catatan]" in message.body and COMMENT in message.body
    note = Notification.objects.get(recipient=review.operator)
    assert f"https://sia.example.go.id/notifikasi/{note.pk}/buka/\n" in message.body
    assert review.process.get_absolute_url() not in message.body
    assert "https://sia.example.go.id/notifikasi/" in message.body


def test_the_digest_is_sent_once_per_day_and_never_repeats_a_notice(review):
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert send_digests(DAY) == 2
    assert send_digests(DAY) is None  # the same day again: nothing
    assert send_digests(date(2026, 3, 3)) == 0  # the next day: nothing new
    assert len(mail.outbox) == 2


def test_the_digest_asks_the_permissions_again(review, world):
    """A notice about an object the user may no longer see (moved to another OPD, another instansi) is not mailed."""
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    Membership.objects.filter(user=review.author).update(department=world.dinkes)
    Membership.objects.filter(user=review.operator).update(is_active=False)
    assert send_digests(DAY) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()  # only what was mailed is settled
    assert send_digests(date(2026, 3, 3)) == 0 and mail.outbox == []  # asked again the next day: still hidden


def test_a_user_without_an_address_is_mailed_once_they_have_one(review):
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    type(review.operator).objects.filter(pk=review.operator.pk).update(email="")
    assert send_digests(DAY) == 1 and [m.to for m in mail.outbox] == [[review.author.email]]
    assert Notification.objects.get(recipient=review.operator).emailed_at is None  # nothing was sent: unsettled
    type(review.operator).objects.filter(pk=review.operator.pk).update(email="op.kominfo@example.go.id")
    assert send_digests(date(2026, 3, 3)) == 1 and mail.outbox[-1].to == ["op.kominfo@example.go.id"]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


class FailingForTheAuthor(locmem.EmailBackend):
    """The SMTP server dropping the connection at the author's message (the operator's, first by ID, went out)."""

    def send_messages(self, messages):
        if any(address.startswith("penyusun@") for m in messages for address in m.to):
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


def test_a_failure_part_way_mails_nobody_twice(review, settings):
    """Each user's rows are settled right after their message left, outside any transaction: after a failure with
    the second message, the run again mails only what did not go out."""
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert review.operator.pk < review.author.pk  # the digest goes out by user ID
    settings.EMAIL_BACKEND = f"{__name__}.FailingForTheAuthor"
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_digests(DAY)
    assert [m.to for m in mail.outbox] == [[review.operator.email]]
    settled = Notification.objects.filter(emailed_at__isnull=False).values_list("recipient_id", flat=True)
    assert list(settled) == [review.operator.pk]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests(DAY, force=True) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([review.author.email, review.operator.email])


def test_read_notices_are_not_in_the_digest(review):
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    Notification.objects.update(read_at="2026-03-01T08:00Z")
    assert send_digests(DAY) == 0


@pytest.fixture
def deadline_source(review):
    calls = []

    def source(day):
        calls.append(day)
        yield Notice((review.operator, review.author), kinds.DEADLINE_APPROACHING.key, review.process,
                     f"Tenggat pengajuan {review.process.code} tinggal 3 hari (hingga 05-03-2026).")

    register_notice_source("uji-tenggat", source)
    yield calls
    _sources.pop("uji-tenggat", None)


def test_the_daily_command_runs_sources_then_the_digest_once_per_day(deadline_source, review):
    out = io.StringIO()
    call_command("notify_daily", "--date", "2026-03-02", stdout=out)
    assert deadline_source == [DAY]
    assert Notification.objects.filter(kind=kinds.DEADLINE_APPROACHING.key).count() == 2
    assert len(mail.outbox) == 2 and "Tenggat pengajuan" in mail.outbox[0].body
    assert "uji-tenggat: 2 notifikasi" in out.getvalue() and "ringkasan surel: 2 surel" in out.getvalue()
    Notification.objects.update(read_at="2026-03-02T09:00Z")  # even once read, the same day adds nothing again
    again = io.StringIO()
    call_command("notify_daily", "--date", "2026-03-02", stdout=again)
    assert deadline_source == [DAY]
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    assert "sudah dijalankan hari ini" in again.getvalue() and "sudah dikirim hari ini" in again.getvalue()
    runs = set(DailyRun.objects.values_list("step", "day"))  # one per source (the apps' own too) and the digest
    assert {("uji-tenggat", DAY), ("digest", DAY)} <= runs and {day for _step, day in runs} == {DAY}
    call_command("notify_daily", "--date", "2026-03-03", stdout=io.StringIO())
    assert len(deadline_source) == 2 and Notification.objects.count() == 4


def test_a_source_naming_a_hidden_object_tells_only_who_may_see_it(deadline_source, review, world):
    Membership.objects.filter(user=review.author).update(department=world.dinkes)
    call_command("notify_daily", "--date", "2026-03-02", "--no-email", stdout=io.StringIO())
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["op.kominfo"]
    assert mail.outbox == []


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Tanggal tidak valid"):
        call_command("notify_daily", "--date", "02-03-2026", stdout=io.StringIO())

"""The daily deadline reminders (notice source ``progress-deadlines``): the next morning's ``sia notify_daily`` tells
the operators of each OPD behind a target near or past its deadline, in-app and by e-mail (immediate or the daily
digest, through the locmem backend); nobody else's OPD is told; a second run adds nothing; only on milestones."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from sia.notifications.models import Delivery, Notification, NotificationPreference
from sia.organizations.models import Membership
from sia.progress import notices
from sia.progress.choices import TargetState

from .conftest import today, target

pytestmark = pytest.mark.django_db


def next_morning():
    return today() + timedelta(days=1)


def run(day=None, *options):
    day = day or next_morning()
    out = io.StringIO()
    call_command("notify_daily", *options, date=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def deadlines(programme):
    w = programme
    for user in w.users.values():
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
    NotificationPreference.objects.create(user=w.users["operator"], delivery=Delivery.IMMEDIATE)
    w.soon = target(w, name="Setiap fungsi DISKOMINFO memiliki proses bisnis", department=w.kominfo,
                    deadline=next_morning() + timedelta(days=3))
    w.missed = target(w, name="Setiap fungsi DINKES memiliki proses bisnis", department=w.dinkes,
                      start_date=today() - timedelta(days=20), deadline=next_morning() - timedelta(days=1))
    return w


def test_the_next_mornings_command_reminds_each_opds_operators(deadlines, django_capture_on_commit_callbacks):
    w = deadlines
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "- progress-deadlines: 2 notifikasi" in output
    mine = Notification.objects.get(recipient=w.users["operator"])
    assert (mine.kind, mine.object_id) == ("deadline-approaching", w.soon.pk)
    assert mine.message == (f"Tenggat target «{w.soon.name}» untuk Dinas Komunikasi dan Informatika tinggal 3 hari "
                            f"lagi ({w.soon.deadline:%d-%m-%Y}); status: {TargetState.LATE.label}.")
    assert mine.url == reverse("progress:department", args=[w.kominfo.pk])
    theirs = Notification.objects.get(recipient=w.users["operator_dinkes"])
    assert (theirs.kind, theirs.object_id) == ("deadline-missed", w.missed.pk)
    assert theirs.message.startswith(f"Tenggat target «{w.missed.name}» untuk Dinas Kesehatan "
                                     f"({w.missed.deadline:%d-%m-%Y}) terlewat 1 hari; status:")
    assert Notification.objects.count() == 2  # nobody else: not the other OPD's operator, not the koordinator
    # the immediate e-mail to DISKOMINFO's operator, the daily digest to DINKES's (the default delivery)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["op.dinkes@example.go.id", "op.kominfo@example.go.id"]
    assert mine.message in by_recipient["op.kominfo@example.go.id"].body
    assert by_recipient["op.kominfo@example.go.id"].subject.startswith("[SIA] Tenggat mendekat")
    digest = by_recipient["op.dinkes@example.go.id"]
    assert digest.subject == f"[SIA] Ringkasan notifikasi {next_morning():%d-%m-%Y}: 1 baru"
    assert theirs.message in digest.body and w.soon.name not in digest.body


def test_a_second_run_tells_nobody_again(deadlines, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    sent = len(mail.outbox)
    assert sent == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert "sudah dijalankan hari ini" in run()
        run(next_morning(), "--force")  # forced: the identical unread notices are not written again
    assert Notification.objects.count() == 2 and len(mail.outbox) == sent


def test_only_on_the_milestones_and_not_when_met_or_to_inactive_operators(deadlines):
    w = deadlines
    run(next_morning() + timedelta(days=1))  # 2 days left for DISKOMINFO, 2 days past for DINKES: no milestone
    assert not Notification.objects.exists()
    Membership.objects.filter(user=w.users["operator_dinkes"]).update(is_active=False)
    run(next_morning() + timedelta(days=2))  # 1 day left: DISKOMINFO told; DINKES's operator no longer active
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["op.kominfo"]
    from sia.architecture.models import BusinessProcess

    process = BusinessProcess.objects.create(department=w.kominfo, name="Perumusan Kebijakan TIK")
    process.functions.add(w.functions[1])  # DISKOMINFO now meets its target
    run(next_morning() + timedelta(days=3))  # deadline day
    assert Notification.objects.count() == 1


def test_the_source_is_registered_and_yields_for_the_opds_operators(deadlines):
    from sia.notifications.services import notice_sources

    assert notice_sources()[notices.SOURCE] is notices.deadline_notices
    every_opd = target(deadlines, name="Semua OPD", deadline=next_morning())
    rows = [n for n in notices.deadline_notices(next_morning()) if n.target == every_opd]
    assert {n.recipients[0].username for n in rows} == {"op.kominfo", "op.dinkes"}
    assert all(len(n.recipients) == 1 and "jatuh hari ini" in n.message for n in rows)

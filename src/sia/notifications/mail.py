"""E-mail of notifications through Django's mail backends (console by default, SMTP by the ``SIA_EMAIL_*``
settings): one message per notification for users who chose it (sent by a background job queued after the commit,
not inside the request), or one daily digest. Permissions are asked again
at send time: a notification whose target the user may no longer see is not mailed."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import DailyRun, DEFAULT_DELIVERY, Delivery, Notification, NotificationPreference


def deliveries(user_ids) -> dict[int, str]:
    """{user ID: delivery} for ``user_ids``, the default for those without a preference: one query."""
    chosen = dict(NotificationPreference.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "delivery"))
    return {pk: chosen.get(pk, DEFAULT_DELIVERY) for pk in user_ids}


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SIA_BASE_URL.rstrip("/") + url


def _message(user, subject, template, context):
    context = {**context, "user": user, "base_url": settings.SIA_BASE_URL.rstrip("/"),
               "centre_url": absolute("/notifikasi/"), "preferences_url": absolute("/notifikasi/pengaturan/")}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    return EmailMultiAlternatives(f"[SIA] {subject}", text, settings.DEFAULT_FROM_EMAIL, [user.email])


def _deliverable(notifications):
    """The notifications whose target each recipient may still see (one query per recipient and model)."""
    from .services import visible_targets

    by_user = defaultdict(list)
    for notification in notifications:
        by_user[notification.recipient_id].append(notification)
    users = get_user_model().objects.in_bulk(list(by_user))
    result = {}
    for user_id, rows in by_user.items():
        user = users.get(user_id)
        if user is None or not user.is_active or not user.email:
            continue
        shown = visible_targets(user, rows)
        rows = [row for row in rows if row.pk in shown]
        if rows:
            result[user] = rows
    return result


def _link(notification) -> str:
    """The e-mail's link: the notification's own ``/notifikasi/<pk>/buka/``, which asks the permissions again when
    it is followed and marks the notification read (never the object's address itself)."""
    return absolute(notification.get_absolute_url())


def _send_and_settle(connection, message, notifications) -> bool:
    """Sends one message, then marks its notifications mailed (right after: a failure with a later message leaves
    these settled, so a run again mails nobody twice). Only rows actually mailed are settled."""
    if not connection.send_messages([message]):
        return False
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    return True


@translation.override(settings.LANGUAGE_CODE)  # e-mails are written in Indonesian, whatever the request's language
def send_immediate(notification_ids) -> int:
    """Mails each notification (not yet mailed) to its recipient if they chose immediate e-mail; returns how many
    messages went out."""
    rows = list(Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True))
    wanted = deliveries({row.recipient_id for row in rows})
    rows = [row for row in rows if wanted[row.recipient_id] == Delivery.IMMEDIATE]
    deliverable = _deliverable(rows)
    if not deliverable:
        return 0
    sent = 0
    with get_connection() as connection:
        for user, notifications in deliverable.items():
            for notification in notifications:
                message = _message(user, f"{notification.kind_label}: {notification.message[:80]}", "immediate",
                                   {"notification": notification, "link": _link(notification)})
                sent += _send_and_settle(connection, message, [notification])
    return sent


@task()
def send_immediate_job(notification_ids: list[int]) -> int:
    """The background job (django-tasks, worked by ``sia db_worker`` like the documents; run at once in tests) that
    mails the immediate notifications: the request that wrote them does not wait for the mail server."""
    return send_immediate(notification_ids)


def send_immediate_on_commit(created) -> None:
    """Queues ``send_immediate_job`` for ``created`` once the transaction commits (nothing is mailed of a step
    rolled back), if one of their recipients chose immediate e-mail."""
    if not created:
        return
    ids = [row.pk for row in created if row.pk is not None]
    if not ids:
        return
    wanted = deliveries({row.recipient_id for row in created})
    if Delivery.IMMEDIATE not in wanted.values():
        return
    transaction.on_commit(lambda: send_immediate_job.enqueue(ids))


@translation.override(settings.LANGUAGE_CODE)
def send_digests(day, force: bool = False) -> int | None:
    """The daily digest of ``day``: to each user who chose it, their unread notifications not mailed yet (whose
    targets they may still see), one message with links. Once per day (``DailyRun``, claimed first in a short
    transaction of its own) unless ``force``; returns the number of messages, None when the day's digest was already
    sent. The mail goes out outside any transaction, one user after the other, each user's rows marked mailed right
    after their message left: a failure part-way keeps what was sent settled (a run again, or the next day's, does
    not repeat it) and the rest unsettled for the next run. Rows not mailed stay unsettled: those of a user without
    an e-mail address (mailed once they have one) and those whose target the user may not see now."""
    with transaction.atomic():
        run, created = DailyRun.objects.get_or_create(step=DailyRun.DIGEST, day=day)
        if not created and not force:
            return None
    rows = list(Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
                .order_by("recipient_id", "-created", "-pk"))
    wanted = deliveries({row.recipient_id for row in rows})
    rows = [row for row in rows if wanted[row.recipient_id] == Delivery.DAILY]
    deliverable = _deliverable(rows)
    sent = 0
    if deliverable:
        with get_connection() as connection:
            for user, notifications in deliverable.items():
                subject = _("Ringkasan notifikasi %(day)s: %(n)d baru") % {"day": day.strftime("%d-%m-%Y"),
                                                                           "n": len(notifications)}
                items = [{"notification": n, "link": _link(n)} for n in notifications]
                message = _message(user, subject, "digest", {"items": items, "day": day})
                sent += _send_and_settle(connection, message, notifications)
    run.count = sent
    run.save(update_fields=["count"])
    return sent

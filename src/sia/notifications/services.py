"""Sending notifications: ``notify`` (the one entry point apps call), the daily notice sources, and what the
notification centre and the e-mails may show a user.

``notify(recipients, kind, target, message, url=None)`` drops every recipient who may not see ``target``
(``sia.core.permissions.visible``: no message about something the user may not see), drops those who already
have the identical unread notification, and writes the rest in one bulk insert. Inside ``batch()`` the inserts of
many calls are gathered into one (bulk review actions). Recipients who chose immediate e-mail get it once the
transaction commits (``sia.notifications.mail``).
"""

from __future__ import annotations

import contextvars
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import IntegerField, Q, Value
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

from sia.core import compiled, permissions

from . import kinds
from .models import DailyRun, Notification

_pending: contextvars.ContextVar[list | None] = contextvars.ContextVar("sia_notifications_batch", default=None)


@dataclass(frozen=True)
class Notice:
    """What a daily source yields: the same arguments as ``notify``."""

    recipients: tuple
    kind: str
    target: object
    message: str
    url: str | None = None


def _users(recipients) -> list:
    seen, users = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not getattr(user, "is_active", False):
            continue
        seen.add(user.pk)
        users.append(user)
    return users


def may_see(user, target) -> bool:
    """Whether ``user`` may see ``target`` now, through its model's policy."""
    model = type(target)
    return permissions.visible(user, model._default_manager.filter(pk=target.pk)).exists()


def notify(recipients: Iterable, kind: str, target, message: str, url: str | None = None) -> list[Notification]:
    """Tells each of ``recipients`` (users) about ``target`` (any model instance with a policy); returns the new
    notifications (none written yet inside ``batch()``). ``url`` defaults to the target's page."""
    if not kinds.is_known(kind):
        raise ValueError(f"unknown notification kind {kind!r}: register it with sia.notifications.kinds")
    users = [user for user in _users(recipients) if may_see(user, target)]
    if not users:
        return []
    content_type = ContentType.objects.get_for_model(type(target))
    message = message.strip()[:2000]
    already = set(Notification.objects.filter(
        recipient__in=[user.pk for user in users], kind=kind, content_type=content_type, object_id=target.pk,
        message=message, read_at__isnull=True,
    ).values_list("recipient_id", flat=True))
    if url is None:
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    institution_id = getattr(target, "institution_id", None)
    rows = [
        Notification(recipient=user, kind=kind, content_type=content_type, object_id=target.pk, message=message,
                     url=url or "", institution_id=institution_id)
        for user in users if user.pk not in already
    ]
    pending = _pending.get()
    if pending is not None:
        pending.extend(rows)
        return rows
    return _write(rows)


def _write(rows: list[Notification]) -> list[Notification]:
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    from .mail import send_immediate_on_commit

    send_immediate_on_commit(created)
    return created


@contextmanager
def batch():
    """Gathers the notifications of every ``notify`` inside it into one bulk insert at the end (a bulk review
    action over fifty objects writes once). Identical notices within the batch are kept once."""
    if _pending.get() is not None:  # nested: the outer batch writes
        yield
        return
    rows: list = []
    token = _pending.set(rows)
    try:
        yield
    finally:
        _pending.reset(token)
    unique, keys = [], set()
    for row in rows:
        key = (row.recipient_id, row.kind, row.content_type_id, row.object_id, row.message)
        if key not in keys:
            keys.add(key)
            unique.append(row)
    _write(unique)


# --- daily notice sources -------------------------------------------------------------------------------------
_sources: dict[str, Callable] = {}


def register_notice_source(name: str, fn: Callable) -> None:
    """``fn(day)`` yields ``Notice`` rows computed for ``day`` (deadlines approaching or missed, invitations);
    ``sia notify_daily`` runs every source once per day. Upper apps register in their ``AppConfig.ready()``."""
    if len(name) > 60 or name == DailyRun.DIGEST:
        raise ValueError(f"bad notice source name {name!r}")
    _sources[name] = fn


def notice_sources() -> dict[str, Callable]:
    return dict(_sources)


def run_sources(day, force: bool = False) -> dict[str, int | None]:
    """Runs each registered source for ``day``; a source already run that day is skipped (None) unless
    ``force``. Returns {name: notifications written}."""
    done = {}
    for name, fn in sorted(_sources.items()):
        with transaction.atomic():
            run, created = DailyRun.objects.get_or_create(step=name, day=day)
            if not created and not force:
                done[name] = None
                continue
            written = 0
            with batch():
                for notice in fn(day):
                    written += len(notify(notice.recipients, notice.kind, notice.target, notice.message, notice.url))
            run.count = written
            run.save(update_fields=["count"])
            done[name] = written
    return done


# --- what a reader may be shown -------------------------------------------------------------------------------
STAND_IN_SIZES = (8, 32, 128)  # IDs of one kind a query compiled once takes (the badge reads BADGE_CAP + 1 rows)


def visible_targets(user, notifications) -> set[int]:
    """The IDs among ``notifications`` whose target ``user`` may see now: at most two queries, however many models of
    target (each a ``UNION ALL`` of the models' rows through their policies), never one per row. The first, of the
    models whose policy scopes by the reader's grants alone, is compiled once per reader and set of models
    (``sia.core.compiled.rows_for_each``: the targets' IDs are parameters, each kind's padded to a fixed number with
    IDs no row has); the second, of the others, is built each time. The header's badge asks on every page."""
    by_type: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for notification in notifications:
        by_type[notification.content_type_id][notification.object_id].append(notification.pk)
    models = {}
    for type_id in sorted(by_type):
        model = ContentType.objects.get_for_id(type_id).model_class()
        try:
            if model is not None and permissions.policy_for(model):
                models[type_id] = model
        except LookupError:
            continue
    if not models:
        return set()
    reader = permissions.reader_key(user)
    kept = {type_id: model for type_id, model in models.items()
            if reader is not None and permissions.grant_scoped([model]) and isinstance(model._meta.pk, AutoFieldMixin)}
    most = max((len(by_type[type_id]) for type_id in kept), default=0)
    size = next((n for n in STAND_IN_SIZES if n >= most), None)
    if size is None:
        kept = {}
    rest = {type_id: model for type_id, model in models.items() if type_id not in kept}

    def build(kinds, ids=None):
        parts = []
        for n, (type_id, model) in enumerate(kinds.items()):
            wanted = ids[n * size:(n + 1) * size] if ids is not None else list(by_type[type_id])
            parts.append(permissions.visible(user, model._default_manager.filter(pk__in=wanted))
                         .annotate(sia_type=Value(type_id, output_field=IntegerField())).values("sia_type", "pk")
                         .order_by())
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    rows = []
    if kept:  # compiled once for the reader and these kinds, run with the targets' IDs (integer IDs only)
        stand_ins = [-1 - i for i in range(size * len(kept))]  # IDs no row has
        values = []
        for n, type_id in enumerate(kept):
            ids = list(by_type[type_id])
            values += ids + stand_ins[n * size + len(ids):(n + 1) * size]
        rows += compiled.rows_for_each(("visible-targets", tuple(kept), reader, size),
                                       lambda ids: build(kept, ids), values, stand_ins)
    if rest:  # kinds whose policy reads more than the reader's grants: built and run now
        rows += compiled.rows(None, lambda: build(rest))
    shown = set()
    for row in rows:
        shown.update(by_type[row["sia_type"]].get(row["pk"], ()))
    return shown


def for_user(user):
    """The user's own notifications in the instansi they are still a member of (superusers: all of their own)."""
    return _addressed(user.pk, _institutions(user))


def _institutions(user) -> tuple | None:
    """The instansi whose notifications ``user`` still reads (None: every one, a superuser's)."""
    return None if user.is_superuser else tuple(sorted({grant.institution_id for grant in permissions.grants(user)}))


def _addressed(recipient_id: int, institutions: tuple | None):
    queryset = Notification.objects.filter(recipient_id=recipient_id)
    if institutions is None:
        return queryset
    return queryset.filter(Q(institution__isnull=True) | Q(institution_id__in=institutions))


BADGE_CAP = 99  # the badge reads at most this many unread rows and shows "99+" beyond
BADGE_STAND_IN = -7401  # a user ID no row has: the badge's query is compiled with it (``compiled.rows_for``)


@dataclass(frozen=True)
class _Unread:
    pk: int
    content_type_id: int
    object_id: int


def unread_count(user) -> int:
    """The header badge: the user's unread notifications whose target they may still see (a row about an object
    they lost sight of is no news they can act on, and the centre shows it without its message). One query reads
    the newest ``BADGE_CAP + 1`` unread rows (that query alone when there are none, the common case), then one
    per model of target among them (``visible_targets``): the cost grows with the kinds of object notified of,
    never with the rows. Limit: only those newest rows are checked, so past ``BADGE_CAP`` the count is a floor. The
    first query is asked on every page: its SQL is compiled once per set of instansi read (``sia.core.compiled``)."""
    institutions = _institutions(user)

    def build(recipient_id):
        return (_addressed(recipient_id, institutions).filter(read_at__isnull=True).order_by("-created", "-pk")
                .values("pk", "content_type_id", "object_id")[:BADGE_CAP + 1])

    rows = compiled.rows_for(("unread-badge", institutions), build, user.pk, BADGE_STAND_IN)
    if not rows:
        return 0
    return len(visible_targets(user, [_Unread(**row) for row in rows]))


def mark_read(user, ids=None) -> int:
    """Marks the user's own unread notifications (``ids``, or all) read; returns how many."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())

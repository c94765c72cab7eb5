"""The demo users' notifications (``sia.notifications``), made from the demo's own review conversations: every
return (with the reviewer's comment), verification and validation of the demo instansi's objects and kegiatan, told
to the operators of the object's OPD by the same rule as a live review step (``notices.review_step``), dated like
the event. What an operator has surely seen is read: anything older than a week, and every step of an object that
a later step has overtaken; the latest steps of the last week stay unread (the badge on their first login)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from sia.core.demo import register_demo
from sia.notifications.models import Notification
from sia.organizations.models import Institution

from . import notices
from .models import ReviewEvent

UNREAD_FOR = timedelta(days=7)


@register_demo(90, "Notifikasi pengguna contoh (review: dikembalikan, diverifikasi, divalidasi)")
def load_notifications() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    now = timezone.now()
    if Notification.objects.filter(institution=institution, created__lt=now - timedelta(hours=1)).exists():
        return "sudah ada"
    # Review steps taken while the demo was loaded told the operators "now": replaced by the dated ones below (the
    # other kinds, such as the invitation to the coming kegiatan, stay).
    Notification.objects.filter(institution=institution, kind__in=set(notices.KIND_OF.values())).delete()
    events = list(ReviewEvent.objects.filter(institution=institution, action__in=list(notices.KIND_OF))
                  .select_related("user").order_by("created", "pk"))
    latest = {}
    for event in events:
        latest[(event.content_type_id, event.object_id)] = event.pk
    targets = _targets(events)
    made = []
    for event in events:
        obj = targets.get((event.content_type_id, event.object_id))
        if obj is None:
            continue
        rows = notices.review_step(obj, event)
        made.append((event, [row.pk for row in rows if row.pk is not None] or _written(obj, event)))
    for event, ids in made:
        read = event.created < now - UNREAD_FOR or latest[(event.content_type_id, event.object_id)] != event.pk
        Notification.objects.filter(pk__in=ids).update(created=event.created, updated=event.created,
                                                       read_at=event.created + timedelta(hours=3) if read else None)
    total = Notification.objects.filter(institution=institution)
    return f"{total.count()} notifikasi, {total.filter(read_at__isnull=True).count()} belum dibaca"


def _targets(events) -> dict:
    """{(content type ID, object ID): object} in one query per model."""
    ids = {}
    for event in events:
        ids.setdefault(event.content_type_id, set()).add(event.object_id)
    found = {}
    for type_id, pks in ids.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for obj in model._default_manager.filter(pk__in=pks):
            found[(type_id, obj.pk)] = obj
    return found


def _written(obj, event) -> list[int]:
    """The notifications just written for ``event`` (a database without RETURNING gives no IDs to bulk inserts)."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(Notification.objects.filter(content_type=content_type, object_id=obj.pk,
                                            kind=notices.KIND_OF[event.action], read_at__isnull=True,
                                            created__gte=timezone.now() - timedelta(minutes=10))
                .values_list("pk", flat=True))

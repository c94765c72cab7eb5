"""The review history of demo objects: their conversations written in one bulk insert, then moved back over the
last weeks so that the review queues show realistic ages."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from . import workflow
from .models import ReviewEvent


def record_conversations(model, objects, conversations):
    """``conversations[i]`` is the list of (action, user, from status, to status, comment) of ``objects[i]`` (of
    ``model``): one bulk insert of every turn, then one update per age."""
    content_type = ContentType.objects.get_for_model(model)
    ages: dict[int, list[int]] = {}
    events = []
    for position, (obj, steps) in enumerate(zip(objects, conversations)):
        ages.setdefault(2 + (position * 7) % 45, []).append(obj.pk)
        events += [
            ReviewEvent(content_type=content_type, object_id=obj.pk, institution_id=obj.institution_id, action=action,
                        from_status=source, to_status=target, comment=comment, user=user)
            for action, user, source, target, comment in steps
        ]
    ReviewEvent.objects.bulk_create(events)
    for days, ids in ages.items():
        ReviewEvent.objects.filter(content_type=content_type, object_id__in=ids).update(
            created=F("created") - timedelta(days=days)
        )
    workflow.restamp(model, [obj.pk for obj in objects])

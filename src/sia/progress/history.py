"""A past the snapshots did not record, back-computed from the objects themselves (the demo's 60 days, and an
instansi that starts taking snapshots late): each object counts from the day it entered, is complete from the day
its fields were filled, and has, each day, the review status its last review event of that day or before gave it.
The day an object entered is its creation day (or the window's first), or, where the objects were all created
at once (the demo), a stable spread over the window by its ID at its OPD's pace (``spread_days``), except those
created before that day (the demo's objects made during a past kegiatan: its step on the chart); never later than
its first review event; the day it was completed lies between that and today, stable by its ID; today's figures are the objects' current ones, so the last day equals the real snapshot
(``snapshot.current_figures``)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from sia.architecture.choices import ReviewStatus
from sia.architecture.completeness import complete_count, filled_count, required_fields
from sia.architecture.kindgroups import group_of
from sia.architecture.models import ReviewEvent
from sia.architecture.registry import domain_models

from .models import ProgressSnapshot
from .snapshot import FIGURES, STATUS_FIELDS


def _unit(*parts) -> float:
    digest = hashlib.sha256("/".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def spread_days(key, days: int, pace: float) -> int:
    """How many days before the last one an object entered: stable for ``key``; an OPD's ``pace`` (0-1) says how
    early its objects came (1: over the whole window, 0.3: in its last third)."""
    return min(int(_unit("entered", key) * days * pace), days - 1)


def backfill(institution_id, days: int = 60, today: date | None = None, pace_of=None) -> dict:
    """``{(day, department id, domain): {figure: n}}`` for the last ``days`` days up to ``today``.
    ``pace_of(department_id) -> 0-1``: how early an OPD entered its objects, spread over the window (the demo,
    whose objects were all created at once); without it each object entered on the day it was created."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    spread = pace_of is not None
    found: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    kinds = [(model, list(model.objects.filter(institution_id=institution_id).order_by().values(
        "pk", "code", "department_id", "status", "created").annotate(filled=filled_count(model),
                                                             complete=complete_count(model))))
             for model in domain_models()]
    # the day the objects were all created (the demo's load): those created earlier keep their own day
    loaded = max((timezone.localdate(row["created"]) for _m, rows in kinds for row in rows), default=today)
    for model, rows in kinds:
        slug, required = group_of(model).slug, len(required_fields(model))
        if not rows:
            continue
        events = defaultdict(list)
        content_type = ContentType.objects.get_for_model(model)
        for object_id, created, to_status in (ReviewEvent.objects.filter(content_type=content_type,
                                                                          object_id__in=[r["pk"] for r in rows])
                                              .exclude(to_status="").order_by("created", "pk")
                                              .values_list("object_id", "created", "to_status")):
            events[object_id].append((timezone.localdate(created), to_status))
        for row in rows:
            key = (model._meta.label_lower, row["code"] or row["pk"])  # the code: the same spread on every database
            if spread and timezone.localdate(row["created"]) >= loaded:
                entered = today - timedelta(days=spread_days(key, days, pace_of(row["department_id"])))
            else:
                entered = max(timezone.localdate(row["created"]), first)
            own = events[row["pk"]]
            if own:
                entered = max(min(entered, own[0][0]), first)
            age = (today - entered).days
            completed = entered + timedelta(days=int(_unit("complete", key) * age))
            for offset in range(days):
                day = first + timedelta(days=offset)
                if day < entered:
                    continue
                if day == today:
                    status = row["status"]
                else:
                    status = next((s for d, s in reversed(own) if d <= day), ReviewStatus.DRAFT)
                done = bool(row["complete"]) and (day >= completed or day == today)
                cell = found[(day, row["department_id"], slug)]
                cell["count"] += 1
                cell["complete"] += done
                cell["filled"] += row["filled"] if done or day == today else row["filled"] // 2
                cell["required"] += required
                cell[STATUS_FIELDS[status]] += 1
    return dict(found)


def write_backfill(institution_id, days: int = 60, today: date | None = None, pace_of=None) -> int:
    """Replaces the instansi's snapshots of those days with ``backfill``; returns the rows written."""
    today = today or timezone.localdate()
    figures = backfill(institution_id, days, today, pace_of)
    rows = [ProgressSnapshot(institution_id=institution_id, department_id=d, domain=slug, date=day, **values)
            for (day, d, slug), values in figures.items()]
    with transaction.atomic():
        ProgressSnapshot.objects.filter(institution_id=institution_id, date__gt=today - timedelta(days=days),
                                        date__lte=today).delete()
        ProgressSnapshot.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

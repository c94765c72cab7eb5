"""What each invited OPD produced during a kegiatan: the architecture objects created or changed in the session's
time window, read from the audit trail (django-simple-history) of every declared kind, one query per kind, limited
to the objects the reader may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from sia.architecture.kindgroups import kind_label
from sia.architecture.registry import domain_models
from sia.core import permissions


@dataclass
class Produced:
    kind: str  # the kind's label: "Proses Bisnis"
    pk: int
    code: str
    name: str
    url: str
    created: bool  # created in the window (else only changed)
    changes: int  # audit-trail records in the window
    last: datetime


def produced_during(workshop, user, start=None, end=None) -> dict[int, list[Produced]]:
    """{OPD id: what it produced} for the OPDs invited to ``workshop``, from ``start`` to ``end`` (the session by
    default); objects ``user`` may not see are left out."""
    start = start or workshop.starts_at
    end = end or workshop.ends_at
    department_ids = [dept.pk for dept in workshop.departments.all()]
    result: dict[int, list[Produced]] = defaultdict(list)
    if not department_ids:
        return result
    for model in domain_models():
        rows = (model.history.filter(history_date__gte=start, history_date__lte=end,
                                     department_id__in=department_ids,
                                     id__in=permissions.visible(user, model).values("pk"))
                .order_by("id", "history_date", "history_id")
                .values_list("id", "department_id", "code", "name", "history_type", "history_date"))
        items: dict[int, list] = {}
        for pk, department_id, code, name, history_type, when in rows:
            item = items.get(pk)
            if item is None:
                items[pk] = [department_id, code, name, history_type == "+", 1, when]
            else:
                item[:3] = [department_id, code, name]
                item[3] = item[3] or history_type == "+"
                item[4] += 1
                item[5] = when
        if not items:
            continue
        label = str(kind_label(model))
        pattern = reverse(f"architecture:{model._meta.model_name}", args=[987654321]).replace("987654321", "{}")
        for pk, (department_id, code, name, created, changes, last) in items.items():
            result[department_id].append(Produced(label, pk, code, name, pattern.format(pk), created, changes, last))
    for items in result.values():
        items.sort(key=lambda item: (item.last, item.code))
    return result

"""The daily snapshot: per OPD and domain (kind group), how many objects, how many complete (every required field
filled, ``sia.architecture.completeness.complete_count``), the required fields filled, and how many in each review
status. One ``UNION ALL`` query over every kind reads every OPD of every instansi (never a query per OPD); the day's
rows are replaced as a whole in one transaction, so running it twice on a day leaves the same rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sia.architecture.choices import ReviewStatus
from sia.architecture.completeness import complete_count, filled_count, required_fields
from sia.architecture.kindgroups import group_of
from sia.architecture.queues import kind_key, kind_union, kind_value
from sia.architecture.registry import domain_models
from sia.organizations.models import Department

from .models import ProgressSnapshot

STATUS_FIELDS = {
    ReviewStatus.DRAFT: "draft", ReviewStatus.SUBMITTED: "submitted", ReviewStatus.RETURNED: "returned",
    ReviewStatus.VERIFIED: "verified", ReviewStatus.VALIDATED: "validated",
}
FIGURES = ("count", "complete", "filled", "required", *STATUS_FIELDS.values())


@dataclass
class Figures:
    values: dict = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    def add(self, row: dict, required: int) -> None:
        self.values["count"] += row["n"]
        self.values["complete"] += row["complete"]
        self.values["filled"] += row["filled"]
        self.values["required"] += row["n"] * required
        self.values[STATUS_FIELDS[row["status"]]] += row["n"]


def current_figures(institution_id=None) -> dict[tuple[int, int, str], Figures]:
    """Today's figures ``{(institution id, department id, domain slug): Figures}`` of every OPD with objects, read
    in one query (a ``UNION ALL`` of one grouped part per kind)."""
    models = domain_models()
    parts = []
    for model in models:
        queryset = model.objects.all() if institution_id is None else model.objects.filter(
            institution_id=institution_id)
        parts.append(queryset.annotate(sia_kind=kind_value(model))
                     .values("sia_kind", "institution_id", "department_id", "status")
                     .annotate(n=Count("pk"), complete=complete_count(model), filled=filled_count(model)))
    by_kind = {kind_key(model): model for model in models}
    found: dict[tuple[int, int, str], Figures] = {}
    for row in kind_union(parts):
        model = by_kind[row["sia_kind"]]
        key = (row["institution_id"], row["department_id"], group_of(model).slug)
        found.setdefault(key, Figures()).add(row, len(required_fields(model)))
    return found


def take_snapshot(day: date | None = None, institution_id=None) -> int:
    """Writes the snapshot of ``day`` (today by default) of every instansi (or one): a row per OPD and domain with
    objects; replaces the rows that day already has. Returns the number of rows written."""
    day = day or timezone.localdate()
    found = current_figures(institution_id)
    rows = [ProgressSnapshot(institution_id=i, department_id=d, domain=slug, date=day, **figures.values)
            for (i, d, slug), figures in found.items()]
    with transaction.atomic():
        existing = ProgressSnapshot.objects.filter(date=day)
        if institution_id is not None:
            existing = existing.filter(institution_id=institution_id)
        existing.delete()
        ProgressSnapshot.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def active_departments(institution_id) -> list[Department]:
    return list(Department.objects.filter(institution_id=institution_id, is_active=True).order_by("name"))

"""Deadlines approaching or missed per OPD, for reminders (the notification centre reads them; plain function, no
user: the caller decides who may be told). A target's OPD rows (``rules.evaluate``) that are neither met nor without data and whose
deadline falls in the next ``within_days`` days, or passed in the last ``within_days`` days. Index targets belong to
the whole instansi and are not listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from sia.organizations.models import Department

from .choices import TargetState
from .models import Target
from .rules import INDEX, evaluate

APPROACHING, MISSED = "mendekati", "terlewat"


@dataclass(frozen=True)
class DeadlineAlert:
    target: Target
    department: Department
    kind: str  # APPROACHING or MISSED
    state: str  # the OPD's TargetState
    days: int  # days left (approaching) or days past (missed)
    percent: float | None


def deadline_alerts(institution_id=None, today: date | None = None, within_days: int = 7) -> list[DeadlineAlert]:
    """Every OPD not meeting a target whose deadline is within ``within_days`` days ahead or behind ``today``,
    by deadline, target and OPD name."""
    today = today or timezone.localdate()
    targets = (Target.objects.exclude(rule=INDEX)
               .filter(deadline__gte=today - timedelta(days=within_days), deadline__lte=today + timedelta(days=within_days))
               .select_related("department", "institution").order_by("deadline", "name", "pk"))
    if institution_id is not None:
        targets = targets.filter(institution_id=institution_id)
    departments: dict[int, list[Department]] = {}
    alerts = []
    for target in targets:
        if target.institution_id not in departments:
            departments[target.institution_id] = list(Department.objects.filter(
                institution_id=target.institution_id, is_active=True).order_by("name"))
        result = evaluate(target, departments[target.institution_id], today=today)
        for row in result.rows:
            if row.state in (TargetState.MET, TargetState.NO_DATA):  # nothing to remind of
                continue
            missed = today > target.deadline
            alerts.append(DeadlineAlert(target, row.department, MISSED if missed else APPROACHING, row.state,
                                        (today - target.deadline).days if missed else (target.deadline - today).days,
                                        row.measure.percent))
    return alerts

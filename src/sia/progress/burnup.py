"""Burn-up data and charts: the daily snapshots of an instansi (or one OPD, or one domain) summed per day in one
query, drawn with ``sia.core.charts.burnup_chart``: objects entered, complete, submitted (or further) and
validated; the line of a target from its start to its goal at its deadline; and the dated marks other apps add
through ``register_chart_marks`` (the workshops' dates), so that the effect of a session is visible."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from django.db.models import F, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sia.core import charts

from .models import ProgressSnapshot

HISTORY_DAYS = 365

# fn(institution, department or None, start, end) -> [(date, label)]
_mark_sources: list[Callable] = []


def register_chart_marks(source: Callable) -> Callable:
    """An upper app (workshops) adds dated marks to the burn-up charts: ``source(institution, department, start,
    end)`` returns ``[(date, label)]`` of that instansi (and OPD, or every OPD when ``None``) between the dates."""
    if source not in _mark_sources:
        _mark_sources.append(source)
    return source


def chart_marks(institution, department, start: date, end: date) -> list[tuple[date, str]]:
    found = []
    for source in _mark_sources:
        found.extend((day, str(label)) for day, label in source(institution, department, start, end)
                     if start <= day <= end)
    return sorted(found)


@dataclass(frozen=True)
class Day:
    """One day of a burn-up: the four figures its chart draws (the completeness percent per OPD is on the pages'
    tables, from the latest snapshot)."""

    date: date
    count: int
    complete: int
    submitted: int  # submitted, verified or validated
    validated: int


def series(institution_id, department_id=None, domain: str = "", start: date | None = None,
           end: date | None = None) -> list[Day]:
    """The snapshots summed per day (one query), oldest first. Only the figures the chart draws are summed: a year
    of an instansi is 240 rows a day, and each column summed costs (``docs/benchmarks.md``)."""
    queryset = ProgressSnapshot.objects.filter(institution_id=institution_id)
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    if domain:
        queryset = queryset.filter(domain=domain)
    if start is not None:
        queryset = queryset.filter(date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    rows = (queryset.order_by().values("date")
            .annotate(count=Sum("count"), complete=Sum("complete"),
                      further=Sum(F("submitted") + F("verified") + F("validated")), validated=Sum("validated"))
            .order_by("date").values_list("date", "count", "complete", "further", "validated"))
    return [Day(*row) for row in rows]


class DayLabels(Sequence):
    """The dates under a chart, formatted (``SHORT_DATE_FORMAT``) only when read: the chart reads those of its
    table's rows and marks, a few dozen of a year's days."""

    def __init__(self, days: list[date]):
        self.days = days

    def __len__(self):
        return len(self.days)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [formats.date_format(d, "SHORT_DATE_FORMAT") for d in self.days[index]]
        return formats.date_format(self.days[index], "SHORT_DATE_FORMAT")


def _axis(days: list[date]) -> list[tuple[int, str]]:
    """Texts under the x axis: the first day of each month (at most a dozen), the first and last day otherwise."""
    firsts = [(i, formats.date_format(d, "M Y")) for i, d in enumerate(days) if d.day == 1]
    if len(firsts) > 12:
        firsts = firsts[::2]
    if not firsts and days:
        firsts = [(0, formats.date_format(days[0], "j M")), (len(days) - 1, formats.date_format(days[-1], "j M"))]
    return firsts


def burnup(name: str, title: str, points: list[Day], *, marks: list[tuple[date, str]] = (), target=None,
           target_value: float | None = None, until: date | None = None) -> charts.Chart:
    """A burn-up chart of ``points`` (``series``) over every day from the first to the last (or ``until``, a
    deadline ahead); a target's line from 0 at its start to ``target_value`` at its deadline; ``marks``."""
    if points:
        first = points[0].date
        if target is not None:
            first = min(first, target.start_date)
        last = max(points[-1].date, until or points[-1].date)
    else:
        first = target.start_date if target is not None else (until or timezone.localdate())
        last = until or first
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    position = {d: i for i, d in enumerate(days)}
    by_day = {p.date: p for p in points}

    def line(attribute):
        return [getattr(by_day[d], attribute) if d in by_day else None for d in days]

    lines = [
        (charts.Series(_("Objek"), "burn-count"), line("count")),
        (charts.Series(_("Lengkap"), "burn-complete"), line("complete")),
        (charts.Series(_("Diajukan atau lebih"), "burn-submitted"), line("submitted")),
        (charts.Series(_("Divalidasi"), "burn-validated"), line("validated")),
    ]
    target_line = None
    if target is not None and target_value is not None and target.start_date in position \
            and target.deadline in position:
        target_line = (charts.Series(_("Target: %(name)s") % {"name": target.name}, "burn-target"),
                       [(position[target.start_date], 0), (position[target.deadline], target_value)])
    mark_items = [charts.Mark(position[d], label) for d, label in marks if d in position]
    return charts.burnup_chart(
        name, title, DayLabels(days), lines,
        marks=mark_items, target=target_line, axis_labels=_axis(days), label_header=_("Tanggal"),
        table_step=7 if len(days) > 62 else 1,
        note=_("Garis ungu putus-putus: kegiatan pada tanggal itu.") if mark_items else "",
    )

"""The timeline of a Peta Rencana SPBE (linimasa): the years of a sasaran's period across, the seven areas down, each
kegiatan a bar over the years it runs in, styled by its execution status and marked when it is late.

A plain function (``timeline``) builds the rows in two queries (the periods of the instansi, the kegiatan with
their lateness), whatever the number of kegiatan; the page (``overview_views``) only renders them.

Late (terlambat): a kegiatan neither done nor cancelled with a past year not marked done, or whose last year has
passed. "Past" is before the current year (``today``), so the year under way is never late yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from sia.core import permissions

from .choices import ActivityStatus, Area
from .models import Activity, ActivityYear, StrategicTarget
from .rules import period_years

FINISHED = (ActivityStatus.DONE, ActivityStatus.CANCELLED)


def years_text(activity) -> str:
    """The years a kegiatan runs in as the pages write them: "2026" for one year, "2025–2027" for several."""
    start, end = activity.start_year, activity.end_year
    return str(start) if end is None or start == end else f"{start}–{end}"


@dataclass
class TimelineRow:
    """One kegiatan on the timeline: ``before`` empty years, a bar of ``span`` years, ``after`` empty years."""

    activity: Activity
    before: int
    span: int
    after: int
    late: bool

    @property
    def progress(self) -> str:
        return self.activity.progress

    @property
    def css(self) -> str:
        return f"rm-bar rm-{self.progress}" + (" rm-late" if self.late else "")

    @property
    def years_text(self) -> str:
        return years_text(self.activity)


@dataclass
class AreaGroup:
    area: str
    label: str
    rows: list[TimelineRow] = field(default_factory=list)

    @property
    def late(self) -> int:
        return sum(row.late for row in self.rows)


@dataclass
class Timeline:
    """The period shown, the periods of the instansi to choose from, the years (columns) and the area groups
    (all seven, in the regulation's order, empty ones included so the picture reads the same every time)."""

    period: str | None
    periods: list[str]
    years: list[int]
    groups: list[AreaGroup]
    current_year: int

    @property
    def rows(self) -> list[TimelineRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def late(self) -> int:
        return sum(group.late for group in self.groups)


def periods_of(institution) -> list[str]:
    """The periods of the instansi's sasaran strategis, oldest first (one query)."""
    return list(StrategicTarget.objects.filter(institution=institution).order_by("period")
                .values_list("period", flat=True).distinct())


def default_period(periods: list[str], year: int) -> str | None:
    """The period holding ``year``, else the latest one (None when there is none)."""
    for period in periods:
        span = period_years(period)
        if span and span[0] <= year <= span[1]:
            return period
    return periods[-1] if periods else None


def is_late(activity, current_year: int, has_open_past_year: bool) -> bool:
    """Whether a kegiatan is late (the module's rule), given whether it has a year before ``current_year`` not
    marked done."""
    if activity.progress in FINISHED:
        return False
    return has_open_past_year or activity.end_year < current_year


def late_filter(current_year: int):
    """The annotation saying whether a kegiatan has a past year not marked done."""
    return Exists(ActivityYear.objects.filter(activity=OuterRef("pk"), year__lt=current_year, done=False))


def timeline(institution, *, period: str | None = None, department=None, user=None, today=None,
             areas=()) -> Timeline:
    """The timeline of ``institution`` for ``period`` (default: the period holding this year, else the latest),
    of one OPD (``department``: a Department or its pk) or all, of the kegiatan ``user`` may see (all when None),
    of the ``areas`` named (their values; empty: all seven).
    ``today`` (a date) stands for the current date in tests."""
    current_year = (today or timezone.localdate()).year
    periods = periods_of(institution)
    if period not in periods:
        period = default_period(periods, current_year)
    span = period_years(period)
    groups = {area.value: AreaGroup(area.value, str(area.label)) for area in Area if not areas or area.value in areas}
    if span is None:
        return Timeline(period, periods, [], list(groups.values()), current_year)
    first, last = span
    queryset = (Activity.objects.filter(institution=institution, program__initiative__target__period=period)
                .select_related("program", "department")
                .annotate(open_past_year=late_filter(current_year))
                .order_by("program__area", "start_year", "end_year", "code"))
    if department is not None:
        queryset = queryset.filter(department=getattr(department, "pk", department))
    if areas:
        queryset = queryset.filter(program__area__in=list(areas))
    if user is not None:
        queryset = permissions.visible(user, queryset)
    for activity in queryset:
        start, end = max(activity.start_year, first), min(activity.end_year, last)
        row = TimelineRow(activity, before=start - first, span=max(end - start + 1, 1), after=last - max(end, start),
                          late=is_late(activity, current_year, activity.open_past_year))
        groups[activity.program.area].rows.append(row)
    return Timeline(period, periods, list(range(first, last + 1)), list(groups.values()), current_year)

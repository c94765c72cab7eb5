"""Index targets (Indeks SPBE 2,49 → 2,60 by a year): the instansi's index per year from the evaluation assessments
the reader may see (``sia.evaluation.services.year_over_year``), the target's state from it, and the trend drawn
with the target as a band (``sia.core.charts.line_chart``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sia.core import charts, permissions
from sia.evaluation.framework_loader import LEVEL_MAX, LEVEL_MIN
from sia.evaluation.models import Assessment
from sia.evaluation.policies import can_see_evaluation
from sia.evaluation.services import attach_levels, year_over_year
from sia.evaluation.terms import term

from .choices import TargetState
from .rules import expected_share


@dataclass(frozen=True)
class IndexYear:
    year: int
    value: Decimal
    text: str
    index_name: str


def index_years(user, institution_id, framework_id=None) -> list[IndexYear]:
    """The instansi's index per year of one instrument (``framework_id``, else the latest year's: another instrument
    is another scale), from the assessments ``user`` may see; empty for a user who sees no evaluation."""
    if not can_see_evaluation(user):
        return []
    assessments = Assessment.objects.filter(institution_id=institution_id)
    if framework_id is not None:
        assessments = assessments.filter(framework_id=framework_id)
    assessments = attach_levels(list(permissions.visible(user, assessments)
                                     .select_related("institution", "framework").prefetch_related("locks")
                                     .order_by("year")))
    if not assessments:
        return []
    columns = year_over_year(assessments)
    framework_id = columns[-1].assessment.framework_id
    return [IndexYear(c.assessment.year, c.summary.result.index,
                      number_format(c.summary.result.index_display, c.summary.result.display_places),
                      term(c.assessment.framework, "index"))
            for c in columns if c.assessment.framework_id == framework_id and c.summary.filled]


@dataclass(frozen=True)
class IndexProgress:
    state: str
    latest: IndexYear | None
    expected: Decimal | None

    @property
    def state_label(self):
        return TargetState(self.state).label


def index_state(target, years: list[IndexYear], today: date | None = None) -> IndexProgress:
    """Met when the index of a year up to the deadline's reaches the target; missed after the deadline; late when
    the latest index is below the straight line from the baseline at the start to the target at the deadline."""
    today = today or timezone.localdate()
    known = [y for y in years if y.year <= target.deadline.year]
    latest = known[-1] if known else None
    goal = target.index_target
    baseline = target.index_baseline if target.index_baseline is not None else (known[0].value if known else goal)
    expected = (baseline + (goal - baseline) * Decimal(str(expected_share(target.start_date, target.deadline, today)))
                ).quantize(Decimal("0.01"))
    if latest is not None and latest.value >= goal:
        return IndexProgress(TargetState.MET, latest, expected)
    if today > target.deadline:
        return IndexProgress(TargetState.MISSED, latest, expected)
    if latest is None:
        return IndexProgress(TargetState.NO_DATA, None, expected)
    return IndexProgress(TargetState.LATE if latest.value < expected else TargetState.ON_TRACK, latest, expected)


def index_chart(target, years: list[IndexYear]) -> charts.Chart:
    """The index per year as a line, the target as a band from its value up."""
    goal = float(target.index_target)
    text = number_format(target.index_target, 2)
    name = years[-1].index_name if years else _("Indeks")
    points = [charts.Item(str(y.year), float(y.value), y.text) for y in years]
    band = charts.Band(goal, LEVEL_MAX, _("Target %(value)s") % {"value": text}, "band-target",
                       _("≥ %(value)s pada %(year)s") % {"value": text, "year": target.deadline.year})
    return charts.line_chart(
        f"indeks-target-{target.pk}", _("%(index)s per tahun dan target %(value)s") % {"index": name, "value": text},
        points, low=LEVEL_MIN, high=LEVEL_MAX, bands=[band],
        ticks=[(level, str(level)) for level in range(LEVEL_MIN, LEVEL_MAX + 1)],
        label_header=_("Tahun"), value_header=name,
        note=_("Latar: target %(value)s pada %(year)s.") % {"value": text, "year": target.deadline.year},
    )

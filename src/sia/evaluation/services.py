"""What happens to an assessment: levels set, stages locked and advanced, results per stage.

Every write goes through the model's ``full_clean()``, so the rules (levels 1-5, indicator of the
assessment's framework, locked stage read-only) hold for forms, the API, imports and the demo alike.
Permission checks are the caller's: views and the API ask ``sia.core.permissions`` first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import scoring
from .choices import STAGE_ORDER, Stage, TeamRole
from .framework_loader import LEVEL_MIN, FrameworkSpec
from .frameworks import spec_for
from .models import Assessment, AssessmentTeamMember, Indicator, IndicatorScore, StageLock


@dataclass(frozen=True)
class StageSummary:
    """The result of one stage: exact values, whether it is final for the stage, and the change."""

    stage: Stage
    locked: bool
    result: scoring.Result
    filled: int
    total: int
    change: Decimal | None  # index change from the previous stage

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def provisional(self) -> bool:
        return not self.result.complete

    @property
    def progress_pct(self) -> int:
        return round(100 * self.filled / self.total) if self.total else 0


def create_assessment(assessment: Assessment, *, user) -> Assessment:
    """Saves a new assessment (checked by ``full_clean``) and makes its creator the penanggung jawab of its team.

    The asesor internal who creates the year's assessment ("the asesor creates the 2026 assessment") then
    works on it and locks its stages as the team's lead. A creator who is no active member of the instansi
    (a superuser) is not put on the team. The form and the API both come here.
    """
    from sia.organizations.models import Membership

    with transaction.atomic():
        assessment.full_clean()
        assessment.save()
        if user is not None and getattr(user, "is_active", False) and Membership.objects.filter(
            user=user, institution_id=assessment.institution_id, is_active=True
        ).exists():
            lead = AssessmentTeamMember(assessment=assessment, user=user, role=TeamRole.LEAD)
            lead.full_clean()
            lead.save()
    return assessment


def scores_prefetch() -> Prefetch:
    """Prefetch for lists of assessments: every level with its indicator number, one query."""
    return Prefetch(
        "scores",
        queryset=IndicatorScore.objects.select_related("indicator").only(
            "assessment_id", "stage", "level", "value", "indicator__number"
        ),
    )


LEVELS_ATTR = "_sia_levels"  # {stage: {indicator number: value}} put on an assessment by ``attach_levels``


def attach_levels(assessments: list[Assessment]) -> list[Assessment]:
    """Reads the levels of every one of ``assessments`` in one query of plain values and keeps them on each for
    ``levels_by_stage`` (what ``scores_prefetch`` gives, without a score and an indicator object per level: the
    five years of an instansi on the home page are about 600 levels, 20 ms of objects for a few sums)."""
    found: dict[int, dict] = {assessment.pk: defaultdict(dict) for assessment in assessments}
    if found:
        rows = IndicatorScore.objects.filter(assessment_id__in=list(found)).values_list(
            "assessment_id", "stage", "indicator__number", "value")
        for assessment_id, stage, number, value in rows:
            found[assessment_id][stage][number] = _arithmetic_value(value)
    for assessment in assessments:
        setattr(assessment, LEVELS_ATTR, found[assessment.pk])
    return assessments


def _arithmetic_value(value):
    """A stored value as the arithmetic takes it: a whole value as an int (59/2020 levels), else the Decimal."""
    return int(value) if value == value.to_integral_value() else value


def levels_by_stage(assessment: Assessment) -> dict[str, dict[int, int]]:
    """{stage: {indicator number: value}}, from ``attach_levels`` or ``scores_prefetch()`` when present (one query
    otherwise).

    The value is the level (an int) under PermenPANRB 59/2020; under 8/2026 it is the indicator's value,
    an int where it is whole (3) and a ``Decimal`` otherwise (2.75).
    """
    attached = assessment.__dict__.get(LEVELS_ATTR)
    if attached is not None:
        return defaultdict(dict, {stage: dict(levels) for stage, levels in attached.items()})
    cache = getattr(assessment, "_prefetched_objects_cache", {})
    if "scores" in cache:
        rows = [(s.stage, s.indicator.number, s.value) for s in cache["scores"]]
    else:
        rows = assessment.scores.values_list("stage", "indicator__number", "value")
    result: dict[str, dict[int, int]] = defaultdict(dict)
    for stage, number, value in rows:
        result[stage][number] = _arithmetic_value(value)
    return result


def stage_levels(assessment: Assessment, stage) -> dict[int, int]:
    return levels_by_stage(assessment).get(str(stage), {})


def summaries(assessment: Assessment, by_stage: dict | None = None) -> list[StageSummary]:
    """Results of every started stage, in order, with the change from the stage before."""
    spec = spec_for(assessment.framework)
    by_stage = levels_by_stage(assessment) if by_stage is None else by_stage
    locked = assessment.locked_stages()
    result, previous = [], None
    for stage in assessment.started_stages():
        levels = by_stage.get(stage.value, {})
        outcome = scoring.compute(levels, spec, fill_missing=LEVEL_MIN)
        change = outcome.index - previous.index if previous is not None else None
        result.append(
            StageSummary(stage, stage.value in locked, outcome, len(levels), len(spec.indicators), change)
        )
        previous = outcome
    return result


def current_summary(assessment: Assessment, by_stage: dict | None = None) -> StageSummary:
    return summaries(assessment, by_stage)[-1]


def latest_result_summary(assessment: Assessment, by_stage: dict | None = None) -> StageSummary:
    """The most advanced stage that has any level (what a year-over-year comparison shows)."""
    rows = summaries(assessment, by_stage)
    filled = [s for s in rows if s.filled]
    return filled[-1] if filled else rows[0]


def set_level(
    assessment: Assessment, indicator: Indicator, level, *, user, fakta: str = "", analisis: str = "",
    justifikasi: str = "",
) -> IndicatorScore:
    """Sets (or changes) the indicator's level in the current stage, with the explanation."""
    score = IndicatorScore.objects.filter(
        assessment=assessment, indicator=indicator, stage=assessment.current_stage
    ).first() or IndicatorScore(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
    score.level = level
    return _save_score(score, user, fakta, analisis, justifikasi)


@dataclass(frozen=True)
class ScoreValue:
    """The value an indicator gets, and for one valued from another institution's index, how."""

    value: Decimal
    source_value: Decimal | None = None
    source_year: int | None = None
    note: str = ""
    missing: bool = False  # no source index: 1.00 counted, flagged


def resolve_value(
    spec: FrameworkSpec, number: int, value=None, *, source_value=None, source_year=None, year: int | None = None,
) -> ScoreValue:
    """The checked value of indicator ``number`` (``values.check_value``, the one rule) — ValidationError if not.

    An external indicator (SDI, SJIG, EPSS/IPS) with a linear conversion takes the converted source index
    (``values.convert_external``); a value given that differs from the converted one is refused (the value is
    computed, never typed); with an unknown conversion the assessor's value; without a source index 1.00,
    flagged (a value other than 1.00 given without a source index is refused, never silently replaced). A source
    index always comes with its year: four digits, not later than ``year`` (the assessment's,
    when known). Errors name the indicator and are keyed by field.
    """
    from .terms import short_index
    from .values import as_decimal, check_value, convert_external

    indicator = spec.indicator(number)
    if indicator.value_source != "external":
        if value in (None, ""):
            raise ValidationError({"value": _("Indikator %(n)s: isi nilainya.") % {"n": indicator.label}})
        try:
            return ScoreValue(check_value(value, spec, indicator))
        except ValidationError as error:
            raise ValidationError({"value": error.messages}) from None
    try:
        outcome = convert_external(spec, number, source_value)
    except ValidationError as error:
        raise ValidationError({"source_value": error.messages}) from None
    unknown = not indicator.external.automatic  # a linear one refuses any typed value below, with its own reason
    if outcome.flagged and unknown and value not in (None, "") and as_decimal(value) != outcome.value:
        raise ValidationError({"value": [_(
            "Indikator %(n)s: indeks sumber (%(index)s) belum diisi: nilainya 1,00 (ditandai). Isi indeks sumbernya, "
            "atau kosongkan nilai.") % {"n": indicator.label, "index": short_index(indicator.external)}]})
    source = as_decimal(source_value) if not outcome.flagged else None
    errors = {}  # the source year's error is told together with the value's
    if source is not None:
        try:
            source_year = _source_year(indicator, short_index(indicator.external), source_year, year)
        except ValidationError as error:
            errors.update(error.message_dict)
    if outcome.value is None:  # unknown conversion: the assessor decides
        if value in (None, ""):
            raise ValidationError(errors | {"value": [
                _("Indikator %(n)s: konversi %(index)s tidak diketahui; isi nilainya.")
                % {"n": indicator.label, "index": indicator.external.source_index}]})
        try:
            checked = check_value(value, spec, indicator)
        except ValidationError as error:
            raise ValidationError(errors | {"value": error.messages}) from None
        if errors:
            raise ValidationError(errors)
        return ScoreValue(checked, source, source_year, outcome.note)
    if value not in (None, "") and indicator.external.automatic and as_decimal(value) != outcome.value:
        errors["value"] = [computed_from_source(indicator)]
    if errors:
        raise ValidationError(errors)
    return ScoreValue(outcome.value, source, source_year if source is not None else None, outcome.note, outcome.flagged)


def computed_from_source(indicator) -> str:
    """Why an indicator with a linear conversion takes no value or level of its own."""
    from .terms import short_index

    return _("Nilai indikator %(n)s dihitung dari %(index)s; isi nilai indeks sumbernya.") % {
        "n": indicator.label, "index": short_index(indicator.external)}


def _source_year(indicator, index: str, source_year, year: int | None) -> int:
    """The year of a given source index: required, four digits, not later than the assessment's ``year``."""
    text = "" if source_year is None or isinstance(source_year, bool) else str(source_year).strip()
    if not text:
        raise ValidationError({"source_year": _("Indikator %(n)s: isi tahun %(index)s (tahun nilai indeks sumber).")
                               % {"n": indicator.label, "index": index}})
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError({"source_year": _("Indikator %(n)s: tahun %(index)s “%(v)s” bukan tahun empat angka.")
                               % {"n": indicator.label, "index": index, "v": source_year}})
    if year is not None and int(text) > year:
        raise ValidationError({"source_year": _(
            "Indikator %(n)s: tahun %(index)s %(v)s lebih lambat dari tahun penilaian %(year)s."
        ) % {"n": indicator.label, "index": index, "v": text, "year": year}})
    return int(text)


def set_value(
    assessment: Assessment, indicator: Indicator, value=None, *, user, source_value=None, source_year=None,
    fakta: str = "", analisis: str = "", justifikasi: str = "",
) -> IndicatorScore:
    """Sets the indicator's value in the current stage (8/2026: 1.00-5.00; 59/2020: the level), with the reasoning.

    The value is checked (and for an external indicator computed) by ``resolve_value``; nothing is written
    when it is refused.
    """
    resolved = resolve_value(
        spec_for(assessment.framework), indicator.number, value, source_value=source_value, source_year=source_year,
        year=assessment.year,
    )
    score = IndicatorScore.objects.filter(
        assessment=assessment, indicator=indicator, stage=assessment.current_stage
    ).first() or IndicatorScore(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
    score.value = resolved.value
    score.source_value, score.source_year = resolved.source_value, resolved.source_year
    score.source_note, score.source_missing = resolved.note, resolved.missing
    return _save_score(score, user, fakta, analisis, justifikasi)


def _save_score(score, user, fakta, analisis, justifikasi) -> IndicatorScore:
    score.fakta, score.analisis, score.justifikasi = fakta, analisis, justifikasi
    score.assessed_by = user
    score.assessed_at = timezone.now()
    score.carried_over = False
    score.full_clean()
    score.save()
    return score


def _snapshot(result: scoring.Result) -> dict:
    return {
        "domains": {str(k): str(v) for k, v in result.domains.items()},
        "aspects": {str(k): str(v) for k, v in result.aspects.items()},
        **({"groups": {level: {str(k): str(v) for k, v in values.items()} for level, values in result.groups.items()}}
           if result.groups else {}),  # the declared levels (any but domain > aspect)
        "weighted_sum": str(result.weighted_sum),
    }


def lock_stage(assessment: Assessment, *, user) -> StageLock:
    """Closes the current stage: every indicator must have a level; the result is kept unrounded."""
    stage = Stage(assessment.current_stage)
    if assessment.is_locked(stage):
        raise ValidationError(_("Tahap %(stage)s sudah dikunci.") % {"stage": stage.label})
    spec: FrameworkSpec = spec_for(assessment.framework)
    levels = stage_levels(assessment, stage)
    missing = [i.number for i in spec.indicators if i.number not in levels]
    if missing:
        raise ValidationError(
            _("Tahap %(stage)s belum dapat dikunci: tingkat indikator %(numbers)s belum diisi.")
            % {"stage": stage.label, "numbers": ", ".join(spec.indicator(n).label for n in missing)}
        )
    result = scoring.compute(levels, spec)
    with transaction.atomic():
        lock = StageLock(
            assessment=assessment, stage=stage, locked_by=user, locked_at=timezone.now(), index=result.index,
            predicate=result.predicate, results=_snapshot(result),
        )
        lock.full_clean()
        lock.save()
    _forget_locks(assessment)
    return lock


CARRIED_OVER_NOTE = gettext_noop("disalin dari tahap sebelumnya")  # the audit trail's reason for a copied level


def advance_stage(assessment: Assessment, *, user) -> Stage:
    """Locks the current stage (if open) and starts the next one from its levels.

    The copies keep level, fakta, analisis and justifikasi; the one who advanced the stage is recorded
    as their assessor, with ``CARRIED_OVER_NOTE`` in the audit trail (``carried_over`` until changed).
    """
    following = assessment.next_stage()
    if following is None:
        raise ValidationError(_("Tahap %(stage)s adalah tahap terakhir.") % {"stage": Stage(assessment.current_stage).label})
    with transaction.atomic():
        if not assessment.is_locked():
            lock_stage(assessment, user=user)
        previous = list(assessment.scores.filter(stage=assessment.current_stage).select_related("indicator"))
        assessment.current_stage = following
        assessment.full_clean()
        assessment.save(update_fields=["current_stage", "updated"])
        _forget_locks(assessment)
        now = timezone.now()
        for score in previous:
            copy = IndicatorScore(
                assessment=assessment, indicator=score.indicator, stage=following, level=score.level, value=score.value,
                source_value=score.source_value, source_year=score.source_year, source_note=score.source_note,
                source_missing=score.source_missing,
                fakta=score.fakta, analisis=score.analisis, justifikasi=score.justifikasi,
                assessed_by=user, assessed_at=now, carried_over=True,
            )
            copy._change_reason = CARRIED_OVER_NOTE  # the audit trail says where the level came from
            copy.save()
    return following


# --- year over year -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearColumn:
    """One year of an instansi in the year-over-year comparison."""

    assessment: Assessment
    summary: StageSummary  # the latest stage with levels (what the year shows)
    self_summary: StageSummary  # penilaian mandiri
    stages: dict[str, StageSummary]  # every started stage by value
    levels: dict[str, dict[int, int]]  # {stage: {indicator: level}}
    change: Decimal | None  # index change from the year before, at ``compared_stage``
    compared_stage: Stage | None  # the stage both years are compared at
    other_framework: bool  # the year before used another framework: no change is computed


def latest_common_stage(*rows: list[StageSummary]) -> Stage | None:
    """The latest stage that has levels in every one of the given assessments (their ``summaries``)."""
    filled = [{s.stage for s in summary_rows if s.filled} for summary_rows in rows]
    common = [stage for stage in STAGE_ORDER if all(stage in f for f in filled)]
    return common[-1] if common else None


def year_over_year(assessments) -> list[YearColumn]:
    """The assessments (one instansi, ordered by year) with the index change from the year before.

    A change is computed only between two years scored with the same framework, and at the same stage:
    the latest stage both years have levels in (a final result is never set against a self-assessment).
    """
    columns, previous = [], None
    for assessment in assessments:
        by_stage = levels_by_stage(assessment)
        rows = summaries(assessment, by_stage)
        filled = [s for s in rows if s.filled]
        change, stage, other = None, None, False
        if previous is not None:
            if previous.assessment.framework_id != assessment.framework_id:
                other = True
            else:
                stage = latest_common_stage(list(previous.stages.values()), rows)
                if stage is not None:
                    change = (
                        next(s for s in rows if s.stage == stage).result.index
                        - previous.stages[stage.value].result.index
                    )
        column = YearColumn(
            assessment=assessment, summary=filled[-1] if filled else rows[0], self_summary=rows[0],
            stages={s.stage.value: s for s in rows}, levels=by_stage, change=change, compared_stage=stage,
            other_framework=other,
        )
        columns.append(column)
        previous = column
    return columns


def _forget_locks(assessment: Assessment) -> None:
    cache = getattr(assessment, "_prefetched_objects_cache", None)
    if cache:
        cache.pop("locks", None)
        cache.pop("scores", None)

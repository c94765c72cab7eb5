"""The figures of a Peta Rencana SPBE, as plain functions with a constant number of queries (one per figure; the
gap warnings of a reader two, through the gap catalog).

A cancelled kegiatan (``progress`` ``batal``) counts in none of them: it is no longer planned.

- ``budget_by_year_and_area``: the sum of the pagu of the kegiatan's years, per year and area of their program.
- ``alignment_by_year`` (keterpaduan rencana dan anggaran): per year, the roadmap's pagu, the RKA the OPDs entered,
  and the aligned amount: for each year row, the RKA counted up to its pagu (an RKA above the pagu does not cover
  another kegiatan's shortfall; a missing RKA counts as 0). The share is aligned / pagu (None when the pagu is 0).
- ``progress_by_year``: per year, the year rows planned and those marked done.
- ``unlinked_gaps``: the gaps of the instansi (to-be objects, as-is objects to retire) that no kegiatan closes (of
  one OPD when given): those a reader may see through the gap catalog (``unclosed_gaps``), or every one.
- ``activities_without_gap``: the kegiatan that close no gap.
- ``budget_by_year_and_source``, ``alignment_by_department``: the pagu per year and budget source; the
  keterpaduan per OPD over the years asked.
- ``unclosed_gaps``: the gaps of the gap catalog (what the reader may see) no kegiatan closes, in two queries.
- ``done_with_open_years``: the kegiatan marked selesai with a year row not marked done (a warning), one query.

Every figure of a kegiatan's years takes ``department`` (the OPD leading the kegiatan: a Department or its pk) and
``years`` ((first, last), e.g. a sasaran's period) to narrow it; neither adds a query.
"""

from __future__ import annotations

import operator
from decimal import Decimal
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Least

from .choices import ActivityStatus, Area, BudgetSource
from .models import Activity, ActivityGap, ActivityYear
from . import rules
from .rules import period_years

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _years(institution, department=None, years=None):
    queryset = ActivityYear.objects.filter(activity__institution=institution).exclude(
        activity__progress=ActivityStatus.CANCELLED)
    if department is not None:
        queryset = queryset.filter(activity__department=getattr(department, "pk", department))
    if years is not None:
        queryset = queryset.filter(year__range=years)
    return queryset


def budget_by_year_and_area(institution, department=None, years=None) -> dict[int, dict[str, Decimal]]:
    """{year: {area: pagu}} for every year with a row, every area present (0 where none)."""
    result: dict[int, dict[str, Decimal]] = {}
    rows = _years(institution, department, years).values("year", "activity__program__area").annotate(
        total=Sum("budget"))
    for row in rows.order_by("year"):
        per_area = result.setdefault(row["year"], {area.value: ZERO for area in Area})
        per_area[row["activity__program__area"]] = row["total"] or ZERO
    return result


def budget_by_year_and_source(institution, department=None, years=None) -> dict[int, dict[str, Decimal]]:
    """{year: {budget source: pagu}} for every year with a row, every source present (0 where none)."""
    result: dict[int, dict[str, Decimal]] = {}
    rows = _years(institution, department, years).values("year", "source").annotate(total=Sum("budget"))
    for row in rows.order_by("year"):
        per_source = result.setdefault(row["year"], {source.value: ZERO for source in BudgetSource})
        per_source[row["source"]] = row["total"] or ZERO
    return result


def _aligned(queryset, *keys):
    covered = Least(Coalesce("rka", Value(ZERO), output_field=MONEY), "budget", output_field=MONEY)
    return queryset.values(*keys).annotate(
        budget_sum=Sum("budget"), rka_sum=Coalesce(Sum("rka"), Value(ZERO), output_field=MONEY),
        aligned=Sum(covered, output_field=MONEY),
    ).order_by(*keys)


def _share_of(row) -> dict:
    budget, aligned = row["budget_sum"] or ZERO, row["aligned"] or ZERO
    share = (Decimal(aligned) / Decimal(budget)).quantize(Decimal("0.0001")) if budget else None
    return {"budget": Decimal(budget), "rka": Decimal(row["rka_sum"]), "aligned": Decimal(aligned), "share": share}


def alignment_by_year(institution, department=None, years=None) -> dict[int, dict]:
    """{year: {"budget", "rka", "aligned", "share"}} (``share`` a Decimal 0..1 rounded to 4 places, or None)."""
    return {row["year"]: _share_of(row) for row in _aligned(_years(institution, department, years), "year")}


def alignment_by_department(institution, years=None) -> list[dict]:
    """The keterpaduan of each OPD leading kegiatan, over ``years``: [{"department": {"id", "abbreviation",
    "name"}, "budget", "rka", "aligned", "share"}] by OPD name."""
    keys = ("activity__department__name", "activity__department", "activity__department__abbreviation")
    return [{"department": {"id": row["activity__department"], "name": row["activity__department__name"],
                            "abbreviation": row["activity__department__abbreviation"]}, **_share_of(row)}
            for row in _aligned(_years(institution, None, years), *keys)]


def progress_by_year(institution, department=None, years=None) -> dict[int, dict]:
    """{year: {"planned": year rows, "done": rows marked done}}."""
    rows = _years(institution, department, years).values("year").annotate(
        planned=Count("pk"), done=Count("pk", filter=Q(done=True)))
    return {row["year"]: {"planned": row["planned"], "done": row["done"]} for row in rows.order_by("year")}


def gap_filter() -> Q:
    """The rows of an architecture kind that are gaps, as the gap catalog derives them (``GAP_Q``: to-be new, to-be
    upgrade, as-is to retire)."""
    from sia.architecture.gap_catalog import GAP_Q

    return reduce(operator.or_, GAP_Q.values())


def unlinked_gaps(institution, user=None, department=None) -> list:
    """The gap objects of the instansi (of one OPD, when given: a Department or its pk) no kegiatan closes, by kind
    and code. With ``user``: those the reader may see, read through the gap catalog (``unclosed_gaps``: two
    queries, whatever the number of kinds; the objects carry the catalog's columns: code, name, state, status,
    OPD). Without: every one, one query per architecture kind (the demo's and the tests' check)."""
    from sia.architecture.registry import domain_models

    if user is not None:
        objects = [gap.obj for gap in unclosed_gaps(user, institution, department)]
        return sorted(objects, key=lambda obj: (type(obj).spec.order, obj.code, obj.pk))
    found = []
    types = ContentType.objects.get_for_models(*domain_models())
    for model in domain_models():
        linked = ActivityGap.objects.filter(content_type=types[model], object_id=OuterRef("pk"))
        queryset = model._default_manager.filter(gap_filter(), institution=institution).exclude(Exists(linked))
        if department is not None:
            queryset = queryset.filter(department=getattr(department, "pk", department))
        found.extend(queryset.order_by("code"))
    return found


def activities_without_gap(institution, department=None, period=None):
    """The kegiatan (not cancelled) that close no gap, of one OPD and of one sasaran period when given."""
    queryset = (Activity.objects.filter(institution=institution)
                .exclude(progress=ActivityStatus.CANCELLED)
                .exclude(Exists(ActivityGap.objects.filter(activity=OuterRef("pk"))))
                .select_related("department").order_by("code"))
    if department is not None:
        queryset = queryset.filter(department=getattr(department, "pk", department))
    if period is not None:
        queryset = queryset.filter(program__initiative__target__period=period)
    return queryset


def done_with_open_years(institution, department=None, period=None) -> list:
    """The kegiatan marked selesai with a year row not marked done (``rules.open_years_when_done``), of one OPD and
    of one sasaran period when given, in code order, each with ``open_years`` (the years not done, ascending): one
    query (the open year rows with their kegiatan)."""
    rows = (ActivityYear.objects.filter(activity__institution=institution, activity__progress=ActivityStatus.DONE,
                                        done=False)
            .select_related("activity__department").order_by("activity__code", "year"))
    if department is not None:
        rows = rows.filter(activity__department=getattr(department, "pk", department))
    if period is not None:
        rows = rows.filter(activity__program__initiative__target__period=period)
    found: dict[int, Activity] = {}
    pairs: dict[int, list] = {}
    for row in rows:
        found.setdefault(row.activity_id, row.activity)
        pairs.setdefault(row.activity_id, []).append((row.year, row.done))
    for pk, activity in found.items():
        activity.open_years = rules.open_years_when_done(activity.progress, pairs[pk])
    return list(found.values())


def closed_gap_keys(gaps) -> set[tuple[int, int]]:
    """The (content type id, object id) of those of ``gaps`` (gap catalog ``Gap``s) some kegiatan closes (one
    query; none without gaps)."""
    if not gaps:
        return set()
    types = ContentType.objects.get_for_models(*{gap.model for gap in gaps})
    wanted = {}
    for gap in gaps:
        wanted.setdefault(types[gap.model].pk, []).append(gap.obj.pk)
    condition = reduce(operator.or_, (Q(content_type_id=ct, object_id__in=pks) for ct, pks in wanted.items()))
    return set(ActivityGap.objects.filter(condition).values_list("content_type_id", "object_id"))


def unclosed_gaps(user, institution, department=None) -> list:
    """The gaps of the gap catalog the user may see (of one OPD when given) that no kegiatan closes, in the
    catalog's order: two queries, whatever the number of kinds and gaps."""
    from sia.architecture.gap_catalog import gap_catalog

    gaps = gap_catalog(user, institution, department=department)
    closed = closed_gap_keys(gaps)
    types = ContentType.objects.get_for_models(*{gap.model for gap in gaps}) if gaps else {}
    return [gap for gap in gaps if (types[gap.model].pk, gap.obj.pk) not in closed]


def summary(institution, user=None, department=None, period=None) -> dict:
    """Every figure of the instansi's roadmap at once (the API's ``figures`` answer), of one OPD when given (the
    kegiatan it leads, the gaps of its objects) and of one sasaran period ("2025-2029": its years) when given."""
    years = period_years(period)
    return {
        "budget": budget_by_year_and_area(institution, department, years),
        "alignment": alignment_by_year(institution, department, years),
        "progress": progress_by_year(institution, department, years),
        "unlinked_gaps": unlinked_gaps(institution, user, department),
        "activities_without_gap": list(activities_without_gap(institution, department, period)),
    }


def late_count(institution, current_year: int, period: str | None, department=None, user=None) -> int:
    """How many kegiatan of ``period`` (of one OPD when given; of those ``user`` may see when given) are late by the
    timeline's rule (``sia.roadmap.timeline.is_late``): one query."""
    from sia.core import permissions

    from .timeline import FINISHED, late_filter

    queryset = (Activity.objects.filter(institution=institution, program__initiative__target__period=period)
                .exclude(progress__in=FINISHED).filter(Q(end_year__lt=current_year) | late_filter(current_year)))
    if department is not None:
        queryset = queryset.filter(department=getattr(department, "pk", department))
    if user is not None:
        queryset = permissions.visible(user, queryset)
    return queryset.count()

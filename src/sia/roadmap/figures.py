"""The figures of a Peta Rencana SPBE, as plain functions with a constant number of queries (one per figure; the
gap warnings one per architecture kind).

A cancelled kegiatan (``progress`` ``batal``) counts in none of them: it is no longer planned.

- ``budget_by_year_and_area``: the sum of the pagu of the kegiatan's years, per year and area of their program.
- ``alignment_by_year`` (keterpaduan rencana dan anggaran): per year, the roadmap's pagu, the RKA the OPDs entered,
  and the aligned amount: for each year row, the RKA counted up to its pagu (an RKA above the pagu does not cover
  another kegiatan's shortfall; a missing RKA counts as 0). The share is aligned / pagu (None when the pagu is 0).
- ``progress_by_year``: per year, the year rows planned and those marked done.
- ``unlinked_gaps``: the gaps of the instansi (to-be objects, as-is objects to retire) that no kegiatan closes.
- ``activities_without_gap``: the kegiatan that close no gap.
"""

from __future__ import annotations

import operator
from decimal import Decimal
from functools import reduce

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Least

from sia.core import permissions

from .choices import ActivityStatus, Area
from .models import Activity, ActivityGap, ActivityYear

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def _years(institution):
    return ActivityYear.objects.filter(activity__institution=institution).exclude(
        activity__progress=ActivityStatus.CANCELLED)


def budget_by_year_and_area(institution) -> dict[int, dict[str, Decimal]]:
    """{year: {area: pagu}} for every year with a row, every area present (0 where none)."""
    result: dict[int, dict[str, Decimal]] = {}
    rows = _years(institution).values("year", "activity__program__area").annotate(total=Sum("budget"))
    for row in rows.order_by("year"):
        per_area = result.setdefault(row["year"], {area.value: ZERO for area in Area})
        per_area[row["activity__program__area"]] = row["total"] or ZERO
    return result


def alignment_by_year(institution) -> dict[int, dict]:
    """{year: {"budget", "rka", "aligned", "share"}} (``share`` a Decimal 0..1 rounded to 4 places, or None)."""
    covered = Least(Coalesce("rka", Value(ZERO), output_field=MONEY), "budget", output_field=MONEY)
    rows = _years(institution).values("year").annotate(
        budget_sum=Sum("budget"), rka_sum=Coalesce(Sum("rka"), Value(ZERO), output_field=MONEY),
        aligned=Sum(covered, output_field=MONEY),
    ).order_by("year")
    result = {}
    for row in rows:
        budget, aligned = row["budget_sum"] or ZERO, row["aligned"] or ZERO
        share = (Decimal(aligned) / Decimal(budget)).quantize(Decimal("0.0001")) if budget else None
        result[row["year"]] = {"budget": Decimal(budget), "rka": Decimal(row["rka_sum"]), "aligned": Decimal(aligned),
                               "share": share}
    return result


def progress_by_year(institution) -> dict[int, dict]:
    """{year: {"planned": year rows, "done": rows marked done}}."""
    rows = _years(institution).values("year").annotate(planned=Count("pk"), done=Count("pk", filter=Q(done=True)))
    return {row["year"]: {"planned": row["planned"], "done": row["done"]} for row in rows.order_by("year")}


def gap_filter() -> Q:
    """The rows of an architecture kind that are gaps, as the gap catalog derives them (``GAP_Q``: to-be new, to-be
    upgrade, as-is to retire)."""
    from sia.architecture.gap_catalog import GAP_Q

    return reduce(operator.or_, GAP_Q.values())


def unlinked_gaps(institution, user=None) -> list:
    """The gap objects of the instansi no kegiatan closes (those ``user`` may see, when given), by kind and code."""
    from sia.architecture.registry import domain_models

    found = []
    types = ContentType.objects.get_for_models(*domain_models())
    for model in domain_models():
        linked = ActivityGap.objects.filter(content_type=types[model], object_id=OuterRef("pk"))
        queryset = model._default_manager.filter(gap_filter(), institution=institution).exclude(Exists(linked))
        if user is not None:
            queryset = permissions.visible(user, queryset)
        found.extend(queryset.order_by("code"))
    return found


def activities_without_gap(institution):
    return (Activity.objects.filter(institution=institution)
            .exclude(progress=ActivityStatus.CANCELLED)
            .exclude(Exists(ActivityGap.objects.filter(activity=OuterRef("pk"))))
            .select_related("department").order_by("code"))


def summary(institution, user=None) -> dict:
    """Every figure of the instansi's roadmap at once (the API's ``figures`` answer)."""
    return {
        "budget": budget_by_year_and_area(institution),
        "alignment": alignment_by_year(institution),
        "progress": progress_by_year(institution),
        "unlinked_gaps": unlinked_gaps(institution, user),
        "activities_without_gap": list(activities_without_gap(institution)),
    }

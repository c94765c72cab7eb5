"""What the Dokumen Arsitektur SPBE says, read as its requester sees the architecture: every query goes through
``sia.core.permissions`` for the requester, so a document never holds what its requester could not open.

Plain functions returning headers and rows of text (and PNG pictures): ``builder`` lays them out. With
``Scope.validated_only`` (the default) only validated objects, gaps and kegiatan are read; otherwise everything
the requester sees, with its review status in a column.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sia.architecture import completeness
from sia.architecture.choices import ReviewStatus
from sia.architecture.gap_catalog import GapKind, counts, gap_catalog
from sia.architecture.kindgroups import kind_label
from sia.architecture.models.base import ArchitectureObject
from sia.core import permissions
from sia.core.permissions import HIDDEN, LinkReader
from sia.organizations.models import Department

VALIDATED = ReviewStatus.VALIDATED.value


@dataclass
class Scope:
    """Whose view, of what: the requester, the instansi, one OPD or None, and whether only validated objects."""

    user: object
    institution: object
    department: object = None
    validated_only: bool = True
    period: str = ""
    reader: LinkReader = None
    references: dict = field(default_factory=dict)  # {node pk: (catalog, code, name)} of the objects written

    def __post_init__(self):
        self.reader = self.reader or LinkReader(self.user)

    def objects(self, model):
        """The objects of ``model`` the document holds, in OPD and code order."""
        queryset = permissions.visible(self.user, model.objects.filter(institution=self.institution))
        if self.department is not None:
            queryset = queryset.filter(department=self.department)
        if self.validated_only:
            queryset = queryset.filter(status=VALIDATED)
        return queryset

    def departments(self):
        queryset = permissions.visible(self.user, Department.objects.filter(institution=self.institution,
                                                                           is_active=True))
        if self.department is not None:
            queryset = queryset.filter(pk=self.department.pk)
        return queryset.order_by("name")


def money(value) -> str:
    return formats.number_format(Decimal(value or 0), 0, use_l10n=True, force_grouping=True)


UNVALIDATED = gettext_lazy("(belum divalidasi)")


def unvalidated(linked, validated_only: bool) -> bool:
    """Whether a linked object is one a validated-only document must not name (an architecture object not validated)."""
    return validated_only and isinstance(linked, ArchitectureObject) and linked.status != VALIDATED


def display(obj, name: str, reader: LinkReader, validated_only: bool = False) -> str:
    """The text of field ``name`` of ``obj`` in a table: a choice's label, a linked row's code (or "(tersembunyi)"
    when the reader may not see it, "(belum divalidasi)" when the document holds only validated objects and the linked
    one is not), a date, yes/no, or the value."""
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if model_field.is_relation:
        if not reader.shows(value):
            return str(HIDDEN)
        if unvalidated(value, validated_only):
            return str(UNVALIDATED)
        return getattr(value, "code", "") or str(value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    return str(value)


def key_fields(model) -> tuple[str, ...]:
    """The fields a kind's table shows besides the common ones: the extra list columns its declaration names."""
    return tuple(name for name in model.spec.list_columns if not model._meta.get_field(name).many_to_many)


def kind_table(scope: Scope, model) -> tuple[list[str], list[list[str]]]:
    """The table of one kind: number, ID, name, reference (code and name), OPD, state, its key fields, and the
    review status when the document holds more than the validated objects. Records the references used."""
    names = key_fields(model)
    related = ["department", "reference"] + [name for name in names if model._meta.get_field(name).is_relation]
    objects = list(scope.objects(model).select_related(*related).order_by("department__name", "code", "pk"))
    scope.reader.prime([getattr(obj, name) for obj in objects for name in names
                        if model._meta.get_field(name).is_relation])
    headers = ["No", _("ID"), _("Nama"), _("Referensi"), _("OPD"), _("Kondisi")]
    headers += [str(model._meta.get_field(name).verbose_name).capitalize() for name in names]
    if not scope.validated_only:
        headers.append(_("Status review"))
    rows = []
    for number, obj in enumerate(objects, start=1):
        reference = obj.reference
        if reference is not None:
            scope.references[reference.pk] = (model.spec.catalog, reference.code, reference.name)
        row = [str(number), obj.code, obj.name, f"{reference.code} {reference.name}" if reference else "",
               obj.department.abbreviation or obj.department.name, obj.get_state_display()]
        row += [display(obj, name, scope.reader, scope.validated_only) for name in names]
        if not scope.validated_only:
            row.append(obj.get_status_display())
        rows.append(row)
    return headers, rows


def gap_tables(scope: Scope):
    """The as-is / to-be gaps: a count per OPD and domain (new, upgrade, retirement), and the list per domain
    [(group, headers, rows)]."""
    gaps = gap_catalog(scope.user, scope.institution, department=scope.department)
    if scope.validated_only:
        gaps = [gap for gap in gaps if gap.obj.status == VALIDATED]
    summary_headers = [_("OPD"), _("Domain")] + [str(GapKind.LABELS[kind]) for kind in GapKind.ORDER] + [_("Jumlah")]
    summary = [[count.department.abbreviation or count.department.name, str(count.group.label),
                *[str(n) for n in count.cells()], str(count.total)] for count in counts(gaps)]
    per_group: dict = {}
    for gap in gaps:
        per_group.setdefault(gap.group.slug, (gap.group, []))[1].append(gap)
    headers = [_("Jenis"), _("Jenis objek"), _("ID"), _("Nama"), _("OPD"), _("Mengembangkan"), _("Tahun")]
    if not scope.validated_only:
        headers.append(_("Status review"))
    details = []
    for group, found in sorted(per_group.values(), key=lambda pair: (pair[0].order, pair[0].slug)):
        rows = []
        for gap in found:
            target = ""
            if gap.upgrades is not None and unvalidated(gap.upgrades, scope.validated_only):
                target = str(UNVALIDATED)
            elif gap.upgrades is not None:
                target = f"{gap.upgrades.code} {gap.upgrades.name}"
            elif gap.upgrades_hidden:
                target = str(HIDDEN)
            row = [str(gap.label), str(gap.kind_label), gap.obj.code, gap.obj.name,
                   gap.obj.department.abbreviation or gap.obj.department.name, target,
                   str(gap.year or "")]
            if not scope.validated_only:
                row.append(gap.obj.get_status_display())
            rows.append(row)
        details.append((group, headers, rows))
    return summary_headers, summary, details


def review_status_table(scope: Scope, models: list) -> tuple[list[str], list[list[str]]]:
    """Objects per OPD and review status, over every kind (one grouped query per kind)."""
    per_department: dict = defaultdict(lambda: dict.fromkeys(ReviewStatus.values, 0))
    for model in models:
        queryset = permissions.visible(scope.user, model.objects.filter(institution=scope.institution))
        if scope.department is not None:
            queryset = queryset.filter(department=scope.department)
        for row in queryset.values("department_id", "status").annotate(n=Count("pk")).order_by():
            per_department[row["department_id"]][row["status"]] += row["n"]
    headers = [_("OPD")] + [str(status.label) for status in ReviewStatus] + [_("Jumlah")]
    rows = []
    for department in scope.departments():
        found = per_department.get(department.pk)
        if not found:
            continue
        rows.append([department.abbreviation or department.name, *[str(found[s]) for s in ReviewStatus.values],
                     str(sum(found.values()))])
    return headers, rows


def completeness_table(scope: Scope) -> tuple[list[str], list[list[str]]]:
    """Per OPD and domain: the number of objects and the share of required fields filled (``completeness``)."""
    table = completeness.table_for(scope.user, scope.departments())
    headers = [_("OPD")] + [str(label) for label in table.labels]
    rows = []
    for department, cells in table.rows:
        rows.append([department.abbreviation or department.name] + [
            f"{cell.count} ({cell.percent} %)" if cell.percent is not None else str(cell.count) for cell in cells])
    return headers, rows


def reference_table(scope: Scope) -> tuple[list[str], list[list[str]]]:
    """The reference codes the objects written map to, by catalog and code."""
    rows = sorted(scope.references.values(), key=lambda row: (row[0], [int(p) if p.isdigit() else p
                                                                     for p in row[1].split(".")]))
    return [_("Referensi"), _("Kode"), _("Nama")], [list(row) for row in rows]


# --- Peta Rencana ------------------------------------------------------------------------------------------------

def roadmap(scope: Scope):
    """The Peta Rencana of the period: the timeline (area, kegiatan, a mark per year it runs) and the kegiatan
    per area with their pagu per year. None when the instansi has no roadmap in any period."""
    from sia.roadmap.choices import Area
    from sia.roadmap.models import ActivityYear
    from sia.roadmap.timeline import timeline

    found = timeline(scope.institution, period=scope.period or None, department=scope.department, user=scope.user)
    if not found.years:
        return None
    rows = [row for row in found.rows if not scope.validated_only or row.activity.status == VALIDATED]
    budgets = defaultdict(dict)
    for line in (ActivityYear.objects.filter(activity__in=[row.activity.pk for row in rows])
                 .values("activity_id", "year").annotate(total=Sum("budget")).order_by()):
        budgets[line["activity_id"]][line["year"]] = line["total"]
    years = found.years
    timeline_rows, timeline_emphasis, activity_rows, activity_emphasis = [], set(), [], set()
    labels = dict(Area.choices)
    for area in Area.values:
        in_area = [row for row in rows if row.activity.program.area == area]
        if not in_area:
            continue
        timeline_emphasis.add(len(timeline_rows))
        timeline_rows.append([str(labels[area])])
        activity_emphasis.add(len(activity_rows))
        activity_rows.append([str(labels[area])])
        for row in in_area:
            activity = row.activity
            marks = ["■" if activity.start_year <= year <= activity.end_year else "" for year in years]
            late = _("Terlambat") if row.late else ""
            timeline_rows.append([activity.code, activity.name, activity.department.abbreviation or
                                  activity.department.name, *marks, late])
            line = [activity.code, activity.name, activity.department.abbreviation or activity.department.name,
                    activity.program.code, *[money(budgets[activity.pk][year]) if year in budgets[activity.pk]
                                             else "" for year in years],
                    activity.get_progress_display()]
            if not scope.validated_only:
                line.append(activity.get_status_display())
            activity_rows.append(line)
    timeline_headers = [_("Kode"), _("Kegiatan"), _("OPD"), *[str(year) for year in years], _("Catatan")]
    activity_headers = [_("Kode"), _("Kegiatan"), _("OPD"), _("Program"),
                        *[_("Pagu %(year)s") % {"year": year} for year in years], _("Pelaksanaan")]
    if not scope.validated_only:
        activity_headers.append(_("Status review"))
    groups = [(str(labels[area]), [row for row in rows if row.activity.program.area == area]) for area in Area.values]
    return {"period": found.period, "years": years, "count": len(rows), "current_year": found.current_year,
            "groups": groups, "requested_period": scope.period,
            "timeline": (timeline_headers, timeline_rows, timeline_emphasis),
            "activities": (activity_headers, activity_rows, activity_emphasis)}


def kind_name(model) -> str:
    return str(kind_label(model))

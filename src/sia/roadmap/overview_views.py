"""The overview pages of a Peta Rencana SPBE, for the whole instansi or one OPD (``?opd=``) and one sasaran period
(``?periode=``):

- ``/peta-rencana/`` (ringkasan): per year the pagu, the keterpaduan rencana dan anggaran and the progress; the
  warnings (gaps no kegiatan closes, each with a link to add one; kegiatan that close no gap);
- ``/peta-rencana/linimasa/``: the timeline (``sia.roadmap.timeline``), years across and the seven areas down, with
  a projector mode (``?layar=proyektor``: large type, high contrast, no menu);
- ``/peta-rencana/anggaran/``: pagu per year and area and per budget source (charts and tables), keterpaduan per
  year and per OPD, progress per year;
- ``/peta-rencana/dasbor/``: the home page's numbers (loaded by ``panels.roadmap_panel``): this year's keterpaduan,
  the late kegiatan, the gaps no kegiatan closes; an OPD operator's of their OPD.

Every member of the instansi reads them (the roadmap's policies); another instansi is not found (404). The figures
come from ``sia.roadmap.figures`` and ``sia.roadmap.timeline``: a constant number of queries whatever the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _, gettext_lazy as _lazy

from sia.core import charts, permissions
from sia.core.roles import Role
from sia.organizations.models import Department, Institution

from . import figures
from .choices import Area, BudgetSource
from .gap_notes import activity_add_url, may_add_activity
from .models import StrategicTarget
from .rules import period_years
from .timeline import default_period, periods_of, timeline

PROJECTOR = "proyektor"


class OverviewFilterForm(forms.Form):
    """The pages' filters; a value naming nothing known is an error on its field (no figure is cut by it)."""

    instansi = forms.TypedChoiceField(label=_lazy("Instansi"), required=False, coerce=int, empty_value=None)
    opd = forms.TypedChoiceField(label=_lazy("OPD"), required=False, coerce=int, empty_value=None)
    periode = forms.ChoiceField(label=_lazy("Periode"), required=False)
    area = forms.MultipleChoiceField(label=_lazy("Area"), required=False, choices=Area.choices,
                                     widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, institutions, departments, periods, with_areas=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instansi"].choices = [(i.pk, i.name) for i in institutions]
        self.fields["opd"].choices = [("", _("Semua OPD (instansi)"))] + [(d.pk, d.name) for d in departments]
        self.fields["periode"].choices = [(p, p) for p in periods]
        if len(institutions) < 2:
            del self.fields["instansi"]
        if len(periods) < 2:
            del self.fields["periode"]
        if not with_areas:
            del self.fields["area"]


@dataclass
class Scope:
    """What a page shows: the instansi, the OPD (None: all), the period and its years, the filter form."""

    institution: Institution
    department: Department | None
    period: str | None
    years: tuple[int, int] | None
    form: OverviewFilterForm
    projector: bool
    areas: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.form.errors

    def query(self, **changes) -> str:
        """The page's query string with ``changes`` (None removes a parameter)."""
        params = {"instansi": self.institution.pk, "opd": self.department.pk if self.department else None,
                  "periode": self.period, "area": list(self.areas) or None,
                  "layar": PROJECTOR if self.projector else None}
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "", [])}, doseq=True)


def readable_institutions(user) -> list[Institution]:
    ids = permissions.institution_ids_for(user, permissions.VIEW, StrategicTarget)
    queryset = Institution.objects.filter(is_active=True).order_by("name")
    return list(queryset if ids is None else queryset.filter(pk__in=ids))


def scope_of(request, today=None, with_areas=False) -> Scope:
    """The instansi (``?instansi=``, default the first the user reads; one they do not read is a 404), the OPD
    (``?opd=``), the period (``?periode=``, default the one holding this year) and, ``with_areas``, the areas
    (``?area=<slug>``, several allowed; none: all seven) the request asks for."""
    institutions = readable_institutions(request.user)
    raw = request.GET.get("instansi")
    if raw not in (None, ""):
        institution = next((i for i in institutions if str(i.pk) == raw), None)
        if institution is None:
            raise Http404(_("Instansi tidak ditemukan atau tidak dapat Anda baca."))
    elif institutions:
        institution = institutions[0]
    else:
        raise Http404(_("Anda belum anggota instansi mana pun."))
    departments = list(permissions.visible(request.user, Department).filter(institution=institution).order_by("name"))
    periods = periods_of(institution)
    form = OverviewFilterForm(request.GET or None, institutions=institutions, departments=departments,
                              periods=periods, with_areas=with_areas)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = next((d for d in departments if d.pk == values.get("opd")), None)
    period = values.get("periode") or default_period(periods, (today or _today()).year)
    return Scope(institution, department, period, period_years(period), form,
                 request.GET.get("layar") == PROJECTOR, tuple(values.get("area") or ()))


def _today():
    from django.utils import timezone

    return timezone.localdate()


# --- figures as texts and charts ----------------------------------------------------------------------------------


def rupiah(value) -> str:
    """A sum of rupiah as Indonesians write it: "Rp 1.250.000" (whole rupiah)."""
    amount = int(Decimal(value or 0).quantize(Decimal("1")))
    return "Rp " + f"{amount:,}".replace(",", ".")


def percent(share) -> str:
    """A share (0..1, or None) as "80,0%" ("—" when there is no pagu)."""
    if share is None:
        return "—"
    return f"{Decimal(share) * 100:.1f}%".replace(".", ",")


def money_unit(values) -> tuple[Decimal, str]:
    """The unit a chart counts money in: juta rupiah when the largest sum reaches a million, else rupiah."""
    largest = max((Decimal(v) for v in values), default=Decimal(0))
    return (Decimal(1_000_000), _("juta rupiah")) if largest >= 1_000_000 else (Decimal(1), _("rupiah"))


def _in_unit(value, unit: Decimal) -> int:
    return int((Decimal(value) / unit).quantize(Decimal("1")))


SOURCE_SERIES = [charts.Series(source.label, f"rm-viz-source-{source.value}") for source in BudgetSource]
AREA_SERIES = [charts.Series(area.label, f"rm-viz-area-{area.value}") for area in Area]


def amount(value, unit: Decimal) -> str:
    """A sum in ``unit`` (1 or a million) with Indonesian separators: "1.320" or "1.320,5" (one decimal at most)."""
    scaled = (Decimal(value or 0) / unit).quantize(Decimal("0.1"))
    whole = int(scaled)
    text = f"{whole:,}".replace(",", ".")
    tenth = int((scaled - whole) * 10)
    return f"{text},{abs(tenth)}" if tenth else text


def budget_table(per_year: dict, keys: list[str]) -> dict:
    """A table of pagu: a row per year (a cell per key and the year's total), a last row of totals; in juta
    rupiah when the sums reach a million (``unit`` names it), so that seven areas fit a projected screen."""
    rows, totals = [], dict.fromkeys(keys, Decimal(0))
    unit, unit_label = money_unit(sum(per_key.values(), Decimal(0)) for per_key in per_year.values())
    for year, per_key in sorted(per_year.items()):
        cells = [per_key.get(key, Decimal(0)) for key in keys]
        for key, value in zip(keys, cells):
            totals[key] += value
        rows.append({"year": year, "cells": [amount(v, unit) for v in cells],
                     "total": amount(sum(cells, Decimal(0)), unit)})
    return {"rows": rows, "totals": [amount(totals[key], unit) for key in keys],
            "total": amount(sum(totals.values(), Decimal(0)), unit), "unit": unit_label}


def budget_charts(per_year: dict, series: list[charts.Series], keys: list[str], name: str, title: str,
                  label_header: str) -> charts.Chart | None:
    """A stacked bar per year (its pagu split by ``keys``), in the unit its sums call for."""
    if not per_year:
        return None
    unit, unit_label = money_unit(sum(per_key.values(), Decimal(0)) for per_key in per_year.values())
    rows = [(str(year), [_in_unit(per_key.get(key, 0), unit) for key in keys]) for year, per_key in
            sorted(per_year.items())]
    return charts.stacked_bar_chart(name, f"{title} ({unit_label})", series, rows, label_header=label_header,
                                    total_header=_("Jumlah (%(unit)s)") % {"unit": unit_label},
                                    text=lambda value: amount(value, Decimal(1)))


def total_chart(per_year: dict) -> charts.Chart | None:
    """The pagu of each year as one bar on a common scale."""
    if not per_year:
        return None
    items = [charts.Item(str(year), float(sum(per_key.values(), Decimal(0))), rupiah(sum(per_key.values(), Decimal(0))),
                         key=str(year)) for year, per_key in sorted(per_year.items())]
    return charts.bar_chart("pagu-per-tahun", _("Pagu per tahun"), items, value_header=_("Pagu"),
                            label_header=_("Tahun"))


def area_chart(per_year: dict) -> charts.Chart | None:
    """The pagu of each of the seven areas over the years shown, one bar each on a common scale (the table below
    splits it per year)."""
    if not per_year:
        return None
    items = []
    for area in Area:
        total = sum((per_area.get(area.value, Decimal(0)) for per_area in per_year.values()), Decimal(0))
        items.append(charts.Item(str(area.label), float(total), rupiah(total), css=f"rm-viz-area-{area.value}",
                                 key=area.value))
    return charts.bar_chart("pagu-per-area", _("Pagu per area (seluruh periode)"), items, value_header=_("Pagu"),
                            label_header=_("Area"))


def alignment_rows(per_year: dict) -> list[dict]:
    return [{"year": year, "budget": rupiah(row["budget"]), "rka": rupiah(row["rka"]),
             "aligned": rupiah(row["aligned"]), "share": percent(row["share"]), "value": row["share"]}
            for year, row in sorted(per_year.items())]


def alignment_chart(per_year: dict) -> charts.Chart | None:
    if not per_year:
        return None
    items = [charts.Item(str(year), float(row["share"] * 100) if row["share"] is not None else 0,
                         percent(row["share"]), key=str(year)) for year, row in sorted(per_year.items())]
    return charts.bar_chart("keterpaduan-per-tahun", _("Keterpaduan rencana dan anggaran per tahun"), items,
                            maximum=100, value_header=_("Bagian selaras"), label_header=_("Tahun"))


def progress_rows(per_year: dict) -> list[dict]:
    return [{"year": year, "planned": row["planned"], "done": row["done"],
             "share": percent(Decimal(row["done"]) / row["planned"] if row["planned"] else None)}
            for year, row in sorted(per_year.items())]


def progress_chart(per_year: dict) -> charts.Chart | None:
    if not per_year:
        return None
    series = [charts.Series(_("Selesai"), "rm-viz-done"), charts.Series(_("Belum selesai"), "rm-viz-open")]
    rows = [(str(year), [row["done"], row["planned"] - row["done"]]) for year, row in sorted(per_year.items())]
    return charts.stacked_bar_chart("progres-per-tahun", _("Progres: tahun kegiatan direncanakan dan selesai"),
                                    series, rows, label_header=_("Tahun"), total_header=_("Direncanakan"))


ALIGNMENT_RULE = _lazy(
    "Bagian selaras = jumlah RKA yang selaras ÷ jumlah pagu peta rencana. Untuk setiap kegiatan dan tahun, RKA "
    "dihitung paling banyak sebesar pagunya (RKA di atas pagu tidak menutup kekurangan kegiatan lain; RKA kosong "
    "dihitung 0). Kegiatan yang batal tidak dihitung.")


def _base(request, scope: Scope, page: str) -> dict:
    return {"scope": scope, "institution": scope.institution, "form": scope.form, "page": page,
            "projector_query": scope.query(layar=PROJECTOR), "normal_query": scope.query(layar=None),
            "filter_query": scope.query(layar=None)}


# --- pages --------------------------------------------------------------------------------------------------------


@login_required
def overview(request):
    """Ringkasan: per year pagu, keterpaduan and progress; the warnings."""
    scope = scope_of(request)
    context = _base(request, scope, "ringkasan")
    if scope.valid:
        department, years = scope.department, scope.years
        alignment = figures.alignment_by_year(scope.institution, department, years)
        progress = figures.progress_by_year(scope.institution, department, years)
        gaps = figures.unclosed_gaps(request.user, scope.institution, department)
        may_add = may_add_activity(request.user, scope.institution)
        for gap in gaps:
            gap.add_url = activity_add_url(gap.model, gap.obj.pk) if may_add else ""
        rows = []
        for year in sorted(set(alignment) | set(progress)):
            a, p = alignment.get(year), progress.get(year, {"planned": 0, "done": 0})
            rows.append({"year": year, "budget": rupiah(a["budget"] if a else 0), "rka": rupiah(a["rka"] if a else 0),
                         "aligned": rupiah(a["aligned"] if a else 0), "share": percent(a["share"] if a else None),
                         "planned": p["planned"], "done": p["done"]})
        context.update({
            "year_rows": rows, "alignment_rule": ALIGNMENT_RULE, "unclosed_gaps": gaps,
            "activities_without_gap": list(figures.activities_without_gap(scope.institution, department,
                                                                            scope.period)),
            "done_with_open_years": figures.done_with_open_years(scope.institution, department, scope.period),
            "progress_chart": progress_chart(progress),
        })
    return render(request, "roadmap/overview.html", context, status=200 if scope.valid else 400)


@login_required
def timeline_view(request):
    """The timeline (linimasa), optionally in projector mode and of some areas only (``?area=``); a filter naming
    nothing known answers 400 with the error on its field."""
    scope = scope_of(request, with_areas=True)
    context = _base(request, scope, "linimasa")
    if scope.valid:
        context["timeline"] = timeline(scope.institution, period=scope.period, department=scope.department,
                                       user=request.user, areas=scope.areas)
    return render(request, "roadmap/timeline.html", context, status=200 if scope.valid else 400)


@login_required
def budget_view(request):
    """Anggaran: pagu per year and area and per source, keterpaduan per year and OPD, progress per year."""
    scope = scope_of(request)
    context = _base(request, scope, "anggaran")
    if scope.valid:
        department, years = scope.department, scope.years
        by_area = figures.budget_by_year_and_area(scope.institution, department, years)
        by_source = figures.budget_by_year_and_source(scope.institution, department, years)
        alignment = figures.alignment_by_year(scope.institution, department, years)
        progress = figures.progress_by_year(scope.institution, department, years)
        per_department = [] if department else [
            {**row, "budget": rupiah(row["budget"]), "rka": rupiah(row["rka"]), "aligned": rupiah(row["aligned"]),
             "share": percent(row["share"])} for row in figures.alignment_by_department(scope.institution, years)]
        areas, sources = [a.value for a in Area], [s.value for s in BudgetSource]
        context.update({
            "areas": [a.label for a in Area], "sources": [s.label for s in BudgetSource],
            "area_table": budget_table(by_area, areas), "source_table": budget_table(by_source, sources),
            "total_chart": total_chart(by_area),
            "year_area_chart": budget_charts(by_area, AREA_SERIES, areas, "pagu-per-tahun-area",
                                             _("Pagu per tahun dan area"), _("Tahun")),
            "area_chart": area_chart(by_area),
            "source_chart": budget_charts(by_source, SOURCE_SERIES, sources, "pagu-per-sumber",
                                          _("Pagu per tahun dan sumber anggaran"), _("Tahun")),
            "alignment_rows": alignment_rows(alignment), "alignment_chart": alignment_chart(alignment),
            "alignment_rule": ALIGNMENT_RULE, "per_department": per_department,
            "progress_rows": progress_rows(progress), "progress_chart": progress_chart(progress),
        })
    return render(request, "roadmap/budget.html", context, status=200 if scope.valid else 400)


def own_department(request, scope: Scope):
    """The OPD whose numbers the home page shows: the one ``?opd=`` names; else, for a member who is only an OPD
    operator in the instansi (of one OPD), their OPD; else None (the whole instansi)."""
    if scope.department is not None or request.GET.get("opd"):
        return scope.department
    here = [g for g in permissions.grants(request.user) if g.institution_id == scope.institution.pk]
    departments = {g.department_id for g in here}
    if here and all(g.role == Role.OPERATOR for g in here) and len(departments) == 1 and None not in departments:
        return Department.objects.filter(pk=departments.pop(), institution=scope.institution).first()
    return None


@login_required
def dashboard(request):
    """The roadmap's numbers on the home page: this year's keterpaduan share, the late kegiatan of the period, the
    gaps no kegiatan closes (those the reader sees), each linking to its page; of one OPD for its operator. A
    constant number of queries."""
    scope = scope_of(request)
    context = {"scope": scope, "institution": scope.institution}
    if scope.valid and scope.period:
        department = own_department(request, scope)
        year = _today().year
        alignment = figures.alignment_by_year(scope.institution, department, (year, year)).get(year)
        query = scope.query(opd=department.pk if department else None, layar=None)
        context.update({
            "department": department, "year": year,
            "share": percent(alignment["share"] if alignment else None),
            "late": figures.late_count(scope.institution, year, scope.period, department, request.user),
            "unclosed": len(figures.unclosed_gaps(request.user, scope.institution, department)),
            "budget_url": f"{reverse('roadmap:budget')}?{query}", "timeline_url": f"{reverse('roadmap:timeline')}?{query}",
            "overview_url": f"{reverse('roadmap:overview')}?{query}",
        })
    return render(request, "roadmap/_dashboard_numbers.html", context)

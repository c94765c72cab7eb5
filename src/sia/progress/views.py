"""Target pages: list, detail (state and per-OPD breakdown computed from the data, the burn-up of its domain with
its target line, or the index trend for an index target), create, edit, delete, history."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sia.core.tables import Column
from sia.core.views import generic

from . import burnup, filtersets, forms
from .access import readable_departments, sees_whole
from .indexes import index_chart, index_state, index_years
from .models import Target
from .rules import evaluate


class TargetListView(generic.ObjectListView):
    model = Target
    queryset = Target.objects.select_related("institution", "department")
    filterset_class = filtersets.TargetFilterSet
    filter_fields = ("q", "institution", "department")
    columns = [Column("name", link=True), Column("department.abbreviation", _l("OPD")),
               Column("get_rule_display", _l("Aturan")), Column("get_domain_display", _l("Domain")),
               Column("deadline"), Column("institution.name", _l("Instansi"))]


def target_context(user, target, today=None) -> dict:
    """What a target's page shows: its state from the data, per OPD the reader may see; the burn-up of its domain
    (the OPD's or the instansi's) with its line; for an index target the index per year and its band."""
    today = today or timezone.localdate()
    spec = target.rule_spec
    if spec is not None and spec.index:
        years = index_years(user, target.institution_id, target.framework_id)
        return {"index": index_state(target, years, today), "index_years": years,
                "index_chart": index_chart(target, years)}
    departments = readable_departments(user, target.institution_id)
    result = evaluate(target, departments, today)
    whole = target.department_id is None and sees_whole(user, target.institution_id)
    department_id = target.department_id if target.department_id else (
        None if whole else (departments[0].pk if len(departments) == 1 else -1))
    start = min(target.start_date, today - timedelta(days=burnup.HISTORY_DAYS))
    points = burnup.series(target.institution_id, department_id, target.domain, start, today) \
        if department_id != -1 else []
    department = next((d for d in departments if d.pk == department_id), None)
    marks = burnup.chart_marks(target.institution, department, start, max(today, target.deadline))
    goal = points[-1].count if points else None
    chart = burnup.burnup(f"target-{target.pk}", _("Kemajuan %(domain)s: %(name)s") % {
        "domain": target.get_domain_display(), "name": department or target.institution}, points, marks=marks,
        target=target, target_value=goal, until=max(today, target.deadline))
    return {"result": result, "burnup": chart, "burnup_department": department}


class TargetView(generic.ObjectView):
    model = Target
    queryset = Target.objects.select_related("institution", "department")
    template_name = "progress/target.html"

    def extra_context(self, request, obj):
        return target_context(request.user, obj)


class TargetHistoryView(generic.ObjectHistoryView):
    model = Target


class TargetEditView(generic.ObjectEditView):
    model = Target
    form_class = forms.TargetForm


class TargetDeleteView(generic.ObjectDeleteView):
    model = Target

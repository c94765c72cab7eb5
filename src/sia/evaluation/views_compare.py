"""Assessments of the instansi side by side: year over year within an instrument, and across instruments
(each index on its own scale and predicate bands, bridged by the carry-over mapping: ``compare``)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View

from sia.core import permissions

from . import compare, services
from .choices import Stage
from .frameworks import spec_for
from .models import (
    Assessment,
)
from .group_rows import group_rows, level_values, levels_header, levels_title
from .scoring import display
from .views import AssessmentMixin

class CompareView(LoginRequiredMixin, AssessmentMixin, View):
    """Year over year: the instansi's assessments side by side (the latest stage with levels of each)."""

    template_name = "evaluation/compare.html"

    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        spec = spec_for(assessment.framework)
        years = services.attach_levels(list(
            permissions.visible(request.user, Assessment.objects.filter(institution=assessment.institution))
            .select_related("framework", "institution")
            .prefetch_related("locks")
            .order_by("year")
        ))
        columns = services.year_over_year(years)
        comparable = [c for c in columns if c.assessment.framework_id == assessment.framework_id]
        # the detail tables set the comparable years side by side at one stage: the latest all of them have
        stage = services.latest_common_stage(*(list(c.stages.values()) for c in comparable)) or Stage.SELF
        results = [c.stages[stage.value].result for c in comparable]
        value_rows = []
        by_level = [level_values(spec, result) for result in results]
        for row in group_rows(spec, results[-1]):
            values = [display(values[row["kind"]][row["number"]]) for values in by_level]
            value_rows.append({**row, "values": values, "change": values[-1] - values[0] if len(values) > 1 else None})
        indicator_rows = []
        for indicator in spec.indicators:
            levels = [c.levels.get(stage.value, {}).get(indicator.number) for c in comparable]
            known = [lv for lv in levels if lv is not None]
            indicator_rows.append({
                "spec": indicator, "levels": levels,
                "change": known[-1] - known[0] if len(known) > 1 else None,
            })
        return render(request, self.template_name, {
            "assessment": assessment, "columns": columns, "comparable": comparable, "compared_stage": stage,
            "value_rows": value_rows, "indicator_rows": indicator_rows, "spec": spec,
            "levels_title": levels_title(spec), "levels_header": levels_header(spec),
            **self.cross_context(request, assessment, columns),
        })

    def cross_context(self, request, assessment, columns) -> dict:
        """The assessment beside one of another instrument (``?dengan=<id>``, default ``compare.partner``)."""
        current = next(c for c in columns if c.assessment.pk == assessment.pk)
        others = [c for c in columns if c.assessment.framework_id != assessment.framework_id]
        chosen = request.GET.get("dengan", "")
        other = next((c for c in others if str(c.assessment.pk) == chosen), None) or compare.partner(columns, current)
        if other is None:
            return {"cross": None, "cross_choices": []}
        return {"cross": compare.cross_comparison(current, other), "cross_choices": others, "cross_other": other}

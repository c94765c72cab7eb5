"""The planner page: the cheapest way to a target index."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views import View


from . import forms, services
from .frameworks import spec_for
from .planner import PlanError, plan_for
from .scoring import display_index, next_band_floor, predicate_for
from .templatetags.evaluation_tags import exact

from .views import AssessmentMixin, localized_index

class PlannerView(LoginRequiredMixin, AssessmentMixin, View):
    """The cheapest level increases from the current stage's levels to a target index."""

    template_name = "evaluation/planner.html"

    def get(self, request, pk):
        return self.respond(request, pk, None)

    def post(self, request, pk):
        return self.respond(request, pk, request.POST)

    def respond(self, request, pk, data):
        assessment = self.get_assessment(request, pk)
        spec = spec_for(assessment.framework)
        summary = services.latest_result_summary(assessment)
        levels = dict(services.stage_levels(assessment, summary.stage))
        for number in (n for n in spec.indicator_map if n not in levels):
            levels[number] = 1
        floor = next_band_floor(summary.result.index, spec.bands)
        default_target = floor if floor is not None else summary.result.index
        form = forms.PlannerForm(data, levels=levels, initial={"target": default_target.normalize()})
        plan, error, status = None, None, 200
        if data is None:
            plan = plan_for(levels, spec, default_target)
        elif form.is_valid():
            try:
                plan = plan_for(levels, spec, form.cleaned_data["target"], form.efforts(), max_step=form.max_step())
            except PlanError as problem:
                error, status = str(problem), 400
        else:
            status = 400
        names = {i.number: i.name for i in spec.indicators}
        bands = spec.bands
        steps = [
            {"step": step, "name": names[step.indicator], "predicate": predicate_for(step.index_after, bands),
             "index_after": display_index(step.index_after, bands)}
            for step in (plan.steps if plan else ())
        ]
        # the htmx answer replaces #plan only, so every error is spelled out there with the field it belongs to
        form_errors = [
            f"{form.fields[name].label}: {message}" if name in form.fields else message
            for name, messages_ in form.errors.items() for message in messages_
        ]
        context = {
            "assessment": assessment,
            "summary": summary,
            "spec": spec,
            "form": form,
            "rows": list(form.rows(names)),
            "plan": plan,
            "error": error,
            "names": names,
            "steps": steps,
            "best": [{"single": s, "name": names[s.indicator]} for s in (plan.best_single_steps if plan else ())],
            "final_predicate": predicate_for(plan.final_index, bands) if plan else "",
            "final_index": display_index(plan.final_index, bands) if plan else None,
            "target": display_index(plan.target, bands) if plan else None,
            # one convention on the page: every index as the cards show it, efforts as typed (localized)
            "plan_message": plan.describe(
                index=lambda value: localized_index(value, bands), effort=lambda value: exact(value)
            ) if plan else "",
            "form_errors": form_errors,
            "missing": summary.result.missing,
        }
        template = "evaluation/_plan.html" if request.htmx else self.template_name
        return render(request, template, context, status=status)

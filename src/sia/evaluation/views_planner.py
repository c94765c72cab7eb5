"""The planner page: the cheapest way to a target index, for both instruments (``planner``, ``planner_page``)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View

from sia.core import permissions

from . import services
from .frameworks import spec_for
from .models import IndicatorScore
from .planner import PlanError, plan_for
from .planner_page import PlannerPageForm, redraw_efforts, saved_preset
from .planner_presets import preset_from_dict, preset_to_dict
from .scoring import display, display_index, next_band_floor, predicate_for
from .templatetags.evaluation_tags import exact
from .views import AssessmentMixin, localized_index


def may_save_preset(user, assessment) -> bool:
    """Who plans the evaluation may keep a preset with it: the admin instansi and those who set its levels."""
    probe = IndicatorScore(assessment=assessment, stage=assessment.current_stage)
    return permissions.can(user, permissions.CHANGE, assessment) or permissions.can(user, permissions.ADD, probe)


class PlannerView(LoginRequiredMixin, AssessmentMixin, View):
    """The cheapest increases from the latest stage's levels or values to a target index (+ margin)."""

    template_name = "evaluation/planner.html"

    def get(self, request, pk):
        return self.respond(request, pk, None)

    def post(self, request, pk):
        return self.respond(request, pk, request.POST)

    def respond(self, request, pk, data):
        assessment = self.get_assessment(request, pk)
        spec = spec_for(assessment.framework)
        summary = services.latest_result_summary(assessment)
        values = dict(services.stage_levels(assessment, summary.stage))
        for number in (n for n in spec.indicator_map if n not in values):
            values[number] = 1
        levels = {n: spec.level_of(v) if spec.continuous else int(v) for n, v in values.items()}
        numbers = [i.number for i in spec.indicators]
        external = [i.number for i in spec.indicators if i.value_source == "external"]
        preset, preset_problem = saved_preset(assessment, numbers)
        floor = next_band_floor(summary.result.index, spec.bands)
        default_target = floor if floor is not None else summary.result.index
        options = dict(levels=levels, numbers=numbers, external=external, preset=preset,
                       initial={"target": default_target.normalize()})
        form = PlannerPageForm(data, **options)
        plan, error, status, notice = None, preset_problem or None, 200, ""
        if data is None:
            plan = plan_for(values, spec, default_target, preset=preset)
        elif form.is_valid():
            try:
                chosen = preset_from_dict(form.preset_dict(), numbers)
                redrawn = redraw_efforts(data, chosen, levels, external)
                if redrawn is not data:
                    form = PlannerPageForm(redrawn, **options)
                    form.is_valid()
                efforts = form.efforts() if any(key.startswith("e_") for key in redrawn) else None
                plan = plan_for(values, spec, form.cleaned_data["target"], efforts, preset=chosen,
                                max_step=form.max_step())
                if form.cleaned_data.get("save_preset"):
                    if not may_save_preset(request.user, assessment):
                        error, status = _("Anda tidak berhak menyimpan preset perencana penilaian ini."), 403
                    else:
                        assessment.planner_preset = preset_to_dict(chosen)
                        assessment.save(update_fields=["planner_preset", "updated"])
                        notice = _("Preset disimpan dengan penilaian.")
            except PlanError as problem:
                error, status = str(problem), 400
        else:
            status = 400
        return render(request, self.template_name if not request.htmx else "evaluation/_plan.html",
                      self.context(request, assessment, spec, summary, form, plan, error, notice, values),
                      status=status)

    def context(self, request, assessment, spec, summary, form, plan, error, notice, values):
        names = {i.number: i.name for i in spec.indicators}
        bands = spec.bands
        places = spec.value_places if spec.continuous else 0

        def shown(value):
            return number_format(display(value, places), places, use_l10n=True) if places and value is not None else value

        steps = [
            {"step": step, "name": names[step.indicator], "predicate": predicate_for(step.index_after, bands),
             "index_after": display_index(step.index_after, bands),
             "from_value": shown(step.from_value), "to_value": shown(step.to_value)}
            for step in (plan.steps if plan else ())
        ]
        # the htmx answer replaces #plan only, so every error is spelled out there with the field it belongs to
        form_errors = [
            f"{form.fields[name].label}: {message}" if name in form.fields else message
            for name, messages_ in form.errors.items() for message in messages_
        ]
        index = lambda value: localized_index(value, bands)  # noqa: E731 - one convention for every index figure
        return {
            "assessment": assessment, "summary": summary, "spec": spec, "form": form,
            "rows": list(form.rows(names, {n: shown(v) for n, v in values.items()} if places else None)),
            "plan": plan, "error": error, "notice": notice, "names": names, "steps": steps,
            "best": [{"single": s, "name": names[s.indicator], "from_value": shown(s.from_value),
                      "to_value": shown(s.to_value)} for s in (plan.best_single_steps if plan else ())],
            "final_predicate": predicate_for(plan.final_index, bands) if plan else "",
            "final_index": display_index(plan.final_index, bands) if plan else None,
            "target": display_index(plan.target, bands) if plan else None,
            "plan_message": plan.describe(index=index, effort=lambda value: exact(value)) if plan else "",
            "explanation": plan.explanation(index=index) if plan else (),
            "form_errors": form_errors,
            "missing": summary.result.missing,
            "continuous": spec.continuous,
            "may_save": may_save_preset(request.user, assessment),
            "saved": bool(assessment.planner_preset),
            "index_name": spec.term("index"),
        }

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View

from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic

from . import exports, facts, filtersets, forms, services
from .charts import bar_chart
from .choices import Stage
from .frameworks import spec_for
from .models import (
    Assessment,
    AssessmentTeamMember,
    CapabilityLevel,
    Evidence,
    FrameworkVersion,
    Indicator,
    IndicatorScore,
)
from .planner import PlanError, plan_for
from .policies import LOCK
from .scoring import display, display_index, display_places, next_band_floor, predicate_for
from .templatetags.evaluation_tags import exact
from .uploads import attach_file, attach_url, download_response

# --- frameworks ---------------------------------------------------------------------------------


class FrameworkListView(generic.ObjectListView):
    model = FrameworkVersion
    queryset = FrameworkVersion.objects.annotate(indicator_count=Count("indicators"))
    filterset_class = filtersets.FrameworkVersionFilterSet
    columns = [
        Column("name", link=True), Column("code"), Column("first_year"),
        Column("indicator_count", _l("Indikator")), Column("is_active"),
    ]


class FrameworkView(generic.ObjectView):
    model = FrameworkVersion
    template_name = "evaluation/framework.html"

    def extra_context(self, request, obj):
        domains = list(obj.domains.order_by("number"))
        aspects = list(obj.aspects.order_by("number"))
        indicators = list(obj.indicators.order_by("number"))
        tree = [
            {
                "domain": d,
                "aspects": [
                    {"aspect": a, "indicators": [i for i in indicators if i.aspect_id == a.pk]}
                    for a in aspects if a.domain_id == d.pk
                ],
            }
            for d in domains
        ]
        scales = {}
        for level in obj.capability_levels.order_by("scale", "level"):
            scales.setdefault(level.scale, []).append(level)
        return {"tree": tree, "bands": obj.bands.order_by("order"), "scales": scales}


# --- assessments --------------------------------------------------------------------------------


def _summary(row):
    if not hasattr(row, "_evaluation_summary"):
        row._evaluation_summary = services.current_summary(row)
    return row._evaluation_summary


class AssessmentListView(generic.ObjectListView):
    model = Assessment
    queryset = Assessment.objects.select_related("institution", "framework").prefetch_related(
        "locks", services.scores_prefetch()
    )
    filterset_class = filtersets.AssessmentFilterSet
    filter_fields = ("q", "institution", "year", "framework", "current_stage")  # codes in the URL, not IDs
    columns = [
        Column("year", link=True), Column("institution.name", _l("Instansi")), Column("framework.name", _l("Kerangka")),
        Column("current_stage"),
        Column("index", _l("Indeks"), render=lambda row: _summary(row).result.index_display),
        Column("predicate", _l("Predikat"), render=lambda row: _summary(row).result.predicate),
        Column("filled", _l("Terisi"), render=lambda row: f"{_summary(row).filled}/{_summary(row).total}"),
    ]


class AssessmentEditView(generic.ObjectEditView):
    model = Assessment
    form_class = forms.AssessmentForm


class AssessmentDeleteView(generic.ObjectDeleteView):
    model = Assessment


class AssessmentHistoryView(generic.ObjectHistoryView):
    model = Assessment
    queryset = Assessment.objects.select_related("institution")


class AssessmentMixin:
    """Loads the assessment the user may see (404 otherwise) with its locks."""

    def get_assessment(self, request, pk) -> Assessment:
        queryset = Assessment.objects.select_related("institution", "framework").prefetch_related("locks")
        return get_object_or_404(permissions.visible(request.user, queryset), pk=pk)


class AssessmentView(generic.ObjectView):
    model = Assessment
    queryset = Assessment.objects.select_related("institution", "framework").prefetch_related("locks")
    template_name = "evaluation/assessment.html"

    def extra_context(self, request, obj):
        spec = spec_for(obj.framework)
        by_stage = services.levels_by_stage(obj)
        rows = services.summaries(obj, by_stage)
        chosen = request.GET.get("tahap") or rows[-1].stage.value
        selected = next((r for r in rows if r.stage.value == chosen), rows[-1])
        evidence_counts = dict(
            obj.evidence.values_list("indicator__number").annotate(n=Count("pk")).values_list("indicator__number", "n")
        )
        stages = obj.started_stages()
        indicators = [
            {
                "spec": indicator,
                "levels": [by_stage.get(s.value, {}).get(indicator.number) for s in stages],
                "evidence": evidence_counts.get(indicator.number, 0),
                "url": reverse("evaluation:assessment_indicator", args=[obj.pk, indicator.number]),
            }
            for indicator in spec.indicators
        ]
        user = request.user
        can_lock = permissions.can(user, LOCK, obj)
        is_admin = permissions.can(user, permissions.CHANGE, obj)
        current = rows[-1]
        return {
            "spec": spec,
            "summaries": rows,
            "selected": selected,
            "chart": bar_chart(selected.result, spec),
            "domain_rows": _value_rows(spec, selected.result),
            "indicators": indicators,
            "stages": stages,
            "current": current,
            "with_evidence": sum(1 for i in indicators if i["evidence"]),
            "team": obj.team.select_related("user").order_by("role", "user__username"),
            "team_form": forms.TeamMemberForm(assessment=obj) if is_admin else None,
            "can_manage_team": is_admin,
            "can_lock": can_lock and obj.is_open() and not current.provisional,
            "can_advance": can_lock and obj.next_stage() is not None and not current.provisional,
            "next_stage": obj.next_stage(),
            "is_open": obj.is_open(),
            "next_floor": next_band_floor(current.result.index, spec.bands),
        }


def localized(value, places: int = 2) -> str:
    """A figure as the page shows it (decimal comma in Indonesian), rounded half up to ``places``."""
    return number_format(display(value, places), places)


def localized_index(value, bands, places: int = 2) -> str:
    """An index as the page shows it: ``places`` decimals, more where rounding would cross a predicate band."""
    return localized(value, display_places(value, bands, places))


def _value_rows(spec, result):
    rows = []
    for domain in spec.domains:
        rows.append({"kind": "domain", "number": domain.number, "name": domain.name, "weight": domain.weight,
                     "value": display(result.domains[domain.number]), "exact": result.domains[domain.number]})
        for aspect in spec.aspects:
            if aspect.domain == domain.number:
                rows.append({"kind": "aspect", "number": aspect.number, "name": aspect.name, "weight": aspect.weight,
                             "value": display(result.aspects[aspect.number]), "exact": result.aspects[aspect.number]})
    return rows


class StageActionView(LoginRequiredMixin, AssessmentMixin, View):
    """POST: lock the current stage, or lock it and start the next one (admin or penanggung jawab)."""

    advance = False

    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        if not permissions.can(request.user, LOCK, assessment):
            raise PermissionDenied
        try:
            with transaction.atomic():
                if self.advance:
                    stage = services.advance_stage(assessment, user=request.user)
                    messages.success(request, _("Tahap %(stage)s dimulai dari tingkat tahap sebelumnya.") % {"stage": stage.label})
                else:
                    lock = services.lock_stage(assessment, user=request.user)
                    messages.success(
                        request,
                        _("Tahap %(stage)s dikunci: indeks %(index)s (%(predicate)s).")
                        % {"stage": lock.get_stage_display(), "predicate": lock.predicate,
                           "index": localized_index(lock.index, spec_for(assessment.framework).bands)},
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(assessment.get_absolute_url())


class TeamMemberAddView(LoginRequiredMixin, AssessmentMixin, View):
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        if not permissions.can(request.user, permissions.CHANGE, assessment):
            raise PermissionDenied
        form = forms.TeamMemberForm(request.POST, assessment=assessment)
        if form.is_valid():
            member = form.save()
            messages.success(request, _("%(user)s ditambahkan ke tim.") % {"user": member.user})
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(assessment.get_absolute_url() + "#tim")


class TeamMemberDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        member = get_object_or_404(
            permissions.visible(request.user, AssessmentTeamMember.objects.select_related("assessment", "user")), pk=pk
        )
        if not permissions.can(request.user, permissions.DELETE, member):
            raise PermissionDenied
        member.delete()
        messages.success(request, _("%(user)s dikeluarkan dari tim.") % {"user": member.user})
        return redirect(member.assessment.get_absolute_url() + "#tim")


# --- one indicator ------------------------------------------------------------------------------


class IndicatorView(LoginRequiredMixin, AssessmentMixin, View):
    """Criteria side by side, the level of the current stage with its explanation, evidence, stage history."""

    template_name = "evaluation/indicator.html"
    panel_template = "evaluation/_score_panel.html"

    def load(self, request, pk, number):
        assessment = self.get_assessment(request, pk)
        indicator = get_object_or_404(
            Indicator.objects.select_related("aspect__domain"), framework=assessment.framework, number=number
        )
        return assessment, indicator

    def current_score(self, assessment, indicator):
        return IndicatorScore.objects.filter(
            assessment=assessment, indicator=indicator, stage=assessment.current_stage
        ).first()

    def may_set_levels(self, request, assessment, indicator) -> bool:
        """The user's right to set levels here, whether or not the stage is open."""
        probe = IndicatorScore(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
        return permissions.can(request.user, permissions.ADD, probe)

    def may_score(self, request, assessment, indicator) -> bool:
        return assessment.is_open() and self.may_set_levels(request, assessment, indicator)

    def panel_context(self, request, assessment, indicator, form=None, change=None):
        score = self.current_score(assessment, indicator)
        names = dict(
            CapabilityLevel.objects.filter(framework=assessment.framework, scale=indicator.scale).values_list("level", "name")
        )
        may_score = self.may_score(request, assessment, indicator)
        if form is None and may_score:
            form = forms.ScoreForm(instance=score, level_names=names)
        history = list(
            IndicatorScore.objects.filter(assessment=assessment, indicator=indicator).select_related("assessed_by")
        )
        order = {s.value: i for i, s in enumerate(assessment.stages())}
        history.sort(key=lambda s: order.get(s.stage, 99))
        summary = services.current_summary(assessment)
        return {
            "assessment": assessment,
            "indicator": indicator,
            "criteria": [
                {"level": level, "text": text, "name": names.get(level, ""), "chosen": score is not None and score.level == level}
                for level, text in indicator.criteria()
            ],
            "score": score,
            "form": form,
            "may_score": may_score,
            "history": history,
            "summary": summary,
            "change": change,
            "panel_url": request.path,
        }

    def get(self, request, pk, number):
        assessment, indicator = self.load(request, pk, number)
        return render(request, self.template_name, self.page_context(request, assessment, indicator))

    def page_context(self, request, assessment, indicator, form=None, change=None, evidence_form=None):
        context = self.panel_context(request, assessment, indicator, form, change)
        numbers = list(assessment.framework.indicators.order_by("number").values_list("number", flat=True))
        position = numbers.index(indicator.number)
        probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
        may_attach = assessment.is_open() and permissions.can(request.user, permissions.ADD, probe)
        evidence = list(
            permissions.visible(request.user, Evidence.objects.filter(assessment=assessment, indicator=indicator))
            .select_related("blob", "added_by")
        )
        locked = assessment.locked_stages()
        for item in evidence:
            item.may_delete = item.stage not in locked and permissions.can(request.user, permissions.DELETE, item)
        context.update(
            previous=numbers[position - 1] if position > 0 else None,
            next=numbers[position + 1] if position + 1 < len(numbers) else None,
            evidence=evidence,
            evidence_form=(evidence_form or forms.EvidenceForm()) if may_attach else None,
            evidence_url=reverse("evaluation:evidence_add", args=[assessment.pk, indicator.number]),
            max_upload_mb=_max_upload_mb(),
        )
        context.update(_facts_context(request, assessment, indicator, may_attach))
        return context

    def post(self, request, pk, number):
        assessment, indicator = self.load(request, pk, number)
        if not self.may_set_levels(request, assessment, indicator):
            raise PermissionDenied
        if not assessment.is_open():
            notice = _("Tahap ini sudah dikunci; tingkat hanya dapat dibaca.")
            if request.htmx:
                # htmx swaps the answer into #score-panel: the read-only panel, not a redirect to the whole page
                context = self.panel_context(request, assessment, indicator) | {"notice": notice}
                return render(request, self.panel_template, context, status=409)
            messages.error(request, notice)
            return redirect(request.path)
        names = dict(
            CapabilityLevel.objects.filter(framework=assessment.framework, scale=indicator.scale).values_list("level", "name")
        )
        score = self.current_score(assessment, indicator)
        form = forms.ScoreForm(request.POST, instance=score, level_names=names)
        change = None
        if form.is_valid():
            bands = spec_for(assessment.framework).bands
            before = services.current_summary(assessment).result.index
            try:
                with transaction.atomic():
                    services.set_level(
                        assessment, indicator, form.cleaned_data["level"], user=request.user,
                        fakta=form.cleaned_data["fakta"], analisis=form.cleaned_data["analisis"],
                        justifikasi=form.cleaned_data["justifikasi"],
                    )
            except ValidationError as error:
                for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                after = services.current_summary(assessment).result.index
                change = {"before": localized_index(before, bands), "after": localized_index(after, bands),
                          "delta": after - before}
                message = _("Tingkat indikator %(n)s disimpan. Indeks %(stage)s: %(before)s → %(after)s.") % {
                    "n": indicator.number, "stage": Stage(assessment.current_stage).label.lower(),
                    "before": change["before"], "after": change["after"],
                }
                if not request.htmx:
                    messages.success(request, message)
                    return redirect(request.path)
                form = None
        status = 200 if form is None or form.is_valid() else 400
        if request.htmx:
            return render(
                request, self.panel_template, self.panel_context(request, assessment, indicator, form, change), status=status
            )
        return render(request, self.template_name, self.page_context(request, assessment, indicator, form), status=status)


def _facts_context(request, assessment, indicator, may_attach: bool) -> dict:
    """What SIA's records say of the indicator (``sia.evaluation.facts``) and who may attach its exports."""
    found = facts.indicator_facts(assessment, indicator, request.user)
    note = ""
    if found.exports and not may_attach:
        note = _("Tahap ini sudah dikunci; ekspor tidak dapat dilampirkan lagi.") if not assessment.is_open() else ""
    return {"index_facts": found, "may_attach_exports": may_attach, "attach_exports_note": note}


def _max_upload_mb() -> str:
    from django.conf import settings

    return f"{settings.SIA_EVIDENCE_MAX_BYTES / (1024 * 1024):g}"


class EvidenceAddView(IndicatorView):
    def post(self, request, pk, number):
        assessment, indicator = self.load(request, pk, number)
        probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
        if not permissions.can(request.user, permissions.ADD, probe):
            raise PermissionDenied
        form = forms.EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if form.cleaned_data["file"]:
                    evidence = attach_file(
                        assessment, indicator, form.cleaned_data["file"], user=request.user, title=form.cleaned_data["title"]
                    )
                else:
                    evidence = attach_url(
                        assessment, indicator, form.cleaned_data["url"], user=request.user, title=form.cleaned_data["title"]
                    )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file" if form.cleaned_data.get("file") else "url", message)
            else:
                messages.success(request, _("Bukti dukung “%(name)s” dilampirkan.") % {"name": evidence}, extra_tags="answer")
                return redirect(reverse("evaluation:assessment_indicator", args=[pk, number]) + "#bukti")
        context = self.page_context(request, assessment, indicator, evidence_form=form)
        return render(request, self.template_name, context, status=400)

    def get(self, request, pk, number):
        return redirect("evaluation:assessment_indicator", pk=pk, number=number)


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Streams an evidence file to those who may see the assessment; never through /media/."""

    def get(self, request, pk):
        evidence = get_object_or_404(
            permissions.visible(request.user, Evidence.objects.select_related("blob")), pk=pk
        )
        if evidence.blob is None:
            return HttpResponseRedirect(evidence.url)
        return download_response(evidence)


class EvidenceDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evidence = get_object_or_404(
            permissions.visible(request.user, Evidence.objects.select_related("assessment", "indicator")), pk=pk
        )
        if not permissions.can(request.user, permissions.DELETE, evidence):
            raise PermissionDenied
        target = evidence.get_absolute_url() + "#bukti"
        try:
            with transaction.atomic():
                evidence.delete()
        except ProtectedError as error:
            messages.error(request, str(error.args[0]), extra_tags="answer")
        else:
            messages.success(request, _("Bukti dukung “%(name)s” dihapus.") % {"name": evidence}, extra_tags="answer")
        return redirect(target)


# --- planner, comparison, documents ------------------------------------------------------------


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


class CompareView(LoginRequiredMixin, AssessmentMixin, View):
    """Year over year: the instansi's assessments side by side (the latest stage with levels of each)."""

    template_name = "evaluation/compare.html"

    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        spec = spec_for(assessment.framework)
        years = list(
            permissions.visible(request.user, Assessment.objects.filter(institution=assessment.institution))
            .select_related("framework", "institution")
            .prefetch_related("locks", services.scores_prefetch())
            .order_by("year")
        )
        columns = services.year_over_year(years)
        comparable = [c for c in columns if c.assessment.framework_id == assessment.framework_id]
        # the detail tables set the comparable years side by side at one stage: the latest all of them have
        stage = services.latest_common_stage(*(list(c.stages.values()) for c in comparable)) or Stage.SELF
        results = [c.stages[stage.value].result for c in comparable]
        value_rows = []
        for row in _value_rows(spec, results[-1]):
            source = "domains" if row["kind"] == "domain" else "aspects"
            values = [display(getattr(result, source)[row["number"]]) for result in results]
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
            "value_rows": value_rows, "indicator_rows": indicator_rows,
        })


class ExportXlsxView(LoginRequiredMixin, AssessmentMixin, View):
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return _download(
            exports.assessment_xlsx(assessment), exports.export_name(assessment, "penilaian-spbe", "xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class BeritaAcaraView(LoginRequiredMixin, AssessmentMixin, View):
    def get(self, request, pk):
        assessment = self.get_assessment(request, pk)
        return _download(
            exports.berita_acara_docx(assessment), exports.export_name(assessment, "berita-acara-penilaian-mandiri", "docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


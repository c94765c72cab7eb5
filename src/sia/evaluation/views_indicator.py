"""An indicator of an assessment: its value, criteria, evidence and what SIA's records say of it."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import View

from sia.core import permissions

from . import evidence_items, facts, forms, services, views_carryover
from .choices import Stage
from .frameworks import spec_for
from .group_rows import indicator_path
from .models import (
    CapabilityLevel,
    Evidence,
    EvidenceItem,
    Indicator,
    IndicatorScore,
)
from .terms import short_index, terms
from .uploads import attach_file, attach_url, download_response
from .views import AssessmentMixin, level_band_rows, level_name, localized_index, roles_in


class IndicatorView(LoginRequiredMixin, AssessmentMixin, View):
    """Criteria side by side, the level of the current stage with its explanation, evidence, stage history."""

    template_name = "evaluation/indicator.html"
    panel_template = "evaluation/_score_panel.html"

    def load(self, request, pk, number):
        assessment = self.get_assessment(request, pk)
        indicator = get_object_or_404(
            Indicator.objects.all(), framework=assessment.framework, number=number
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
        spec = spec_for(assessment.framework)
        if not names:  # the instrument's own level names (8/2026: Merintis … Unggul)
            names = {level: level_name(spec, level) for level in spec.level_names}
        may_score = self.may_score(request, assessment, indicator)
        if form is None and may_score:
            form = forms.ScoreForm(instance=score, level_names=names, spec=spec, number=indicator.number)
        history = list(
            IndicatorScore.objects.filter(assessment=assessment, indicator=indicator).select_related("assessed_by")
        )
        order = {s.value: i for i, s in enumerate(assessment.stages())}
        history.sort(key=lambda s: order.get(s.stage, 99))
        summary = services.current_summary(assessment)
        bands = {row["level"]: row for row in level_band_rows(spec)} if spec.continuous else {}
        return {
            "assessment": assessment,
            "indicator": indicator,
            "criteria": [
                {"level": level, "text": text, "name": names.get(level, ""), "band": bands.get(level),
                 "chosen": score is not None and score.level == level}
                for level, text in indicator.criteria()
            ],
            "spec": spec,
            "terms": terms(assessment.framework),
            "user_roles": roles_in(request.user, assessment),
            "value_band": bands.get(score.level) if score is not None and score.level else None,
            "indicator_spec": spec.indicator(indicator.number),
            "indicator_path": indicator_path(spec, spec.indicator(indicator.number)),
            **external_context(spec, indicator.number, score),
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
            item.assessment, item.indicator = assessment, indicator  # read once: the policy asks for its instansi
            item.may_delete = item.stage not in locked and permissions.can(request.user, permissions.DELETE, item)
        items = upload_items(assessment, indicator) if may_attach else []
        if may_attach and evidence_form is None:
            evidence_form = self.evidence_form(context["spec"], items, level=_level_asked(request))
        context.update(
            previous=numbers[position - 1] if position > 0 else None,
            next=numbers[position + 1] if position + 1 < len(numbers) else None,
            evidence=evidence,
            evidence_form=evidence_form if may_attach else None,
            evidence_url=reverse("evaluation:evidence_add", args=[assessment.pk, indicator.number]),
            max_upload_mb=_max_upload_mb(),
        )
        context.update(_facts_context(request, assessment, indicator, may_attach, items))
        context.update(views_carryover.panel_context(request, assessment, indicator))
        return context

    @staticmethod
    def evidence_form(spec, items, *args, level=None) -> forms.EvidenceForm:
        """The upload form, offering the indicator's evidence items grouped by the instrument's levels."""
        names = {number: level_name(spec, number) for number in spec.level_names} if items else {}
        return forms.EvidenceForm(*args, items=items, level_names=names, level=level)

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
        spec = spec_for(assessment.framework)
        form = forms.ScoreForm(request.POST, instance=score, level_names=names, spec=spec, number=indicator.number)
        change = None
        if form.is_valid():
            bands = spec.bands
            before = services.current_summary(assessment).result.index
            resolved = form.cleaned_data["resolved"]
            try:
                with transaction.atomic():
                    services.set_value(
                        assessment, indicator, resolved.value, user=request.user,
                        source_value=form.cleaned_data.get("source_value"),
                        source_year=form.cleaned_data.get("source_year"),
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
                saved = (_("Nilai indikator %(n)s disimpan. Indeks %(stage)s: %(before)s → %(after)s.") if spec.continuous
                         else _("Tingkat indikator %(n)s disimpan. Indeks %(stage)s: %(before)s → %(after)s."))
                message = saved % {
                    "n": indicator.label, "stage": Stage(assessment.current_stage).label.lower(),
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


def plain_number(value) -> str:
    """A number with the page's decimal separator and no trailing zeros (68,75; 100; 0,04)."""
    value = Decimal(value).normalize()
    return number_format(Decimal(format(value, "f")), use_l10n=True)


def external_context(spec, number, score) -> dict:
    """For an indicator valued from another institution's index: the conversion and how the value came."""
    external = spec.indicator(number).external
    if spec.indicator(number).value_source != "external" or external is None:
        return {}
    formula = {"a": plain_number(external.intercept), "b": plain_number(external.slope)} if external.automatic else {}
    line = ""
    if score is not None and score.source_missing:
        line = _("Belum ada nilai indeks sumber (%(index)s); dihitung %(v)s.") % {
            "index": short_index(external), "v": number_format(score.value, 2)}
    elif score is not None and score.source_value is not None:
        line = "%(index)s %(s)s%(year)s → %(v)s" % {
            "index": short_index(external), "s": plain_number(score.source_value),
            "year": f" ({score.source_year})" if score.source_year else "", "v": number_format(score.value, 2)}
        if not external.automatic:
            line += " " + _("(nilai diisi asesor)")
    return {"ext_formula": formula, "external_line": line, "ext_short": short_index(external)}


def upload_items(assessment, indicator) -> list:
    """The indicator's evidence items (8/2026; none under 59/2020) in level order, one query."""
    return list(EvidenceItem.objects.filter(indicator=indicator, framework_id=assessment.framework_id)
                .order_by("level", "number"))


def _level_asked(request) -> int | None:
    """``?tingkat=2`` (the items panel's link of a level): the upload form offers that level's items."""
    try:
        return evidence_items.documented_level(request.GET.get("tingkat"))
    except ValidationError:
        return None


def _facts_context(request, assessment, indicator, may_attach: bool, items: list) -> dict:
    """What SIA's records say of the indicator (``sia.evaluation.facts``) and who may attach its exports."""
    found = facts.indicator_facts(assessment, indicator, request.user)
    note = ""
    if found.exports and not may_attach:
        note = _("Tahap ini sudah dikunci; ekspor tidak dapat dilampirkan lagi.") if not assessment.is_open() else ""
    codes = [item.code for item in items] if found.exports and may_attach else []
    return {"index_facts": found, "may_attach_exports": may_attach, "attach_exports_note": note, "attach_items": codes}


def _max_upload_mb() -> str:
    from django.conf import settings

    return f"{settings.SIA_EVIDENCE_MAX_BYTES / (1024 * 1024):g}"


class EvidenceAddView(IndicatorView):
    def post(self, request, pk, number):
        assessment, indicator = self.load(request, pk, number)
        probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
        if not permissions.can(request.user, permissions.ADD, probe):
            raise PermissionDenied
        spec = spec_for(assessment.framework)
        form = self.evidence_form(spec, upload_items(assessment, indicator), request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:  # the item checked first (as assigning later), then the file or link: nothing written on a refusal
                item = evidence_items.item_for(assessment, indicator, data.get("item"), data.get("item_level"))
                if data["file"]:
                    evidence = attach_file(assessment, indicator, data["file"], user=request.user, title=data["title"],
                                           item=item)
                else:
                    evidence = attach_url(assessment, indicator, data["url"], user=request.user, title=data["title"],
                                          item=item)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                answer = (_("Bukti dukung “%(name)s” dilampirkan pada butir %(code)s.") if item is not None
                          else _("Bukti dukung “%(name)s” dilampirkan."))
                messages.success(request, answer % {"name": evidence, "code": getattr(item, "code", "")},
                                 extra_tags="answer")
                return redirect(reverse("evaluation:assessment_indicator", args=[pk, number]) + "#bukti")
        context = self.page_context(request, assessment, indicator, evidence_form=form)
        return render(request, self.template_name, context, status=400)

    def get(self, request, pk, number):
        return redirect("evaluation:assessment_indicator", pk=pk, number=number)


def _form_errors(form, error: ValidationError) -> None:
    """A refusal's messages on the field they name (the item, the level's item), else on the file or link."""
    fallback = "file" if form.cleaned_data.get("file") else "url"
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, messages_ in pairs:
        target = "item" if field in ("item", "level") else fallback
        for message in messages_:
            form.add_error(target, message)


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

"""Carrying evidence over on the indicator page and through the API: the panel of the last SPBE assessment's
evidence proposed for a Pemdi indicator, and the choice the user makes of it (``carryover.carry_over``).

``source_for`` finds the source assessment the user may see, ``panel_context`` builds the panel (a constant number of
queries whatever the number of evidence), ``carry_for`` checks who carries what and carries it; the page's POST
(``CarryOverView``) and the API's ``carry-over`` action both go through ``carry_for``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from sia.core import permissions

from . import carryover
from .models import Assessment, Evidence, EvidenceItem, Indicator
from .models.scores import check_stage_open
from .terms import term
from .views import AssessmentMixin

logger = logging.getLogger(__name__)


def mapping(assessment) -> carryover.Mapping | None:
    """The mapping the manifest lists into the assessment's instrument; None when there is none, or (logged) when
    the listed file cannot be used: pages then show no carry-over, and carrying over says why (``carry_for``)."""
    try:
        return carryover.mapping_into(assessment.framework.code)
    except carryover.MappingError as error:
        logger.warning("Pemetaan bukti dukung tidak dapat dibaca: %s", error)
        return None


def may_add_evidence(user, assessment, indicator=None) -> bool:
    """May the user add evidence to the assessment's current stage (whether or not the stage is open)?"""
    probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
    return permissions.can(user, permissions.ADD, probe)


def source_for(user, assessment, the_mapping=None) -> Assessment | None:
    """The instansi's last assessment with the mapping's source instrument before this one, if the user sees it;
    None for an assessment the mapping does not lead to (59/2020)."""
    the_mapping = the_mapping or mapping(assessment)
    if the_mapping is None or assessment.framework.code != the_mapping.target:
        return None
    source = carryover.last_source_assessment(assessment, mapping=the_mapping)
    if source is None or not permissions.visible(user, Assessment.objects.filter(pk=source.pk)).exists():
        return None
    return source


def _key(evidence) -> tuple:
    return ("blob", evidence.blob_id) if evidence.blob_id else ("url", evidence.url)


@dataclass
class SourceRow:
    """A source indicator proposed for the target indicator, with the evidence the user sees of it."""

    number: int
    name: str
    rationale: str
    evidence: list


def proposal_rows(user, assessment, numbers, source, the_mapping) -> dict[int, list[SourceRow]]:
    """{target number: [SourceRow]} for the target indicators ``numbers``; each evidence marked ``present`` when
    the target indicator already has its file or link. Four queries whatever the number of rows."""
    wanted = {n: the_mapping.sources_of(n) for n in numbers}
    source_numbers = {p.source for pairs in wanted.values() for p in pairs}
    names = dict(Indicator.objects.filter(framework_id=source.framework_id, number__in=source_numbers)
                 .values_list("number", "name"))
    found: dict[int, list] = {}
    rows = (permissions.visible(user, Evidence.objects.filter(assessment=source, indicator__number__in=source_numbers))
            .select_related("indicator", "blob").order_by("indicator__number", "created", "pk"))
    for evidence in rows:
        found.setdefault(evidence.indicator.number, []).append(evidence)
    present = {
        (n, ("blob", blob) if blob else ("url", url))
        for n, blob, url in Evidence.objects.filter(assessment=assessment, indicator__number__in=set(numbers))
        .values_list("indicator__number", "blob_id", "url")
    }
    result = {}
    for number, pairs in wanted.items():
        result[number] = []
        for pair in pairs:
            listed = []
            for evidence in found.get(pair.source, []):
                evidence.present = (number, _key(evidence)) in present
                listed.append(evidence)
            result[number].append(SourceRow(pair.source, names.get(pair.source, ""), pair.rationale, listed))
    return result


def panel_context(request, assessment, indicator) -> dict:
    """The carry-over panel of an indicator page: empty (no panel) for a 59/2020 assessment, without a source
    assessment the user sees, or for an indicator the mapping gives no source."""
    the_mapping = mapping(assessment)
    if the_mapping is None or not the_mapping.sources_of(indicator.number):
        return {}
    source = source_for(request.user, assessment, the_mapping)
    if source is None:
        return {}
    rows = proposal_rows(request.user, assessment, [indicator.number], source, the_mapping)[indicator.number]
    may_carry = assessment.is_open() and may_add_evidence(request.user, assessment, indicator)
    levels: dict[int, list] = {}
    if may_carry:
        for item in EvidenceItem.objects.filter(framework_id=assessment.framework_id, indicator=indicator).order_by(
            "level", "number"
        ):
            levels.setdefault(item.level, []).append(item)
    return {
        "carry": {
            "source": source,
            "heading": _("Bukti dari penilaian %(index)s %(year)s") % {
                "index": term(source.framework, "index"), "year": source.year},
            "rows": rows,
            "may_carry": may_carry,
            "locked": not assessment.is_open(),
            "item_levels": sorted(levels.items()),
            "url": reverse("evaluation:carry_over", args=[assessment.pk, indicator.number]),
            "any": any(not e.present for row in rows for e in row.evidence),
        }
    }


@dataclass
class Carried:
    source: Assessment
    result: carryover.CarryOverResult


def carry_for(user, assessment, selection) -> Carried:
    """Carries the chosen evidence of the last source assessment over to ``assessment``'s current stage.

    ``selection``: (target indicator number, source evidence id[, target item code]). ``PermissionDenied`` for a
    user who may not add evidence to one of the chosen indicators; ``ValidationError`` (nothing written) for an
    assessment the mapping does not lead to, a locked stage, an evidence that is not one of the source
    assessment's the user sees, or any refusal of ``carry_over``."""
    try:
        the_mapping = carryover.mapping_into(assessment.framework.code)
    except carryover.MappingError as error:
        raise ValidationError(error.errors)
    if the_mapping is None:
        raise ValidationError(
            _("Tidak ada pemetaan bukti dukung ke kerangka %(target)s (frameworks.yaml, bagian mappings); bukti "
              "dukung tidak dapat dibawa ke penilaian ini.") % {"target": assessment.framework.name})
    selection = [tuple(row) for row in selection]
    if not selection:
        raise ValidationError(_("Pilih sedikitnya satu bukti dukung."))
    numbers = {row[0] for row in selection}
    indicators = {i.number: i for i in Indicator.objects.filter(framework_id=assessment.framework_id, number__in=numbers)}
    if not all(may_add_evidence(user, assessment, indicators.get(n)) for n in numbers):
        raise PermissionDenied
    if not assessment.is_open():
        check_stage_open(assessment, assessment.current_stage, field="evidence")
    source = source_for(user, assessment, the_mapping)
    if source is None:
        raise ValidationError(_("Tidak ada penilaian %(source)s sebelumnya yang buktinya dapat dibawa.")
                              % {"source": the_mapping.source_name})
    pks = {row[1] for row in selection}
    seen = set(permissions.visible(user, Evidence.objects.filter(assessment=source, pk__in=pks)).values_list("pk", flat=True))
    missing = sorted(pks - seen)
    if missing:
        raise ValidationError([
            _("Bukti dukung #%(pk)s tidak ditemukan di penilaian %(index)s %(year)s.") % {
                "pk": pk, "index": term(source.framework, "index"), "year": source.year}
            for pk in missing
        ])
    return Carried(source, carryover.carry_over(selection, assessment, user, mapping=the_mapping))


def _int(value):
    value = str(value or "").strip()
    return int(value) if value.isdigit() else None


class CarryOverView(LoginRequiredMixin, AssessmentMixin, View):
    """POST evidence (ids, repeated) and item-<id> (optional item code): carries them over to the indicator."""

    def post(self, request, pk, number):
        assessment = self.get_assessment(request, pk)
        indicator = get_object_or_404(Indicator, framework=assessment.framework, number=number)
        if not may_add_evidence(request.user, assessment, indicator):
            raise PermissionDenied
        back = reverse("evaluation:assessment_indicator", args=[pk, number]) + "#bukti"
        chosen = request.POST.getlist("evidence")
        selection = []
        for value in chosen:
            evidence = _int(value)
            if evidence is None:
                messages.error(request, _("Bukti dukung “%(value)s” tidak dikenal.") % {"value": value}, extra_tags="answer")
                return redirect(back)
            code = request.POST.get(f"item-{evidence}", "").strip()
            selection.append((number, evidence, code) if code else (number, evidence))
        try:
            carried = carry_for(request.user, assessment, selection)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages), extra_tags="answer")
            return redirect(back)
        result = carried.result
        if result.created:
            messages.success(request, _("Dibawa dari penilaian %(year)s: %(titles)s.") % {
                "year": carried.source.year, "titles": "; ".join(e.title for e in result.created)}, extra_tags="answer")
        if result.skipped:
            messages.info(request, _("Sudah ada pada indikator ini: %(titles)s.") % {
                "titles": "; ".join(e.title for _n, e in result.skipped)}, extra_tags="answer")
        return redirect(back)


# --- the API's answers ----------------------------------------------------------------------------------------


def _source_dict(source) -> dict:
    return {"id": source.pk, "year": source.year, "framework": source.framework.code, "index": term(source.framework, "index")}


def proposals_answer(user, assessment, number=None) -> dict:
    """The proposals for one target indicator (or all of them) as the API answers them; no source assessment and no
    indicators for an assessment the mapping does not lead to or without a source assessment the user sees."""
    the_mapping = mapping(assessment)
    source = source_for(user, assessment, the_mapping) if the_mapping is not None else None
    if source is None:
        return {"source_assessment": None, "indicators": []}
    numbers = [number] if number is not None else list(the_mapping.entries)
    rows = proposal_rows(user, assessment, numbers, source, the_mapping)
    return {
        "source_assessment": _source_dict(source),
        "indicators": [
            {"indicator": n, "sources": [
                {"number": row.number, "name": row.name, "rationale": row.rationale, "evidence": [
                    {"id": e.pk, "title": e.title, "file_name": e.file_name, "url": e.url, "stage": e.stage,
                     "present": e.present}
                    for e in row.evidence]}
                for row in rows[n]]}
            for n in numbers
        ],
    }


def carried_answer(carried: Carried) -> dict:
    return {
        "source_assessment": _source_dict(carried.source),
        "created": [
            {"id": e.pk, "indicator": e.indicator.number, "title": e.title, "file_name": e.file_name, "url": e.url,
             "stage": e.stage, "item": e.item.code if e.item else None}
            for e in carried.result.created
        ],
        "skipped": [{"indicator": n, "evidence": e.pk, "title": e.title} for n, e in carried.result.skipped],
    }

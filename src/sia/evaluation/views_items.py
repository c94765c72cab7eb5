"""Evidence items of an indicator (PermenPANRB 8/2026): set an item's status at the stage, put a file on an item."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from sia.core import permissions

from . import evidence_items
from .models import Evidence, EvidenceItem, EvidenceItemReview
from .views import AssessmentMixin


def _back(assessment, item) -> str:
    return reverse("evaluation:assessment_indicator", args=[assessment.pk, item.indicator.number]) + "#butir"


class ItemReviewView(LoginRequiredMixin, AssessmentMixin, View):
    """POST status (accepted / revise / pending) and note: the item's status at the current stage."""

    def post(self, request, pk, item_pk):
        assessment = self.get_assessment(request, pk)
        item = get_object_or_404(
            EvidenceItem.objects.select_related("indicator"), pk=item_pk, framework_id=assessment.framework_id
        )
        probe = EvidenceItemReview(assessment=assessment, item=item, stage=assessment.current_stage)
        if not permissions.can(request.user, permissions.ADD, probe):
            raise PermissionDenied
        try:
            review = evidence_items.review_item(
                assessment, item, request.POST.get("status", ""), user=request.user, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages), extra_tags="answer")
        else:
            messages.success(request, _("Butir %(code)s: %(status)s.") % {
                "code": item.code, "status": review.get_status_display()}, extra_tags="answer")
        return redirect(_back(assessment, item))


class ItemAssignView(LoginRequiredMixin, AssessmentMixin, View):
    """POST evidence (id), item (code, empty: none) and level (the level whose form it is, optional): puts an
    evidence of the indicator on one of its items of that level."""

    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        evidence = get_object_or_404(
            permissions.visible(request.user, Evidence.objects.select_related("indicator", "assessment__framework")),
            pk=request.POST.get("evidence") if str(request.POST.get("evidence", "")).isdigit() else None,
            assessment=assessment,
        )
        if not permissions.can(request.user, permissions.CHANGE, evidence):
            raise PermissionDenied
        code = request.POST.get("item", "").strip()
        try:
            level = evidence_items.documented_level(request.POST.get("level"))  # the panel's form of one level
            item = evidence_items.item_by_code(assessment, code) if code else None
            evidence_items.assign_item(evidence, item, level)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages), extra_tags="answer")
        else:
            messages.success(request, _("Bukti dukung “%(name)s” pada butir %(code)s.") % {
                "name": evidence, "code": item.code if item else "—"}, extra_tags="answer")
        return redirect(reverse("evaluation:assessment_indicator", args=[pk, evidence.indicator.number]) + "#butir")

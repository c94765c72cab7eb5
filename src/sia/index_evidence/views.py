"""The one action of the app: attach a dated export to an indicator of an assessment (POST from its page)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from sia.core import permissions
from sia.evaluation.evidence_items import item_by_code
from sia.evaluation.models import Assessment, Indicator

from .exports import attach_export


class AttachExportView(LoginRequiredMixin, View):
    """POST: the export ``key`` as the user reads it today becomes evidence of the indicator (optionally on one of its
    evidence items, ``item``: its code); back to its evidence. An assessment the user may not see is not found (404); one they may not add evidence to is refused (403)."""

    http_method_names = ["post"]

    def post(self, request, pk, number, key):
        assessment = get_object_or_404(
            permissions.visible(request.user, Assessment.objects.select_related("institution", "framework")
                                .prefetch_related("locks")), pk=pk)
        indicator = get_object_or_404(Indicator, framework=assessment.framework, number=number)
        target = reverse("evaluation:assessment_indicator", args=[assessment.pk, indicator.number]) + "#bukti"
        code = (request.POST.get("item") or "").strip()
        try:
            item = item_by_code(assessment, code) if code else None
            evidence = attach_export(assessment, indicator, key, user=request.user, item=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages), extra_tags="answer")
        else:
            text = _("“%(title)s” dilampirkan sebagai %(name)s.") % {"title": evidence.title, "name": evidence.file_name}
            if evidence.item_id:
                text += " " + _("Pada butir %(code)s.") % {"code": evidence.item.code}
            messages.success(request, text, extra_tags="answer")
        return redirect(target)

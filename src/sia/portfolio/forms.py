"""Forms of the portfolio: an application's assessment, a new application's clearance, the portfolio filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.architecture.choices import ValueListKind
from sia.architecture.models import ValueListItem
from sia.core import permissions
from sia.core.filtersets import RangeModelChoiceField
from sia.core.forms import ScopedModelForm
from sia.organizations.models import Department

from .clearance import reuse_targets
from .models import ApplicationAssessment, Clearance, ClearanceDecision, Level
from .rationalisation import Recommendation


class AssessmentForm(ScopedModelForm):
    """The three scores of one application (the application is given by the page, never chosen)."""

    class Meta:
        model = ApplicationAssessment
        fields = ["functional_fit", "technical_fit", "criticality", "note"]
        widgets = {name: forms.RadioSelect for name in ("functional_fit", "technical_fit", "criticality")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("functional_fit", "technical_fit", "criticality"):
            self.fields[name].choices = Level.choices  # radio buttons without the empty "---------" one


class ClearanceForm(ScopedModelForm):
    """The verifikator's decision on one to-be new application; the rule is ``Clearance.clean``."""

    class Meta:
        model = Clearance
        fields = ["decision", "reused_application", "reused_national", "reason"]
        widgets = {"decision": forms.RadioSelect}

    # Past this many applications in the instansi, the choice of the one to reuse offers the similar ones
    # (and the one chosen before) instead of a list too long to send and to read.
    MAX_CHOICES = 300

    def __init__(self, *args, application, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.application = application
        self.fields["decision"].choices = ClearanceDecision.choices  # no empty radio button
        self.fields["reason"].required = True
        choices = reuse_targets(self.fields["reused_application"].queryset.filter(
            institution_id=application.institution_id).exclude(pk=application.pk))
        if choices.count() > self.MAX_CHOICES:
            keep = {m.application.pk for m in matches if getattr(m, "application", None) is not None}
            keep.add(self.instance.reused_application_id)
            choices = choices.filter(pk__in=keep - {None})
            self.fields["reused_application"].help_text = _("Pilihan: aplikasi serupa yang ditemukan.")
        self.fields["reused_application"].queryset = choices.select_related("department").order_by("code")
        self.fields["reused_national"].queryset = ValueListItem.objects.filter(
            institution_id=application.institution_id, kind=ValueListKind.NATIONAL_APP, is_active=True,
        ).order_by("order", "name")


RECOMMENDATION_CHOICES = [("", _("Semua rekomendasi")), *Recommendation.choices, ("none", _("Belum dinilai"))]


class PortfolioFilterForm(forms.Form):
    """Filters of the rationalisation page: OPD and recommendation."""

    department = RangeModelChoiceField(
        label=_("Perangkat daerah"), queryset=Department.objects.none(), required=False,
        empty_label=_("Semua OPD"),
    )
    recommendation = forms.ChoiceField(label=_("Rekomendasi"), choices=RECOMMENDATION_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = permissions.choices(user, Department.objects.filter(is_active=True)).order_by("name")
        self.fields["department"].queryset = departments
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""

    def narrow(self, applications):
        """The applications the valid filters keep (OPD; the recommendation is applied by the portfolio)."""
        if self.is_valid() and self.cleaned_data.get("department"):
            return applications.filter(department=self.cleaned_data["department"])
        return applications

    @property
    def chosen_recommendation(self) -> str:
        return self.cleaned_data.get("recommendation", "") if self.is_valid() else ""


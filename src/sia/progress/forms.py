"""The target form: the rule and domain offered from their registries; validation is the model's ``full_clean()``
(``sia.progress.rules.target_problems``)."""

from __future__ import annotations

from django import forms

from sia.core.forms import ScopedModelForm

from .models import Target
from .rules import domain_choices, rule_choices


class TargetForm(ScopedModelForm):
    class Meta:
        model = Target
        fields = ["institution", "department", "name", "rule", "domain", "level", "threshold", "framework", "index_baseline",
                  "index_target", "start_date", "deadline"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        self.fields["rule"] = forms.ChoiceField(choices=rule_choices(), label=rule.label, help_text=rule.help_text)
        domain = self.fields["domain"]
        self.fields["domain"] = forms.ChoiceField(choices=[("", "—"), *domain_choices()], required=False,
                                                  label=domain.label, help_text=domain.help_text)
        for name in ("rule", "domain"):
            self.fields[name].widget.attrs["class"] = "select"
        institutions = self.fields["institution"].queryset
        if self.instance.pk is None and not self.initial.get("institution") and institutions.count() == 1:
            self.initial["institution"] = institutions.first().pk  # the koordinator's own instansi

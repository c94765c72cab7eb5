"""Forms of the duplicates page: which instansi and OPD to look at, and a reviewer's “not a duplicate”."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sia.architecture.models import Application
from sia.core import permissions
from sia.core.fields import FREE_TEXT_MAX
from sia.core.filtersets import RangeModelChoiceField
from sia.organizations.models import Department, Institution


def institutions_for(user):
    """The instansi whose applications the user may read (all active ones for a superuser)."""
    return permissions.readable_institutions(user, Application)


class DuplicateFilterForm(forms.Form):
    """Filters of the duplicates page: the instansi (when the user reads several) and one OPD."""

    instansi = RangeModelChoiceField(label=_("Instansi"), queryset=Institution.objects.none(), required=False,
                                     empty_label=None)
    department = RangeModelChoiceField(label=_("Perangkat daerah"), queryset=Department.objects.none(),
                                       required=False, empty_label=_("Semua OPD"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = list(institutions_for(user))
        self.fields["instansi"].queryset = institutions_for(user)
        self.institution = institutions[0] if institutions else None
        if self.is_bound and self.data.get("instansi"):
            chosen = [i for i in institutions if str(i.pk) == str(self.data.get("instansi"))]
            self.institution = chosen[0] if chosen else self.institution
        if len(institutions) < 2:
            del self.fields["instansi"]
        departments = Department.objects.filter(institution=self.institution, is_active=True).order_by("name")
        self.fields["department"].queryset = permissions.choices(user, departments)
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""

    @property
    def chosen_department(self):
        return self.cleaned_data.get("department") if self.is_valid() else None


class DismissForm(forms.Form):
    """“Not a duplicate”: the pair (or the application and the national shared application it was flagged
    against) and the reviewer's reason (the rule is ``DuplicateDismissal.clean``)."""

    first = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    second = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1, required=False)
    national = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1, required=False)
    reason = forms.CharField(
        label=_("Alasan"), max_length=FREE_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mis. fungsi berbeda: yang satu untuk pasien, yang lain untuk pegawai."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("second")) == bool(data.get("national")):
            self.add_error(None, _("Pilih aplikasi kedua atau aplikasi umum nasional, salah satu saja."))
        return data

"""The kegiatan's forms: the kegiatan itself (koordinator), one attendance record (koordinator, verifikator) and the
participant's self check-in with the session's code. Validation is the models' ``full_clean()`` (``rules``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.forms import ScopedModelForm
from sia.core.integers import db_id
from sia.core.roles import Role
from sia.core.widgets import ChecklistWidget
from sia.organizations.models import Institution

from . import rules
from .checkin import SELF_STATUSES
from .choices import AttendanceStatus, WorkshopMode
from .models import Attendance, Workshop

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _local(field):
    field.widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    field.input_formats = [LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class WorkshopForm(ScopedModelForm):
    domains = forms.MultipleChoiceField(label=_("Domain arsitektur"), required=False, widget=ChecklistWidget)
    meeting_link = forms.URLField(
        label=_("Tautan rapat daring"), required=False, max_length=500, assume_scheme="https",
        help_text=Workshop._meta.get_field("meeting_link").help_text)

    class Meta:
        model = Workshop
        fields = ["institution", "kind", "title", "description", "starts_at", "ends_at", "mode", "place",
                  "meeting_link", "domains", "departments", "mentors"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = rules.domain_choices()
        self.fields["domains"].initial = self.instance.domains
        for name in ("starts_at", "ends_at"):
            _local(self.fields[name])
        ids = permissions.institution_ids_for(self.user, permissions.ADD, Workshop) if self.user else None
        institutions = Institution.objects.filter(is_active=True)
        if ids is not None:
            institutions = institutions.filter(pk__in=ids)
        self.fields["institution"].queryset = institutions
        if self.instance.pk:
            self.fields["institution"].disabled = True
        elif len(pks := list(institutions.values_list("pk", flat=True)[:2])) == 1 and not self.initial.get(
                "institution"):
            self.initial["institution"] = pks[0]  # the koordinator of one instansi need not choose it
        scope = [self.instance.institution_id] if self.instance.pk else list(institutions.values_list("pk", flat=True))
        self.fields["departments"].queryset = self.fields["departments"].queryset.filter(
            institution_id__in=scope, is_active=True).order_by("name")
        self.fields["mentors"].queryset = get_user_model().objects.filter(
            is_active=True, memberships__role=Role.VERIFIER, memberships__is_active=True,
            memberships__institution_id__in=scope).distinct().order_by("username")
        self.fields["mentors"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def _post_clean(self):
        data = self.cleaned_data
        self.instance.pending_invitations = (list(data.get("departments") or []), list(data.get("mentors") or []))
        super()._post_clean()


def chosen_workshop(value, workshops):
    """The kegiatan ``value`` (a form or query value) names among ``workshops``, or None."""
    pk = db_id(value) if isinstance(value, (str, int)) else None
    return workshops.filter(pk=pk).first() if pk is not None else None


class AttendanceForm(ScopedModelForm):
    """One participant's attendance, on a kegiatan named by ``?workshop=<id>`` (fixed once recorded)."""

    class Meta:
        model = Attendance
        fields = ["workshop", "participant", "status", "note"]
        widgets = {"workshop": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workshops = permissions.visible(self.user, Workshop) if self.user else Workshop.objects.all()
        self.fields["workshop"].queryset = workshops
        if self.instance.pk:
            self.fields["workshop"].disabled = True
            self.fields["participant"].disabled = True
        chosen = self.data.get("workshop") if self.is_bound else self.initial.get("workshop")
        workshop = self.instance.workshop if self.instance.workshop_id else chosen_workshop(chosen, workshops)
        users = get_user_model().objects.none()
        if workshop is not None:
            invited = list(workshop.departments.values_list("pk", flat=True))
            users = get_user_model().objects.filter(is_active=True).filter(
                Q(memberships__institution_id=workshop.institution_id, memberships__is_active=True,
                               memberships__role=Role.OPERATOR, memberships__department_id__in=invited)
                | Q(pk__in=workshop.mentors.values("pk"))).distinct().order_by("username")
        self.fields["participant"].queryset = users
        self.fields["participant"].label_from_instance = lambda user: user.get_full_name() or user.get_username()



class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Kode kehadiran"), max_length=20,
                           help_text=_("Kode enam huruf/angka yang ditampilkan penyelenggara saat kegiatan."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    status = forms.ChoiceField(label=_("Kehadiran"), initial=AttendanceStatus.PRESENT,
                               choices=[(s.value, s.label) for s in SELF_STATUSES], widget=forms.RadioSelect)
    note = forms.CharField(label=_("Kendala (bila ada)"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        if workshop is not None and workshop.mode == WorkshopMode.IN_PERSON:  # nobody joins a room online
            del self.fields["status"]
            del self.fields["note"]

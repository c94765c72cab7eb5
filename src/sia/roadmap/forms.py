"""The web forms of the Peta Rencana SPBE: sasaran strategis, inisiatif, program and kegiatan (with its years as an
inline formset and the gaps it closes). Validation is the models' ``clean()`` (``sia.roadmap.rules``), as for the
API and the Excel import; the forms only offer the choices the user may take."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sia.architecture.gap_catalog import gap_catalog
from sia.architecture.kindgroups import kind_label
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.core.forms import ScopedModelForm
from sia.core.widgets import ChecklistWidget
from sia.core.integers import db_id
from sia.organizations.models import Department, Institution, WorkUnit

from . import money, rules
from .gap_notes import closing_activities
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget


def version_of(obj) -> str:
    """The version of a sasaran, inisiatif or program as its form carries it: the time of its last change."""
    return obj.updated.isoformat() if obj.pk and obj.updated else ""


def writable(user, queryset, model, institution_of):
    """The rows of ``queryset`` under which the user may add a ``model`` (``institution_of(row)``: its instansi)."""
    return [row.pk for row in queryset if permissions.can_in(user, permissions.ADD, model, institution_of(row))]


class RoadmapForm(ScopedModelForm):
    """A form of the plan (sasaran, inisiatif, program): the parent is chosen among those the user may write under
    (prefilled from the query string, e.g. ``?target=<id>``) and fixed once the object exists."""

    parent: str = ""
    parent_related: tuple = ()  # what ``institution_of`` reads of a parent row (select_related)
    # The version the editor read: these models carry no ``lock_version`` (their API takes none), so the form's
    # optimistic lock is the time of the last change (``updated``), compared when saving (``PlanEditView``).
    read_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["read_version"].initial = version_of(self.instance)
        field = self.fields.get(self.parent)
        if field is None:
            return
        if self.user is not None:
            field.queryset = field.queryset.model.objects.filter(pk__in=writable(
                self.user, field.queryset.select_related(*self.parent_related), self._meta.model, self.institution_of))
        if self.instance.pk:
            field.disabled = True
        elif len(ids := list(field.queryset.values_list("pk", flat=True)[:2])) == 1 and not self.initial.get(
                self.parent):
            self.initial[self.parent] = ids[0]

    @staticmethod
    def institution_of(row):
        raise NotImplementedError


class StrategicTargetForm(RoadmapForm):
    parent = "institution"

    class Meta:
        model = StrategicTarget
        fields = ["institution", "period", "code", "name", "description", "order"]

    @staticmethod
    def institution_of(row):
        return row.pk


class InitiativeForm(RoadmapForm):
    parent = "target"

    class Meta:
        model = Initiative
        fields = ["target", "code", "name", "description"]

    @staticmethod
    def institution_of(row):
        return row.institution_id


class ProgramForm(RoadmapForm):
    parent = "initiative"

    class Meta:
        model = Program
        fields = ["initiative", "area", "code", "name", "description"]

    parent_related = ("target",)

    @staticmethod
    def institution_of(row):
        return row.target.institution_id


# --- the kegiatan -------------------------------------------------------------------------------------------

def gap_value(model, pk) -> str:
    """A gap as a form value: ``<kind slug>:<ID>`` (e.g. ``aplikasi:12``), as the query string names it."""
    return f"{model.spec.slug}:{pk}"


def parse_gap(value: str):
    """(model, pk) of a ``<kind slug>:<ID>`` value, or None."""
    slug, _sep, pk = (value or "").partition(":")
    model = {m.spec.slug: m for m in domain_models()}.get(slug)
    pk = db_id(pk)
    return (model, pk) if model is not None and pk is not None else None


class ActivityForm(ScopedModelForm):
    """A kegiatan: its program and OPD among those the user may write, the units of its instansi, its years (the
    ``YearFormSet`` beside it) and the gaps it closes: a choice among the gaps of its instansi the user may see
    (``sia.architecture.gap_catalog``), grouped by kind; linked gaps the user may not see are kept as they are."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    gaps = forms.MultipleChoiceField(
        label=_("Gap yang ditutup"), required=False, widget=ChecklistWidget,
        help_text=_("Objek to-be (baru atau pengembangan) atau objek as-is yang dihentikan, dari Katalog Kesenjangan."))

    class Meta:
        model = Activity
        fields = ["program", "department", "units", "code", "name", "description", "output", "start_year",
                  "end_year", "progress"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["lock_version"].initial = self.instance.lock_version
        institutions = permissions.institution_ids_for(user, permissions.ADD, Activity) if user else None
        if self.instance.pk:
            institutions = [self.instance.institution_id]
        elif institutions is None:
            institutions = list(Institution.objects.filter(is_active=True).values_list("pk", flat=True))
        self.institutions = list(institutions)
        departments = Department.objects.filter(institution_id__in=self.institutions, is_active=True)
        if user is not None:
            departments = departments.filter(pk__in=[
                d.pk for d in departments if permissions.can_in(user, permissions.ADD, Activity, d.institution_id, d.pk)])
        self.fields["department"].queryset = departments.order_by("name")
        if not self.instance.pk and len(ids := [d.pk for d in self.fields["department"].queryset]) == 1:
            if not self.initial.get("department"):  # a new instance's initial holds department=None
                self.initial["department"] = ids[0]
        self.fields["program"].queryset = Program.objects.filter(
            initiative__target__institution_id__in=self.institutions).select_related("initiative__target").order_by(
            "initiative__target__code", "initiative__code", "code")
        self.fields["units"].queryset = WorkUnit.objects.filter(
            department__institution_id__in=self.institutions).select_related("department").order_by(
            "department__abbreviation", "name")
        self.fields["units"].label_from_instance = lambda unit: f"{unit.name} ({unit.department.abbreviation})"
        self._gap_choices()

    def _gap_choices(self):
        """The gaps of the instansi the user may see, grouped by kind, plus the linked ones still visible; the linked
        ones the user may not see are ``kept`` (never shown, never dropped)."""
        groups: dict = {}
        offered = set()
        gaps = [gap for institution_id in self.institutions
                for gap in (gap_catalog(self.user, institution_id) if self.user is not None else [])]
        closing = closing_activities(self.user, gaps)  # one query: who else closes each gap
        for gap in gaps:
            value = gap_value(gap.model, gap.obj.pk)
            kind = kind_label(gap.model)
            label = f"{kind} · {gap.obj.code} {gap.obj.name} · {gap.label} ({gap.obj.department.abbreviation})"
            others = [a.code for a in closing.get((gap.model, gap.obj.pk), []) if a.pk != self.instance.pk]
            if others:
                label += " · " + gettext("sudah ditutup %(codes)s") % {"codes": ", ".join(others)}
            groups.setdefault(kind, []).append((value, label))
            offered.add(value)
        self.kept = []
        initial = []
        if self.instance.pk:
            links = list(ActivityGap.objects.filter(activity=self.instance).select_related("content_type")
                         .prefetch_related("target"))
            reader = permissions.LinkReader(self.user)
            reader.prime([link.target for link in links if link.target is not None])
            for link in links:
                model = link.content_type.model_class()
                value = gap_value(model, link.object_id)
                if link.target is None or not reader.shows(link.target):
                    self.kept.append((model, link.object_id))
                    continue
                if value not in offered:
                    groups.setdefault(kind_label(model), []).append((value, f"{kind_label(model)} · {link.target}"))
                    offered.add(value)
                initial.append(value)
            self.initial.setdefault("gaps", initial)
        self.fields["gaps"].choices = [(label, options) for label, options in groups.items()]

    def clean_gaps(self):
        return [parse_gap(value) for value in self.cleaned_data["gaps"] if parse_gap(value)]

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program")
        institution_id = program.initiative.target.institution_id if program else self.instance.institution_id
        units = cleaned.get("units")
        if units and institution_id is not None:
            for field, message in rules.unit_problems(Activity(institution_id=institution_id), units).items():
                self.add_error(field, message)
        for model, pk in cleaned.get("gaps") or []:
            link = ActivityGap(content_type=ContentType.objects.get_for_model(model), object_id=pk)
            problems = rules.gap_problems(link)
            obj = model._default_manager.filter(pk=pk).only("institution_id").first()
            if not problems and obj is not None and obj.institution_id != institution_id:
                problems = {"object_id": gettext("Objek arsitektur “%(obj)s” milik instansi lain.") % {"obj": obj}}
            for message in problems.values():
                self.add_error("gaps", message)
        return cleaned

    years = None  # the YearFormSet posted with the form (set by the view before validation)

    def _post_clean(self):
        """The model's rules refuse new years that leave stored year rows outside (``rules.activity_problems``); when
        the same post deletes or moves those rows into the new years, the change is whole and allowed (the formset
        checks every row against the new years)."""
        super()._post_clean()
        activity, years = self.instance, self.years
        if years is None or activity.pk is None or not ({"start_year", "end_year"} & set(self.errors)):
            return
        start, end = activity.start_year, activity.end_year
        if start is None or end is None or not activity.years.exclude(year__range=(start, end)).exists():
            return  # the error is another one
        kept = []
        for row in years.forms:
            if years.can_delete and row["DELETE"].value():
                continue
            value = row["year"].value()
            if value in (None, ""):
                continue
            try:
                kept.append(int(value))
            except (TypeError, ValueError):
                return
        if all(start <= year <= end for year in kept):
            for name in ("start_year", "end_year"):
                if self._errors.pop(name, None) is not None:
                    self.cleaned_data[name] = getattr(activity, name)

    def chosen_gaps(self) -> list:
        return list(self.cleaned_data.get("gaps") or []) + self.kept


MONEY_FIELDS = ("budget", "rka", "realisation")


class YearForm(forms.ModelForm):
    """One row of the years table: its column headings are the labels, so each input names its column."""

    class Meta:
        model = ActivityYear
        fields = ["year", "budget", "source", "rka", "realisation", "done"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
        # A new row's pagu is shown empty, not as the model's default 0: digits typed before a prefilled 0 made a
        # pagu ten times the one meant (1250000000 typed ahead of "0": 12500000000). Left empty, it is 0.
        budget = self.fields["budget"]
        budget.required, budget.initial = False, None
        budget.widget.attrs.setdefault("placeholder", "0")
        if self.instance.pk is None:
            self.initial.pop("budget", None)
        for name in MONEY_FIELDS:  # a number input holds no thousands dots: a whole sum shows without ".00"
            if name in self.initial:
                self.initial[name] = money.plain(self.initial[name])

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        return Decimal(0) if budget is None else budget


class BaseYearFormSet(forms.BaseInlineFormSet):
    """The years of a kegiatan: each within the kegiatan's years as edited on the same page (``rules.year_problems``
    answers for a kegiatan not saved yet too), no year twice. An empty row is offered for each year of the kegiatan
    without one (five for a new kegiatan, the length of a period), at least one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            activity = self.instance
            span = 5
            if activity.start_year and activity.end_year and activity.end_year >= activity.start_year:
                span = min(5, activity.end_year - activity.start_year + 1)
            self.extra = max(1, span - len(self.get_queryset()))

    def validate_unique(self):
        """A year twice is answered by ``clean`` naming the year ("Tahun 2026 diisi dua kali."), not by Django's
        generic "Perbaiki data ganda untuk year."; the database constraint still holds."""

    def clean(self):
        super().clean()
        activity = self.instance
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk or self._should_delete_form(form):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen:
                form.add_error("year", gettext("Tahun %(year)s diisi dua kali.") % {"year": year})
            seen.add(year)
            start, end = activity.start_year, activity.end_year
            if start and end and not start <= year <= end:
                form.add_error("year", gettext("Tahun %(year)s di luar tahun pelaksanaan kegiatan (%(start)s-%(end)s).") % {
                    "year": year, "start": start, "end": end})


YearFormSet = forms.inlineformset_factory(
    Activity, ActivityYear, form=YearForm, formset=BaseYearFormSet, extra=1, can_delete=True, max_num=10,
    validate_max=True)


def prefill_gap(form, value: str) -> None:
    """Ticks the gap ``?gap=<kind slug>:<ID>`` names, when the form offers it."""
    offered = {v for _group, options in form.fields["gaps"].choices for v, _label in options}
    if value in offered:
        form.initial["gaps"] = [value]
        form.fields["gaps"].initial = [value]

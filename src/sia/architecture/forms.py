"""Forms for every architecture domain, built from the model's DomainSpec."""

from __future__ import annotations

import re

from django import forms
from django.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.forms import ScopedModelForm
from sia.core.integers import db_id
from sia.core.widgets import PickedValues, SearchPickerWidget

from sia.organizations.models import Department, DepartmentFunction
from sia.reference.widgets import ReferenceNodeField, ReferencePickerWidget

from . import scopes
from .choices import ArchitectureState
from .linkspec import link_spec
from .models import ArchitectureObject, ValueListItem
from .models.base import next_code
from .models.base import FREE_TEXT_MAX

TEXT_SUFFIX = ReferencePickerWidget.TEXT_SUFFIX


# A linked object that is not among the form's choices: another instansi's, deleted, or out of sight.
INVALID_LINK = _("Pilihan ini tidak dapat dipakai: objeknya tidak ada, milik instansi lain, atau tidak terlihat oleh Anda.")


class LinkPickerField(forms.ModelMultipleChoiceField):
    """Links to architecture objects that may belong to any OPD of the instansi (``LinkSpec.cross_opd``):
    too many for a checklist, so a ``SearchPickerWidget``: the chosen objects, a search box, and codes
    typed with commas (resolved among the field's choices, the rows the form may offer)."""

    widget = SearchPickerWidget
    default_error_messages = {
        "unknown_codes": _("Kode tidak ditemukan di antara pilihan yang tersedia (objek instansi Anda yang dapat "
                           "dipilih): %(codes)s."),
        "invalid_choice": INVALID_LINK,
    }

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, **kwargs)
        self.widget.describe = self.label_from_instance

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj):
        department = getattr(obj, "department", None)
        return f"{obj.code} {obj.name} ({department.abbreviation})" if department else f"{obj.code} {obj.name}"

    def clean(self, value):
        ids = [str(v) for v in value or []]
        codes = [code.upper() for code in re.split(r"[\s,;]+", getattr(value, "codes", "")) if code]
        if codes:
            found = dict(self.queryset.filter(code__in=codes).values_list("code", "pk"))
            unknown = [code for code in dict.fromkeys(codes) if code not in found]
            if unknown:
                raise ValidationError(self.error_messages["unknown_codes"], code="unknown_codes",
                                      params={"codes": ", ".join(unknown)})
            ids += [str(found[code]) for code in codes if str(found[code]) not in ids]
        return super().clean(ids)

    def has_changed(self, initial, data):
        return bool(getattr(data, "codes", "")) or super().has_changed(initial, data)

    def prepare_value(self, value):
        prepared = super().prepare_value(value)
        if isinstance(value, PickedValues):  # a form shown again keeps the codes typed
            return PickedValues(prepared, value.codes)
        return prepared


def link_picker(form, name: str, field, queryset, institution_id) -> LinkPickerField:
    """The search picker replacing a cross-OPD link's checklist, its search scoped to the object's instansi."""
    model = form._meta.model
    url = reverse(f"architecture:{model._meta.model_name}_link_search", args=[name])
    if institution_id:
        url += f"?instansi={institution_id}"
    target = model._meta.get_field(name).related_model
    prefix = target.spec.code_prefix
    widget = SearchPickerWidget(search_url=url, example=f"{prefix}-BAPPEDA-004, {prefix}-DINKES-012")
    return LinkPickerField(queryset, required=field.required, label=field.label, help_text=field.help_text,
                           widget=widget, disabled=field.disabled)


class ArchitectureObjectForm(ScopedModelForm):
    """Common behaviour: OPD choices the user may write to, reference picker, link scoping,
    and the optimistic-lock version carried through a hidden field."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    validated_with = ("institution",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        spec = model.spec
        self.fields["lock_version"].initial = self.instance.lock_version
        department_field = self.fields["department"]
        if self.user is not None:
            writable = permissions.visible(self.user, Department.objects.filter(is_active=True), permissions.VIEW)
            writable_ids = [
                d.pk for d in writable.select_related("institution")
                if permissions.can_in(self.user, permissions.ADD, model, d.institution_id, d.pk)
            ]
            department_field.queryset = Department.objects.filter(pk__in=writable_ids)
            if len(writable_ids) == 1 and not self.instance.pk and not self.initial.get("department"):
                self.initial["department"] = writable_ids[0]
        if self.instance.pk:
            department_field.disabled = True
        else:
            self._prefill(model)
        self.refresh_on = spec.refresh_on
        self.wire_refresh()  # on an edit too: e.g. the walidata's units follow the walidata OPD chosen
        institution_id = self.instance.institution_id or self._chosen_institution_id()
        for name, catalog, min_level, max_level in spec.pickers():
            model_field = model._meta.get_field(name)
            self.fields[name] = ReferenceNodeField(
                catalog=catalog, min_level=min_level, max_level=max_level, roots=spec.roots(name), required=False,
                label=capfirst(model_field.verbose_name), help_text=model_field.help_text,
            )
            if self.user is not None:
                self.fields[name].queryset = permissions.visible(self.user, self.fields[name].queryset)
            if getattr(self.instance, model_field.attname):
                self.initial[name] = getattr(self.instance, model_field.attname)
        department_id = self.instance.department_id or self.data.get(self.add_prefix("department")) or self.initial.get(
            "department"
        )
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or name == "department" or isinstance(field, ReferenceNodeField):
                continue
            related = queryset.model
            if related is ValueListItem:
                # The instansi's active values of the field's list (``limit_choices_to``), and those it holds.
                allowed = queryset.filter(institution_id=institution_id) if institution_id else queryset
                field.queryset = scopes.scoped_or_current(allowed, self._linked_ids(name))
            elif related is Department and isinstance(field, forms.ModelMultipleChoiceField):
                # Other OPDs (OPD pengguna): the instansi's active OPDs, and those it holds.
                allowed = scopes.allowed_departments(model._meta.get_field(name), institution_id, self.user)
                field.queryset = scopes.scoped_or_current(allowed, self._linked_ids(name))
            elif issubclass(related, ArchitectureObject) and institution_id:
                # The choices shown follow the link's declaration: the instansi's objects where it may cross
                # OPDs, else the OPD's own (plus those linked). A submitted form takes the instansi's objects
                # and leaves the OPD rule to ``link_problems`` in ``clean()``, as the API and the Excel import do.
                scope = queryset.filter(institution_id=institution_id)
                link = link_spec(model, name)
                if not self.is_bound and db_id(department_id) is not None and not (link and link.cross_opd):
                    linked = self._linked_ids(name)
                    scope = scope.filter(Q(department_id=department_id) | Q(pk__in=linked))
                field.queryset = scope.select_related("department")
                field.error_messages["invalid_choice"] = INVALID_LINK
            if issubclass(related, ArchitectureObject) and isinstance(field, forms.ModelMultipleChoiceField) and (
                (link := link_spec(model, name)) and link.cross_opd
            ):
                # Every object of the instansi: a search picker, not a checklist of hundreds.
                self.fields[name] = link_picker(self, name, field, field.queryset.select_related("department"),
                                                institution_id)
            elif related is DepartmentFunction and db_id(department_id) is not None:
                field.queryset = queryset.filter(department_id=department_id)
        self._scope_organizations(model, institution_id)
        self._code_help(model)
        self._scope_upgrades()

    def _scope_upgrades(self):
        """A to-be upgrade picks among the as-is objects of its kind (and keeps the one it holds), never itself;
        ``ArchitectureObject.gap_problems`` refuses any other, as for the API and the Excel import."""
        field = self.fields.get("upgrades")
        if field is None or getattr(field, "queryset", None) is None:
            return
        held = self.instance.upgrades_id
        field.queryset = field.queryset.filter(Q(state=ArchitectureState.AS_IS) | Q(pk=held)).exclude(
            pk=self.instance.pk)

    def _prefill(self, model):
        """Suggestions for a new object's empty fields (the RAL from the linked process's RAB). Choosing
        a ``refresh_on`` field asks for the dependent fields (``refresh_fields``): choices narrowed to
        what was chosen and these suggestions; ``sia/forms.js`` never replaces a field the user touched."""
        if self.is_bound:
            return
        for key, value in model.suggestions(self.initial, self.user).items():
            if key in self.fields and not self.initial.get(key) and not self.initial.get(f"{key}{TEXT_SUFFIX}"):
                self.initial[key] = value
                self.suggested_fields.add(key)

    def refresh_fields(self, trigger: str) -> list[str]:
        """Choices that depend on the OPD and the suggested fields; reference pickers only when suggested;
        the ID field when the OPD changes (its help text shows that OPD's next ID)."""
        names = [
            name for name in super().refresh_fields(trigger)
            if name != "department"
            and (name in self.suggested_fields or not isinstance(self.fields[name], ReferenceNodeField))
        ]
        return names + (["code"] if trigger == "department" and "code" in self.fields else [])

    def _scope_organizations(self, model, institution_id):
        """OPD and unit-kerja choices by the rule ``clean()`` enforces (``sia.architecture.scopes``),
        narrowed to the OPD chosen so far; units named with their OPD where several OPDs' units appear."""
        for name in scopes.department_fields(model):
            if name in self.fields:
                allowed = scopes.allowed_departments(model._meta.get_field(name), institution_id, self.user)
                self.fields[name].queryset = scopes.scoped_or_current(allowed, self._linked_ids(name))
        for name, _opd_field in scopes.unit_fields(model):
            field = self.fields.get(name)
            if field is None:
                continue
            department_id = scopes.unit_department_id(model, name, self._chosen_id)
            allowed = scopes.allowed_units(model._meta.get_field(name), department_id, institution_id, self.user)
            field.queryset = scopes.scoped_or_current(allowed, self._linked_ids(name))
            if department_id is None:
                field.label_from_instance = scopes.unit_choice_label

    def _chosen_id(self, name):
        """The ID held by the OPD field ``name``: as submitted, else as shown, else as saved."""
        field = self.fields.get(name)
        if field is not None and self.is_bound and not field.disabled:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.initial.get(name) or getattr(self.instance, f"{name}_id", None)
        value = getattr(value, "pk", value)
        return db_id(value)

    def _code_help(self, model):
        """The ID example of this domain and the chosen (or the user's only) OPD: “Contoh: LY-DINKES-006”."""
        if "code" not in self.fields:
            return
        if self.instance.pk:
            self.fields["code"].help_text = _("Unik dalam instansi, mis. %(example)s.") % {
                "example": f"{model.spec.code_prefix}-{self.instance.department.abbreviation.upper()}-001"}
            return
        department_id = self._chosen_id("department")
        department = Department.objects.filter(pk=department_id).first() if department_id else None
        example = next_code(model, department.institution_id, department) if department else (
            f"{model.spec.code_prefix}-{_('SINGKATAN OPD')}-001")
        self.fields["code"].help_text = _(
            "Unik dalam instansi. Kosongkan untuk dibuat otomatis. Contoh: %(example)s.") % {"example": example}

    def _linked_ids(self, name) -> list:
        if not self.instance.pk:
            return []
        field = self._meta.model._meta.get_field(name)
        if field.many_to_many:
            return list(getattr(self.instance, name).values_list("pk", flat=True))
        value = getattr(self.instance, field.attname)
        return [value] if value else []

    def _chosen_institution_id(self):
        department_id = self.data.get(self.add_prefix("department")) or self.initial.get("department")
        if db_id(department_id) is not None:
            department = Department.objects.filter(pk=db_id(department_id)).only("institution_id").first()
            return department.institution_id if department else None
        ids = permissions.institution_ids_for(self.user, permissions.ADD, self._meta.model) if self.user else None
        return ids[0] if ids and len(ids) == 1 else None

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if cleaned.get("department"):
            instance.institution_id = cleaned["department"].institution_id
            instance.department = cleaned["department"]
        # ForeignKey links are checked by the model's clean() (``link_problems`` too).
        for field in self._meta.model.link_fields() + self._other_m2m():
            targets = cleaned.get(field.name)
            if targets:
                for problem in instance.link_problems(field.name, targets):
                    self.add_error(field.name, problem)
        return cleaned

    def _other_m2m(self):
        return [f for f in self._meta.model._meta.many_to_many if f.name in self.fields and f not in self._meta.model.link_fields()]


_form_classes: dict = {}


def form_field(model_field, **kwargs):
    """A model field's form field; a web address typed without a scheme is taken as https://."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def form_for(model) -> type[ArchitectureObjectForm]:
    """The form class of a domain, made once from its DomainSpec."""
    if model not in _form_classes:
        meta = type("Meta", (), {"model": model, "fields": list(model.COMMON_FORM_FIELDS + model.spec.form_fields),
                                 "formfield_callback": form_field})
        _form_classes[model] = type(f"{model.__name__}Form", (ArchitectureObjectForm,), {"Meta": meta})
    return _form_classes[model]


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Komentar"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=FREE_TEXT_MAX
    )


class ValueListItemForm(ScopedModelForm):
    class Meta:
        model = ValueListItem
        fields = ["institution", "kind", "name", "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sia.organizations.forms import limit_institutions

        limit_institutions(self, ValueListItem)

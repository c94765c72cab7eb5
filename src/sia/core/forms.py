from django import forms

from django.core.exceptions import ValidationError

from . import permissions
from .choice_rows import read_choices_at_once
from .integers import is_unusable_id, out_of_range_message
from .widgets import ChecklistWidget

REFRESH_PARAM = "_refresh"


class ScopedModelForm(forms.ModelForm):
    """A model form whose choices of related objects are limited to what the user may see.

    ``validated_with`` names model fields that are not on the form but are set on the instance
    before validation (e.g. the instansi an object inherits from its OPD), so that unique
    constraints naming them are still checked by the form instead of failing in the database.
    """

    validated_with: tuple[str, ...] = ()
    # Fields whose change refreshes the fields that depend on them (``refresh_fields``): the server
    # answers with those fields only (htmx out-of-band swaps) and ``sia/forms.js`` leaves alone every
    # field the user has touched or is in.
    refresh_on: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        return exclusions - set(self.validated_with)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._unusable_ids = self._screen_ids()
        for field in self.fields.values():
            read_choices_at_once(field)
            queryset = getattr(field, "queryset", None)
            if user is not None and queryset is not None:
                try:
                    field.queryset = permissions.choices(user, queryset)
                except LookupError:
                    pass  # models without a policy (e.g. users) are scoped by the form itself
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField) and type(field.widget) is forms.SelectMultiple:
                field.widget = ChecklistWidget(attrs=field.widget.attrs, choices=field.choices)
            widget = field.widget
            if isinstance(widget, (forms.Select, forms.SelectMultiple)) and not isinstance(widget, ChecklistWidget):
                widget.attrs.setdefault("class", "select")
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
                widget.attrs["rows"] = "3"  # Django's default of ten rows makes long forms longer
        self.suggested_fields: set[str] = set()

    def _screen_ids(self) -> dict[str, list[str]]:
        """Takes out of the bound data (and a GET prefill) of every choice-of-objects field the values
        that cannot be an ID (past 64 bits, odd digits such as ``²``): asked about, they make the
        database driver fail. ``full_clean`` reports them as errors of their field."""
        names = [name for name, field in self.fields.items() if getattr(field, "queryset", None) is not None]
        unusable = {}
        for name in names:
            if isinstance(self.initial.get(name), (str, list)):
                values = self.initial[name] if isinstance(self.initial[name], list) else [self.initial[name]]
                if any(is_unusable_id(value) for value in values):
                    self.initial.pop(name)
        if not self.is_bound:
            return unusable
        for name in names:
            key = self.add_prefix(name)
            values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
            bad = [value for value in values if isinstance(value, str) and is_unusable_id(value)]
            if bad:
                if not getattr(self.data, "_mutable", True):
                    self.data = self.data.copy()
                kept = [value for value in values if value not in bad]
                if hasattr(self.data, "setlist"):
                    self.data.setlist(key, kept)
                elif kept:
                    self.data[key] = kept[0]
                else:
                    self.data.pop(key, None)
                unusable[name] = bad
        return unusable

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name in getattr(self, "_unusable_ids", {}):
            if name in self.fields:  # a subclass may have dropped the field after screening
                self.add_error(name, ValidationError(out_of_range_message(), code="out_of_range"))

    def wire_refresh(self):
        """Makes the ``refresh_on`` fields ask the edit page for their dependent fields when changed."""
        skipped = [name for name, field in self.fields.items() if isinstance(field.widget, forms.Textarea)]
        for name in self.refresh_on:
            if name in self.fields and not self.fields[name].disabled:
                self.fields[name].widget.attrs.update({
                    "hx-get": f"?{REFRESH_PARAM}=1", "hx-trigger": "change", "hx-include": "closest form",
                    "hx-params": "not " + ",".join(["csrfmiddlewaretoken"] + [self.add_prefix(n) for n in skipped]),
                    "hx-swap": "none", "hx-sync": "closest form:replace", "data-refresh-trigger": "",
                })

    def refresh_fields(self, trigger: str) -> list[str]:
        """The fields a change of ``trigger`` may alter: choices (narrowed by what was chosen) and
        suggested values. Only these are sent back on a refresh."""
        names = [
            name for name, field in self.fields.items()
            if name != trigger and not field.disabled and getattr(field, "queryset", None) is not None
        ]
        return names + [name for name in sorted(self.suggested_fields) if name not in names and name != trigger]

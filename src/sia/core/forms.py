from django import forms

from . import permissions


class ScopedModelForm(forms.ModelForm):
    """A model form whose choices of related objects are limited to what the user may see.

    ``validated_with`` names model fields that are not on the form but are set on the instance
    before validation (e.g. the instansi an object inherits from its OPD), so that unique
    constraints naming them are still checked by the form instead of failing in the database.
    """

    validated_with: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        return exclusions - set(self.validated_with)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if user is not None and queryset is not None:
                try:
                    field.queryset = permissions.choices(user, queryset)
                except LookupError:
                    pass  # models without a policy (e.g. users) are scoped by the form itself
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "select")
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
                widget.attrs["rows"] = "3"  # Django's default of ten rows makes long forms longer

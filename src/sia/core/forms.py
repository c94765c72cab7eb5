from django import forms

from . import permissions


class ScopedModelForm(forms.ModelForm):
    """A model form whose choices of related objects are limited to what the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if user is not None and queryset is not None:
                try:
                    field.queryset = permissions.visible(user, queryset)
                except LookupError:
                    pass  # models without a policy (e.g. users) are scoped by the form itself
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "select")
            if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
                widget.attrs["rows"] = "3"  # Django's default of ten rows makes long forms longer

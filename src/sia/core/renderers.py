"""The form renderer: Django's templates, except a ``<select>`` with Django's own option template, which is written
here in one pass (the template includes one template per option and one per option's attributes: an OPD filter of
forty OPDs rendered 80 templates on every list page). The HTML is the templates' own, character for character
(tests/core/test_renderers.py compares both on every kind of select)."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import SafeData

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class _Unsupported(Exception):
    """A select this module does not write (another option template, a safe string where the template would
    treat it specially): the templates render it."""


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``, escaped as the template escapes it."""
    if isinstance(value, SafeData):
        raise _Unsupported
    if isinstance(value, tuple):
        value = str(value)
    return escape("%s" % value)


def _attrs(attrs, context) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(" " + render_value_in_context(name, context))
        if value is not True:
            parts.append('="' + _formatted(value) + '"')
    return "".join(parts)


def select_html(widget: dict) -> str:
    """``django/forms/widgets/select.html`` with its options (``select_option.html``) for a widget's context."""
    context = Context()
    parts = ['<select name="', render_value_in_context(widget["name"], context), '"',
             _attrs(widget["attrs"], context), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append('\n  <optgroup label="' + render_value_in_context(group_name, context) + '">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                raise _Unsupported
            parts.append('\n  <option value="' + _formatted(option["value"]) + '"' + _attrs(option["attrs"], context)
                         + ">" + render_value_in_context(option["label"], context) + "</option>\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # an option's template ends with a line break; the select's is stripped
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and request is None:
            try:
                return select_html(context["widget"])
            except _Unsupported:
                pass
        return super().render(template_name, context, request)

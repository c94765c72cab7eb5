"""The form renderer writes a ``<select>`` exactly as Django's templates do (``sia.core.renderers``)."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from sia.core.renderers import FormRenderer, select_html
from sia.organizations.models import Department

pytestmark = pytest.mark.django_db


class Every(forms.Form):
    plain = forms.ChoiceField(choices=[("", "—"), ("a", "Satu & dua"), ("b\"c", _("Draf")), (3, "<tiga>")])
    grouped = forms.ChoiceField(choices=[("Kelompok <1>", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    many = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q"), ("r", "R")], required=False)
    flag = forms.NullBooleanField()
    attrs = forms.ChoiceField(choices=[("k", "K")], widget=forms.Select(attrs={
        "data-autosubmit": True, "disabled": False, "class": "a \"b\" & c", "data-n": 7}))
    department = forms.ModelChoiceField(queryset=Department.objects.order_by("name"), required=False)
    safe = forms.ChoiceField(choices=[(mark_safe("<b>v</b>"), mark_safe("<i>label</i>"))])


@pytest.mark.parametrize("data", [{}, {"plain": "a", "grouped": "y", "many": ["p", "r"], "flag": "true",
                                       "department": "*"}, {"plain": "b\"c", "many": ["q"], "flag": "false"}])
def test_every_select_as_the_templates_write_it(world, data):
    if "department" in data:
        data = {**data, "department": str(world.kominfo.pk)}
    ours, theirs = Every(data=data or None, renderer=FormRenderer()), Every(data=data or None, renderer=DjangoTemplates())
    for name in ours.fields:
        assert str(ours[name]) == str(theirs[name]), name
    assert "selected" in str(ours["department"]) or not data


def test_the_fast_path_writes_the_options(world):
    widget = Every()["department"].field.widget
    context = widget.get_context("department", None, {"id": "id_department"})["widget"]
    html = select_html(context)
    assert html.count("<option") == 1 + 3 and "Dinas Kesehatan" in html


def test_the_settings_use_it():
    from django.conf import settings

    assert settings.FORM_RENDERER == "sia.core.renderers.FormRenderer"

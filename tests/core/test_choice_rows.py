"""The options of a choice of objects are read in one ordinary query, not through a server-side cursor
(``sia.core.choice_rows``): the same choices, in the same order, as Django's and django-filter's own iterators."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters import fields as filter_fields

from sia.architecture.filtersets import filterset_for
from sia.architecture.forms import form_for
from sia.architecture.models import DataItem
from sia.core.choice_rows import ChoiceRows, FilterChoiceRows

pytestmark = pytest.mark.django_db


def plain(choices) -> list:
    return [(str(value), str(label)) for value, label in choices]


def refuse_streaming(monkeypatch):
    """From here on ``QuerySet.iterator()`` (a server-side cursor on PostgreSQL) fails the test."""
    def refused():
        raise AssertionError("the options were streamed through QuerySet.iterator()")

    monkeypatch.setattr(connection, "chunked_cursor", refused)


def test_a_filter_bar_reads_each_choice_of_objects_in_one_query(world, rf, monkeypatch):
    request = rf.get("/")
    request.user = world.users["admin"]
    field = filterset_for(DataItem)({}, queryset=DataItem.objects.all(), request=request).form.fields["department"]
    field.null_label = "Tanpa OPD"  # django-filter's "null" option comes after the empty one
    theirs = plain(filter_fields.ModelChoiceIterator(field))
    assert isinstance(field.choices, FilterChoiceRows)
    refuse_streaming(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        ours = plain(field.choices)
    assert len(queries) == 1
    assert ours == theirs and ("null", "Tanpa OPD") in ours
    assert {"DINKES", "DISKOMINFO"} <= {value for value, _label in ours}


def test_a_model_form_reads_each_choice_of_objects_in_one_query(world, monkeypatch):
    form = form_for(DataItem)(user=world.users["operator"])
    # every select of objects (the reference and the links have pickers that search instead of listing)
    selects = [field for field in form.fields.values()
               if isinstance(field, forms.ModelChoiceField) and type(field.widget) is forms.Select]
    assert len(selects) >= 5 and all(field.iterator is ChoiceRows for field in selects)
    theirs = plain(forms.models.ModelChoiceIterator(form.fields["department"]))
    refuse_streaming(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        ours = plain(form.fields["department"].widget.choices)
        html = str(form["department"])
    assert len(queries) == 2  # the choices, then the select written from them again
    assert ours == theirs and any(label.startswith("DISKOMINFO") or "Komunikasi" in label for _v, label in ours)
    assert "Dinas Komunikasi" in html or "DISKOMINFO" in html

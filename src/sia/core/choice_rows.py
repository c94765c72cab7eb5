"""The options of a choice of objects (a ``<select>`` of OPDs, of value-list items) read in one ordinary query.

Django's ``ModelChoiceIterator`` reads them through ``QuerySet.iterator()``, which on PostgreSQL is a server-side
cursor: ``DECLARE ... CURSOR WITH HOLD`` outside a transaction, then ``FETCH``, then ``CLOSE``, each a round trip, none
of them a prepared statement. That suits an export of a million rows; the options of a select are a few dozen (a
select of thousands would be a form to fix, not to stream), and every list page writes three such selects in its
filter bar. ``ChoiceRows`` reads them as one ``SELECT`` (the same rows, in the same order, the same choices).
``FilterChoiceRows`` is the same for django-filter's fields, with their "null" option after the empty one.
"""

from __future__ import annotations

from django import forms
from django_filters import fields as filter_fields


class ChoiceRows(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a fresh read, as ``iterator()`` was, in one query
            yield self.choice(obj)


class FilterChoiceRows(filter_fields.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


def read_choices_at_once(field) -> None:
    """Gives a choice-of-objects ``field`` (of a form instance) the iterator ``ChoiceRows`` and its widget the
    choices again (Django gives the widget an iterator when the field's queryset is set)."""
    if isinstance(field, forms.ModelChoiceField) and field.iterator is forms.models.ModelChoiceIterator:
        field.iterator = ChoiceRows
        field.widget.choices = field.choices

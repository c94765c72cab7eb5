"""A serializer's rows written without DRF's field-by-field machinery: the same dicts, cheaper.

DRF writes each row by asking every field, in turn, for its attribute (``Field.get_attribute``: a walk of the
source path, a callable check, exception handling) and then for its representation (``to_representation``: for
a date and time the current time zone read from a thread-local on every value, for a link the reader's decision
and the object's address). For a page of 50 rows of 25 fields that is over a thousand such calls, a third of an API
list's CPU. ``plan_for(serializer)`` reads the serializer's fields once and returns, for each, a step that gives
the same value with plain Python: an attribute read and one conversion, the time zone, the reader, the request's
address root and the text of a hidden link decided once per batch of rows (``Plan.rows``).

Only what it can do exactly is planned: a field whose class is one of those below, not subclassed (a subclass may
change what a field reads or writes), reading a concrete column of the serializer's model (or a link to one); any
other field, and any value of an unexpected type, goes through the field's own ``get_attribute`` and
``to_representation``, as DRF would. ``tests/architecture/test_api_representation.py`` compares both for every
declared kind, list and detail, in both languages.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils import timezone
from rest_framework import ISO_8601, fields as drf_fields
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from sia.core import permissions

from .fields import RelatedObjectField, VisibleManyRelatedField, held_attr, link_reader, url_maker

SKIP = object()  # a field that leaves itself out of the row (``SkipField``)


class Batch:
    """What the steps of one batch of rows share, read once: the time zone, the reader of links, the addresses."""

    def __init__(self, serializer):
        context = serializer.context
        self.request = context.get("request")
        self.reader = link_reader(context)
        self.zone = timezone.get_current_timezone() if settings.USE_TZ else None
        self.url = url_maker(self.request)
        self.hidden = None

    def hidden_text(self) -> str:
        if self.hidden is None:
            self.hidden = str(permissions.HIDDEN)
        return self.hidden


def _generic(field):
    """The field's own way, as ``Serializer.to_representation`` asks it."""
    def step(row, batch):
        try:
            attribute = field.get_attribute(row)
        except SkipField:
            return SKIP
        check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check_for_none is None else field.to_representation(attribute)
    return step


def _column(field, model):
    """The model column a scalar field reads (its name), or None when it reads anything else."""
    if len(field.source_attrs) != 1 or field.source_attrs[0] != field.field_name:
        return None
    try:
        column = model._meta.get_field(field.field_name)
    except FieldDoesNotExist:
        return None
    if not getattr(column, "concrete", False) or column.is_relation or column.attname != field.field_name:
        return None
    return field.field_name


def _converted(name, convert):
    """The attribute as it is when None or already of type ``convert``, else converted (DRF's ``to_representation``
    of a plain text or whole-number field)."""
    def step(row, batch):
        value = getattr(row, name)
        if value is None or type(value) is convert:
            return value
        return convert(value)
    return step


def _char(name, field):
    return _converted(name, str)


def _integer(name, field):
    return _converted(name, int)


def _big_integer(name, field):
    if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING):
        return _char(name, field)
    return _integer(name, field)


def _boolean(name, field):
    def step(row, batch):
        value = getattr(row, name)
        if value is None or type(value) is bool:
            return value
        return field.to_representation(value)
    return step


def _choice(name, field):
    known = field.choice_strings_to_values

    def step(row, batch):
        value = getattr(row, name)
        if type(value) is str:
            return value if value == "" else known.get(value, value)
        return None if value is None else field.to_representation(value)
    return step


def _datetime(name, field):
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601 or hasattr(field, "timezone"):
        return None
    if type(field).default_timezone is not drf_fields.DateTimeField.default_timezone:
        return None

    def step(row, batch):
        value = getattr(row, name)
        if value is None:
            return None
        zone = batch.zone
        if type(value) is not datetime.datetime or zone is None or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return step


def _date(name, field):
    if getattr(field, "format", api_settings.DATE_FORMAT) != ISO_8601:
        return None

    def step(row, batch):
        value = getattr(row, name)
        if value is None:
            return None
        if type(value) is not datetime.date:
            return field.to_representation(value)
        return value.isoformat()
    return step


SCALARS = {
    drf_fields.CharField: _char,
    drf_fields.URLField: _char,
    drf_fields.IntegerField: _integer,
    drf_fields.BigIntegerField: _big_integer,
    drf_fields.BooleanField: _boolean,
    drf_fields.ChoiceField: _choice,
    drf_fields.DateTimeField: _datetime,
    drf_fields.DateField: _date,
}


def link(batch, value) -> dict:
    """``RelatedObjectField.to_representation``: ``{id, url, display}``, hidden from a reader who may not see it."""
    if not batch.reader.shows(value):
        return {"id": value.pk, "url": None, "display": batch.hidden_text()}
    return {"id": value.pk, "url": batch.url(type(value), value.pk), "display": str(value)}


def _related(field, model):
    name = field.field_name
    if field.source_attrs != [name]:
        return None
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not (column.many_to_one or column.one_to_one) or not column.concrete:
        return None

    def step(row, batch):
        try:
            value = getattr(row, name)
        except ObjectDoesNotExist:
            return None
        return None if value is None else link(batch, value)
    return step


def _many(field, model):
    name = field.field_name
    if field.source_attrs != [name] or type(field.child_relation) is not RelatedObjectField:
        return None
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not column.many_to_many or not column.concrete:
        return None
    attr = held_attr(name)

    def step(row, batch):
        kept = row.__dict__.get(attr)
        if kept is None:
            try:
                kept = field.get_attribute(row)  # not a page's row: the field's own reading (prefetched or queried)
            except SkipField:
                return SKIP
            if kept is None:
                return None
        return [link(batch, value) for value in batch.reader.visible(kept)]
    return step


def _method(serializer, field):
    """``url`` and ``display`` as ``SiaModelSerializer`` writes them (not overridden by the serializer)."""
    from .serializers import SiaModelSerializer

    method = field.method_name
    if method == "get_url" and type(serializer).get_url is SiaModelSerializer.get_url:
        return lambda row, batch: batch.url(type(row), row.pk)
    if method == "get_display" and type(serializer).get_display is SiaModelSerializer.get_display:
        return lambda row, batch: str(row)
    return None


def _step(serializer, field, model):
    kind = type(field)
    step = None
    if kind is drf_fields.SerializerMethodField:
        step = _method(serializer, field)
    elif kind is RelatedObjectField:
        step = _related(field, model)
    elif kind is VisibleManyRelatedField:
        step = _many(field, model)
    elif kind in SCALARS:
        name = _column(field, model)
        step = SCALARS[kind](name, field) if name else None
    return step or _generic(field)


class Plan:
    """The readable fields of one serializer, in order, each with its step."""

    def __init__(self, serializer):
        model = serializer.Meta.model
        self.serializer = serializer
        self.steps = [(field.field_name, _step(serializer, field, model)) for field in serializer._readable_fields]

    def rows(self, rows) -> list[dict]:
        batch = Batch(self.serializer)
        steps = self.steps
        out = []
        for row in rows:
            data = {}
            for name, step in steps:
                value = step(row, batch)
                if value is not SKIP:
                    data[name] = value
            out.append(data)
        return out


def plan_for(serializer) -> Plan:
    """The serializer's plan, made on first use (its fields are its own: ``SiaModelSerializer.get_fields``)."""
    plan = serializer.__dict__.get("_sia_plan")
    if plan is None:
        plan = serializer._sia_plan = Plan(serializer)
    return plan

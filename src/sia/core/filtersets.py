import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS
from django_filters.utils import label_for_filter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import permissions
from .choice_rows import FilterChoiceRows
from .integers import check_db_integer, in_db_range, validate_db_integer


def scoped(model):
    """A filter's choices limited to the rows the requesting user may see."""

    def queryset(request):
        if request is None:
            return model._default_manager.none()
        return permissions.visible(request.user, model)

    return queryset


def _integer_key(queryset, to_field_name) -> bool:
    field = queryset.model._meta.pk if not to_field_name else queryset.model._meta.get_field(to_field_name)
    return isinstance(field, (models.IntegerField, models.AutoField))


class RangeIntegerField(forms.IntegerField):
    """An integer that fits the database's 64-bit columns (larger ones are refused, not sent to the DB)."""

    default_validators = [validate_db_integer]


class RangeModelChoiceField(filter_fields.ModelChoiceField):
    iterator = FilterChoiceRows

    def to_python(self, value):
        if value not in self.empty_values and _integer_key(self.queryset, self.to_field_name):
            check_db_integer(value)
        return super().to_python(value)


class RangeModelMultipleChoiceField(filter_fields.ModelMultipleChoiceField):
    iterator = FilterChoiceRows

    def _check_values(self, value):
        if _integer_key(self.queryset, self.to_field_name):
            for item in value if isinstance(value, (list, tuple)) else [value]:
                check_db_integer(item)
        return super()._check_values(value)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """An integer filter (IDs, years, numbers): anything past 64 bits is a 400 naming the parameter."""

    field_class = RangeIntegerField


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = RangeModelChoiceField


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = RangeModelMultipleChoiceField


CHECKED_FILTERS = (IntegerFilter, ModelChoiceFilter, ModelMultipleChoiceFilter)
UNCHECKED_FILTERS = (
    django_filters.NumberFilter, django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter,
)
_INTEGER_FIELDS = (
    models.AutoField, models.BigAutoField, models.SmallAutoField, models.IntegerField, models.BigIntegerField,
    models.SmallIntegerField, models.PositiveIntegerField, models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)
SIA_FILTER_DEFAULTS = {
    **FILTER_FOR_DBFIELD_DEFAULTS,
    **{field: {"filter_class": IntegerFilter} for field in _INTEGER_FIELDS},
    models.ForeignKey: {**FILTER_FOR_DBFIELD_DEFAULTS[models.ForeignKey], "filter_class": ModelChoiceFilter},
    models.OneToOneField: {**FILTER_FOR_DBFIELD_DEFAULTS[models.OneToOneField], "filter_class": ModelChoiceFilter},
    models.ManyToManyField: {
        **FILTER_FOR_DBFIELD_DEFAULTS[models.ManyToManyField], "filter_class": ModelMultipleChoiceFilter,
    },
}


lazy_label = lazy(label_for_filter, str)  # a generated filter's label, read in the language of each request


class SiaFilterSet(django_filters.FilterSet):
    """The base of every filter set: integer inputs are range-checked before they reach the database.

    Generated filters (``Meta.fields``, a viewset's ``filterset_fields``) get the checked classes;
    a declared ``NumberFilter``/``ModelChoiceFilter``/``ModelMultipleChoiceFilter`` must be the
    checked one from this module, or the class refuses to load.
    """

    FILTER_DEFAULTS = SIA_FILTER_DEFAULTS

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, form_fields=None):
        """``form_fields``: the filters a page shows (None: all). The form then holds those and the filters the
        data names, not every filter: a filter absent from the data filters nothing (``filter_is_idle``, every
        declared kind checked in tests/architecture/test_filter_form_fields.py), and each field built costs (a model
        choice's scoped queryset: the data list's filter set has 25 filters, its page shows 8)."""
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.form_fields = None if form_fields is None else frozenset(form_fields)

    def _named_in_data(self, name: str) -> bool:
        """Whether the data may hold a value of filter ``name``: its name or a key a multi-part widget makes of
        it (``period_min``, ``created_after``), a prefixed form's keys likewise."""
        key = f"{self.form_prefix}-{name}" if self.form_prefix else name
        return any(k == key or k.startswith(key + "_") for k in self.data)

    def get_form_class(self):
        if self.form_fields is None:
            return super().get_form_class()
        fields = {name: filter_.field for name, filter_ in self.filters.items()
                  if name in self.form_fields or self._named_in_data(name)}
        return type(f"{type(self).__name__}Form", (self._meta.form,), fields)

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for name, filter_ in filters.items():
            if filter_._label is None and cls._meta.model is not None:
                # django-filter names a generated filter from the model only on a filter set's copy; a read of the
                # class's own filter (the API schema reads ``.field``) kept a form field labelled None, which every
                # copy inherited: the list pages said "Category" (the field's name) in every language.
                filter_.label = lazy_label(cls._meta.model, filter_.field_name, filter_.lookup_expr, filter_.exclude)
            if isinstance(filter_, UNCHECKED_FILTERS) and not isinstance(filter_, CHECKED_FILTERS):
                raise ImproperlyConfigured(
                    f"{cls.__name__}.{name}: use sia.core.filtersets.{type(filter_).__name__.replace('Number', 'Integer')}"
                    " (integer inputs are range-checked there)."
                )
        return filters


class SearchFilterSet(SiaFilterSet):
    """Adds a ``q`` search over ``search_fields`` (case-insensitive)."""

    q = django_filters.CharFilter(method="search", label=_("Cari"))
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


def directory(model):
    """A filter's choices limited to what the requesting user may pick as a link (OPDs of the instansi)."""

    def queryset(request):
        if request is None:
            return model._default_manager.none()
        return permissions.choices(request.user, model)

    return queryset


class NaturalKeyChoiceField(RangeModelMultipleChoiceField):
    """Rows named by their natural key (``DINKES``, ``RAB.09.06``), case-insensitively, or by their ID.

    A select offers the rows by name with the natural key as value, so the URL carries the code.
    A text that is a natural key names those rows (a code is never read as an ID); otherwise digits
    name a row by ID.
    """

    def _check_values(self, value):
        """The rows named, read in one query (a list: the filter only iterates them)."""
        key = self.to_field_name
        values = list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
        if not values:
            return []
        for text in values:  # no database stores a NUL in text (PostgreSQL refuses the query)
            ProhibitNullCharactersValidator()(text)
        wanted = Q()
        for text in values:
            wanted |= Q(**{f"{key}__iexact": text})
            if text.isascii() and text.isdigit():
                check_db_integer(text)
                wanted |= Q(pk=int(text))
        rows = list(self.queryset.filter(wanted))
        chosen = {}
        for text in values:
            named = [row for row in rows if str(getattr(row, key)).lower() == text.lower()]
            by_id = [row for row in rows if text.isascii() and text.isdigit() and row.pk == int(text)]
            if not (named or by_id):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": text})
            chosen.update({row.pk: row for row in named or by_id})
        return list(chosen.values())


class NaturalKeyFilter(ModelMultipleChoiceFilter):
    """An FK filter that takes codes: ``?department=DINKES`` (or ``?department=12``; several allowed).

    ``natural_key`` names the related model's field holding the code (``abbreviation``, ``code``).
    """

    field_class = NaturalKeyChoiceField

    def __init__(self, *args, natural_key: str, **kwargs):
        kwargs["to_field_name"] = natural_key
        super().__init__(*args, **kwargs)

    def get_filter_predicate(self, v):
        return {self.field_name: v}


class CodeOrIdField(forms.CharField):
    """A code or an ID: digits past the database's 64-bit range are refused like any integer input."""

    default_validators = [check_db_integer]


class CodeOrIdFilter(django_filters.CharFilter):
    """A text filter on a link to rows too many for a select (objects, reference nodes): the row's code
    (``PB-DINKES-001``, case-insensitive) or its ID."""

    field_class = CodeOrIdField

    def __init__(self, *args, natural_key: str = "code", **kwargs):
        self.natural_key = natural_key
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        q = Q(**{f"{self.field_name}__{self.natural_key}__iexact": value})
        if value.isascii() and value.isdigit() and in_db_range(int(value)):
            q |= Q(**{f"{self.field_name}_id": int(value)})
        return qs.filter(q)

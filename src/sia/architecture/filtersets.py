"""Filters for every architecture domain, built from the model's DomainSpec."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from sia.core import permissions
from sia.core.filtersets import (
    CodeOrIdFilter, IntegerFilter, ModelMultipleChoiceFilter, NaturalKeyFilter, SearchFilterSet, directory, scoped,
)
from sia.core.integers import in_db_range
from sia.organizations.models import Department, Institution

from .choices import ArchitectureState, ReviewStatus
from .expiry import FILTER as EXPIRY_FILTER
from .expiry import expiry_of
from .models import ValueListItem


class ArchitectureFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "description")
    institution_id = ModelMultipleChoiceFilter(
        field_name="institution", queryset=scoped(Institution), label=_("Instansi"), distinct=False,
    )
    department_id = ModelMultipleChoiceFilter(
        field_name="department", queryset=scoped(Department), label=_("OPD"), distinct=False,
    )
    # Codes in the URL (``?department=DINKES&institution=82``); IDs are accepted too, and the ``_id``
    # filters above stay for clients that send IDs.
    department = NaturalKeyFilter(
        field_name="department", natural_key="abbreviation", queryset=directory(Department), label=_("OPD"),
        distinct=False,
    )
    institution = NaturalKeyFilter(
        field_name="institution", natural_key="code", queryset=scoped(Institution), label=_("Instansi"),
        distinct=False,
    )
    # Columns of the object's own row match it once: no DISTINCT (which sorted every matching row of the instansi
    # before the page could be cut).
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_("Status review"), distinct=False)
    state = django_filters.MultipleChoiceFilter(choices=ArchitectureState.choices, label=_("Kondisi"), distinct=False)
    reference = django_filters.CharFilter(method="filter_reference", label=_("Kode referensi"))
    reference_id = IntegerFilter(field_name="reference_id", label=_("ID referensi"))
    period = django_filters.CharFilter(field_name="period", label=_("Periode"))

    def filter_reference(self, queryset, name, value):
        """A code prefix: RAB.09 matches everything mapped under RAB.09; digits are a node's ID."""
        value = value.strip().upper().split(" ")[0]
        if not value:
            return queryset
        if value.isascii() and value.isdigit():
            return queryset.filter(reference_id=int(value)) if in_db_range(int(value)) else queryset.none()
        return queryset.filter(Q(reference__code=value) | Q(reference__code__startswith=value + "."))


def _value_choices(field):
    limit = field.get_limit_choices_to()

    def queryset(request):
        return scoped(ValueListItem)(request).filter(**limit)

    return queryset


def _filter_expired(queryset, name, value):
    expiry = expiry_of(queryset.model, value)
    return queryset.filter(expiry.condition()) if expiry else queryset


class LinkFilter(IntegerFilter):
    """``?<link field>=<ID>``: the objects whose declared link (``LinkSpec``, a field or a ``through`` link)
    points to that object, when the reader may see it (a hidden object's links stay hidden). An ID: anything
    else is a 400."""

    def __init__(self, *args, holder, link, **kwargs):
        self.holder, self.link = holder, link
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        target = self.link.target_model(self.holder)
        request = getattr(self.parent, "request", None)
        seen = permissions.visible(getattr(request, "user", None), target).filter(pk=value).values("pk")
        if self.link.through:
            source, linked = self.link.through_fields
            rows = self.link.through_model()._default_manager.filter(**{f"{linked}__in": seen})
            return qs.filter(pk__in=rows.values(f"{source}_id"))
        return qs.filter(**{f"{self.link.field}__in": seen})  # one linked object: no row twice


def _link_filters(model, taken) -> dict:
    """A ``LinkFilter`` per link ``model`` declares (``spec.links``), besides the filters already named so."""
    return {
        link.field: LinkFilter(
            holder=model, link=link,
            label=format_lazy("{} {} (ID)", capfirst(link.meaning), link.target_model(model)._meta.verbose_name),
        )
        for link in model.spec.links if link.field not in taken
    }


_filtersets: dict = {}


def filterset_for(model):
    if model not in _filtersets:
        extra, handled = {}, set()
        for name in model.spec.filter_fields:
            field = model._meta.get_field(name)
            if field.is_relation:
                handled.add(name)
            if field.is_relation and field.related_model is ValueListItem:
                extra[name] = NaturalKeyFilter(
                    field_name=name, natural_key="name", queryset=_value_choices(field), label=field.verbose_name,
                    distinct=False,  # a filter field is never a many-to-many (sia check): one row each
                )
            elif field.is_relation:
                # A code or an ID typed in, not a choice list: an OPD may have thousands of objects.
                extra[name] = CodeOrIdFilter(field_name=name, label=field.verbose_name)
                extra[f"{name}_id"] = IntegerFilter(field_name=f"{name}_id", label=field.verbose_name)
        if model.spec.expiry:  # ``?kedaluwarsa=<key>``: the objects out of date in that way (DomainSpec.expiry)
            extra[EXPIRY_FILTER] = django_filters.ChoiceFilter(
                choices=[(expiry.key, expiry.label) for expiry in model.spec.expiry], method=_filter_expired,
                label=_("Peringatan"),
            )
        meta = type("Meta", (), {"model": model, "fields": [n for n in model.spec.filter_fields if n not in handled]})
        # ``?servers=8``: every declared link filters by the linked object's ID (``LinkFilter``).
        extra.update(_link_filters(model, {*extra, *model.spec.filter_fields, *ArchitectureFilterSet.base_filters}))
        _filtersets[model] = type(f"{model.__name__}FilterSet", (ArchitectureFilterSet,), {"Meta": meta, **extra})
    return _filtersets[model]

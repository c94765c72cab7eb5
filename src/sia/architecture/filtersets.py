"""Filters for every architecture domain, built from the model's DomainSpec."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sia.core.filtersets import IntegerFilter, ModelMultipleChoiceFilter, SearchFilterSet, scoped
from sia.organizations.models import Department, Institution

from .choices import ArchitectureState, ReviewStatus
from .models import ValueListItem


class ArchitectureFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "description")
    institution_id = ModelMultipleChoiceFilter(
        field_name="institution", queryset=scoped(Institution), label=_("Instansi")
    )
    department_id = ModelMultipleChoiceFilter(
        field_name="department", queryset=scoped(Department), label=_("OPD")
    )
    department = django_filters.CharFilter(
        field_name="department__abbreviation", lookup_expr="iexact", label=_("Singkatan OPD")
    )
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_("Status review"))
    state = django_filters.MultipleChoiceFilter(choices=ArchitectureState.choices, label=_("Kondisi"))
    reference = django_filters.CharFilter(method="filter_reference", label=_("Kode referensi"))
    reference_id = IntegerFilter(field_name="reference_id", label=_("ID referensi"))
    period = django_filters.CharFilter(field_name="period", label=_("Periode"))

    def filter_reference(self, queryset, name, value):
        """A code prefix: RAB.09 matches everything mapped under RAB.09."""
        value = value.strip().upper().split(" ")[0]
        if not value:
            return queryset
        return queryset.filter(Q(reference__code=value) | Q(reference__code__startswith=value + "."))


def _value_choices(field):
    limit = field.get_limit_choices_to()

    def queryset(request):
        return scoped(ValueListItem)(request).filter(**limit)

    return queryset


_filtersets: dict = {}


def filterset_for(model):
    if model not in _filtersets:
        extra, handled = {}, set()
        for name in model.spec.filter_fields:
            field = model._meta.get_field(name)
            if field.is_relation:
                handled.add(name)
            if field.is_relation and field.related_model is ValueListItem:
                extra[name] = ModelMultipleChoiceFilter(
                    field_name=name, queryset=_value_choices(field), label=field.verbose_name,
                )
            elif field.is_relation:
                # IDs, not a choice list: an OPD may have thousands of objects.
                extra[f"{name}_id"] = IntegerFilter(field_name=f"{name}_id", label=field.verbose_name)
        meta = type("Meta", (), {"model": model, "fields": [n for n in model.spec.filter_fields if n not in handled]})
        _filtersets[model] = type(f"{model.__name__}FilterSet", (ArchitectureFilterSet,), {"Meta": meta, **extra})
    return _filtersets[model]

"""Filter sets of targets and snapshots (API and list page share them)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _lazy

from sia.core.filtersets import ModelMultipleChoiceFilter, SearchFilterSet, scoped
from sia.organizations.models import Department, Institution

from .models import ProgressSnapshot, Target


class TargetFilterSet(SearchFilterSet):
    institution = ModelMultipleChoiceFilter(queryset=scoped(Institution), label=_lazy("Instansi"))
    department = ModelMultipleChoiceFilter(queryset=scoped(Department), label=_lazy("Perangkat daerah"))
    search_fields = ("name",)

    class Meta:
        model = Target
        fields = ["institution", "department", "rule", "domain"]


class ProgressSnapshotFilterSet(SearchFilterSet):
    institution = ModelMultipleChoiceFilter(queryset=scoped(Institution), label=_lazy("Instansi"))
    department = ModelMultipleChoiceFilter(queryset=scoped(Department), label=_lazy("Perangkat daerah"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_lazy("Dari tanggal"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_lazy("Sampai tanggal"))
    search_fields = ("domain",)

    class Meta:
        model = ProgressSnapshot
        fields = ["institution", "department", "domain", "date"]

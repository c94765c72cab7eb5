"""One filter set per model of the roadmap: id and natural-key filters for its links, and a ``q`` search (the API and
the list pages share them)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _lazy

from sia.architecture.choices import ReviewStatus
from sia.core.filtersets import IntegerFilter, ModelMultipleChoiceFilter, SearchFilterSet, scoped
from sia.organizations.models import Department, Institution

from .choices import ActivityStatus, Area
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget


def _institution_filter(path):
    return ModelMultipleChoiceFilter(field_name=path, queryset=scoped(Institution), label=_lazy("Instansi"))


class StrategicTargetFilterSet(SearchFilterSet):
    institution = _institution_filter("institution")
    search_fields = ("code", "name")

    class Meta:
        model = StrategicTarget
        fields = ["institution", "period", "code"]


class InitiativeFilterSet(SearchFilterSet):
    institution = _institution_filter("target__institution")
    target = ModelMultipleChoiceFilter(queryset=scoped(StrategicTarget), label=_lazy("Sasaran strategis"))
    search_fields = ("code", "name")

    class Meta:
        model = Initiative
        fields = ["institution", "target", "code"]


class ProgramFilterSet(SearchFilterSet):
    institution = _institution_filter("initiative__target__institution")
    initiative = ModelMultipleChoiceFilter(queryset=scoped(Initiative), label=_lazy("Inisiatif"))
    search_fields = ("code", "name")

    class Meta:
        model = Program
        fields = ["institution", "initiative", "area", "code"]


class ActivityFilterSet(SearchFilterSet):
    institution = _institution_filter("institution")
    department = ModelMultipleChoiceFilter(queryset=scoped(Department), label=_lazy("OPD penanggung jawab"))
    program = ModelMultipleChoiceFilter(queryset=scoped(Program), label=_lazy("Program"))
    area = django_filters.MultipleChoiceFilter(field_name="program__area", choices=Area.choices, label=_lazy("Area"))
    progress = django_filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=_lazy("Status pelaksanaan"))
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_lazy("Status review"))
    year = IntegerFilter(method="in_year", label=_lazy("Berjalan pada tahun"))
    search_fields = ("code", "name", "output")

    class Meta:
        model = Activity
        fields = ["institution", "department", "program", "area", "progress", "status", "year", "code"]

    def in_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class ActivityYearFilterSet(SearchFilterSet):
    institution = _institution_filter("activity__institution")
    department = ModelMultipleChoiceFilter(field_name="activity__department", queryset=scoped(Department),
                                           label=_lazy("OPD penanggung jawab"))
    activity = ModelMultipleChoiceFilter(queryset=scoped(Activity), label=_lazy("Kegiatan"))
    area = django_filters.MultipleChoiceFilter(field_name="activity__program__area", choices=Area.choices,
                                               label=_lazy("Area"))
    search_fields = ("activity__code", "activity__name")

    class Meta:
        model = ActivityYear
        fields = ["institution", "department", "activity", "area", "year", "source", "done"]


class ActivityGapFilterSet(SearchFilterSet):
    institution = _institution_filter("activity__institution")
    department = ModelMultipleChoiceFilter(field_name="activity__department", queryset=scoped(Department),
                                           label=_lazy("OPD penanggung jawab"))
    activity = ModelMultipleChoiceFilter(queryset=scoped(Activity), label=_lazy("Kegiatan"))
    search_fields = ("activity__code", "activity__name")

    class Meta:
        model = ActivityGap
        fields = ["institution", "department", "activity", "object_id"]

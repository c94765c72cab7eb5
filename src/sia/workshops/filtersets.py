"""The kegiatan's filters (list page and API): kind, mode, invited OPD, period, and a ``q`` search."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sia.core.filtersets import ModelMultipleChoiceFilter, SearchFilterSet, scoped
from sia.organizations.models import Department, Institution

from .choices import AttendanceStatus, WorkshopKind, WorkshopMode
from .models import Attendance, Workshop


class WorkshopFilterSet(SearchFilterSet):
    institution = ModelMultipleChoiceFilter(queryset=scoped(Institution), label=_("Instansi"))
    department = ModelMultipleChoiceFilter(field_name="departments", queryset=scoped(Department),
                                           label=_("OPD diundang"), distinct=True)
    kind = django_filters.MultipleChoiceFilter(choices=WorkshopKind.choices, label=_("Jenis kegiatan"))
    mode = django_filters.MultipleChoiceFilter(choices=WorkshopMode.choices, label=_("Moda"))
    period = django_filters.ChoiceFilter(method="in_period", label=_("Waktu"), choices=(
        ("akan-datang", _("Akan datang")), ("selesai", _("Sudah selesai"))))
    search_fields = ("title", "place")

    class Meta:
        model = Workshop
        fields = ["institution", "department", "kind", "mode"]

    def in_period(self, queryset, name, value):
        from django.utils import timezone

        now = timezone.now()
        return queryset.filter(ends_at__gte=now) if value == "akan-datang" else queryset.filter(ends_at__lt=now)


class AttendanceFilterSet(SearchFilterSet):
    workshop = ModelMultipleChoiceFilter(queryset=scoped(Workshop), label=_("Kegiatan"))
    department = ModelMultipleChoiceFilter(queryset=scoped(Department), label=_("OPD"))
    status = django_filters.MultipleChoiceFilter(choices=AttendanceStatus.choices, label=_("Kehadiran"))
    search_fields = ("participant__username", "participant__first_name", "participant__last_name", "note")

    class Meta:
        model = Attendance
        fields = ["workshop", "department", "status"]

"""Filters of the governance register (list pages and API alike)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sia.core.filtersets import ModelMultipleChoiceFilter, SearchFilterSet, scoped
from sia.organizations.models import Institution

from .choices import DocumentStatus, DocumentType, TeamRole
from .models import PolicyDocument, TeamMember, in_force_q


class PolicyDocumentFilterSet(SearchFilterSet):
    institution = ModelMultipleChoiceFilter(queryset=scoped(Institution), label=_("Instansi"))
    type = django_filters.MultipleChoiceFilter(choices=DocumentType.choices, label=_("Jenis"))
    status = django_filters.MultipleChoiceFilter(choices=DocumentStatus.choices, label=_("Status"))
    in_force = django_filters.BooleanFilter(method="filter_in_force", label=_("Berlaku hari ini"))
    search_fields = ("number", "title")

    class Meta:
        model = PolicyDocument
        fields = ["institution", "type", "status", "in_force", "indicators"]

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(in_force_q()) if value else queryset.exclude(in_force_q())


class TeamMemberFilterSet(SearchFilterSet):
    institution = ModelMultipleChoiceFilter(field_name="document__institution", queryset=scoped(Institution),
                                            label=_("Instansi"))
    document = ModelMultipleChoiceFilter(queryset=scoped(PolicyDocument), label=_("Dokumen"))
    role = django_filters.MultipleChoiceFilter(choices=TeamRole.choices, label=_("Peran dalam tim"))
    search_fields = ("name", "position", "nip")

    class Meta:
        model = TeamMember
        fields = ["institution", "document", "role"]

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sia.core.filtersets import (
    CodeOrIdFilter, IntegerFilter, ModelChoiceFilter, NaturalKeyFilter, RangeModelChoiceField, SearchFilterSet, scoped,
)
from sia.organizations.models import Institution

from . import tree
from .choices import Completeness, VersionStatus
from .models import Catalog, CatalogVersion, ReferenceNode


class AliasedSearchFilterSet(SearchFilterSet):
    """``search`` is accepted as another name for ``q`` (the name DRF's search filter uses)."""

    search = django_filters.CharFilter(method="search_text", label=_("Cari (sama dengan q)"))

    def search_text(self, queryset, name, value):
        return self.filters["q"].filter(queryset, value)


class CatalogFilterSet(AliasedSearchFilterSet):
    search_fields = ("code", "name", "domain")

    class Meta:
        model = Catalog
        fields = ["q", "search", "code"]


class CatalogVersionFilterSet(AliasedSearchFilterSet):
    search_fields = ("name", "source", "notes")
    catalog = django_filters.CharFilter(field_name="catalog__code", lookup_expr="iexact", label=_("Katalog (RAB, RAL, ...)"))
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices, label=_("Status"))
    completeness = django_filters.ChoiceFilter(choices=Completeness.choices, label=_("Kelengkapan"))
    is_current = django_filters.BooleanFilter(label=_("Versi berlaku"))

    class Meta:
        model = CatalogVersion
        fields = ["q", "search", "catalog", "status", "completeness", "is_current"]


def visible_versions(request):
    return scoped(CatalogVersion)(request).select_related("catalog")


class VersionChoiceField(RangeModelChoiceField):
    """A catalog version named as it reads, catalog code and version name (``RAB Perpres 132/2022``, any
    case), or by its ID. The select offers that name as the value, so the URL carries it, not an ID."""

    def prepare_value(self, value):
        if isinstance(value, CatalogVersion):
            return str(value)
        if isinstance(value, str) and value.strip():  # the value asked for, as its option reads (any case, or an ID)
            try:
                return str(self.to_python(value) or "")
            except forms.ValidationError:
                return value
        return super().prepare_value(value)

    def to_python(self, value):
        text = str(value).strip() if value not in self.empty_values else ""
        if not text:
            return None
        code, _space, name = text.partition(" ")
        if name:
            found = self.queryset.filter(catalog__code__iexact=code, name__iexact=name.strip()).first()
            if found:
                return found
        if text.isascii() and text.isdigit():
            return super().to_python(text)
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text})


@extend_schema_field(OpenApiTypes.STR)
class VersionFilter(ModelChoiceFilter):
    field_class = VersionChoiceField


class ReferenceNodeFilterSet(AliasedSearchFilterSet):
    """``q`` (or ``search``): a code prefix (``RAB.09.06``) or words of the name, ignoring accents and case."""

    q = django_filters.CharFilter(method="search_nodes", label=_("Cari"))

    catalog = django_filters.CharFilter(
        field_name="version__catalog__code", lookup_expr="iexact", label=_("Katalog (RAB, RAL, ...)")
    )
    version = VersionFilter(queryset=visible_versions, label=_("Versi"))
    current = django_filters.BooleanFilter(field_name="version__is_current", label=_("Hanya versi berlaku"))
    level = IntegerFilter(label=_("Tingkat"))
    parent = CodeOrIdFilter(field_name="parent", natural_key="code", label=_("Induk (kode atau ID)"))
    parent_code = django_filters.CharFilter(field_name="parent__code", label=_("Kode induk"))
    code = django_filters.CharFilter(lookup_expr="iexact", label=_("Kode"))
    institution = NaturalKeyFilter(field_name="institution", natural_key="code", queryset=scoped(Institution),
                                   label=_("Instansi"))
    national = django_filters.BooleanFilter(field_name="institution", lookup_expr="isnull", label=_("Simpul nasional"))

    class Meta:
        model = ReferenceNode
        fields = ["q", "search", "catalog", "version", "current", "level", "parent", "parent_code", "code", "institution", "national"]

    def search_nodes(self, queryset, name, value):
        if not value.strip():
            return queryset
        return tree.search(queryset, value)

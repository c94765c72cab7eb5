import django_filters
from django.utils.translation import gettext_lazy as _

from sia.core.filtersets import CodeOrIdFilter, IntegerFilter, ModelChoiceFilter, NaturalKeyFilter, SearchFilterSet, scoped
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


class ReferenceNodeFilterSet(AliasedSearchFilterSet):
    """``q`` (or ``search``): a code prefix (``RAB.09.06``) or words of the name, ignoring accents and case."""

    q = django_filters.CharFilter(method="search_nodes", label=_("Cari"))

    catalog = django_filters.CharFilter(
        field_name="version__catalog__code", lookup_expr="iexact", label=_("Katalog (RAB, RAL, ...)")
    )
    version = ModelChoiceFilter(queryset=visible_versions, label=_("Versi"))
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

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import permissions


def scoped(model):
    """A filter's choices limited to the rows the requesting user may see."""

    def queryset(request):
        if request is None:
            return model._default_manager.none()
        return permissions.visible(request.user, model)

    return queryset


class SearchFilterSet(django_filters.FilterSet):
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

from django_filters.rest_framework import DjangoFilterBackend

from sia.core.filtersets import SiaFilterSet


class SiaFilterBackend(DjangoFilterBackend):
    """django-filter for the API; filters generated from a viewset's ``filterset_fields`` are built on
    ``SiaFilterSet`` too, so their integer inputs are range-checked like every declared filter set."""

    filterset_base = SiaFilterSet

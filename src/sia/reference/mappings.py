"""The architecture entries mapped to a reference node ("Dipetakan oleh"), as one user may see them.

Every architecture domain has a ``reference``
foreign key to :class:`~sia.reference.models.ReferenceNode`. ``mapped_entries`` reads, for each
domain of the node's catalog, the entries whose ``reference`` is the node, scoped by the permission module, with one
query per domain whatever the number of entries (the total comes from a window count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db.models import Count, Window
from django.urls import NoReverseMatch, reverse

from sia.core import permissions

MAPPED_LIMIT = 50


@dataclass
class MappedGroup:
    """The entries of one domain mapped to a node: the first ``limit`` by code, and how many there are."""

    model: type
    label: str
    entries: list = field(default_factory=list)
    total: int = 0
    list_url: str | None = None  # the domain's list filtered on the node, for the entries beyond the limit

    @property
    def domain(self) -> str:
        return self.model.spec.api_name

    @property
    def slug(self) -> str:
        return self.model.spec.slug

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)


_mapping_sources: list[Callable[[], list]] = []


def register_mapping_models(source: Callable[[], list]) -> None:
    """An app above reference whose models map entries to reference nodes (the architecture domains: a
    ``reference`` foreign key to :class:`ReferenceNode` and a ``spec`` naming the catalog) registers the function
    that lists them, in its ``AppConfig.ready()``; reference never imports the apps built on it."""
    if source not in _mapping_sources:
        _mapping_sources.append(source)


def mapping_models() -> list:
    """The models that map their entries to reference nodes, in their declared order."""
    models = [model for source in _mapping_sources for model in source()]
    return sorted(models, key=lambda model: model.spec.order)


def mapped_entries(user, node, *, limit: int = MAPPED_LIMIT) -> list[MappedGroup]:
    """One group per architecture domain that maps to the node's catalog (a RAI node: the infrastruktur
    kinds), in the domains' order, empty groups included."""
    catalog = node.version.catalog.code
    groups = []
    for model in mapping_models():
        if model.spec.catalog != catalog:
            continue
        queryset = permissions.visible(user, model._default_manager.filter(reference_id=node.pk))
        rows = list(
            queryset.select_related("department")
            .annotate(mapped_total=Window(expression=Count("pk")))
            .order_by("code", "pk")[:limit]
        )
        label = str(model.spec.menu_label or model._meta.verbose_name_plural)
        try:
            list_url = reverse(f"{model._meta.app_label}:{model._meta.model_name}_list") + f"?reference_id={node.pk}"
        except NoReverseMatch:
            list_url = None
        groups.append(MappedGroup(
            model=model, label=label, entries=rows, total=rows[0].mapped_total if rows else 0, list_url=list_url,
        ))
    return groups

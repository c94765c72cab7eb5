"""Loads the shipped national catalogs after ``migrate`` (fresh databases, test databases too), and keeps
``ReferenceNode.is_national_leaf`` of a parent whose national child is deleted."""

from django.db import DEFAULT_DB_ALIAS, connections

from .models import Catalog, CatalogVersion, ReferenceNode
from .models.nodes import refresh_national_leaves


def load_default_catalogs(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if using != DEFAULT_DB_ALIAS:
        return  # SIA keeps its data in one database
    tables = set(connections[using].introspection.table_names())
    needed = {model._meta.db_table for model in (Catalog, CatalogVersion, ReferenceNode, ReferenceNode.history.model)}
    if not needed <= tables:
        return  # migrated backwards or only partly: nothing to load into
    from .loader import ensure_default_catalogs

    ensure_default_catalogs()


def national_node_deleted(sender, instance, **kwargs):
    """The parent of a deleted national node may now be the deepest national node there."""
    if instance.institution_id is None and instance.parent_id is not None:
        refresh_national_leaves([instance.parent_id])

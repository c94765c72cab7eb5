"""The many-to-many links of a page of API rows (and of one object's GET and page), read with one query per link
whose SQL is compiled once per link and page size (``sia.core.compiled.rows_for_each``) instead of Django's prefetch,
which built, resolved and compiled a filtered queryset per link on every request (twelve for an application: 40% of
the list's CPU).

What each row gets is what ``Prefetch(name, to_attr=held_attr(name))`` gave it: the linked objects, in the linked
model's order, in a plain list under ``held_attr(name)``; whole, or, for the API (which shows them only as links),
with only the columns of a link (``read_columns``). The query is the link's table joined to the linked model,
unscoped as a prefetch is (what a reader may see of a link is ``permissions.LinkReader``'s to decide), so its SQL is
the same for every reader and holds nothing but the page's IDs.
"""

from __future__ import annotations

import functools

from sia.core import compiled, permissions
from sia.core.api.fields import held_attr

from .models.base import ArchitectureObject
from .policies import ArchitecturePolicy


SMALLEST = 8
# The first of the IDs no row has that the queries are compiled for (``stand_ins``).
STAND_IN = -(2**62) - 1017


def stand_ins(count: int) -> list[int]:
    """IDs no row has, as many as the power of two (from ``SMALLEST``) that holds ``count``: pages of 13 and 20
    rows share one compiled query."""
    size = SMALLEST
    while size < count:
        size *= 2
    return [STAND_IN - 1 - i for i in range(size)]


def by_id(model, ids) -> dict:
    """``model._default_manager.in_bulk(ids)`` (every column), from SQL compiled once per model and number of IDs
    (padded with ``stand_ins``): the objects the foreign keys of a page of API rows, or of one object, point to
    (``api.views.load_links``), whose query Django built and compiled anew for each linked model on every request."""
    ids = list(ids)
    if not ids:
        return {}
    manager = model._default_manager
    names = tuple(f.attname for f in model._meta.concrete_fields)
    key = ("by-id", model._meta.label, names)
    build = lambda values: manager.filter(pk__in=values).values(*names).order_by()  # noqa: E731
    pk = model._meta.pk.attname
    return {row[pk]: model.from_db(manager.db, names, [row[name] for name in names])
            for row in compiled.rows_for_each(key, build, ids, stand_ins(len(ids)))}


def _ordering(field) -> list[str] | None:
    """The linked model's ordering, read through the link's table; None when it is not plain field names."""
    target = field.m2m_reverse_field_name()
    ordering = field.related_model._meta.ordering
    if not all(isinstance(item, str) and item != "?" for item in ordering):
        return None
    return [f"{'-' if item.startswith('-') else ''}{target}__{item.lstrip('-')}" for item in ordering]


def keepable(field) -> bool:
    return _ordering(field) is not None


# What a link of a list shows and what its reader is decided on, for an architecture object: ``{id, url, display}``
# (``str()``: code and name) and ``ArchitecturePolicy``'s view (status, instansi, OPD).
LINK_COLUMNS = ("id", "code", "name", "status", "institution_id", "department_id")


@functools.cache
def read_columns(model, links_only: bool = False) -> tuple[str, ...]:
    """The columns read of ``model``'s linked rows: all, or with ``links_only`` only ``LINK_COLUMNS`` where they are
    all an architecture object's link needs (its ``str()`` and policy are the base class's); the rest stays deferred,
    as a ``only()`` query's (a list's links read 6 of an object's 22-31 columns)."""
    names = tuple(f.attname for f in model._meta.concrete_fields)
    if (links_only and issubclass(model, ArchitectureObject) and model.__str__ is ArchitectureObject.__str__
            and type(permissions.policy_for(model)) is ArchitecturePolicy):
        return tuple(name for name in names if name in LINK_COLUMNS)
    return names


def _query(field, ids, names):
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    return (through._default_manager.filter(**{f"{source}_id__in": ids})
            .values(f"{source}_id", *(f"{target}__{name}" for name in names)).order_by(*_ordering(field)))


def load_held(rows: list, fields: list, links_only: bool = False) -> None:
    """Each row's objects of each many-to-many ``fields`` (``keepable``) in ``held_attr(name)``: one query per field.
    ``links_only``: the objects are only shown as links (an API list), read with ``read_columns(model, True)``."""
    if not fields:
        return
    ids = [row.pk for row in rows]
    places = stand_ins(len(ids))
    for field in fields:
        model = field.related_model
        names = read_columns(model, links_only)
        source, target = f"{field.m2m_field_name()}_id", field.m2m_reverse_field_name()
        found: dict = {pk: [] for pk in ids}
        if ids:
            key = ("api-held", field.model._meta.label, field.name, names)
            db = field.remote_field.through._default_manager.db
            for named in compiled.rows_for_each(key, lambda values: _query(field, values, names), ids, places):
                obj = model.from_db(db, names, [named[f"{target}__{name}"] for name in names])
                found[named[source]].append(obj)
        attr = held_attr(field.name)
        for row in rows:
            row.__dict__[attr] = found[row.pk]

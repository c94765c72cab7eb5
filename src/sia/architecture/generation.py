"""The generation of the architecture (``sia.core.generations``): its token changes with the commit of every
change to what a reader of the whole architecture reads — the objects of every declared kind, the rows of every
declared link (ForeignKeys are the holder's own row; many-to-many tables and ``through`` rows of their own) and
the OPDs (their names label the objects). ``sia.insights`` keeps each instansi's graph under it.

The signals are connected from the declarations, so a kind or link declared tomorrow is covered as it is.
Writers in bulk (``bulk_create``, ``bulk_update`` and a queryset's ``update`` send no signal: the Excel import's
links, a snapshot restore, the demo) wrap their work in ``changing()``. What is kept under a generation also has
a lifetime (``SIA_INSIGHTS_GRAPH_SECONDS``), a bound on what a write past all of these could leave stale.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, pre_delete, pre_save

from sia.core import generations

from .linkspec import declared_links
from .registry import domain_models

NAME = "architecture"


def token() -> str:
    """The architecture's generation now: one query."""
    return generations.current(NAME)


def changing():
    """A block that writes architecture rows in bulk: one new generation when it ends."""
    return generations.deferred(NAME)


def _changed(sender, **kwargs):
    generations.bump(NAME)


def _m2m_changed(sender, action, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        generations.bump(NAME)


def watched_models() -> tuple[list, list]:
    """(models whose saves and deletes change the architecture, many-to-many tables of declared links)."""
    from sia.organizations.models import Department

    rows, tables = [Department, *domain_models()], []
    for holder, spec in declared_links():
        if spec.through:
            rows.append(spec.through_model())
            continue
        field = holder._meta.get_field(spec.field)
        if field.many_to_many:
            tables.append(field.remote_field.through)
    return list(dict.fromkeys(rows)), list(dict.fromkeys(tables))


def connect() -> None:
    """Records the change as each write is made (``pre_save``, ``pre_delete``, ``pre_add``...), in its transaction: a
    write that then fails rolls it back with it, or, outside a transaction, leaves a new token for nothing, which
    only costs a graph read. Recording is an insert (``sia.core.generations``): it never waits on another writer."""
    rows, tables = watched_models()
    for model in rows:
        pre_save.connect(_changed, sender=model, dispatch_uid=f"sia-generation-save-{model._meta.label}")
        pre_delete.connect(_changed, sender=model, dispatch_uid=f"sia-generation-delete-{model._meta.label}")
    # A many-to-many table changes through its manager (``add``, ``remove``, ``set``, ``clear``); its rows written as
    # rows (``through.objects.create``, ``bulk_create``, a queryset delete) send no signal (Django sends none for an
    # auto-created table), so code that writes them so runs in ``changing()`` (the Excel import, a restore); an
    # object's own delete, which takes its link rows with it, bumps.
    for table in tables:
        m2m_changed.connect(_m2m_changed, sender=table, dispatch_uid=f"sia-generation-m2m-{table._meta.label}")

"""The generation of the architecture (``sia.core.generations``): its token changes with the commit of every
change to what a reader of the whole architecture reads — the objects of every declared kind, the rows of every
declared link (ForeignKeys are the holder's own row; many-to-many tables and ``through`` rows of their own) and
the OPDs (their names label the objects). ``sia.insights`` keeps each instansi's graph under it.

The signals are connected from the declarations, so a kind or link declared tomorrow is covered as it is.
Writers in bulk (``bulk_create``, ``bulk_update`` and a queryset's ``update`` send no signal: the Excel import's
links, a snapshot restore, the demo) wrap their work in ``changing()``. What is kept under a generation also has
a lifetime (``SIA_INSIGHTS_GRAPH_SECONDS``), a bound on what a write past all of these could leave stale.

The same writes also change the generation of one *part* (``parts()``), so that what is kept per kind (the home
pages' figures, ``sia.architecture.kept``) is computed again only for the kinds a change touched:

- a save of an object of a kind: that kind's part (``part(model)``);
- a link added or removed (a many-to-many table, a link row of its own): the parts of the kinds at both ends;
- everything else (a delete, which takes link rows of other kinds with it; an OPD, whose names and state label
  every kind's rows; an OPD's functions; a write in bulk, ``changing()``): the part of every kind, ``ALL``.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db.models.signals import m2m_changed, pre_delete, pre_save

from sia.core import generations

from .linkspec import declared_links
from .registry import domain_models

NAME = "architecture"
PARTS = "fig:"  # the parts' names: "fig:<app>.<model>" per kind, ``ALL`` for every kind
ALL = PARTS + "*"


def token() -> str:
    """The architecture's generation now: one query."""
    return generations.current(NAME)


def parts() -> dict[str, str]:
    """The generation of every part now, ``{part name: token}`` (a part never changed is missing): one query."""
    return generations.current_under(PARTS)


def part(model) -> str:
    """The part of one kind (a domain, a reviewed kind of another app)."""
    return PARTS + model._meta.label_lower


@contextmanager
def changing():
    """A block that writes architecture rows in bulk: one new generation when it ends, of every part too."""
    with generations.deferred(NAME), generations.deferred(ALL):
        yield


def bump(*models) -> None:
    """The architecture changed in the kinds ``models`` (none: in every kind, ``ALL``). In a ``changing()`` block
    nothing more is recorded: the block records ``ALL``."""
    generations.bump(NAME)
    if generations.deferring(ALL):
        return
    for name in dict.fromkeys(part(model) for model in models) if models else (ALL,):
        generations.bump(name)


def ends(table) -> list:
    """The kinds at the ends of a link table (its foreign keys to a kind's objects; an OPD's function is none)."""
    kinds = set(domain_models())
    return [f.related_model for f in table._meta.concrete_fields if f.is_relation and f.related_model in kinds]


def _saved(sender, **kwargs):
    bump(sender)


def _changed(sender, **kwargs):
    bump()


def link_changed(sender, **kwargs):
    """A row of the link table ``sender`` changed: the parts of the kinds at its ends (every part when none is)."""
    kinds = ends(sender)
    if kinds:
        bump(*kinds)
    else:
        bump()


def _m2m_changed(sender, action, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        link_changed(sender)


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
    from sia.organizations.models import Department

    rows, tables = watched_models()
    kinds = set(domain_models())
    for model in rows:
        # A kind's save changes its own part; a link row's save or delete the parts at its ends; the rest every part.
        saved = _saved if model in kinds else _changed if model is Department else link_changed
        deleted = link_changed if saved is link_changed else _changed
        pre_save.connect(saved, sender=model, dispatch_uid=f"sia-generation-save-{model._meta.label}")
        pre_delete.connect(deleted, sender=model, dispatch_uid=f"sia-generation-delete-{model._meta.label}")
    # A many-to-many table changes through its manager (``add``, ``remove``, ``set``, ``clear``); its rows written as
    # rows (``through.objects.create``, ``bulk_create``, a queryset delete) send no signal (Django sends none for an
    # auto-created table), so code that writes them so runs in ``changing()`` (the Excel import, a restore); an
    # object's own delete, which takes its link rows with it, bumps.
    for table in tables:
        m2m_changed.connect(_m2m_changed, sender=table, dispatch_uid=f"sia-generation-m2m-{table._meta.label}")

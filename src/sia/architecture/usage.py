"""What still uses an architecture object: the objects that hold a declared link to it (``declared_links()``:
many-to-many, ForeignKey and links kept in their own model, ``LinkSpec.through``), self-links included (a
server hosting virtual servers, a process's sub-processes).

An object something still links to is not deleted: Django would silently drop the many-to-many rows and
the link rows of other objects (an application of another OPD would lose its server without a history entry
or a new version). ``delete(obj)`` is the one deletion path of the web page and the API: it locks the row,
reads what still uses it and deletes only when nothing does, in one transaction. ``incoming(obj)`` runs one
query per link declaration that points at the object's kind, whatever the number of holders.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from sia.core import permissions

from .linkspec import declared_links


@dataclass
class Holder:
    """An object that links to the one asked about, with the declarations it links through."""

    obj: object
    links: list = field(default_factory=list)

    @property
    def model(self):
        return type(self.obj)

    @property
    def meanings(self) -> list[str]:
        return [str(link.meaning) for link in self.links]


class InUse(Exception):
    """Raised by ``delete`` when other objects still link to the object; nothing was changed."""

    def __init__(self, obj, holders: list[Holder]):
        super().__init__(f"{obj} is still linked from {len(holders)} object(s)")
        self.obj, self.holders = obj, holders


def incoming_declarations(model) -> list[tuple]:
    """(holder model, LinkSpec) of every declared link whose target is ``model``."""
    concrete = model._meta.concrete_model
    return [(holder, link) for holder, link in declared_links()
            if link.target_model(holder)._meta.concrete_model is concrete]


def incoming(obj) -> list[Holder]:
    """The objects holding a declared link to ``obj`` (never ``obj`` itself), in declaration order then by code;
    an object linking through several declarations appears once. One query per incoming declaration."""
    holders: dict[tuple, Holder] = {}
    for model, link in incoming_declarations(type(obj)):
        lookup = f"{link.field}__{link.through_fields[1]}" if link.through else link.field
        rows = model._default_manager.filter(**{lookup: obj})
        if model._meta.concrete_model is type(obj)._meta.concrete_model:
            rows = rows.exclude(pk=obj.pk)
        rows = rows.select_related("department").distinct().order_by("code", "pk")
        for row in rows:
            holder = holders.setdefault((model._meta.concrete_model, row.pk), Holder(row))
            holder.links.append(link)
    return list(holders.values())


def seen_by(holders: list[Holder], user) -> tuple[list[Holder], int]:
    """(the holders ``user`` may see, the number of the others), decided by the rule behind every link
    (``permissions.LinkReader``: one query per holder kind at most)."""
    reader = permissions.LinkReader(user)
    reader.prime([holder.obj for holder in holders])
    shown = [holder for holder in holders if reader.shows(holder.obj)]
    return shown, len(holders) - len(shown)


def describe(holders: list[Holder], user) -> dict:
    """What still uses an object as the API answers it: the holders ``user`` may see (kind, code, name, OPD,
    the links' meanings) and how many others there are."""
    shown, hidden = seen_by(holders, user)
    return {
        "used_by": [
            {
                "kind": holder.model.spec.api_name,
                "kind_name": str(holder.model._meta.verbose_name),
                "id": holder.obj.pk,
                "code": holder.obj.code,
                "name": holder.obj.name,
                "department": getattr(holder.obj.department, "abbreviation", None),
                "links": [link.field for link in holder.links],
            }
            for holder in shown
        ],
        "hidden_count": hidden,
    }


@dataclass
class DeleteNote:
    """What deleting an object does to rows of an app above the architecture, said on the delete page: a message and
    the rows it names that the user may see (text, URL), and how many others there are."""

    message: str
    links: list = field(default_factory=list)
    hidden_count: int = 0


_DELETE_NOTES: list = []


def register_delete_note(func) -> None:
    """An app above the architecture (the roadmap: the kegiatan closing the object as a gap lose that link) says
    what deleting an object does to its rows: ``func(obj, user)`` returns a ``DeleteNote`` or None. Registered in
    its ``AppConfig.ready()``; the architecture never imports it."""
    if func not in _DELETE_NOTES:
        _DELETE_NOTES.append(func)


def delete_notes(obj, user) -> list[DeleteNote]:
    """The notes of the registered apps on deleting ``obj`` (those that have something to say)."""
    return [note for note in (func(obj, user) for func in _DELETE_NOTES) if note is not None]


def delete(obj) -> None:
    """Deletes ``obj`` unless another object still links to it (``InUse``, nothing changed). The row is locked
    first, so a link added meanwhile by another transaction is either seen here or waits for the delete."""
    model = type(obj)
    with transaction.atomic():
        list(model._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True))
        holders = incoming(obj)
        if holders:
            raise InUse(obj, holders)
        obj.delete()

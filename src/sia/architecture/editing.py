"""One edit of an architecture object, the same for the web form and the API.

``Edit(obj, user)`` is made before the form or serializer touches ``obj``: it remembers what the
object held (``changes.snapshot``) and the links the user cannot see (``changes.hidden_links``).
``save(values, links, version)`` then, in one transaction:

- locks the stored row and compares its version with the one the editor read (``conflict`` with the
  current row when they differ: nothing is written);
- keeps the hidden links next to the chosen ones;
- writes nothing when no value and no link changed (``unchanged``: a reviewed object stays reviewed);
- stamps the edit: the next version, the link changes as the audit-trail reason, back to draft when
  it had been reviewed (``reopened``) (``changes.stamp_edit``);
- saves the object and its links; a new object gets its creation event and its creation links in the
  audit trail (``created``).

Plain class: callers (``views.DomainEditView``, ``api.views.ArchitectureViewSet``) validate, check the
permission with ``may_save`` and turn the outcome into their answer; tests call it without HTTP.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from sia.core import permissions

from . import changes, workflow


class Outcome(enum.StrEnum):
    CREATED = "created"
    SAVED = "saved"
    REOPENED = "reopened"  # saved; it had been verified or validated and is a draft again
    UNCHANGED = "unchanged"  # nothing differed: nothing written
    CONFLICT = "conflict"  # someone saved another version since the editor read it: nothing written


@dataclass
class Result:
    outcome: Outcome
    obj: object  # the saved object (or the edited one, unsaved, when nothing was written)
    current: object = None  # the stored row, on a conflict
    changed: list[str] = field(default_factory=list)  # names of the fields and links that changed

    @property
    def written(self) -> bool:
        return self.outcome in (Outcome.CREATED, Outcome.SAVED, Outcome.REOPENED)


class Edit:
    """Creates or changes ``obj`` on behalf of ``user``; make it before ``obj`` receives the new values."""

    def __init__(self, obj, user):
        self.obj, self.user = obj, user
        self.creating = obj.pk is None
        self.before = {} if self.creating else changes.snapshot(obj)
        self.hidden = changes.hidden_links(obj, user)

    def may_save(self, values=None) -> bool:
        """Whether the user may add (or change) the object as it would be saved (``values``: the edited copy)."""
        action = permissions.ADD if self.creating else permissions.CHANGE
        return permissions.can(self.user, action, self.obj if values is None else values)

    def links(self, chosen: dict[str, Iterable]) -> dict[str, set]:
        """The links to store: those chosen (objects or IDs) plus those the user could not see."""
        return {name: changes.pks(targets) | self.hidden.get(name, set()) for name, targets in chosen.items()}

    def save(self, values=None, links: dict[str, Iterable] | None = None, version=None) -> Result:
        """Saves the edit. ``values``: an instance holding the new field values (the validated form
        instance or serializer copy; default ``obj`` itself); ``links``: the many-to-many fields the editor
        sent, as objects or IDs; ``version``: the version the editor read (an int or a set of acceptable
        ones; ignored on creation)."""
        obj = self.obj
        values = obj if values is None else values
        links = self.links(links or {})
        with transaction.atomic():
            if self.creating:
                if values is not obj:
                    _copy_values(values, obj)
                self._write(obj, links)
                workflow.record_creation(obj, self.user)
                changes.note_creation_links([obj])
                return Result(Outcome.CREATED, obj, changed=sorted(links))
            current = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            if current.lock_version not in _versions(version):
                return Result(Outcome.CONFLICT, obj, current=current)
            changed = changes.changed(self.before, values, links)
            if not changed:
                return Result(Outcome.UNCHANGED, obj)
            if values is not obj:
                _copy_values(values, obj)
            reopened = changes.stamp_edit(obj, self.before, links, current.lock_version, self.user)
            self._write(obj, links)
        return Result(Outcome.REOPENED if reopened else Outcome.SAVED, obj, changed=changed)

    @staticmethod
    def _write(obj, links: dict[str, set]) -> None:
        obj.save()
        for name, ids in links.items():
            getattr(obj, name).set(ids)


def _versions(version) -> set:
    if version is None:
        return set()
    if isinstance(version, (set, frozenset, list, tuple)):
        return set(version)
    return {version}


def _copy_values(source, target) -> None:
    """The edited field values of ``source`` onto ``target`` (never its version or review status)."""
    for model_field in target._meta.concrete_fields:
        if model_field.primary_key or model_field.name in changes.SKIPPED:
            continue
        if model_field.is_relation and model_field.is_cached(source):
            setattr(target, model_field.name, getattr(source, model_field.name))
        else:
            setattr(target, model_field.attname, getattr(source, model_field.attname))

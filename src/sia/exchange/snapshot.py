"""JSON export and restore of a whole instansi, to move it between databases (SQLite ↔ PostgreSQL).

``snapshot_export.export_institution(institution)`` returns a JSON-ready dict;
``snapshot_restore.restore_institution(data)`` recreates the instansi (under its own code, or
``code=`` another) and returns it. What goes in is a registry of *sections* (``register_section``,
this module), one per model, in restore order: the organisation, its own reference nodes, value
lists, every architecture domain, review events and the SPBE assessments (``snapshot_sections``).
Audit data (the history tables, import records) is left out; the restore writes its own history
records, all under one request ID.

How a row refers to another row:
- inside the snapshot: the target's position in its section (an int), or the section's declared
  key (value lists by ``[kind, name]``, OPDs by ``[abbreviation]``);
- outside it: a natural key list (``register_natural_key``): reference nodes by
  ``[catalog, version name, code]``, catalog versions, frameworks, indicators, content types;
- users and evidence blobs are *shared* rows (``register_shared``): written once in ``shared`` and
  matched by username / SHA-256 on restore (created when missing, never with superuser flags).
Rows keep their order (primary key), so exporting a restored instansi gives the same document.

What a restore may do to accounts is the restorer's decision, not the snapshot's:
- password hashes (exported only with ``credentials=True``) are set on created users only with
  ``accept_password_hashes=True``; otherwise created users get an unusable password (an admin
  sets one: Django's password reset skips such accounts), so a tampered snapshot cannot plant a
  usable account;
- users that already exist here and are matched by username (and the roles the copy would give
  them) are listed in a ``snapshot_restore.UsersNeedConfirmation`` and nothing is written, unless
  ``confirm_users=True``; ``snapshot_restore.RestoreResult`` lists them again.

Stored files (an evidence blob, the instansi logo) are not in the document, only their names:
``sia.exchange.archive`` packs them with it into a .zip and passes them to the restore as
``files`` (name → verified content). A file the restore needs that is neither given nor already in
the target storage stops the restore (``RestoreError``): nothing is restored without its files
(``snapshot_files`` checks and writes them).

This module is the vocabulary both directions share: the registry, the format, the errors and the
field helpers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from sia.organizations.models import Institution

FORMAT = "sia-instansi/1"
BATCH = 1000


class RestoreError(ValueError):
    """The snapshot cannot be restored here; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Section:
    name: str  # "app_label.model_name"
    model: type
    rows: Callable  # institution -> queryset
    key: tuple[str, ...] = ()  # fields other rows use to refer to these rows (else their position)
    grants: tuple[str, str] | None = None  # (user field, role field): a row gives that user a role


@dataclass(frozen=True)
class Shared:
    model: type
    key: str
    fields: tuple[str, ...]
    secret: tuple[str, ...] = ()  # exported only with credentials=True, restored only with accept_password_hashes
    content_hash: str = ""  # a file field whose content's SHA-256 the key is (checked on restore)
    confirm: bool = False  # matching an existing row needs the restorer's confirmation (accounts)


@dataclass(frozen=True)
class NaturalKey:
    model: type
    fields: tuple[str, ...]
    narrow: dict = field(default_factory=dict)  # extra filter (e.g. national reference nodes only)


_sections: list[Section] = []
_shared: dict = {}
_natural: dict = {}
_excluded: set = set()
_file_checks: dict = {}  # (model, file field name) -> check(upload) -> {field: value the check found}


def register_section(model, rows, *, key: tuple[str, ...] = (), grants: tuple[str, str] | None = None) -> None:
    """Adds ``model``'s rows of an instansi to the snapshot, restored after the sections before it.
    ``grants=(user field, role field)`` marks rows that give a user a role (listed for confirmation)."""
    label = model._meta.label_lower
    _sections[:] = [s for s in _sections if s.name != label]
    _sections.append(Section(label, model, rows, tuple(key), grants))


def register_shared(model, key: str, fields, *, secret=(), content_hash: str = "", confirm: bool = False) -> None:
    _shared[model] = Shared(model, key, tuple(fields), tuple(secret), content_hash, confirm)


def register_natural_key(model, fields, **narrow) -> None:
    _natural[model] = NaturalKey(model, tuple(fields), narrow)


def register_file_check(model, field_name: str, check: Callable) -> None:
    """Declares the check an upload of ``model.field_name`` goes through (the very function the upload
    uses). A restore runs it on every such file before anything is written and refuses the whole
    archive when it fails; ``check(upload)`` returns the row's values the check determines (e.g.
    ``{"mime": ...}``, read from the bytes), which replace those written in the archive."""
    _file_checks[(model, field_name)] = check


def exclude_from_snapshot(*models_) -> None:
    """Declares models that belong to an instansi but are deliberately left out (audit data)."""
    _excluded.update(models_)


def sections() -> list[Section]:
    """The sections in restore order."""
    return list(_sections)


def shared_specs() -> dict:
    """``{model: Shared}`` for the rows written once in ``shared`` (accounts, evidence blobs)."""
    return dict(_shared)


def natural_key(model) -> NaturalKey | None:
    return _natural.get(model)


def file_check(model, field_name: str) -> Callable | None:
    return _file_checks.get((model, field_name))


def uncovered_models() -> list:
    """Models whose rows hang off an instansi but that no section covers nor exclusion names."""
    from django.apps import apps

    scoped = {Institution}
    candidates = [m for m in apps.get_models() if not hasattr(m, "instance_type") and m.__module__.startswith("sia.")]
    changed = True
    while changed:
        changed = False
        for model in candidates:
            if model in scoped:
                continue
            if any(is_link(f) and f.related_model in scoped for f in model._meta.concrete_fields):
                scoped.add(model)
                changed = True
    covered = {s.model for s in _sections} | _excluded | set(_shared)
    return sorted((m for m in scoped if m not in covered), key=lambda m: m._meta.label)


# --- how fields are written -----------------------------------------------------------------------
def plain(value):
    """A field's value as JSON holds it (dates in ISO format, decimals and UUIDs as text, files by name)."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def generic_fks(model) -> list:
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def is_link(field) -> bool:
    """A stored link to one row: a ForeignKey or a OneToOneField (both hold the other row's key)."""
    return field.many_to_one or field.one_to_one


def m2m_fields(model) -> list:
    """The model's many-to-many fields without an explicit through model (links are written per row)."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def stored_file_fields(model, names) -> list:
    """The model's file fields (among ``names`` when given): their content lives in storage, not in the row."""
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.FileField) and (names is None or f.name in names)]

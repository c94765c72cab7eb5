"""Reads the audit trail of one object as a list of human-readable entries."""

from __future__ import annotations

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _

TYPE_LABELS = {"+": _("dibuat"), "~": _("diubah"), "-": _("dihapus")}
SKIPPED = {"created", "updated", "id", "status_since"}  # status_since: the status change says it


def _tracked_fields(record_model, instance_model):
    fields = []
    for field in instance_model._meta.concrete_fields:
        if field.name in SKIPPED:
            continue
        try:
            record_model._meta.get_field(field.name)
        except Exception:
            continue
        fields.append(field)
    return fields


def history_entries(obj, limit: int = 500, parts: tuple = (), user=None) -> list[dict]:
    """Newest first: who changed what, when, in which request, from which value to which.

    ``parts`` names child models edited together with the object (an OPD's fungsi) as
    ``(model, foreign key name)``: their changes, deletions included, join the object's trail.
    ``user`` is the reader, handed to a model's ``history_display(field, value, record=, user=)`` hook
    (a link to an object the reader may not see is shown without its name).
    """
    entries = _entries(type(obj), obj.history.all(), limit, user=user)
    for model, fk_name in parts:
        records = model.history.filter(**{f"{fk_name}_id": obj.pk})
        for entry in _entries(model, records, limit, label=model._meta.verbose_name, user=user):
            entries.append(entry)
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def _entries(model, history, limit, label=None, user=None) -> list[dict]:
    records = list(history.select_related("history_user").order_by("history_date", "history_id")[:limit])
    if not records:
        return []
    fields = _tracked_fields(type(records[0]), model)
    raw_changes = []
    previous_by_object = {}
    for record in records:
        previous = previous_by_object.get(record.id)
        changes = []
        for field in fields:
            attname = field.attname
            new = getattr(record, attname, None)
            old = getattr(previous, attname, None) if previous is not None else None
            if previous is None and new in (None, ""):
                continue
            if previous is not None and old == new:
                continue
            changes.append((field, old, new))
        raw_changes.append((record, changes))
        previous_by_object[record.id] = record

    names = _related_names(change for _record, changes in raw_changes for change in changes)
    entries = []
    for record, changes in raw_changes:
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "type_label": TYPE_LABELS.get(record.history_type, record.history_type),
                "request_id": getattr(record, "request_id", None),
                "reason": record.history_change_reason,
                "part": _part(model, record, label),
                "changes": [
                    {"field": field.verbose_name, "old": _display(field, old, names, record, user),
                     "new": _display(field, new, names, record, user)}
                    for field, old, new in changes
                ],
            }
        )
    return entries


def _part(model, record, label) -> str:
    """The child a part's entry is about: its label and name, or what the model's ``history_part(record)`` hook
    says instead (a name the reader may not see left out)."""
    if not label:
        return ""
    named = getattr(model, "history_part", None)
    text = named(record) if named is not None else str(record.history_object)
    return f"{label}: {text}" if text else str(label)


def _related_names(changes) -> dict:
    wanted = defaultdict(set)
    for field, old, new in changes:
        if isinstance(field, models.ForeignKey):
            for value in (old, new):
                if value is not None:
                    wanted[field.related_model].add(value)
    names = {}
    for model, ids in wanted.items():
        for pk, instance in model._default_manager.in_bulk(list(ids)).items():
            names[(model, pk)] = str(instance)
    return names


def _display(field, value, names, record=None, user=None):
    if value is None or value == "":
        return "—"
    shown = getattr(field.model, "history_display", None)  # a model's own way to show a value (rupiah, a gap)
    if shown is not None and (text := shown(field, value, record=record, user=user)) is not None:
        return text
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return value

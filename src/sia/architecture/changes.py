"""What an edit really changes, so that saving an untouched form does not reopen a reviewed object,
links the editor cannot see are kept, and link changes are written into the audit trail."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sia.core import permissions

SKIPPED = {"lock_version", "status", "status_since", "updated", "created", "institution"}


def snapshot(obj) -> dict:
    """The object's editable values and its many-to-many links, before an edit."""
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in SKIPPED}
    if obj.pk:
        for field in obj._meta.many_to_many:
            values[field.name] = set(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def hidden_links(obj, user) -> dict[str, set]:
    """Links of ``obj`` that ``user`` may not see (e.g. another OPD's draft process): an edit by
    that user must keep them, since the user could neither see nor choose them."""
    hidden = {}
    if not obj.pk or user is None:
        return hidden
    reader = permissions.LinkReader(user)  # the rule that hid them from the user's form and API
    for field in type(obj).link_fields():
        unseen = {target.pk for target in getattr(obj, field.name).all() if not reader.shows(target)}
        if unseen:
            hidden[field.name] = unseen
    return hidden


def changed(before: dict, obj, m2m_values: dict) -> list[str]:
    """Names of the fields whose value differs from ``before`` (many-to-many given as ID sets)."""
    names = [
        f.name for f in obj._meta.concrete_fields
        if f.name not in SKIPPED and before.get(f.attname) != getattr(obj, f.attname)
    ]
    for name, ids in m2m_values.items():
        if before.get(name, set()) != set(ids):
            names.append(name)
    return names


def link_change_reason(obj, before: dict, m2m_values: dict) -> str:
    """A line for the audit trail listing links added and removed, e.g. “Proses bisnis: +PB-X −PB-Y”."""
    parts = []
    for name, ids in m2m_values.items():
        old, new = before.get(name, set()), set(ids)
        if old == new:
            continue
        field = obj._meta.get_field(name)
        labels = _labels(field, old | new)
        added = " ".join(f"+{labels.get(pk, pk)}" for pk in sorted(new - old))
        removed = " ".join(f"−{labels.get(pk, pk)}" for pk in sorted(old - new))
        parts.append(f"{field.verbose_name}: {' '.join(p for p in (added, removed) if p)}")
    return _("Tautan diubah — %(changes)s") % {"changes": "; ".join(parts)} if parts else ""


def _labels(field, pks) -> dict:
    """Each target's ID, or its text when it has none; the IDs read as values (an import's 10,000 targets are not
    built as objects), only the targets without one as objects."""
    model = field.related_model
    manager = model._default_manager
    if not any(f.name == "code" for f in model._meta.concrete_fields):
        return {o.pk: getattr(o, "code", None) or str(o) for o in manager.filter(pk__in=pks)}
    labels = dict(manager.filter(pk__in=pks).values_list("pk", "code"))
    blank = [pk for pk, code in labels.items() if not code]
    if blank:
        labels.update({o.pk: str(o) for o in manager.filter(pk__in=blank)})
    return labels


def note_creation_links(objects) -> None:
    """Writes the links objects were created with into their creation entry of the audit trail.

    Many-to-many links are saved after the object's first history row, so that row cannot hold
    them: once they are saved, its reason gets “Dibuat dengan tautan — Proses bisnis: PB-X”. A few
    queries per model and link field, whatever the number of objects (web and API; the Excel import writes
    its audit records after the links, with ``creation_link_notes`` as their reason).
    """
    notes = creation_link_notes(objects)
    by_model: dict = {}
    for (model, pk), note in notes.items():
        by_model.setdefault(model, {})[pk] = note
    for model, wanted in by_model.items():
        records = list(model.history.filter(id__in=list(wanted), history_type="+").order_by("history_id"))
        for record in records:
            reason = record.history_change_reason
            record.history_change_reason = f"{reason} · {wanted[record.id]}" if reason else wanted[record.id]
        if records:
            type(records[0])._default_manager.bulk_update(records, ["history_change_reason"])


def creation_link_notes(objects) -> dict:
    """``{(model, pk): "Dibuat dengan tautan — Proses bisnis: PB-X"}`` of saved objects whose many-to-many links
    are saved: a few queries per model and link field."""
    by_model: dict = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    notes = {}
    for model, group in by_model.items():
        pks = [obj.pk for obj in group]
        parts: dict = {pk: [] for pk in pks}
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            pairs = list(through.objects.filter(**{f"{source}__in": pks}).values_list(source, target))
            labels = _labels(field, {t for _s, t in pairs})
            linked: dict = {}
            for source_pk, target_pk in pairs:
                linked.setdefault(source_pk, []).append(str(labels.get(target_pk, target_pk)))
            label = str(field.verbose_name)  # translated once per field, not once per object
            for pk, names in linked.items():
                parts[pk].append(f"{label}: {', '.join(sorted(names))}")
        template = _("Dibuat dengan tautan — %(links)s")
        for pk, lines in parts.items():
            if lines:
                notes[(model, pk)] = template % {"links": "; ".join(lines)}
    return notes


def stamp_edit(obj, before: dict, links: dict, current_version: int, user) -> bool:
    """Prepares ``obj`` for saving an edit: next version, link changes as the audit-trail reason,
    back to draft when it had been reviewed. Returns True when it was reopened."""
    from . import workflow

    obj.lock_version = current_version + 1
    obj._change_reason = link_change_reason(obj, before, links) or None
    return workflow.reopen_if_reviewed(obj, user)


def pks(values) -> set:
    return {getattr(v, "pk", v) for v in values or []}

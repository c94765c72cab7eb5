"""Writes a clean import plan: every row or none, each change in the audit trail.

Call ``write_plan`` inside ``transaction.atomic()`` and ``sia.core.request_context.action_scope()``
(``uploads.commit_import`` does both): new objects are inserted in batches per kind after the values their
``save()`` derives (``derive_fields``), with their review events (``workflow.record_creations``) and audit
records in one insert per batch (``sia.core.bulk_insert``: the rows ``bulk_create`` and simple-history's
``bulk_history_create`` write, without their per-value compilation); updated objects are saved through their own
``save()`` with ``_history_user`` set, reviewed objects that change go back to draft
(``workflow.reopen_if_reviewed``); history records (one per object, with the request ID) and links are written in
bulk.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.architecture import changes, generation, workflow
from sia.architecture.models.base import next_code
from sia.core import bulk_insert
from sia.core.request_context import current_request_id

from .importer import CREATE, UPDATE, ImportPlan


BATCH = 500  # new objects per progress report (each batch: its objects, then their review events)


def write_plan(plan: ImportPlan, *, user, reason: str = "", progress=None) -> dict:
    """Saves the plan's creates and updates; returns the counts. The plan must be clean. The architecture's
    generation changes once, as the writing starts (its links are written in bulk, which sends no signal).
    ``progress(done, total)``, when given, is called after every batch of rows written."""
    if not plan.is_clean:
        raise ValidationError(_("Berkas masih bermasalah; tidak ada yang disimpan."))
    with generation.changing():
        return _write(plan, user, reason, progress or (lambda done, total: None))


def _write(plan: ImportPlan, user, reason: str, progress) -> dict:
    links = [row for row in plan.rows if row.sheet.spec.relation and row.action in (CREATE, UPDATE)]
    creates = [row for row in plan.rows if row.action == CREATE and not row.sheet.spec.relation]
    updates = [row for row in plan.rows if row.action == UPDATE and not row.sheet.spec.relation]
    total, done = len(creates) + len(updates) + len(links), 0
    new_ids = {id(row.instance) for row in creates}
    for row in creates:
        row.instance.pk = None  # the temporary negative ID of validation
    _assign_codes(creates, plan)
    for layer in _creation_layers(creates, new_ids):
        for model, objects in _by_model(row.instance for row in layer).items():
            for start in range(0, len(objects), BATCH):
                chunk = objects[start:start + BATCH]
                _create(model, chunk, new_ids, user)
                done += len(chunk)
                progress(done, total)
    for row in updates:
        obj = row.instance
        _repoint(obj, new_ids)
        obj.lock_version += 1
        workflow.reopen_if_reviewed(obj, user)
        _save(obj, user, reason)
        done += 1
        if done % BATCH == 0 or row is updates[-1]:
            progress(done, total)
    _write_history([row.instance for row in updates], user, reason, update=True)
    _write_links(plan, creates + updates)
    _write_creation_history([row.instance for row in creates], user, reason)
    _write_relations(links, new_ids, user, reason)
    if links:
        progress(total, total)
    return plan.counts()


def _create(model, objects, new_ids, user) -> None:
    """One batch of new objects of one kind: the values ``save()`` derives, one insert, and one insert of their
    review events (``workflow.record_creations``)."""
    now = timezone.now()
    for obj in objects:
        _repoint(obj, new_ids)
        obj.derive_fields()
        obj.status_since = now  # a draft from the commit on, not from the preview that built it
    bulk_insert.insert_objects(model, objects)
    workflow.record_creations(objects, user)


def _write_creation_history(objects, user, reason) -> None:
    """The creation records of the audit trail, once the links are saved: each with the links the object was
    created with in its reason (``changes.creation_link_notes``, as ``note_creation_links`` adds them on a page)."""
    notes = changes.creation_link_notes(objects)
    for obj in objects:
        note = notes.get((type(obj), obj.pk))
        if note:
            obj._change_reason = f"{reason} · {note}" if reason else note
    _write_history(objects, user, reason, update=False)


def _by_model(objects) -> dict:
    grouped = defaultdict(list)
    for obj in objects:
        grouped[type(obj)].append(obj)
    return grouped


def _save(obj, user, reason) -> None:
    """The model's own save(); its history record is written in bulk afterwards (``_write_history``)."""
    obj._history_user = user
    obj._change_reason = reason
    obj.skip_history_when_saving = True
    try:
        obj.save()
    finally:
        del obj.skip_history_when_saving


def _write_history(objects, user, reason, *, update: bool) -> None:
    """One audit record per saved object, as the save signal would write it, with the action's request ID."""
    attrs = {"request_id": current_request_id()}
    for model, group in _by_model(objects).items():
        bulk_insert.insert_history(model, group, update=update, default_user=user, default_change_reason=reason,
                                   custom_historical_attrs=attrs)


def _write_relations(rows, new_ids, user, reason) -> None:
    """Rows of relation sheets (``sia.exchange.relations``), once the objects they join are saved."""
    for row in rows:
        if row.action == CREATE:
            row.instance.pk = None  # the temporary negative ID of validation
        _repoint(row.instance, new_ids)
        _save(row.instance, user, reason)
    _write_history([row.instance for row in rows if row.action == CREATE], user, reason, update=False)
    _write_history([row.instance for row in rows if row.action == UPDATE], user, reason, update=True)


def _repoint(obj, new_ids) -> None:
    """FKs to rows of this upload carry their temporary IDs; those rows are saved now: take the real ones."""
    for model_field in obj._meta.concrete_fields:
        if not model_field.many_to_one:
            continue
        target = model_field.get_cached_value(obj, None)
        if target is not None and id(target) in new_ids:
            setattr(obj, model_field.name, target)


def _assign_codes(creates, plan) -> None:
    """IDs for new rows without one: the next free number per domain and OPD, after those in the file."""
    taken = defaultdict(set)
    for row in creates:
        if row.instance.code:
            taken[type(row.instance)].add(row.instance.code.upper())
    counters = {}
    for row in creates:
        obj = row.instance
        if obj.code:
            continue
        model = type(obj)
        key = (model, obj.department_id)
        if key not in counters:
            first = next_code(model, plan.institution.pk, obj.department)
            prefix, number = re.match(r"^(.*?)(\d+)$", first).groups()
            in_file = [int(code[len(prefix):]) for code in taken[model]
                       if code.startswith(prefix) and code[len(prefix):].isdigit()]
            counters[key] = [prefix, max([int(number) - 1, *in_file])]
        counters[key][1] += 1
        obj.code = f"{counters[key][0]}{counters[key][1]:03d}"


def _creation_layers(creates, new_ids) -> list[list]:
    """The new rows in layers: a row whose FK points to another new row comes in a later layer than that
    row (a parent before its children), so each layer is written in bulk."""
    by_id = {id(row.instance): row for row in creates}
    waiting = {}
    for row in creates:
        deps = set()
        for model_field in row.instance._meta.concrete_fields:
            if model_field.many_to_one:
                target = model_field.get_cached_value(row.instance, None)
                if target is not None and id(target) in new_ids and target is not row.instance:
                    deps.add(id(target))
        waiting[id(row.instance)] = deps
    layers, done = [], set()
    while waiting:
        ready = [key for key, deps in waiting.items() if deps <= done]
        if not ready:
            raise ValidationError(_("Tautan antarbaris membentuk siklus; tidak ada yang disimpan."))
        layers.append([by_id[key] for key in ready])
        for key in ready:
            del waiting[key]
        done.update(ready)
    return layers


def _write_links(plan: ImportPlan, rows) -> None:
    additions, removals = defaultdict(list), defaultdict(list)
    for row in rows:
        obj = row.instance
        for name in row.links:
            model_field = obj._meta.get_field(name)
            current = plan.lookups.current_links(type(obj), name, obj) if row.action == UPDATE else set()
            wanted = row.link_pks(name)
            for target_pk in wanted - current:
                additions[model_field].append((obj.pk, target_pk))
            gone = current - wanted
            if gone:
                removals[model_field].append((obj.pk, gone))
    for model_field, pairs in removals.items():
        through = model_field.remote_field.through
        source, target = model_field.m2m_column_name(), model_field.m2m_reverse_name()
        for source_pk, gone in pairs:
            through.objects.filter(**{source: source_pk, f"{target}__in": gone}).delete()
    for model_field, pairs in additions.items():
        through = model_field.remote_field.through
        source, target = model_field.m2m_column_name(), model_field.m2m_reverse_name()
        bulk_insert.insert_rows(through, [source, target], pairs)

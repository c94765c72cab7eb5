"""JSON export and restore of a whole instansi, to move it between databases (SQLite ↔ PostgreSQL).

``export_institution(institution)`` returns a JSON-ready dict; ``restore_institution(data)``
recreates the instansi (under its own code, or ``code=`` another) and returns it. What goes in
is a registry of *sections* (``register_section``), one per model, in restore order: the
organisation, its own reference nodes, value lists, every architecture domain, review events and
the SPBE assessments (``snapshot_sections``). Audit data (the history tables, import records) is
left out; the restore writes its own history records, all under one request ID.

How a row refers to another row:
- inside the snapshot: the target's position in its section (an int), or the section's declared
  key (value lists by ``[kind, name]``, OPDs by ``[abbreviation]``);
- outside it: a natural key list (``register_natural_key``): reference nodes by
  ``[catalog, version name, code]``, catalog versions, frameworks, indicators, content types;
- users and evidence blobs are *shared* rows (``register_shared``): written once in ``shared`` and
  matched by username / SHA-256 on restore (created when missing; passwords only with
  ``credentials=True``, never superuser flags).
Rows keep their order (primary key), so exporting a restored instansi gives the same document.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.request_context import action_scope
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


@dataclass(frozen=True)
class Shared:
    model: type
    key: str
    fields: tuple[str, ...]
    secret: tuple[str, ...] = ()  # exported only with credentials=True


@dataclass(frozen=True)
class NaturalKey:
    model: type
    fields: tuple[str, ...]
    narrow: dict = field(default_factory=dict)  # extra filter (e.g. national reference nodes only)


_sections: list[Section] = []
_shared: dict = {}
_natural: dict = {}
_excluded: set = set()


def register_section(model, rows, *, key: tuple[str, ...] = ()) -> None:
    """Adds ``model``'s rows of an instansi to the snapshot, restored after the sections before it."""
    label = model._meta.label_lower
    _sections[:] = [s for s in _sections if s.name != label]
    _sections.append(Section(label, model, rows, tuple(key)))


def register_shared(model, key: str, fields, *, secret=()) -> None:
    _shared[model] = Shared(model, key, tuple(fields), tuple(secret))


def register_natural_key(model, fields, **narrow) -> None:
    _natural[model] = NaturalKey(model, tuple(fields), narrow)


def exclude_from_snapshot(*models_) -> None:
    """Declares models that belong to an instansi but are deliberately left out (audit data)."""
    _excluded.update(models_)


def sections() -> list[Section]:
    return list(_sections)


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
            if any(f.many_to_one and f.related_model in scoped for f in model._meta.concrete_fields):
                scoped.add(model)
                changed = True
    covered = {s.model for s in _sections} | _excluded | set(_shared)
    return sorted((m for m in scoped if m not in covered), key=lambda m: m._meta.label)


# --- export ---------------------------------------------------------------------------------------
def _plain(value):
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _generic_fks(model) -> list:
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def _m2m(model) -> list:
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


class _Exporter:
    def __init__(self, institution, credentials: bool):
        self.institution = institution
        self.credentials = credentials
        self.rows = {}  # section name -> list of instances
        self.position = defaultdict(dict)  # model -> pk -> position
        self.keys = {}  # model -> {pk: key list} for keyed sections
        self.natural = defaultdict(dict)  # model -> pk -> natural key list
        self.shared = defaultdict(dict)  # model -> pk -> key value
        self.wanted = defaultdict(set)  # model -> pks whose natural key or shared row is needed

    def run(self) -> dict:
        for section in _sections:
            objects = list(section.rows(self.institution).order_by("pk"))
            self.rows[section.name] = objects
            for index, obj in enumerate(objects):
                self.position[section.model][obj.pk] = index
            if section.key:
                self.keys[section.model] = {obj.pk: [_plain(getattr(obj, f)) for f in section.key] for obj in objects}
        links = self._collect()
        self._resolve_outside()
        document = {
            "format": FORMAT, "exported_at": timezone.now().isoformat(), "institution": self.institution.code,
            "sections": {}, "shared": {},
        }
        for section in _sections:
            document["sections"][section.name] = [self._dump(obj, links) for obj in self.rows[section.name]]
        for model, spec in _shared.items():
            pks = sorted(self.wanted[model])
            fields = spec.fields + (spec.secret if self.credentials else ())
            rows = model._default_manager.filter(pk__in=pks).order_by(spec.key).values(*((spec.key,) + fields))
            document["shared"][model._meta.label_lower] = [{k: _plain(v) for k, v in row.items()} for row in rows]
        return document

    def _collect(self) -> dict:
        """Finds the outside rows that are referred to, and reads the many-to-many links in bulk."""
        links = {}
        for section in _sections:
            objects = self.rows[section.name]
            model = section.model
            for model_field in model._meta.concrete_fields:
                if model_field.many_to_one:
                    for obj in objects:
                        self._want(model_field.related_model, getattr(obj, model_field.attname))
            for model_field in _m2m(model):
                through = model_field.remote_field.through
                source, target = model_field.m2m_column_name(), model_field.m2m_reverse_name()
                pairs = defaultdict(list)
                pks = [obj.pk for obj in objects]
                for start in range(0, len(pks), BATCH):
                    query = through.objects.filter(**{f"{source}__in": pks[start:start + BATCH]}).order_by(target)
                    for s, t in query.values_list(source, target):
                        pairs[s].append(t)
                        self._want(model_field.related_model, t)
                links[(model, model_field.name)] = pairs
        return links

    def _want(self, model, pk) -> None:
        if pk is not None and pk not in self.position.get(model, {}):
            self.wanted[model].add(pk)

    def _resolve_outside(self) -> None:
        for model, pks in self.wanted.items():
            if model in _shared:
                key = _shared[model].key
                self.shared[model] = dict(model._default_manager.filter(pk__in=pks).values_list("pk", key))
                continue
            natural = _natural.get(model)
            if natural is None:
                raise RestoreError(f"{model._meta.label} has no natural key for the snapshot (register_natural_key)")
            rows = model._default_manager.filter(pk__in=pks).values_list("pk", *natural.fields)
            self.natural[model] = {row[0]: [_plain(v) for v in row[1:]] for row in rows}

    def _ref(self, model, pk):
        if pk is None:
            return None
        if pk in self.position.get(model, {}):
            keyed = self.keys.get(model)
            return keyed[pk] if keyed is not None else self.position[model][pk]
        if model in _shared:
            return self.shared[model].get(pk)
        return self.natural[model].get(pk)

    def _dump(self, obj, links) -> dict:
        model = type(obj)
        row = {}
        generic_ids = {g.fk_field: g for g in _generic_fks(model)}
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key:
                continue
            if model_field.many_to_one:
                row[model_field.name] = self._ref(model_field.related_model, getattr(obj, model_field.attname))
            elif model_field.name in generic_ids:
                generic = generic_ids[model_field.name]
                content_type = ContentType.objects.get_for_id(getattr(obj, f"{generic.ct_field}_id"))
                row[model_field.name] = self._ref(content_type.model_class(), getattr(obj, model_field.attname))
            else:
                row[model_field.name] = _plain(getattr(obj, model_field.attname))
        for model_field in _m2m(model):
            targets = links[(model, model_field.name)].get(obj.pk, [])
            row[model_field.name] = [self._ref(model_field.related_model, pk) for pk in targets]
        return row


def export_institution(institution, *, credentials: bool = False) -> dict:
    """Everything of one instansi as a JSON-ready dict (see the module docstring)."""
    return _Exporter(institution, credentials).run()


# --- restore --------------------------------------------------------------------------------------
class _Restorer:
    def __init__(self, data, user, code, name):
        self.data, self.user, self.code, self.name = data, user, code, name
        self.created = defaultdict(list)  # section name -> instances in order
        self.by_key = defaultdict(dict)  # model -> tuple(key) -> pk
        self.shared = defaultdict(dict)  # model -> key value -> pk
        self.natural = defaultdict(dict)  # model -> tuple(natural key) -> pk
        self.request_id = None

    def run(self) -> Institution:
        if self.data.get("format") != FORMAT:
            raise RestoreError(_("Bukan cadangan instansi SIA (format %(format)s).") % {"format": self.data.get("format")})
        known = {s.name for s in _sections}
        unknown = set(self.data.get("sections", {})) - known
        if unknown:
            raise RestoreError(_("Cadangan memuat bagian yang tidak dikenal versi SIA ini: %(names)s.") % {
                "names": ", ".join(sorted(unknown))})
        with action_scope() as request_id, transaction.atomic():
            self.request_id = request_id
            self._restore_shared()
            self._resolve_natural()
            for section in _sections:
                self._restore_section(section, self.data.get("sections", {}).get(section.name, []))
            self._restore_links()
            self._write_history()
        return self.created["organizations.institution"][0]

    def _restore_shared(self) -> None:
        for model, spec in _shared.items():
            rows = self.data.get("shared", {}).get(model._meta.label_lower, [])
            keys = [row[spec.key] for row in rows]
            existing = dict(model._default_manager.filter(**{f"{spec.key}__in": keys}).values_list(spec.key, "pk"))
            new = []
            for row in rows:
                if row[spec.key] in existing:
                    continue
                values = {name: row[name] for name in spec.fields + spec.secret if name in row}
                obj = model(**{spec.key: row[spec.key]}, **values)
                if hasattr(obj, "set_unusable_password") and not values.get("password"):
                    obj.set_unusable_password()
                new.append(obj)
            model._default_manager.bulk_create(new, batch_size=BATCH)
            self.created[f"shared:{model._meta.label_lower}"] = new
            existing.update({getattr(obj, spec.key): obj.pk for obj in new})
            self.shared[model] = existing

    def _natural_refs(self):
        """Every natural key list the sections use, per outside model."""
        wanted = defaultdict(set)
        for section in _sections:
            for row in self.data.get("sections", {}).get(section.name, []):
                for model_field in section.model._meta.concrete_fields:
                    target = model_field.related_model if model_field.many_to_one else None
                    value = row.get(model_field.name)
                    if target is not None and isinstance(value, list) and not self._keyed(target):
                        wanted[target].add(tuple(value))
                for model_field in _m2m(section.model):
                    target = model_field.related_model
                    for value in row.get(model_field.name, []):
                        if isinstance(value, list) and not self._keyed(target):
                            wanted[target].add(tuple(value))
        return wanted

    def _keyed(self, model) -> bool:
        return any(s.model is model and s.key for s in _sections)

    def _resolve_natural(self) -> None:
        missing = []
        for model, keys in self._natural_refs().items():
            natural = _natural.get(model)
            if natural is None:
                raise RestoreError(f"{model._meta.label} has no natural key for the snapshot (register_natural_key)")
            rows = model._default_manager.filter(**natural.narrow).values_list("pk", *natural.fields)
            index = {tuple(_plain(v) for v in row[1:]): row[0] for row in rows}
            for key in keys:
                if key in index:
                    self.natural[model][key] = index[key]
                else:
                    missing.append(f"{model._meta.verbose_name} {' '.join(str(k) for k in key)}")
        if missing:
            raise RestoreError(_("Data rujukan berikut tidak ada di basis data tujuan; muat dulu lalu ulangi: %(items)s.")
                               % {"items": "; ".join(sorted(missing)[:20])})

    def _target(self, model, value):
        if value is None:
            return None
        try:
            if model in _shared:
                return self.shared[model][value]
            if isinstance(value, list):
                if self._keyed(model):
                    return self.by_key[model][tuple(value)]
                return self.natural[model][tuple(value)]
            section = next(s for s in _sections if s.model is model)
            return self.created[section.name][value].pk
        except (KeyError, IndexError, StopIteration, TypeError):
            raise RestoreError(_("Cadangan merujuk %(model)s “%(value)s” yang tidak ada di dalamnya.") % {
                "model": model._meta.verbose_name, "value": value})

    def _restore_section(self, section, rows) -> None:
        model = section.model
        generic_ids = {g.fk_field: g for g in _generic_fks(model)}
        objects, deferred, stamps = [], [], []
        for index, row in enumerate(rows):
            obj = model()
            for model_field in model._meta.concrete_fields:
                if model_field.primary_key or model_field.name not in row:
                    continue
                value = row[model_field.name]
                if model_field.many_to_one:
                    target = model_field.related_model
                    if target is model and isinstance(value, int):
                        deferred.append((obj, model_field, value))
                        continue
                    setattr(obj, model_field.attname, self._target(target, value))
                elif model_field.name in generic_ids:
                    continue  # after its content type is known, below
                else:
                    setattr(obj, model_field.attname, model_field.to_python(value) if value is not None else None)
            for fk_field, generic in generic_ids.items():
                content_type = ContentType.objects.get_for_id(getattr(obj, f"{generic.ct_field}_id"))
                setattr(obj, fk_field, self._target(content_type.model_class(), row.get(fk_field)))
            if model is Institution:
                obj.code = self.code or obj.code
                obj.name = self.name or obj.name
                if Institution.objects.filter(code=obj.code).exists():
                    raise RestoreError(_("Instansi dengan kode %(code)s sudah ada; pulihkan dengan kode lain.") % {
                        "code": obj.code})
            stamps.append({name: getattr(obj, name) for name in ("created", "updated") if hasattr(obj, name)})
            objects.append(obj)
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        self.created[section.name] = objects
        if section.key:
            for obj in objects:
                self.by_key[model][tuple(_plain(getattr(obj, f)) for f in section.key)] = obj.pk
        for obj, model_field, position in deferred:
            setattr(obj, model_field.attname, objects[position].pk)
        fields = sorted({f.name for _o, f, _p in deferred} | {k for s in stamps for k in s})
        for obj, stamp in zip(objects, stamps):
            for name, value in stamp.items():
                setattr(obj, name, value)
        if fields and objects:
            model._default_manager.bulk_update(objects, fields, batch_size=BATCH)

    def _restore_links(self) -> None:
        for section in _sections:
            rows = self.data.get("sections", {}).get(section.name, [])
            for model_field in _m2m(section.model):
                through = model_field.remote_field.through
                source, target = model_field.m2m_column_name(), model_field.m2m_reverse_name()
                pairs = []
                for obj, row in zip(self.created[section.name], rows):
                    for value in row.get(model_field.name, []):
                        pairs.append(through(**{source: obj.pk, target: self._target(model_field.related_model, value)}))
                through.objects.bulk_create(pairs, batch_size=BATCH)

    def _write_history(self) -> None:
        attrs = {"request_id": self.request_id}
        reason = _("Dipulihkan dari cadangan instansi")
        for name, objects in self.created.items():
            model = type(objects[0]) if objects else None
            history = getattr(model, "history", None) if model else None
            if history is None:
                continue
            history_model = history.model
            extra = attrs if any(f.name == "request_id" for f in history_model._meta.fields) else None
            history.bulk_history_create(objects, batch_size=BATCH, default_user=self.user, default_change_reason=reason,
                                        custom_historical_attrs=extra)


def restore_institution(data: dict, *, user=None, code: str | None = None, name: str | None = None) -> Institution:
    """Recreates an instansi from ``export_institution`` output in one transaction; raises RestoreError."""
    return _Restorer(data, user, code, name).run()

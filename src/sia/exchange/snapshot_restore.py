"""Restore of an instansi snapshot: checks the document, matches the shared rows (accounts that
already exist need the restorer's confirmation), resolves the natural keys, then recreates every
registered section (``snapshot``) with its links and history in one transaction; the stored files go
through ``snapshot_files``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from sia.architecture import generation
from sia.core.request_context import action_scope
from sia.organizations.models import Institution

from .snapshot import (
    BATCH, FORMAT, RestoreError, generic_fks, is_link, m2m_fields, natural_key, plain, sections, shared_specs,
    stored_file_fields,
)
from .snapshot_files import StoredFiles


@dataclass(frozen=True)
class MatchedUser:
    """An account that already exists in the target and that the restored copy refers to."""

    username: str
    roles: tuple[str, ...]  # what the copy grants it ("Keanggotaan: Admin Instansi"); empty: only named

    def __str__(self):
        return f"{self.username} ({'; '.join(self.roles) or _('tanpa peran')})"

    def as_dict(self) -> dict:
        return {"username": self.username, "roles": list(self.roles)}


class UsersNeedConfirmation(RestoreError):
    """Existing accounts would be matched by username and get roles in the copy; nothing was written."""

    def __init__(self, users: list[MatchedUser]):
        self.users = users
        super().__init__(_(
            "Pengguna berikut sudah ada di sini dan akan mendapat peran di instansi yang dipulihkan: %(users)s. "
            "Pastikan akun-akun ini memang orang yang sama, lalu ulangi dengan konfirmasi pengguna."
        ) % {"users": "; ".join(str(user) for user in users[:50])})


@dataclass
class RestoreResult:
    institution: Institution
    matched_users: list[MatchedUser] = field(default_factory=list)  # existing accounts the copy refers to
    created_users: list[str] = field(default_factory=list)  # accounts created (password set only if accepted)
    files_written: int = 0  # stored files written to the target storage





class _Restorer:
    def __init__(self, data, user, code, name, *, accept_password_hashes=False, confirm_users=False, files=None,
                 progress=None):
        self.data, self.user, self.code, self.name = data, user, code, name
        self.progress = progress or (lambda done, total: None)  # sections restored of all
        self.accept_secrets = accept_password_hashes
        self.confirm_users = confirm_users
        self.stored = StoredFiles(files)  # checked on the way, written at the end of the transaction
        self.created = defaultdict(list)  # section name -> instances in order
        self.by_key = defaultdict(dict)  # model -> tuple(key) -> pk
        self.shared = defaultdict(dict)  # model -> key value -> pk
        self.natural = defaultdict(dict)  # model -> tuple(natural key) -> pk
        self.matched_users: list[MatchedUser] = []
        self.request_id = None
        self.sections = sections()
        self.shared_specs = shared_specs()

    def run(self) -> RestoreResult:
        if not isinstance(self.data, dict) or self.data.get("format") != FORMAT:
            found = self.data.get("format") if isinstance(self.data, dict) else None
            raise RestoreError(_("Bukan cadangan instansi SIA (format %(format)s).") % {"format": found})
        known = {s.name for s in self.sections}
        unknown = set(self.data.get("sections", {})) - known
        if unknown:
            raise RestoreError(_("Cadangan memuat bagian yang tidak dikenal versi SIA ini: %(names)s.") % {
                "names": ", ".join(sorted(unknown))})
        self._check_code()
        try:
            with action_scope() as request_id, transaction.atomic(), generation.changing():
                self.request_id = request_id
                self._match_shared()
                if self.matched_users and not self.confirm_users:
                    raise UsersNeedConfirmation(self.matched_users)
                self._restore_shared()
                self._resolve_natural()
                for done, section in enumerate(self.sections):
                    self.progress(done, len(self.sections))
                    self._restore_section(section, self.data.get("sections", {}).get(section.name, []))
                self.progress(len(self.sections), len(self.sections))
                self._restore_links()
                self._write_history()
                self.stored.write()
        except RestoreError:
            self.stored.remove_written()
            raise
        except OSError as error:
            self.stored.remove_written()
            raise RestoreError(_("Berkas tidak dapat ditulis ke penyimpanan (%(error)s); tidak ada yang dipulihkan.") % {
                "error": error}) from error
        except (DatabaseError, ValidationError, SuspiciousFileOperation, LookupError, TypeError, ValueError,
                AttributeError) as error:
            self.stored.remove_written()
            raise RestoreError(_("Cadangan rusak atau tidak cocok dengan versi SIA ini: %(error)s") % {
                "error": error}) from error
        except BaseException:
            self.stored.remove_written()
            raise
        created_users = [getattr(obj, spec.key) for model, spec in self.shared_specs.items() if spec.confirm
                         for obj in self.created[f"shared:{model._meta.label_lower}"]]
        return RestoreResult(self.created["organizations.institution"][0], self.matched_users, created_users,
                             len(self.stored.written))

    def _check_code(self) -> None:
        rows = self.data.get("sections", {}).get(Institution._meta.label_lower) or []
        if len(rows) != 1 or not isinstance(rows[0], dict):
            raise RestoreError(_("Cadangan harus memuat tepat satu instansi."))
        code = self.code or rows[0].get("code")
        if Institution.objects.filter(code=code).exists():
            raise RestoreError(_("Instansi dengan kode %(code)s sudah ada; pulihkan dengan kode lain.") % {"code": code})

    # --- shared rows (accounts, evidence blobs) -----------------------------------------------
    def _shared_rows(self, model, spec) -> list[dict]:
        rows = self.data.get("shared", {}).get(model._meta.label_lower, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) and row.get(spec.key) for row in rows):
            raise RestoreError(_("Bagian %(name)s cadangan rusak.") % {"name": model._meta.label_lower})
        return rows

    def _match_shared(self) -> None:
        """Which shared rows exist here already; lists the existing accounts the copy would refer to."""
        for model, spec in self.shared_specs.items():
            keys = [row[spec.key] for row in self._shared_rows(model, spec)]
            existing = {}
            for start in range(0, len(keys), BATCH):
                existing.update(model._default_manager.filter(**{f"{spec.key}__in": keys[start:start + BATCH]})
                                .values_list(spec.key, "pk"))
            self.shared[model] = existing
            if spec.confirm and existing:
                self.matched_users += self._grants(model, existing)

    def _grants(self, model, existing) -> list[MatchedUser]:
        roles = {key: [] for key in existing}
        for section in self.sections:
            if section.grants is None:
                continue
            user_field, role_field = section.grants
            if section.model._meta.get_field(user_field).related_model is not model:
                continue
            labels = dict(section.model._meta.get_field(role_field).flatchoices)
            for row in self.data.get("sections", {}).get(section.name, []):
                key = row.get(user_field) if isinstance(row, dict) else None
                if key in roles:
                    role = row.get(role_field)
                    roles[key].append(f"{section.model._meta.verbose_name}: {labels.get(role, role)}")
        return [MatchedUser(str(key), tuple(dict.fromkeys(roles[key]))) for key in sorted(roles, key=str)]

    def _restore_shared(self) -> None:
        for model, spec in self.shared_specs.items():
            existing = self.shared[model]
            fields = spec.fields + (spec.secret if self.accept_secrets else ())
            file_fields = stored_file_fields(model, fields)
            new = []
            for row in self._shared_rows(model, spec):
                if row[spec.key] in existing:
                    continue
                values = {name: row[name] for name in fields if name in row}
                obj = model(**{spec.key: row[spec.key]}, **values)
                if hasattr(obj, "set_unusable_password") and not (self.accept_secrets and values.get("password")):
                    obj.set_unusable_password()
                for model_field in file_fields:
                    original = values.get(model_field.name)
                    setattr(obj, model_field.attname, self.stored.place(model_field, obj, original))
                    if spec.content_hash == model_field.name and original:
                        self.stored.check_content_hash(model_field, original, row[spec.key])
                new.append(obj)
            model._default_manager.bulk_create(new, batch_size=BATCH)
            self.created[f"shared:{model._meta.label_lower}"] = new
            existing.update({getattr(obj, spec.key): obj.pk for obj in new})

    def _natural_refs(self):
        """Every natural key list the sections use, per outside model."""
        wanted = defaultdict(set)
        for section in self.sections:
            for row in self.data.get("sections", {}).get(section.name, []):
                for model_field in section.model._meta.concrete_fields:
                    target = model_field.related_model if is_link(model_field) else None
                    value = row.get(model_field.name)
                    if target is not None and isinstance(value, list) and not self._keyed(target):
                        wanted[target].add(tuple(value))
                for model_field in m2m_fields(section.model):
                    target = model_field.related_model
                    for value in row.get(model_field.name, []):
                        if isinstance(value, list) and not self._keyed(target):
                            wanted[target].add(tuple(value))
        return wanted

    def _keyed(self, model) -> bool:
        return any(s.model is model and s.key for s in self.sections)

    def _resolve_natural(self) -> None:
        missing = []
        for model, keys in self._natural_refs().items():
            natural = natural_key(model)
            if natural is None:
                raise RestoreError(f"{model._meta.label} has no natural key for the snapshot (register_natural_key)")
            rows = model._default_manager.filter(**natural.narrow).values_list("pk", *natural.fields)
            index = {tuple(plain(v) for v in row[1:]): row[0] for row in rows}
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
            if model in self.shared_specs:
                return self.shared[model][value]
            if isinstance(value, list):
                if self._keyed(model):
                    return self.by_key[model][tuple(value)]
                return self.natural[model][tuple(value)]
            section = next(s for s in self.sections if s.model is model)
            return self.created[section.name][value].pk
        except (KeyError, IndexError, StopIteration, TypeError):
            raise RestoreError(_("Cadangan merujuk %(model)s “%(value)s” yang tidak ada di dalamnya.") % {
                "model": model._meta.verbose_name, "value": value})

    def _restore_section(self, section, rows) -> None:
        model = section.model
        generic_ids = {g.fk_field: g for g in generic_fks(model)}
        file_fields = stored_file_fields(model, None)
        objects, deferred, stamps = [], [], []
        for index, row in enumerate(rows):
            obj = model()
            for model_field in model._meta.concrete_fields:
                if model_field.primary_key or model_field.name not in row:
                    continue
                value = row[model_field.name]
                if is_link(model_field):
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
            for model_field in file_fields:
                setattr(obj, model_field.attname, self.stored.place(model_field, obj, row.get(model_field.name)))
            stamps.append({name: getattr(obj, name) for name in ("created", "updated") if hasattr(obj, name)})
            objects.append(obj)
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        self.created[section.name] = objects
        if section.key:
            for obj in objects:
                self.by_key[model][tuple(plain(getattr(obj, f)) for f in section.key)] = obj.pk
        for obj, model_field, position in deferred:
            setattr(obj, model_field.attname, objects[position].pk)
        fields = sorted({f.name for _o, f, _p in deferred} | {k for s in stamps for k in s})
        for obj, stamp in zip(objects, stamps):
            for name, value in stamp.items():
                setattr(obj, name, value)
        if fields and objects:
            model._default_manager.bulk_update(objects, fields, batch_size=BATCH)

    def _restore_links(self) -> None:
        for section in self.sections:
            rows = self.data.get("sections", {}).get(section.name, [])
            for model_field in m2m_fields(section.model):
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


def restore_institution(data: dict, *, user=None, code: str | None = None, name: str | None = None,
                        accept_password_hashes: bool = False, confirm_users: bool = False,
                        files: dict | None = None, progress=None) -> RestoreResult:
    """Recreates an instansi from ``export_institution`` output in one transaction; raises RestoreError.

    ``accept_password_hashes``: set the exported password hashes on the users it creates (else they
    get an unusable password). ``confirm_users``: the restorer has checked the existing accounts the
    copy refers to (else :class:`UsersNeedConfirmation` lists them and nothing is written).
    ``files``: ``{stored name: source}`` from ``sia.exchange.archive``; a file that is neither given nor
    already stored here stops the restore. ``progress(done, total)``: called before each section (a background job's
    report; it runs inside the transaction, so it must not write to the database).
    """
    return _Restorer(data, user, code, name, accept_password_hashes=accept_password_hashes,
                     confirm_users=confirm_users, files=files, progress=progress).run()

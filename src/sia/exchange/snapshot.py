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
  matched by username / SHA-256 on restore (created when missing, never with superuser flags).
Rows keep their order (primary key), so exporting a restored instansi gives the same document.

What a restore may do to accounts is the restorer's decision, not the snapshot's:
- password hashes (exported only with ``credentials=True``) are set on created users only with
  ``accept_password_hashes=True``; otherwise created users get an unusable password (an admin
  sets one: Django's password reset skips such accounts), so a tampered snapshot cannot plant a
  usable account;
- users that already exist here and are matched by username (and the roles the copy would give
  them) are listed in a :class:`UsersNeedConfirmation` and nothing is written, unless
  ``confirm_users=True``; :class:`RestoreResult` lists them again.

Stored files (an evidence blob, the instansi logo) are not in the document, only their names:
``sia.exchange.archive`` packs them with it into a .zip and passes them to the restore as
``files`` (name → verified content). A file the restore needs that is neither given nor already in
the target storage stops the restore (``RestoreError``): nothing is restored without its files.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import posixpath
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.permissions import LinkReader
from sia.core.request_context import action_scope
from sia.organizations.models import Institution

FORMAT = "sia-instansi/1"
BATCH = 1000


class RestoreError(ValueError):
    """The snapshot cannot be restored here; the message says why. Nothing was written."""


class ExportError(ValueError):
    """The instansi cannot be exported completely (a stored file is missing, or the exporting user
    may not see all of it); nothing was produced."""


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


def _file_fields(model, names) -> list:
    """The model's file fields (among ``names`` when given): their content lives in storage, not in the row."""
    return [f for f in model._meta.concrete_fields
            if isinstance(f, models.FileField) and (names is None or f.name in names)]


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


def stored_sha256(storage, name: str) -> str:
    with storage.open(name, "rb") as stream:
        return _sha256(stream)


class _Exporter:
    def __init__(self, institution, credentials: bool, user=None):
        self.institution = institution
        self.credentials = credentials
        # An archive is the whole instansi, made by someone who may see all of it (its admin, a
        # superuser; ``user=None`` is the server's operator). What a user may see of linked rows
        # is the one rule of ``LinkReader``: a row it hides refuses the export rather than leaving
        # a gap (or a dangling link) in the archive.
        self.reader = LinkReader(user) if user is not None else None
        self.rows = {}  # section name -> list of instances
        self.position = defaultdict(dict)  # model -> pk -> position
        self.keys = {}  # model -> {pk: key list} for keyed sections
        self.natural = defaultdict(dict)  # model -> pk -> natural key list
        self.shared = defaultdict(dict)  # model -> pk -> key value
        self.wanted = defaultdict(set)  # model -> pks whose natural key or shared row is needed
        self.files = {}  # stored file name -> its FileField (evidence blobs, logos)

    def run(self) -> dict:
        for section in _sections:
            objects = list(section.rows(self.institution).order_by("pk"))
            if self.reader is not None:
                hidden = len(objects) - len(self.reader.visible(objects))
                if hidden:
                    raise ExportError(_(
                        "Arsip memuat seluruh data instansi, tetapi %(n)d %(model)s tidak dapat Anda lihat; "
                        "minta admin instansi membuatnya."
                    ) % {"n": hidden, "model": section.model._meta.verbose_name})
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
            for model_field in _file_fields(section.model, None):
                for obj in self.rows[section.name]:
                    self._file(model_field, getattr(obj, model_field.attname).name)
        for model, spec in _shared.items():
            pks = sorted(self.wanted[model])
            fields = spec.fields + (spec.secret if self.credentials else ())
            query = model._default_manager.filter(pk__in=pks).order_by(spec.key).values(*((spec.key,) + fields))
            rows = [{k: _plain(v) for k, v in row.items()} for row in query]
            document["shared"][model._meta.label_lower] = rows
            for model_field in _file_fields(model, fields):
                for row in rows:
                    self._file(model_field, row.get(model_field.name))
        return document

    def _file(self, model_field, name) -> None:
        if name:
            self.files.setdefault(name, model_field)

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


def export_institution(institution, *, credentials: bool = False, user=None) -> dict:
    """Everything of one instansi as a JSON-ready dict (see the module docstring); stored files by name only.
    With ``user``, raises ExportError when the user may not see every row (see ``_Exporter``)."""
    return _Exporter(institution, credentials, user).run()


def export_with_files(institution, *, credentials: bool = False, user=None) -> tuple[dict, dict]:
    """The document and the stored files it names: ``{name: FileField}`` (for ``sia.exchange.archive``)."""
    exporter = _Exporter(institution, credentials, user)
    document = exporter.run()
    return document, exporter.files


# --- restore --------------------------------------------------------------------------------------
class _Restorer:
    def __init__(self, data, user, code, name, *, accept_password_hashes=False, confirm_users=False, files=None):
        self.data, self.user, self.code, self.name = data, user, code, name
        self.accept_secrets = accept_password_hashes
        self.confirm_users = confirm_users
        self.files = files or {}  # stored file name -> source with .sha256 and .open() (verified content)
        self.created = defaultdict(list)  # section name -> instances in order
        self.by_key = defaultdict(dict)  # model -> tuple(key) -> pk
        self.shared = defaultdict(dict)  # model -> key value -> pk
        self.natural = defaultdict(dict)  # model -> tuple(natural key) -> pk
        self.matched_users: list[MatchedUser] = []
        self.pending = {}  # stored file name -> (storage, source): written at the end of the transaction
        self.written = []  # (storage, name) written by this restore: removed again when it fails
        self.request_id = None

    def run(self) -> RestoreResult:
        if not isinstance(self.data, dict) or self.data.get("format") != FORMAT:
            found = self.data.get("format") if isinstance(self.data, dict) else None
            raise RestoreError(_("Bukan cadangan instansi SIA (format %(format)s).") % {"format": found})
        known = {s.name for s in _sections}
        unknown = set(self.data.get("sections", {})) - known
        if unknown:
            raise RestoreError(_("Cadangan memuat bagian yang tidak dikenal versi SIA ini: %(names)s.") % {
                "names": ", ".join(sorted(unknown))})
        self._check_code()
        try:
            with action_scope() as request_id, transaction.atomic():
                self.request_id = request_id
                self._match_shared()
                if self.matched_users and not self.confirm_users:
                    raise UsersNeedConfirmation(self.matched_users)
                self._restore_shared()
                self._resolve_natural()
                for section in _sections:
                    self._restore_section(section, self.data.get("sections", {}).get(section.name, []))
                self._restore_links()
                self._write_history()
                self._write_files()
        except RestoreError:
            self._remove_written()
            raise
        except OSError as error:
            self._remove_written()
            raise RestoreError(_("Berkas tidak dapat ditulis ke penyimpanan (%(error)s); tidak ada yang dipulihkan.") % {
                "error": error}) from error
        except (DatabaseError, ValidationError, SuspiciousFileOperation, LookupError, TypeError, ValueError,
                AttributeError) as error:
            self._remove_written()
            raise RestoreError(_("Cadangan rusak atau tidak cocok dengan versi SIA ini: %(error)s") % {
                "error": error}) from error
        except BaseException:
            self._remove_written()
            raise
        created_users = [getattr(obj, spec.key) for model, spec in _shared.items() if spec.confirm
                         for obj in self.created[f"shared:{model._meta.label_lower}"]]
        return RestoreResult(self.created["organizations.institution"][0], self.matched_users, created_users,
                             len(self.written))

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
        for model, spec in _shared.items():
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
        for section in _sections:
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
        for model, spec in _shared.items():
            existing = self.shared[model]
            fields = spec.fields + (spec.secret if self.accept_secrets else ())
            file_fields = _file_fields(model, fields)
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
                    setattr(obj, model_field.attname, self._place_file(model_field, obj, original))
                    if spec.content_hash == model_field.name and original:
                        self._check_content_hash(model_field, original, row[spec.key])
                new.append(obj)
            model._default_manager.bulk_create(new, batch_size=BATCH)
            self.created[f"shared:{model._meta.label_lower}"] = new
            existing.update({getattr(obj, spec.key): obj.pk for obj in new})

    # --- stored files --------------------------------------------------------------------------
    def _place_file(self, model_field, obj, name) -> str:
        """The name under which ``name``'s content will be stored here (written at the end), checked."""
        if not name:
            return ""
        if not isinstance(name, str):
            raise RestoreError(_("Cadangan memuat nama berkas yang tidak sah."))
        try:
            expected = model_field.generate_filename(obj, posixpath.basename(name))
        except (SuspiciousFileOperation, ValueError, TypeError, AttributeError):
            expected = None
        if expected != name:
            raise RestoreError(_("Cadangan memuat nama berkas yang tidak sah: %(name)s.") % {"name": name})
        storage = model_field.storage
        source = self.files.get(name)
        if source is None:
            if storage.exists(name):
                self._check_file(model_field, obj, name, None)
                return name  # already here (a copy restored on the server it came from)
            raise RestoreError(_(
                "Berkas %(name)s tidak ada di cadangan maupun di penyimpanan server ini; pulihkan dari arsip .zip "
                "hasil ekspor instansi (yang memuat berkasnya)."
            ) % {"name": name})
        self._check_file(model_field, obj, name, source)
        if name in self.pending:
            return name
        if storage.exists(name):
            if stored_sha256(storage, name) == source.sha256:
                return name
            original = name
            while name == original or name in self.pending:  # another content under that name: keep both
                name = storage.get_available_name(original, max_length=model_field.max_length)
        self.pending[name] = (storage, source)
        return name

    def _check_file(self, model_field, obj, name, source) -> None:
        """Checks the content exactly as an upload of that field is checked (its validators and its
        registered check); the values the check reads from the bytes replace the archive's."""
        check = _file_checks.get((type(obj), model_field.name))
        if not model_field.validators and check is None:
            return
        stream = source.open() if source is not None else model_field.storage.open(name, "rb")
        with stream:
            upload = File(stream, name=posixpath.basename(name))
            upload.size = source.size if source is not None else model_field.storage.size(name)
            try:
                model_field.run_validators(upload)
                facts = check(upload) if check is not None else {}
            except ValidationError as error:
                member = getattr(source, "member", None)
                where = _(" (bagian %(member)s di arsip)") % {"member": member} if member else ""
                raise RestoreError(_(
                    "Berkas %(name)s%(where)s ditolak seperti unggahan biasa: %(error)s Tidak ada yang dipulihkan."
                ) % {"name": name, "where": where, "error": " ".join(error.messages)}) from error
        for attname, value in facts.items():
            setattr(obj, attname, value)

    def _check_content_hash(self, model_field, name, key) -> None:
        """A blob's key must be the SHA-256 of its content: later uploads of that content reuse the blob."""
        source = self.files.get(name)
        actual = source.sha256 if source is not None else stored_sha256(model_field.storage, name)
        if actual != key:
            raise RestoreError(_("Isi berkas %(name)s tidak cocok dengan SHA-256 %(key)s di cadangan.") % {
                "name": name, "key": key})

    def _write_files(self) -> None:
        for name, (storage, source) in self.pending.items():
            with source.open() as stream:
                saved = storage.save(name, File(stream, name=posixpath.basename(name)))
            self.written.append((storage, saved))
            if saved != name:
                raise RestoreError(_("Berkas %(name)s muncul di penyimpanan selama pemulihan; ulangi.") % {"name": name})

    def _remove_written(self) -> None:
        for storage, name in self.written:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - best effort; the rows pointing to it were rolled back
                pass
        self.written = []

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
        file_fields = _file_fields(model, None)
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
            for model_field in file_fields:
                setattr(obj, model_field.attname, self._place_file(model_field, obj, row.get(model_field.name)))
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


def restore_institution(data: dict, *, user=None, code: str | None = None, name: str | None = None,
                        accept_password_hashes: bool = False, confirm_users: bool = False,
                        files: dict | None = None) -> RestoreResult:
    """Recreates an instansi from ``export_institution`` output in one transaction; raises RestoreError.

    ``accept_password_hashes``: set the exported password hashes on the users it creates (else they
    get an unusable password). ``confirm_users``: the restorer has checked the existing accounts the
    copy refers to (else :class:`UsersNeedConfirmation` lists them and nothing is written).
    ``files``: ``{stored name: source}`` from ``sia.exchange.archive``; a file that is neither given nor
    already stored here stops the restore.
    """
    return _Restorer(data, user, code, name, accept_password_hashes=accept_password_hashes,
                     confirm_users=confirm_users, files=files).run()

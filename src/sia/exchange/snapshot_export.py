"""Export of an instansi snapshot: collects the rows of every registered section (``snapshot``), the
outside rows they refer to (natural keys, shared rows) and the stored files they name, and writes
the JSON-ready document the module docstring of ``snapshot`` describes."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core.permissions import LinkReader

from .snapshot import (
    BATCH, FORMAT, RestoreError, generic_fks, is_link, m2m_fields, natural_key, plain, sections, shared_specs,
    stored_file_fields,
)


class ExportError(ValueError):
    """The instansi cannot be exported completely (a stored file is missing, or the exporting user
    may not see all of it); nothing was produced."""


class _Exporter:
    def __init__(self, institution, credentials: bool, user=None, progress=None):
        self.institution = institution
        self.progress = progress or (lambda done, total: None)  # sections read of all
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
        self.sections = sections()
        self.shared_specs = shared_specs()

    def run(self) -> dict:
        for done, section in enumerate(self.sections):
            self.progress(done, len(self.sections))
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
                self.keys[section.model] = {obj.pk: [plain(getattr(obj, f)) for f in section.key] for obj in objects}
        links = self._collect()
        self._resolve_outside()
        document = {
            "format": FORMAT, "exported_at": timezone.now().isoformat(), "institution": self.institution.code,
            "sections": {}, "shared": {},
        }
        for section in self.sections:
            document["sections"][section.name] = [self._dump(obj, links) for obj in self.rows[section.name]]
            for model_field in stored_file_fields(section.model, None):
                for obj in self.rows[section.name]:
                    self._file(model_field, getattr(obj, model_field.attname).name)
        for model, spec in self.shared_specs.items():
            pks = sorted(self.wanted[model])
            fields = spec.fields + (spec.secret if self.credentials else ())
            query = model._default_manager.filter(pk__in=pks).order_by(spec.key).values(*((spec.key,) + fields))
            rows = [{k: plain(v) for k, v in row.items()} for row in query]
            document["shared"][model._meta.label_lower] = rows
            for model_field in stored_file_fields(model, fields):
                for row in rows:
                    self._file(model_field, row.get(model_field.name))
        return document

    def _file(self, model_field, name) -> None:
        if name:
            self.files.setdefault(name, model_field)

    def _collect(self) -> dict:
        """Finds the outside rows that are referred to, and reads the many-to-many links in bulk."""
        links = {}
        for section in self.sections:
            objects = self.rows[section.name]
            model = section.model
            for model_field in model._meta.concrete_fields:
                if is_link(model_field):
                    for obj in objects:
                        self._want(model_field.related_model, getattr(obj, model_field.attname))
            for model_field in m2m_fields(model):
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
            if model in self.shared_specs:
                key = self.shared_specs[model].key
                self.shared[model] = dict(model._default_manager.filter(pk__in=pks).values_list("pk", key))
                continue
            natural = natural_key(model)
            if natural is None:
                raise RestoreError(f"{model._meta.label} has no natural key for the snapshot (register_natural_key)")
            rows = model._default_manager.filter(pk__in=pks).values_list("pk", *natural.fields)
            self.natural[model] = {row[0]: [plain(v) for v in row[1:]] for row in rows}

    def _ref(self, model, pk):
        if pk is None:
            return None
        if pk in self.position.get(model, {}):
            keyed = self.keys.get(model)
            return keyed[pk] if keyed is not None else self.position[model][pk]
        if model in self.shared_specs:
            return self.shared[model].get(pk)
        return self.natural[model].get(pk)

    def _dump(self, obj, links) -> dict:
        model = type(obj)
        row = {}
        generic_ids = {g.fk_field: g for g in generic_fks(model)}
        for model_field in model._meta.concrete_fields:
            if model_field.primary_key:
                continue
            if is_link(model_field):
                row[model_field.name] = self._ref(model_field.related_model, getattr(obj, model_field.attname))
            elif model_field.name in generic_ids:
                generic = generic_ids[model_field.name]
                content_type = ContentType.objects.get_for_id(getattr(obj, f"{generic.ct_field}_id"))
                row[model_field.name] = self._ref(content_type.model_class(), getattr(obj, model_field.attname))
            else:
                row[model_field.name] = plain(getattr(obj, model_field.attname))
        for model_field in m2m_fields(model):
            targets = links[(model, model_field.name)].get(obj.pk, [])
            row[model_field.name] = [self._ref(model_field.related_model, pk) for pk in targets]
        return row


def export_institution(institution, *, credentials: bool = False, user=None) -> dict:
    """Everything of one instansi as a JSON-ready dict (see ``snapshot``'s docstring); stored files by name only.
    With ``user``, raises ExportError when the user may not see every row (see ``_Exporter``)."""
    return _Exporter(institution, credentials, user).run()


def export_with_files(institution, *, credentials: bool = False, user=None, progress=None) -> tuple[dict, dict]:
    """The document and the stored files it names: ``{name: FileField}`` (for ``sia.exchange.archive``).
    ``progress(done, total)`` is told of each section before it is read."""
    exporter = _Exporter(institution, credentials, user, progress)
    document = exporter.run()
    return document, exporter.files

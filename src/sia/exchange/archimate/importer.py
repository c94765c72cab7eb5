"""Import of an exchange file (from Archi or another tool) into an instansi: a preview listing every problem and
every change, and a commit that writes everything or nothing. Only the instansi's koordinator (its admins) and
superusers import; an operator is refused.

Each element becomes an object of the kind declaring its ArchiMate type (``mapping.kinds_by_element``; where several
kinds share a type, its *Jenis SIA* property or its *Kode SIA* prefix says which). An element whose *Kode SIA* names
an object of that kind in the instansi updates it (an export edited in Archi and imported again updates, never
duplicates); any other is created. Name, documentation (the description), *Kode referensi*, *OPD* (or the OPD
folder the element sits in), *Kondisi* and *Periode* are read; the review status is SIA's own and never imported (a
reviewed object that changes goes back to draft, as with any edit). Each relationship becomes the declared link
joining the two kinds with that type (``mapping.links_for``); for an object the file describes, a link field holds
what the file says plus what it already links to outside the file.

Preview and commit run the same code (``apply``): every object the file creates or changes is saved through
``sia.architecture.editing.Edit`` (the model's ``full_clean``, the link rules of ``link_problems``, the permission, the
audit trail, a reviewed object reopened) in one transaction, which a preview, or a commit with any problem, rolls
back. Problems: an unknown element type, an element that maps to no domain, a relationship SIA cannot represent, and
whatever the model's rules refuse, each naming the element or relationship.

An element matching an object is first compared with it without the editing path (``unchanged``): the instansi's
objects, links, link rows and reference nodes are read in bulk (``stored``: a few queries per kind and link, whatever
the number of objects), the file's values are set on a copy of the object by the same code that sets them for an
edit (``assign``) and compared as ``Edit`` compares them; only an element that differs (or cannot be compared: a
problem) goes on to the editing path, which may still find it unchanged. Likewise a link row whose attributes the file
leaves as they are is not written again. A re-import of a large instansi with a few changes thus costs the changes,
not the instansi (docs/benchmarks.md).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sia.architecture import changes as edits
from sia.architecture import generation
from sia.architecture.editing import Edit, Outcome
from sia.core import permissions
from sia.core.request_context import action_scope
from sia.core.roles import Role
from sia.organizations.models import Department
from sia.reference.lookup import ReferenceNotFound

from . import mapping
from .reader import ExchangeFile, parse
from .stored import References, Stored

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
FLOW_ATTRIBUTES = {"direction": "direction", "channel": "channel", "data_exchanged": "data_exchanged"}


def may_import(user, institution) -> bool:
    """The instansi's koordinator (admins) and superusers; nobody else, operators included."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(g.institution_id == institution.pk and g.role == Role.ADMIN for g in permissions.grants(user))


# Elements that only arrange a diagram or a model (a Grouping around an OPD's applications, a Junction joining
# flows): SIA keeps no such thing, so they and the relationships that touch them are set aside, said in the
# preview, and never block the import of the rest.
ARRANGING_TYPES = frozenset({"Grouping", "AndJunction", "OrJunction", "Junction"})


@dataclass(frozen=True)
class Finding:
    subject: str  # the element or relationship, as the file names it
    message: str
    identifier: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self):
        return f"{self.subject}: {self.message}" if self.subject else self.message


@dataclass
class Change:
    action: str
    kind: str  # the kind's label
    code: str
    name: str
    fields: list = field(default_factory=list)  # what changed (an update)
    identifier: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ImportResult:
    problems: list = field(default_factory=list)  # [Finding]
    changes: list = field(default_factory=list)  # [Change]
    relationships: int = 0  # relationships read as links
    removed: list = field(default_factory=list)  # links with attributes the file no longer has, removed
    links: list = field(default_factory=list)  # [Change] links with attributes created or changed (an integration)
    ignored: list = field(default_factory=list)  # [Finding] set aside (Groupings, Junctions and their relationships)
    written: bool = False

    @property
    def is_clean(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        """Whether committing would write anything: an object, a link with attributes, or a removed link."""
        counts = self.counts()
        return bool(counts[CREATE] + counts[UPDATE] or self.links or self.removed)

    def counts(self) -> dict:
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0}
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def as_dict(self) -> dict:
        return {"written": self.written, "clean": self.is_clean, "counts": self.counts(),
                "relationships": self.relationships, "removed": self.removed,
                "changes": [c.as_dict() for c in self.changes],
                "links": [c.as_dict() for c in self.links],
                "ignored": [f.as_dict() for f in self.ignored],
                "problems": [p.as_dict() for p in self.problems]}


class _Rollback(Exception):
    pass


def preview(content: bytes, *, user, institution, name: str = "") -> ImportResult:
    """What importing ``content`` would do: every change and every problem; nothing is written."""
    return apply(content, user=user, institution=institution, name=name, commit=False)


def commit(content: bytes, *, user, institution, name: str = "") -> ImportResult:
    """Imports ``content`` when it has no problem, all of it in one transaction; otherwise writes nothing."""
    return apply(content, user=user, institution=institution, name=name, commit=True)


def apply(content: bytes, *, user, institution, name: str = "", commit: bool) -> ImportResult:
    if not may_import(user, institution):
        raise PermissionDenied(_("Hanya koordinator (admin instansi) yang dapat mengimpor berkas ArchiMate."))
    exchange = parse(content, name)  # FileRejected: unsafe, malformed, or not the exchange format
    result = ImportResult()
    try:
        with action_scope(), transaction.atomic(), generation.changing():
            _Import(exchange, user, institution, result).run()
            if not (commit and result.is_clean):
                raise _Rollback
            result.written = True
    except _Rollback:
        pass
    return result


class _Import:
    def __init__(self, exchange: ExchangeFile, user, institution, result: ImportResult):
        self.file, self.user, self.institution, self.result = exchange, user, institution, result
        self.kinds: dict[str, type] = {}  # element identifier -> kind
        self.objects: dict[str, object] = {}  # element identifier -> saved object
        self.matched: dict[str, object] = {}  # element identifier -> the existing object its SIA code names
        self.file_keys: set = set()  # (kind, pk) of the existing objects the file describes
        self.departments = list(Department.objects.filter(institution=institution))
        self.departments_by_pk = {department.pk: department for department in self.departments}
        self.stored: Stored | None = None  # the instansi's objects, links and rows, read in bulk
        self.references = References(institution)
        self.links: dict[str, dict] = defaultdict(lambda: defaultdict(list))  # holder id -> field -> [target ids]
        self.rows: list = []  # (LinkMapping, holder id, target id, FileRelationship) of links with attributes

    def problem(self, subject, message, identifier=""):
        self.result.problems.append(Finding(str(subject), str(message), identifier))

    def run(self) -> None:
        for element in self.file.elements.values():
            kind = self.kind_of(element)
            if kind is not None:
                self.kinds[element.identifier] = kind
        self.check_codes()
        self.read_stored()
        for identifier, kind in self.kinds.items():
            found = self.existing(kind, self.file.elements[identifier])
            if found is not None:
                self.matched[identifier] = found
        self.file_keys = {(type(obj), obj.pk) for obj in self.matched.values()}
        for relationship in self.file.relationships:
            self.read_relationship(relationship)
        order = self.order()
        if order is None:
            return
        for identifier in order:
            self.save(self.file.elements[identifier])
        for link_mapping, holder, target, relationship in self.rows:
            self.save_row(link_mapping, holder, target, relationship)
        self.remove_rows()

    # --- elements ---------------------------------------------------------------------------------------
    def kind_of(self, element):
        if element.xsi_type in ARRANGING_TYPES:
            self.result.ignored.append(Finding(element.describe(), _(
                "%(type)s diabaikan: SIA tidak menyimpan pengelompokan atau percabangan; elemen yang dikelompokkan "
                "tetap diimpor.") % {"type": element.xsi_type}, element.identifier))
            return None
        kinds = mapping.kinds_by_element().get(element.xsi_type)
        if not kinds:
            self.problem(element.describe(), _("Jenis elemen %(type)s tidak dipetakan ke domain SIA mana pun.")
                         % {"type": element.xsi_type}, element.identifier)
            return None
        slug = element.properties.get(mapping.PROPERTY_KIND, "").strip()
        code = element.properties.get(mapping.PROPERTY_CODE, "").strip()
        if slug:
            kind = mapping.kind_by_slug(slug)
            if kind is None or kind not in kinds:
                self.problem(element.describe(), _("%(property)s “%(slug)s” bukan jenis SIA yang digambar sebagai "
                                                   "%(type)s.") % {"property": mapping.PROPERTY_KIND, "slug": slug,
                                                                  "type": element.xsi_type}, element.identifier)
                return None
            return kind
        by_code = mapping.kind_by_code(code) if code else None
        if by_code in kinds:
            return by_code
        if len(kinds) == 1:
            return kinds[0]
        self.problem(element.describe(), _("%(type)s dapat berupa %(kinds)s; isi properti %(property)s (mis. %(slug)s)"
                                           " atau %(code)s.") % {
            "type": element.xsi_type, "kinds": ", ".join(str(k._meta.verbose_name) for k in kinds),
            "property": mapping.PROPERTY_KIND, "slug": kinds[0].spec.slug, "code": mapping.PROPERTY_CODE,
        }, element.identifier)
        return None

    def check_codes(self) -> None:
        seen = {}
        for identifier, kind in self.kinds.items():
            element = self.file.elements[identifier]
            code = element.properties.get(mapping.PROPERTY_CODE, "").strip().upper()
            if not code:
                continue
            if (kind, code) in seen:
                self.problem(element.describe(), _("%(property)s %(code)s dipakai juga oleh elemen “%(other)s”.") % {
                    "property": mapping.PROPERTY_CODE, "code": code, "other": seen[(kind, code)].name},
                    element.identifier)
            seen[(kind, code)] = element

    def read_stored(self) -> None:
        """The objects the file's codes name and the reference nodes it names, in bulk."""
        codes, texts = defaultdict(set), defaultdict(set)
        for identifier, kind in self.kinds.items():
            properties = self.file.elements[identifier].properties
            code = properties.get(mapping.PROPERTY_CODE, "").strip().upper()
            if code:
                codes[kind].add(code)
            reference = properties.get(mapping.PROPERTY_REFERENCE, "").strip()
            if reference:
                texts[kind.spec.catalog].add(reference)
        self.stored = Stored(self.institution, codes)
        self.references.prefetch(texts)

    def existing(self, kind, element):
        code = element.properties.get(mapping.PROPERTY_CODE, "").strip().upper()
        if not code:
            return None
        return self.stored.find(kind, code)

    def current_department(self, obj):
        if obj.department_id is None:
            return None
        return self.departments_by_pk.get(obj.department_id) or obj.department

    def department(self, element, current, report=None):
        report = report or self.problem
        wanted = element.properties.get(mapping.PROPERTY_OPD, "").strip()
        candidates = [wanted] if wanted else [label for label in reversed(element.folders)]
        for text in candidates:
            for department in self.departments:
                names = {department.abbreviation, department.name, f"{department.abbreviation} - {department.name}"}
                if text in names:
                    return department
        if wanted:
            report(element.describe(), _("OPD “%(opd)s” tidak ada di instansi ini.") % {"opd": wanted},
                   element.identifier)
        elif current is None:
            report(element.describe(), _("OPD pemiliknya tidak diketahui: isi properti %(property)s dengan "
                                         "singkatan OPD, atau letakkan elemen di folder OPD.")
                   % {"property": mapping.PROPERTY_OPD}, element.identifier)
        return current

    def save(self, element) -> None:
        kind = self.kinds[element.identifier]
        obj = self.matched.get(element.identifier)
        creating = obj is None
        if not creating and self.unchanged(element, kind, obj):
            self.objects[element.identifier] = obj
            self.result.changes.append(Change(UNCHANGED, str(kind._meta.verbose_name), obj.code, obj.name, [],
                                              element.identifier))
            return
        if creating:
            obj = kind(institution=self.institution)
        edit = Edit(obj, self.user)
        many = self.assign(obj, element, kind, creating, self.problem)
        if many is None:
            return
        try:
            obj.full_clean()
        except ValidationError as error:
            self.refused(element, kind, error)
            return
        for name, targets in many.items():
            for message in obj.link_problems(name, targets):
                self.problem(element.describe(), f"{capfirst(kind._meta.get_field(name).verbose_name)}: {message}",
                             element.identifier)
        if not edit.may_save():
            self.problem(element.describe(), _("Anda tidak berwenang menyimpan objek ini."), element.identifier)
            return
        version = None if creating else obj.lock_version
        saved = edit.save(links={name: targets for name, targets in many.items()}, version=version)
        self.objects[element.identifier] = saved.obj
        action = {Outcome.CREATED: CREATE, Outcome.UNCHANGED: UNCHANGED}.get(saved.outcome, UPDATE)
        labels = [] if creating else [self.label(kind, name) for name in saved.changed]
        self.result.changes.append(Change(action, str(kind._meta.verbose_name), saved.obj.code, saved.obj.name,
                                          labels, element.identifier))

    def unchanged(self, element, kind, obj) -> bool:
        """Whether the file leaves the stored ``obj`` as it is: its values set on a copy as an edit sets them, compared
        as ``Edit`` compares them, with its links as stored. False when anything differs or cannot be set (a problem:
        the editing path then reports it)."""
        noted = []
        stored = {link.field: self.stored.links(kind, link.field).get(obj.pk, set()) for link in kind.spec.links
                  if not link.through and kind._meta.get_field(link.field).many_to_many}
        probe = copy.copy(obj)
        many = self.assign(probe, element, kind, False, lambda *args: noted.append(args), stored)
        if many is None or noted:
            return False
        for model_field in kind._meta.concrete_fields:  # the conversion ``full_clean`` applies before ``Edit`` compares
            value = getattr(probe, model_field.attname)
            if model_field.blank and value in model_field.empty_values:
                continue
            try:
                setattr(probe, model_field.attname, model_field.to_python(value))
            except ValidationError:
                return False
        before = {f.attname: getattr(obj, f.attname) for f in kind._meta.concrete_fields if f.name not in edits.SKIPPED}
        before.update(stored)
        return not edits.changed(before, probe, many)

    def assign(self, obj, element, kind, creating: bool, report, stored: dict | None = None) -> dict | None:
        """Sets on ``obj`` what the file says of ``element`` (for an edit, and on a copy to tell whether anything
        changes); returns the many-to-many links to save ({field: targets}), or None after ``report`` was told the
        problem that stops it. ``stored``: the object's many-to-many links as read in bulk ({field: {pks}}; targets
        are then given as pks), instead of reading them from the object."""
        department = self.department(element, None if creating else self.current_department(obj), report)
        if department is None:
            return None
        obj.department = department
        obj.name = element.name
        obj.description = element.documentation
        code = element.properties.get(mapping.PROPERTY_CODE, "").strip()
        if creating and code:
            obj.code = code
        for prop, name in ((mapping.PROPERTY_STATE, "state"), (mapping.PROPERTY_PERIOD, "period")):
            value = element.properties.get(prop, "").strip()
            if value:
                setattr(obj, name, value)
        for model_field in mapping.plain_fields(kind):
            text = element.properties.get(mapping.field_property(model_field))
            if text is None:
                continue
            try:
                value = model_field.to_python(text.strip()) if text.strip() else (None if model_field.null else "")
            except ValidationError as error:
                report(element.describe(), f"{capfirst(model_field.verbose_name)}: {' '.join(error.messages)}",
                       element.identifier)
                return None
            setattr(obj, model_field.attname, value)
        reference = element.properties.get(mapping.PROPERTY_REFERENCE, "").strip()
        if reference:
            try:
                obj.reference = self.references.resolve(reference, kind.spec.catalog)
            except ReferenceNotFound as error:
                report(element.describe(), f"{mapping.PROPERTY_REFERENCE}: {error}", element.identifier)
                return None
        return self.set_links(obj, element, stored)

    @staticmethod
    def label(kind, name: str) -> str:
        try:
            return str(capfirst(kind._meta.get_field(name).verbose_name))
        except Exception:  # a name that is no field of the kind
            return name

    def refused(self, element, kind, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            try:
                label = capfirst(kind._meta.get_field(name).verbose_name)
            except Exception:  # "__all__"
                label = ""
            for message in messages:
                self.problem(element.describe(), f"{label}: {message}" if label else message, element.identifier)

    def set_links(self, obj, element, stored: dict | None = None) -> dict:
        """The element's links as the file says, plus what the object links to outside the file: ForeignKeys set on
        ``obj``, many-to-many returned as {field: [objects]} (as {field: [pks]} from ``stored``, see ``assign``)."""
        wanted = self.links.get(element.identifier, {})
        many = {}
        for link in type(obj).spec.links:
            if link.through:
                continue
            model_field = type(obj)._meta.get_field(link.field)
            targets = [self.objects[t] for t in wanted.get(link.field, ()) if t in self.objects]
            related = model_field.related_model
            if model_field.many_to_many and stored is not None:
                kept = [pk for pk in stored.get(link.field, ()) if (related, pk) not in self.file_keys]
                many[link.field] = list(dict.fromkeys(kept + [target.pk for target in targets]))
            elif model_field.many_to_many:
                kept = [] if obj.pk is None else [t for t in getattr(obj, link.field).all()
                                                   if (related, t.pk) not in self.file_keys]
                if obj.pk is not None or targets:
                    many[link.field] = list(dict.fromkeys(kept + targets))
            elif targets:
                setattr(obj, link.field, targets[0])
            elif (related, getattr(obj, model_field.attname)) in self.file_keys:
                setattr(obj, link.field, None)  # the file describes the object it linked to, without the link
        return many

    # --- relationships ----------------------------------------------------------------------------------
    def read_relationship(self, relationship) -> None:
        elements = self.file.elements
        source, target = elements.get(relationship.source), elements.get(relationship.target)
        subject = _("Relasi %(type)s “%(source)s” → “%(target)s”") % {
            "type": relationship.xsi_type, "source": source.name if source else relationship.source,
            "target": target.name if target else relationship.target}
        if source is None or target is None:  # a relationship to a relationship (e.g. an association)
            self.result.ignored.append(Finding(subject, _(
                "Relasi ke relasi diabaikan: SIA hanya mengimpor relasi antarelemen."), relationship.identifier))
            return
        if source.xsi_type in ARRANGING_TYPES or target.xsi_type in ARRANGING_TYPES:
            self.result.ignored.append(Finding(subject, _(
                "Diabaikan bersama %(type)s yang dihubungkannya.") % {
                "type": source.xsi_type if source.xsi_type in ARRANGING_TYPES else target.xsi_type},
                relationship.identifier))
            return
        source_kind, target_kind = self.kinds.get(source.identifier), self.kinds.get(target.identifier)
        if source_kind is None or target_kind is None:
            return  # the element's own problem says why
        found = mapping.links_for(source_kind.spec.slug, target_kind.spec.slug, relationship.xsi_type,
                                  relationship.access_type)
        if not found:
            self.problem(subject, _("SIA tidak dapat menyatakan relasi %(type)s dari %(source)s ke %(target)s.") % {
                "type": relationship.xsi_type, "source": source_kind._meta.verbose_name,
                "target": target_kind._meta.verbose_name}, relationship.identifier)
            return
        self.result.relationships += 1
        for link_mapping in found:
            holder, end = (target, source) if link_mapping.reversed else (source, target)
            if link_mapping.link.through:
                self.rows.append((link_mapping, holder.identifier, end.identifier, relationship))
                continue
            targets = self.links[holder.identifier][link_mapping.link.field]
            if end.identifier not in targets:
                targets.append(end.identifier)
            field_obj = link_mapping.holder._meta.get_field(link_mapping.link.field)
            if not field_obj.many_to_many and len(targets) > 1:
                self.problem(holder.describe(), _("%(field)s hanya satu, berkas memberi %(count)d.") % {
                    "field": capfirst(field_obj.verbose_name), "count": len(targets)}, holder.identifier)

    def order(self) -> list | None:
        """The elements in an order where every object is saved after those it links to (None: a cycle)."""
        pending = {identifier: {t for targets in self.links.get(identifier, {}).values() for t in targets
                                if t in self.kinds and t != identifier}
                   for identifier in self.kinds}
        ordered, done = [], set()
        while pending:
            ready = [identifier for identifier, needs in pending.items() if needs <= done]
            if not ready:
                names = ", ".join(sorted(self.file.elements[i].name for i in pending)[:10])
                self.problem("", _("Relasi berkas membentuk siklus antara: %(names)s.") % {"names": names})
                return None
            for identifier in ready:
                ordered.append(identifier)
                done.add(identifier)
                del pending[identifier]
        return ordered

    def save_row(self, link_mapping, holder_id, target_id, relationship) -> None:
        """A link with attributes (an integration): its row created or updated, its attributes from the
        relationship's ``SIA: <attribute>`` properties (the data exchanged: its name when none)."""
        holder, target = self.objects.get(holder_id), self.objects.get(target_id)
        if holder is None or target is None:
            return
        link = link_mapping.link
        source_field, target_field = link.through_fields
        model = link.through_model()
        rows = self.stored.rows(link)
        stored = rows.get((holder.pk, target.pk))
        row = copy.copy(stored) if stored is not None else model(**{source_field: holder, target_field: target})
        for attribute in link.attributes:
            value = relationship.properties.get(mapping.ATTRIBUTE_PROPERTY % attribute, "").strip()
            if not value and attribute == "data_exchanged":
                value = relationship.name
            if value:
                setattr(row, attribute, value)
        if stored is not None and self.same_row(row, stored, link.attributes):
            return  # the file leaves the row as it is: nothing to check or write
        subject = _("Relasi %(type)s “%(source)s” → “%(target)s”") % {
            "type": relationship.xsi_type, "source": holder.name, "target": target.name}
        if not permissions.can(self.user, permissions.ADD if row.pk is None else permissions.CHANGE, row):
            self.problem(subject, _("Anda tidak berwenang menyimpan tautan ini."), relationship.identifier)
            return
        try:
            row.full_clean()
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    self.problem(subject, message, relationship.identifier)
            return
        changed = [str(type(row)._meta.get_field(attribute).verbose_name) for attribute in link.attributes
                   if stored is None or not self.same_row(row, stored, [attribute])]
        self.result.links.append(Change(CREATE if stored is None else UPDATE, str(model._meta.verbose_name), "",
                                        str(subject), changed, relationship.identifier))
        row._history_user = self.user
        row.save()
        rows[(holder.pk, target.pk)] = row

    @staticmethod
    def same_row(row, stored, attributes) -> bool:
        for attribute in attributes:
            model_field = type(row)._meta.get_field(attribute)
            try:
                if model_field.to_python(getattr(row, attribute)) != getattr(stored, attribute):
                    return False
            except ValidationError:
                return False
        return True

    def remove_rows(self) -> None:
        """Rows of a link with attributes between two objects the file describes that the file no longer has (a
        flow deleted in Archi): removed, as a link field would lose them."""
        kept = defaultdict(set)
        for link_mapping, holder, target, _relationship in self.rows:
            if holder in self.objects and target in self.objects:
                kept[link_mapping].add((self.objects[holder].pk, self.objects[target].pk))
        for link_mapping in mapping.link_mappings():
            link = link_mapping.link
            if not link.through:
                continue
            holders = {pk for kind, pk in self.file_keys if kind is link_mapping.holder}
            targets = {pk for kind, pk in self.file_keys if kind is link_mapping.target}
            if not holders or not targets:
                continue
            rows = self.stored.rows(link)
            for pair in sorted(pair for pair in rows if pair[0] in holders and pair[1] in targets):
                if pair in kept[link_mapping]:
                    continue
                row = rows.pop(pair)
                if not permissions.can(self.user, permissions.DELETE, row):
                    self.problem(str(row), _("Anda tidak berwenang menghapus tautan ini."))
                    continue
                row._history_user = self.user
                row.delete()
                self.result.removed.append(str(row))


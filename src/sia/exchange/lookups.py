"""Resolves what a workbook's cells name (OPDs, values, units, fungsi, reference codes, object IDs)
with a few queries up front, through the permission module; no query per row afterwards.

A cell that names a row's current value keeps it even when the user could not choose it anew
(an inactive value, an older catalog version, another OPD's unit on a validated object): an
unchanged row never fails.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property

from django.utils.translation import gettext as _

from sia.core import permissions
from sia.organizations.models import Department, DepartmentFunction, WorkUnit
from sia.reference.crosswalk import comparable_name, similar
from sia.reference.lookup import split_reference
from sia.reference.models import ReferenceNode

from . import columns as c
from .cells import CellError, clean_text, normalize_key, split_list
from .formats import unit_label
from .kinds import chunks


def object_paths(model) -> list[str]:
    """select_related paths that let a domain's clean() and its sheet columns run without queries."""
    paths = ["department", "reference__version__catalog"]
    for column in c.sheet_for(model).columns:
        paths += column.related_paths()
    return sorted(set(paths))


class Lookups:
    """The natural keys of one instansi, loaded for the cells of one upload."""

    def __init__(self, user, institution, *, lock: bool = False):
        self.user = user
        self.institution = institution
        self.lock = lock
        self._addable: dict = {}
        self._names: dict = {}
        self.objects: dict = defaultdict(dict)  # model -> code -> saved object
        self.by_pk: dict = defaultdict(dict)  # model -> pk -> saved object
        self.visible_pks: dict = defaultdict(set)  # model -> pks the user may see
        self.new_objects: dict = defaultdict(dict)  # model -> code -> object created by this upload
        self.links: dict = {}  # (model, field name) -> {source pk: set(target pks)}
        self.link_visible: dict = {}  # (model, field name) -> target pks the user may see
        self.link_targets: dict = {}  # (model, field name) -> {target pk: target the user may see}
        self.relations: dict = {}  # link model -> {(source pk, target pk): saved link} (``relations``)

    # --- loading ---------------------------------------------------------------------------
    def load(self, sheets) -> None:
        inst = self.institution
        departments = list(Department.objects.filter(institution=inst))
        self.department_list = departments
        self.departments = {}
        for department in departments:
            self.departments.setdefault(normalize_key(department.abbreviation), department)
        for department in departments:
            self.departments.setdefault(normalize_key(department.name), department)
        # OPD and unit cells name what a form may offer (any OPD of the instansi as walidata, its units);
        # the model's validation then applies the rule of sia.architecture.scopes to each row.
        self.visible_departments = set(
            permissions.choices(self.user, Department.objects.filter(institution=inst)).values_list("pk", flat=True)
        )
        units = permissions.choices(self.user, WorkUnit.objects.filter(department__institution=inst))
        self.units = defaultdict(list)
        self.units_of = defaultdict(list)  # (name key, OPD pk) -> units: a cell naming its OPD needs no scan
        for unit in units.select_related("department"):
            self.units[normalize_key(unit.name)].append(unit)
            self.units_of[(normalize_key(unit.name), unit.department_id)].append(unit)
        functions = permissions.visible(self.user, DepartmentFunction.objects.filter(department__institution=inst))
        self.function_index = {(f.department_id, f.order): f for f in functions.select_related("department")}
        self.values = {}
        codes, references = defaultdict(set), defaultdict(set)
        for sheet in sheets:
            for position, column, _written in sheet.columns:
                cells = [values[position] for _n, values in sheet.rows if position < len(values)]
                column.preload(self, sheet.spec.model, cells, codes, references)
        self._load_references({code for group in references.values() for code in group})
        for model, wanted in codes.items():
            self._load_objects(model, wanted)
        self._load_ancestors()
        for model in list(self.by_pk):
            self._load_links(model)

    def load_values(self, field) -> None:
        from sia.architecture.models import ValueListItem

        items = ValueListItem.objects.filter(institution=self.institution).complex_filter(field.get_limit_choices_to())
        self.values[field] = {normalize_key(item.name): item for item in permissions.visible(self.user, items)}

    def _load_references(self, codes) -> None:
        self.references = {}
        base = ReferenceNode.objects.current().for_institution(self.institution).select_related("version__catalog")
        for chunk in chunks(codes):
            for node in permissions.visible(self.user, base.filter(code__in=chunk)):
                self.references.setdefault(node.code, node)

    def _query(self, model):
        queryset = model.objects.filter(institution=self.institution).select_related(*object_paths(model))
        return queryset.select_for_update(of=("self",)) if self.lock else queryset

    def _remember(self, model, objects) -> None:
        for obj in objects:
            self.objects[model][obj.code.upper()] = obj
            self.by_pk[model][obj.pk] = obj
        pks = [obj.pk for obj in objects]
        for chunk in chunks(pks):
            visible = permissions.visible(self.user, model.objects.filter(pk__in=chunk))
            self.visible_pks[model].update(visible.values_list("pk", flat=True))

    def _load_objects(self, model, codes) -> None:
        loaded = []
        for chunk in chunks(codes):
            loaded += list(self._query(model).filter(code__in=chunk))
        self._remember(model, loaded)

    def _object_fields(self, model):
        return [col.field for col in c.sheet_for(model).columns if col.follows]

    def _load_ancestors(self) -> None:
        """Loads the targets of FK links (a process's parent, its parent...) so rules walk them in memory."""
        while True:
            missing = defaultdict(set)
            for model, objects in list(self.by_pk.items()):
                for field in self._object_fields(model):
                    target = field.related_model
                    for obj in objects.values():
                        pk = getattr(obj, field.attname) if obj is not None else None
                        if pk is not None and pk not in self.by_pk[target]:
                            missing[target].add(pk)
            if not missing:
                break
            for model, pks in missing.items():
                loaded = []
                for chunk in chunks(pks):
                    loaded += list(self._query(model).filter(pk__in=chunk))
                self._remember(model, loaded)
                for pk in set(pks) - set(self.by_pk[model]):
                    self.by_pk[model][pk] = None  # another instansi's row: never followed
        for model, objects in self.by_pk.items():
            for field in self._object_fields(model):
                for obj in objects.values():
                    pk = obj and getattr(obj, field.attname)
                    target = self.by_pk[field.related_model].get(pk) if pk is not None else None
                    if target is not None:
                        field.set_cached_value(obj, target)

    def _load_links(self, model) -> None:
        sources = [pk for pk, obj in self.by_pk[model].items() if obj is not None]
        for column in c.sheet_for(model).columns:
            if not column.many:
                continue
            field = column.field
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            pairs = defaultdict(set)
            for chunk in chunks(sources):
                rows = through.objects.filter(**{f"{source}__in": chunk}).values_list(source, target)
                for source_pk, target_pk in rows:
                    pairs[source_pk].add(target_pk)
            self.links[(model, field.name)] = pairs
            targets = {pk for group in pairs.values() for pk in group}
            visible = {}
            for chunk in chunks(targets):
                visible.update(
                    (target.pk, target)
                    for target in permissions.visible(self.user, field.related_model.objects.filter(pk__in=chunk))
                )
            self.link_visible[(model, field.name)] = set(visible)
            self.link_targets[(model, field.name)] = visible

    # --- questions the importer asks ---------------------------------------------------------
    def find_object(self, model, code: str):
        """``(object, visible)`` for a saved object with this ID, ``(None, False)`` when there is none."""
        obj = self.objects[model].get(code.upper())
        if obj is None:
            return None, False
        return obj, obj.pk in self.visible_pks[model]

    def reserved(self, model, code: str) -> bool:
        """Is ``code`` in the automatic numbering of an OPD where the user may not add ``model``
        (``PB-DINKES-…`` for an operator of another OPD)? Such an ID is refused whether or not an
        object has it, so that the answer does not reveal objects the user cannot see."""
        code = code.upper()
        prefix = f"{model.spec.code_prefix}-"
        if not code.startswith(prefix):
            return False
        rest = code[len(prefix):]
        owner = None  # the OPD of the longest abbreviation the ID starts with (``BAPPEDA-LITBANG`` before ``BAPPEDA``)
        for end in _dashes(rest):
            owner = self._by_abbreviation.get(rest[:end], owner)
        return owner is not None and not self.may_add(model, owner)

    @cached_property
    def _by_abbreviation(self) -> dict:
        found = {}
        for department in self.department_list:
            found.setdefault(department.abbreviation.upper(), department)
        return found

    def may_add(self, model, department) -> bool:
        key = (model, department.pk)
        if key not in self._addable:
            self._addable[key] = permissions.can_in(
                self.user, permissions.ADD, model, department.institution_id, department.pk
            )
        return self._addable[key]

    def current_links(self, model, field_name, obj) -> set:
        if obj is None or obj.pk is None or obj.pk < 0:
            return set()
        return set(self.links.get((model, field_name), {}).get(obj.pk, set()))

    def current_targets(self, model, field_name, obj) -> list:
        """The rows ``obj`` links to through ``field_name`` now, those the user may see."""
        seen = self.link_targets.get((model, field_name), {})
        return [seen[pk] for pk in self.current_links(model, field_name, obj) if pk in seen]

    # --- resolving one cell ---------------------------------------------------------------------
    def department(self, text, *, owner: bool, current=None):
        key = normalize_key(text)
        if current is not None and key in (normalize_key(current.abbreviation), normalize_key(current.name)):
            return current
        department = self.departments.get(key)
        # The owning OPD is checked by may_add() (a clear "not allowed"); other OPD fields offer what the user sees.
        if department is None or (not owner and department.pk not in self.visible_departments):
            raise CellError(_("OPD “%(value)s” tidak dikenal di %(institution)s.") % {
                "value": clean_text(text), "institution": self.institution})
        if not department.is_active:
            raise CellError(_("OPD %(value)s sudah tidak aktif.") % {"value": department.abbreviation})
        return department

    def value(self, field, text, current=None):
        key = normalize_key(text)
        if current is not None and key == normalize_key(current.name):
            return current
        item = self.values.get(field, {}).get(key)
        if item is None:
            choices = ", ".join(sorted(i.name for i in self.values.get(field, {}).values()))
            raise CellError(_("“%(value)s” tidak ada dalam daftar %(list)s (%(choices)s).") % {
                "value": clean_text(text), "list": field.verbose_name, "choices": choices or "—"})
        return item

    def unit(self, text, departments, current=None):
        """``"DINKES: Bidang Pelayanan"`` or the unit's name alone (then the row's OPDs decide)."""
        label = clean_text(text)
        if current is not None and normalize_key(label) in (normalize_key(unit_label(current)), normalize_key(current.name)):
            return current
        abbreviation, _sep, name = label.partition(":")
        department = self.departments.get(normalize_key(abbreviation)) if name else None
        key = normalize_key(name if department else label)
        candidates = self.units.get(key, [])
        if department is not None:
            candidates = self.units_of.get((key, department.pk), [])
        elif len(candidates) > 1:
            for department in departments:  # the row's OPDs, the one the unit's rule names first
                preferred = self.units_of.get((key, department.pk), []) if department else []
                if preferred:
                    candidates = preferred
                    break
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise CellError(_("Unit kerja “%(value)s” tidak dikenal; tulis “SINGKATAN OPD: Nama unit”.") % {"value": label})
        raise CellError(_("Nama unit kerja “%(value)s” dipakai beberapa OPD; tulis “SINGKATAN OPD: Nama unit”.") % {
            "value": label})

    def functions(self, text, department):
        """Fungsi by their numbers in the OPD's list: ``"1; 3"`` (text after a number is ignored)."""
        chosen = []
        for part in split_list(text):
            match = re.match(r"^\s*(\d+)", part)
            function = self.function_index.get((department.pk, int(match.group(1)))) if match and department else None
            if function is None:
                raise CellError(_("Fungsi nomor “%(value)s” tidak ada di daftar fungsi %(department)s.") % {
                    "value": part, "department": department.abbreviation if department else "—"})
            chosen.append(function)
        return chosen

    def reference(self, column, text, current=None):
        code, name = split_reference(clean_text(text))
        if current is not None and code == current.code:
            node = current
        elif code is None:
            raise CellError(_("Tulis kode referensi di depan, mis. “RAB.09.06.06 Penyelenggaraan Kearsipan”."))
        else:
            node = self.references.get(code)
            if node is None:
                raise CellError(_("Kode %(code)s tidak ada di katalog referensi yang berlaku.") % {"code": code})
        if name and not self._same_name(name, node):
            raise CellError(_("Kode %(code)s bernama “%(actual)s”, bukan “%(given)s”.") % {
                "code": node.code, "actual": node.name, "given": name})
        return node

    def _same_name(self, name, node) -> bool:
        """The name after a code may differ in case, accents and small typos (checked once per text)."""
        key = (name, node.pk)
        if key not in self._names:
            self._names[key] = comparable_name(name) == comparable_name(node.name) or similar(name, node.name)
        return self._names[key]

    def linked_object(self, model, code: str):
        """A saved object the user may see, or a row of this upload, with this ID."""
        code = clean_text(code).upper()
        new = self.new_objects[model].get(code)
        if new is not None:
            return new
        obj, visible = self.find_object(model, code)
        if obj is None or not visible:
            raise CellError(_("ID %(code)s tidak ditemukan di %(domain)s instansi ini.") % {
                "code": code, "domain": model._meta.verbose_name_plural})
        return obj


def _dashes(text: str):
    """The positions of the dashes of ``text``, in order."""
    at = text.find("-")
    while at != -1:
        yield at
        at = text.find("-", at + 1)

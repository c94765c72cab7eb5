"""Turns an uploaded workbook into a plan: rows to create, rows to update, rows unchanged, and every
problem with its sheet, row and column. Nothing is written here (see ``committer``).

Each row becomes a model instance validated exactly as the forms and the API validate it: the
model's ``full_clean()`` and ``link_problems()``; permissions come from ``sia.core.permissions``.
Natural keys are resolved in bulk first (``Lookups``). Rows created by the same upload get
temporary negative IDs while they are validated, so that rules which follow links (a parent in
the same OPD, no cycles) see them too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sia.architecture import scopes
from sia.architecture.choices import REVIEWED
from sia.core import permissions
from sia.organizations.models import Department

from . import columns as c
from .cells import CellError, clean_text, is_blank, normalize_key, parse_bool, parse_date, parse_decimal, parse_int, split_list
from .lookups import Lookups
from .problems import ERROR, WARNING, Problem
from .reader import SheetRows, read_workbook

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
SAMPLE_CHANGES = 500
UNUSABLE_ID = _lazy("ID ini tidak dapat dipakai; biarkan kosong agar SIA membuatkan ID baru.")


@dataclass
class RowPlan:
    sheet: SheetRows
    row: int
    instance: models.Model
    action: str
    original: dict = field(default_factory=dict)
    changed: list = field(default_factory=list)  # labels of changed columns
    links: dict = field(default_factory=dict)  # field name -> (targets, preserved target pks)
    failed: set = field(default_factory=set)  # fields whose cell could not be read
    errors: int = 0

    @property
    def model(self):
        return self.sheet.spec.model

    def link_pks(self, name) -> set:
        targets, preserved = self.links[name]
        return {t.pk for t in targets} | preserved


@dataclass
class ImportPlan:
    institution: object
    user: object
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetRows] = field(default_factory=list)
    lookups: Lookups | None = None
    versions: dict = field(default_factory=dict)  # (model, ID) -> version at export

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.rows)

    def counts(self) -> dict:
        counted = Counter(row.action for row in self.rows if not row.errors)
        return {CREATE: counted[CREATE], UPDATE: counted[UPDATE], UNCHANGED: counted[UNCHANGED]}

    def sheet_summary(self) -> list[dict]:
        summary = []
        for sheet in self.sheets:
            rows = [r for r in self.rows if r.sheet is sheet]
            counted = Counter(r.action for r in rows if not r.errors)
            summary.append({
                "sheet": sheet.title, "domain": sheet.spec.model.spec.slug, "label": str(sheet.spec.title),
                "rows": len(rows), CREATE: counted[CREATE], UPDATE: counted[UPDATE], UNCHANGED: counted[UNCHANGED],
                "errors": sum(1 for r in rows if r.errors),
            })
        return summary

    def changes(self, limit: int = SAMPLE_CHANGES) -> list[dict]:
        """The first rows to create or update, with what changes, for the preview page."""
        result = []
        for row in self.rows:
            if row.action == UNCHANGED or row.errors:
                continue
            result.append({
                "sheet": row.sheet.title, "row": row.row, "action": row.action,
                "code": row.instance.code or "", "name": clean_text(getattr(row.instance, "name", "")),
                "fields": [str(label) for label in row.changed],
            })
            if len(result) >= limit:
                break
        return result


def plan_workbook(content: bytes, *, user, institution, lock: bool = False) -> ImportPlan:
    """Reads and validates every row of ``content`` for ``user`` in ``institution``; writes nothing."""
    plan = ImportPlan(institution=institution, user=user)
    read = read_workbook(content, c.sheets())
    plan.problems.extend(read.problems)
    plan.sheets = read.sheets
    plan.versions = read.versions
    if any(p.is_error for p in read.problems) or not read.sheets:
        return plan
    lookups = Lookups(user, institution, lock=lock)
    lookups.load(read.sheets)
    plan.lookups = lookups
    builder = _Builder(plan, lookups)
    for sheet in read.sheets:
        for number, values in sheet.rows:
            builder.start(sheet, number, values)
    builder.number_new_rows()
    for row in plan.rows:
        builder.apply(row)
    for row in plan.rows:
        builder.finish(row)
    order = {sheet.title: index for index, sheet in enumerate(read.sheets)}
    plan.problems.sort(key=lambda p: (order.get(p.sheet, -1), p.row or 0, p.level != ERROR))
    return plan


class _Builder:
    def __init__(self, plan: ImportPlan, lookups: Lookups):
        self.plan = plan
        self.lookups = lookups
        self.institution = plan.institution
        self.user = plan.user
        self.values: dict[int, tuple] = {}
        self.seen_codes: dict = {}

    # --- problems ------------------------------------------------------------------------------
    def problem(self, row: RowPlan, column: str, message, level=ERROR):
        self.plan.problems.append(Problem(row.sheet.title, row.row, column, str(message), level))
        if level == ERROR:
            row.errors += 1

    def header(self, row: RowPlan, name: str) -> str:
        try:
            return row.sheet.header_of(name)
        except KeyError:
            model_field = row.model._meta.get_field(name)
            return capfirst(str(model_field.verbose_name))

    # --- phase 1: which object each row is ------------------------------------------------------
    def start(self, sheet: SheetRows, number: int, values: tuple) -> None:
        model = sheet.spec.model
        code = ""
        for position, column, _written in sheet.columns:
            if column.kind == c.CODE and position < len(values):
                code = clean_text(values[position]).upper()
        existing, visible = self.lookups.find_object(model, code) if code else (None, False)
        first = self.seen_codes.get((model, code)) if code else None
        if existing is not None and visible and first is None:
            row = RowPlan(sheet, number, existing, UPDATE, original=_snapshot(existing))
        else:
            row = RowPlan(sheet, number, model(institution_id=self.institution.pk, code=code), CREATE)
        self.plan.rows.append(row)
        self.values[id(row)] = values
        if not code:
            return
        if first is not None:
            self.problem(row, sheet.header_of("code"), _("ID %(code)s ganda: sudah dipakai di baris %(row)d.") % {
                "code": code, "row": first})
        else:
            self.seen_codes[(model, code)] = number
        # An ID of an object the user cannot see and a new ID in another OPD's numbering get the same
        # answer, so that an upload never tells whether an invisible object exists.
        if (existing is not None and not visible) or (existing is None and self.lookups.reserved(model, code)):
            self.problem(row, sheet.header_of("code"), UNUSABLE_ID)
        elif existing is None and first is None:
            self.lookups.new_objects[model][code] = row.instance

    def number_new_rows(self) -> None:
        for index, row in enumerate((r for r in self.plan.rows if r.action == CREATE), start=1):
            row.instance.pk = -index

    # --- phase 2: cells into the instance -------------------------------------------------------
    def apply(self, row: RowPlan) -> None:
        values = self.values.pop(id(row))
        if row.action == CREATE:
            present = {column.name for _p, column, _w in row.sheet.columns}
            for column in row.sheet.spec.columns:
                if column.required and column.name not in present:
                    row.failed.add(column.name)
                    self.problem(row, column.header, _("Kolom ini tidak ada di lembar, padahal wajib untuk baris baru."))
        owner_first = sorted(row.sheet.columns, key=lambda item: item[1].kind != c.OWNER)
        for position, column, written in owner_first:
            if column.kind in (c.CODE, c.READONLY):
                continue
            value = values[position] if position < len(values) else None
            try:
                changed = self.apply_cell(row, column, value)
            except CellError as error:
                row.failed.add(column.name)
                self.problem(row, written, error)
                continue
            if changed:
                row.changed.append(column.label)
        self.check_version(row)

    def check_version(self, row: RowPlan) -> None:
        """A changed row of an export whose object changed in SIA since: its old cells would overwrite
        that change, so the row is refused (export again and redo the change)."""
        if row.action != UPDATE or not row.changed:
            return
        exported = self.plan.versions.get((row.model, row.instance.code.upper()))
        if exported is not None and exported != row.instance.lock_version:
            self.problem(row, row.sheet.header_of("code"), _(
                "%(code)s sudah diubah di SIA setelah berkas ini diekspor (versi %(old)s, kini %(new)s); perubahan "
                "baris ini akan menimpanya. Ekspor ulang, lalu ulangi perubahan Anda."
            ) % {"code": row.instance.code, "old": exported, "new": row.instance.lock_version})

    def apply_cell(self, row: RowPlan, column, value) -> bool:
        obj, name, creating = row.instance, column.name, row.action == CREATE
        model_field = column.field
        if column.many:
            return self.apply_links(row, column, value)
        if is_blank(value):
            if creating and column.required:
                raise CellError(_("Wajib diisi untuk baris baru."))
            if not model_field.blank and model_field.has_default():
                return False  # keeps the current value, or the default of a new row
            if column.kind == c.OBJECT:
                current = getattr(obj, model_field.attname)
                if current is not None and current not in self.lookups.visible_pks[column.target]:
                    return False  # a link the user cannot see is neither shown nor removed
            if column.kind == c.OWNER and not creating:
                return False
            new = None if (model_field.null or model_field.is_relation) else ""
            return self.assign(row, column, new)
        lookups = self.lookups
        current = getattr(obj, name) if model_field.is_relation and getattr(obj, model_field.attname) is not None else None
        if column.kind == c.OWNER:
            department = lookups.department(value, owner=True, current=current)
            if not creating and department.pk != obj.department_id:
                raise CellError(_("OPD objek yang sudah ada tidak dapat dipindah melalui unggahan (sekarang %(opd)s).")
                                % {"opd": obj.department.abbreviation})
            return self.assign(row, column, department)
        if column.kind == c.DEPARTMENT:
            return self.assign(row, column, lookups.department(value, owner=False, current=current))
        if column.kind == c.REFERENCE:
            return self.assign(row, column, lookups.reference(column, value, current))
        if column.kind == c.VALUE:
            return self.assign(row, column, lookups.value(model_field, value, current))
        if column.kind == c.UNIT:
            departments = [getattr(obj, f.name) for f in obj._meta.concrete_fields
                           if f.many_to_one and f.related_model is Department and getattr(obj, f.attname)]
            rule_id = scopes.unit_department_id(row.model, name, lambda n: getattr(obj, f"{n}_id", None))
            departments.sort(key=lambda department: department.pk != rule_id)
            return self.assign(row, column, lookups.unit(value, departments, current))
        if column.kind == c.OBJECT:
            return self.assign(row, column, lookups.linked_object(column.target, value))
        if column.kind == c.CHOICE:
            return self.assign(row, column, _choice(model_field, value))
        if column.kind == c.BOOL:
            return self.assign(row, column, parse_bool(value))
        if column.kind == c.INT:
            return self.assign(row, column, parse_int(value))
        if column.kind == c.DECIMAL:
            return self.assign(row, column, parse_decimal(value))
        if column.kind == c.DATE:
            return self.assign(row, column, parse_date(value))
        text = clean_text(value)
        if clean_text(getattr(obj, name)) == text:
            return False
        return self.assign(row, column, text)

    def assign(self, row: RowPlan, column, new) -> bool:
        obj, model_field = row.instance, column.field
        before = getattr(obj, model_field.attname)
        if model_field.is_relation:
            if new is None:
                setattr(obj, model_field.attname, None)
            else:
                setattr(obj, model_field.name, new)
        else:
            setattr(obj, model_field.attname, new)
        if column.kind == c.OWNER and new is not None:
            obj.institution_id = new.institution_id
        after = getattr(obj, model_field.attname)
        return row.action == UPDATE and before != after

    def apply_links(self, row: RowPlan, column, value) -> bool:
        obj, lookups = row.instance, self.lookups
        current = lookups.current_links(row.model, column.name, obj)
        visible = lookups.link_visible.get((row.model, column.name), set())
        preserved = {pk for pk in current if pk not in visible}
        targets, missing = [], []
        if column.kind == c.FUNCTIONS:
            targets = lookups.functions(value, obj.department if obj.department_id else None)
        else:
            for code in split_list(value):
                try:
                    targets.append(lookups.linked_object(column.target, code))
                except CellError as error:
                    missing.append(str(error))
        if missing:
            raise CellError(" ".join(missing))
        row.links[column.name] = (targets, preserved)
        return row.action == UPDATE and row.link_pks(column.name) != current

    # --- phase 3: permissions and the model's own rules -----------------------------------------
    def finish(self, row: RowPlan) -> None:
        obj, model = row.instance, row.model
        if row.action == UPDATE and not row.changed and not row.failed:
            row.action = UNCHANGED
            return
        department = obj.department if obj.department_id else None
        if row.action == CREATE and department is not None and not self.lookups.may_add(model, department):
            self.problem(row, self.header(row, "department"), _(
                "Anda tidak berwenang menambah %(model)s untuk OPD %(opd)s.") % {
                "model": model._meta.verbose_name, "opd": department.abbreviation})
            return
        if row.action == UPDATE:
            if not permissions.can(self.user, permissions.CHANGE, obj):
                self.problem(row, self.header(row, "code"), _(
                    "Anda tidak berwenang mengubah %(code)s (status %(status)s).") % {
                    "code": obj.code, "status": obj.get_status_display()})
                return
            if obj.status in REVIEWED:
                self.problem(row, "", _("%(code)s sudah %(status)s; perubahan mengembalikannya ke draf untuk direview ulang.")
                             % {"code": obj.code, "status": obj.get_status_display().lower()}, WARNING)
        self.validate(row)

    def validate(self, row: RowPlan) -> None:
        obj = row.instance
        exclude = set(row.failed)
        for model_field in obj._meta.concrete_fields:
            # Related rows were resolved from the database through the permission module (or are
            # rows of this upload): their existence needs no query per row.
            if model_field.is_relation and getattr(obj, model_field.attname) is not None:
                exclude.add(model_field.name)
        try:
            obj.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            for name, texts in messages.items():
                column = "" if name == NON_FIELD_ERRORS else self.header(row, name)
                for text in texts:
                    self.problem(row, column, text)
        for name, (targets, _preserved) in row.links.items():
            if name in row.failed or not targets:
                continue
            for text in obj.link_problems(name, targets):
                self.problem(row, self.header(row, name), text)


def _snapshot(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _choice(model_field, value):
    key = normalize_key(value)
    for stored, label in model_field.flatchoices:
        if key in (normalize_key(stored), normalize_key(label)):
            return stored
    raise CellError(_("“%(value)s” bukan pilihan %(field)s; pilih salah satu: %(choices)s.") % {
        "value": clean_text(value), "field": model_field.verbose_name,
        "choices": ", ".join(str(label) for _stored, label in model_field.flatchoices)})

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
from functools import lru_cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sia.architecture.choices import REVIEWED
from sia.core import permissions

from . import columns as c
from . import relations
from .cells import CellError, clean_text
from .lookups import Lookups
from .problems import ERROR, WARNING, Problem, ProblemList
from .reader import SheetRows, read_workbook
from .text_checks import proven_valid

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

    @property
    def creating(self) -> bool:
        return self.action == CREATE

    def link_pks(self, name) -> set:
        targets, preserved = self.links[name]
        return {t.pk for t in targets} | preserved


@dataclass
class ImportPlan(ProblemList):
    institution: object
    user: object
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetRows] = field(default_factory=list)
    lookups: Lookups | None = None
    versions: dict = field(default_factory=dict)  # (model, ID) -> version at export

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
                "sheet": sheet.title, "domain": sheet.spec.domain, "label": str(sheet.spec.title),
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
                "code": row.sheet.spec.code_of(row.instance), "name": clean_text(getattr(row.instance, "name", "")),
                "fields": [str(label) for label in row.changed],
            })
            if len(result) >= limit:
                break
        return result


PROGRESS_EVERY = 500


def plan_workbook(content: bytes, *, user, institution, lock: bool = False, progress=None) -> ImportPlan:
    """Reads and validates every row of ``content`` for ``user`` in ``institution``; writes nothing.
    ``progress(done, total)``, when given, hears of every ``PROGRESS_EVERY`` rows validated."""
    plan = ImportPlan(institution=institution, user=user)
    read = read_workbook(content, c.sheets() + relations.relation_sheets())
    plan.problems.extend(read.problems)
    plan.sheets = read.sheets
    plan.versions = read.versions
    if any(p.is_error for p in read.problems) or not read.sheets:
        return plan
    lookups = Lookups(user, institution, lock=lock)
    lookups.load(read.sheets)
    plan.lookups = lookups
    builder = _Builder(plan, lookups)
    # Relation rows last: they may name objects that rows of the domain sheets create.
    for sheet in sorted(read.sheets, key=lambda sheet: sheet.spec.relation):
        for number, values in sheet.rows:
            builder.start(sheet, number, values)
    builder.number_new_rows()
    for row in plan.rows:
        builder.apply(row)
    for index, row in enumerate(plan.rows, start=1):
        builder.finish(row)
        if progress is not None and (index % PROGRESS_EVERY == 0 or index == len(plan.rows)):
            progress(index, len(plan.rows))
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
        self.pairs: dict = {}  # (link model, (source ID, target ID)) -> the relation row naming it first

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
        if sheet.spec.relation:
            relations.start_row(self, sheet, number, values)
            return
        model = sheet.spec.model
        code = ""
        for position, column, _written in sheet.columns:
            if column.identifies and position < len(values):
                code = column.parse(values[position])
        existing, visible = self.lookups.find_object(model, code) if code else (None, False)
        first = self.seen_codes.get((model, code)) if code else None
        if existing is not None and visible and first is None:
            row = RowPlan(sheet, number, existing, UPDATE, original=_snapshot(existing))
        else:
            row = RowPlan(sheet, number, new_instance(model, self.institution.pk, code), CREATE)
        self.plan.rows.append(row)
        self.values[id(row)] = values
        if not code:
            return
        if first is not None and first[0] == sheet.title:
            self.problem(row, sheet.header_of("code"), _("ID %(code)s ganda: sudah dipakai di baris %(row)d.") % {
                "code": code, "row": first[1]})
        elif first is not None:  # another sheet of the same kind (the template's “Pusat Data” and “Pusat Kendali”)
            self.problem(row, sheet.header_of("code"), _(
                "ID %(code)s ganda: sudah dipakai di lembar “%(sheet)s” baris %(row)d; lembar “%(sheet)s” dan "
                "“%(this)s” memuat %(kind)s yang sama, jadi satu ID hanya boleh di salah satunya.") % {
                "code": code, "sheet": first[0], "row": first[1], "this": sheet.title,
                "kind": model._meta.verbose_name})
        else:
            self.seen_codes[(model, code)] = (sheet.title, number)
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
        owner_first = sorted(row.sheet.columns, key=lambda item: not item[1].read_first)
        for position, column, written in owner_first:
            if not column.imported:
                continue
            value = values[position] if position < len(values) else None
            try:
                changed = column.read(row, value, self.lookups) and row.action == UPDATE
            except CellError as error:
                row.failed.add(column.name)
                self.problem(row, written, error)
                continue
            if changed:
                row.changed.append(column.label)
        self.apply_fixed(row)
        self.check_version(row)

    def apply_fixed(self, row: RowPlan) -> None:
        """The values the row's sheet fixes (``SheetRows.fixed``: the type of the template's “Pusat Data” sheet). A
        cell of the row saying otherwise is an error naming the sheet; an empty or absent cell takes the sheet's."""
        for name, value in row.sheet.fixed.items():
            if name in row.failed:
                continue
            obj, model_field = row.instance, row.model._meta.get_field(name)
            present = any(column.name == name for _p, column, _w in row.sheet.columns)
            current = getattr(obj, model_field.attname)
            if present and current not in ("", None) and current != value:
                row.failed.add(name)
                self.problem(row, self.header(row, name), _(
                    "“%(value)s” tidak sesuai dengan lembar “%(sheet)s”: baris di lembar ini adalah %(fixed)s. "
                    "Kosongkan sel ini atau pindahkan barisnya ke lembar yang sesuai.") % {
                    "value": _display(model_field, current), "sheet": row.sheet.title,
                    "fixed": _display(model_field, value)})
                continue
            setattr(obj, model_field.attname, value)
            label = row.sheet.spec.column(name).label
            changed = row.action == UPDATE and row.original.get(model_field.attname) != value
            if changed and label not in row.changed:
                row.changed.append(label)
            elif not changed and label in row.changed:
                row.changed.remove(label)

    def check_version(self, row: RowPlan) -> None:
        """A changed row of an export whose object changed in SIA since: its old cells would overwrite
        that change, so the row is refused (export again and redo the change)."""
        if row.action != UPDATE or not row.changed or row.sheet.spec.relation:
            return
        exported = self.plan.versions.get((row.model, row.instance.code.upper()))
        if exported is not None and exported != row.instance.lock_version:
            self.problem(row, row.sheet.header_of("code"), _(
                "%(code)s sudah diubah di SIA setelah berkas ini diekspor (versi %(old)s, kini %(new)s); perubahan "
                "baris ini akan menimpanya. Ekspor ulang, lalu ulangi perubahan Anda."
            ) % {"code": row.instance.code, "old": exported, "new": row.instance.lock_version})

    # --- phase 3: permissions and the model's own rules -----------------------------------------
    def finish(self, row: RowPlan) -> None:
        if row.sheet.spec.relation:
            relations.finish_row(self, row)
            return
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
        # Text fields Field.clean would pass unchanged are left out of the field pass (``text_checks``); if any of
        # them might fail, none is, and full_clean writes its errors as it always did.
        exclude.update(proven_valid(obj, exclude))
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


def new_instance(model, institution_id, code: str):
    """``model(institution_id=institution_id, code=code)``: the same instance (attributes, state), made by copying the
    attributes ``Model.__init__`` gives a new instance of ``model`` (each callable default called for each instance)
    instead of running it for each row (a fifth of reading the rows). A model with its own ``__init__`` or listeners of
    ``pre_init``/``post_init`` is made by ``__init__``."""
    blank = None if pre_init.has_listeners(model) or post_init.has_listeners(model) else _blank_state(model)
    if blank is None:
        return model(institution_id=institution_id, code=code)
    attributes, fresh = blank
    obj = model.__new__(model)
    obj.__dict__.update(attributes)
    for model_field in fresh:
        obj.__dict__[model_field.attname] = model_field.get_default()
    obj._state = ModelState()
    obj.institution_id = institution_id
    obj.code = code
    return obj


@lru_cache(maxsize=None)
def _blank_state(model):
    """(the attributes ``Model.__init__`` gives a new ``model`` without arguments, the fields whose default is called
    anew for each instance), or None when ``__init__`` must run (the model has its own)."""
    if model.__init__ is not models.Model.__init__:
        return None
    sample = model()
    attributes = {name: value for name, value in sample.__dict__.items() if name != "_state"}
    fresh = tuple(f for f in model._meta.fields if f.has_default() and callable(f.default))
    return attributes, fresh


def _display(model_field, value) -> str:
    """A stored value as the sheet writes it (a choice by its label)."""
    return str(dict(model_field.flatchoices).get(value, value)) if model_field.choices else str(value)


def _snapshot(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

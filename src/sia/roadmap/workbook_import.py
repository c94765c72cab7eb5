"""Upload of a Peta Rencana workbook (``sia.roadmap.workbook``): a plan of what it creates and updates, with every
problem by sheet, row and column, then all of it written in one transaction, or nothing.

The file passes the shared upload checks first (``sia.core.workbooks.read_upload``: name, content, size, macros,
password, zip bombs); its rows become model instances validated by the one validation path (``full_clean()`` →
``sia.roadmap.rules``) and the permission module (``sia.core.permissions``): the koordinator writes every sheet, an
OPD operator only kegiatan of their OPD (and their years and gaps); a row the user may not write is refused when it
would change something, and left alone when it is unchanged (an operator may upload the whole export). Rows not in
the file are not deleted. ``sia.roadmap.workbook_commit`` writes a clean plan."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sia.architecture.choices import REVIEWED
from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.core.roles import Role
from sia.core.workbooks import FileRejected, read_upload
from sia.exchange.cells import CellError, clean_text, is_blank, normalize_key, parse_bool, parse_decimal, parse_int
from sia.exchange.cells import split_list
from sia.exchange.problems import ERROR, WARNING, Problem, ProblemList
from sia.organizations.models import Department

from . import review
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget
from .workbook import NO, YES, Sheet, gap_example
from .workbook_reader import in_every_language, read_sheets

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
WRITERS = frozenset({Role.ADMIN, Role.OPERATOR})


def may_upload(user, institution) -> bool:
    """Does the user write some part of the instansi's roadmap (the koordinator; an operator, their kegiatan)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(g.institution_id == institution.pk and g.role in WRITERS for g in permissions.grants(user))


@dataclass
class Entry:
    sheet: Sheet
    title: str
    row: int
    instance: object
    action: str
    changed: list = field(default_factory=list)  # labels of the columns changed
    fields: set = field(default_factory=set)  # names of the columns changed
    errors: int = 0
    gaps_add: list = field(default_factory=list)  # (content type, object ID)
    gaps_remove: list = field(default_factory=list)  # ActivityGap rows
    failed: set = field(default_factory=set)  # columns whose cell could not be read
    original: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        obj = self.instance
        return obj.activity.code if isinstance(obj, ActivityYear) else obj.code

    @property
    def name(self) -> str:
        obj = self.instance
        return str(obj.year) if isinstance(obj, ActivityYear) else obj.name

    @property
    def reopens(self) -> bool:
        """Whether writing the row sends its reviewed kegiatan back to draft: a new year, or a change of the plan,
        not only of the execution (``review.changes_plan``)."""
        if self.action == CREATE:
            return True
        return self.action == UPDATE and review.changes_plan(type(self.instance), self.fields)


@dataclass
class RoadmapPlan(ProblemList):
    institution: object
    user: object
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.errors and bool(self.entries)

    def counts(self) -> dict:
        counted = Counter(entry.action for entry in self.entries)
        return {CREATE: counted[CREATE], UPDATE: counted[UPDATE], UNCHANGED: counted[UNCHANGED]}

    def sheet_summary(self) -> list[dict]:
        result = []
        for title in self.sheets:
            entries = [e for e in self.entries if e.title == title]
            counted = Counter(e.action for e in entries)
            result.append({"sheet": title, "rows": len(entries), CREATE: counted[CREATE], UPDATE: counted[UPDATE],
                           UNCHANGED: counted[UNCHANGED], "errors": sum(1 for e in entries if e.errors)})
        return result

    def changes(self) -> list[dict]:
        return [{"sheet": e.title, "row": e.row, "action": e.action, "code": e.code, "name": e.name,
                 "fields": [str(label) for label in e.changed]}
                for e in self.entries if e.action != UNCHANGED and not e.errors]

    def as_dict(self) -> dict:
        return {"clean": self.is_clean, "counts": self.counts(), "sheets": self.sheet_summary(),
                "changes": self.changes(), "problems": [p.as_dict() for p in self.problems]}


# --- planning ----------------------------------------------------------------------------------------------------

def plan_upload(upload, *, user, institution) -> tuple[RoadmapPlan, bytes | None]:
    """Checks an uploaded file and plans it; (plan, the file's bytes, None when the file itself was refused)."""
    try:
        content = read_upload(upload)
    except FileRejected as error:
        plan = RoadmapPlan(institution, user)
        plan.problems.append(Problem("", None, "", error.message))
        return plan, None
    return plan_workbook(content, user=user, institution=institution), content


def plan_workbook(content: bytes, *, user, institution, lock: bool = False) -> RoadmapPlan:
    """Every row of ``content`` read and validated for ``user`` in ``institution``; nothing is written."""
    plan = RoadmapPlan(institution, user)
    try:
        versions = {}
        sheets = read_sheets(content, plan.problems, versions)
    except FileRejected as error:
        plan.problems.append(Problem("", None, "", error.message))
        return plan
    plan.sheets = [sheet.title for sheet in sheets]
    if any(p.is_error for p in plan.problems):
        return plan
    builder = _Builder(plan, versions, lock)
    for sheet in sheets:
        method = getattr(builder, f"row_{sheet.spec.key}")
        for number, values in sheet.rows:
            method(sheet, number, values)
    return plan


def parse_yes_no(raw):
    """Ya/Tidak as written in any language of the interface (Yes/No), or as ``parse_bool`` reads it."""
    if not is_blank(raw) and isinstance(raw, str):
        key = normalize_key(raw)
        if key in in_every_language(YES):
            return True
        if key in in_every_language(NO):
            return False
    return parse_bool(raw)


def _snapshot(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


class _Builder:
    def __init__(self, plan: RoadmapPlan, versions: dict, lock: bool = False):
        self.plan, self.user, self.institution = plan, plan.user, plan.institution
        self.versions, self.warned = versions, set()
        inst = self.institution
        self.targets = {t.code.upper(): t for t in StrategicTarget.objects.filter(institution=inst)}
        self.initiatives = {(i.target.code.upper(), i.code.upper()): i
                            for i in Initiative.objects.filter(target__institution=inst).select_related("target")}
        self.programs = {(p.initiative.target.code.upper(), p.initiative.code.upper(), p.code.upper()): p
                         for p in Program.objects.filter(initiative__target__institution=inst)
                         .select_related("initiative__target")}
        activities = Activity.objects.filter(institution=inst).select_related("program__initiative__target",
                                                                              "department")
        if lock:  # the commit: kegiatan (and their versions) stay as read until it is written
            activities = activities.select_for_update(of=("self",))
        self.activities = {a.code.upper(): a for a in activities}
        self.years = {(y.activity_id, y.year): y for y in ActivityYear.objects.filter(activity__institution=inst)}
        self.departments = {d.abbreviation.upper(): d for d in Department.objects.filter(institution=inst)}
        self.stored = {a.pk: (a.department_id, a.lock_version, a.status) for a in self.activities.values()}
        self.links = defaultdict(list)
        for link in ActivityGap.objects.filter(activity__institution=inst).select_related("content_type"):
            self.links[link.activity_id].append(link)
        self.seen = {}  # (sheet key, natural key) -> row
        self.next_id = 0
        self.kinds = {}
        for model in domain_models():
            names = {normalize_key(model.spec.slug), normalize_key(getattr(model.spec, "api_name", "")),
                     normalize_key(model._meta.model_name)} | in_every_language(model._meta.verbose_name)
            for name in sorted(names - {""}):
                self.kinds.setdefault(name, model)
        self.gap_objects = {}  # (model, code) -> object or None
        self.choice_keys = {}

    # --- helpers ---------------------------------------------------------------------------------------------
    def problem(self, entry_or_sheet, number, column, message, level=ERROR):
        if isinstance(entry_or_sheet, Entry):
            title, entry_or_sheet.errors = entry_or_sheet.title, entry_or_sheet.errors + (level == ERROR)
        else:
            title = entry_or_sheet.title
        self.plan.problems.append(Problem(title, number, column, str(message), level))

    def temp_id(self) -> int:
        self.next_id -= 1
        return self.next_id

    def code(self, sheet, number, values, name, entry=None) -> str:
        text = clean_text(sheet.value(values, name)).upper()
        if not text and sheet.spec.column(name).required:
            self.problem(entry or sheet, number, sheet.header(name), _("Wajib diisi."))
        return text

    def start(self, sheet, number, key, existing, new) -> Entry:
        """The row's entry: an update of ``existing`` or a create of ``new()``; a key seen earlier is an error."""
        first = self.seen.get((sheet.spec.key, key)) if key else None
        if existing is not None and first is None:
            entry = Entry(sheet.spec, sheet.title, number, existing, UPDATE, original=_snapshot(existing))
        else:
            instance = new()
            entry = Entry(sheet.spec, sheet.title, number, instance, CREATE)
        self.plan.entries.append(entry)
        if first is not None:
            self.problem(entry, number, sheet.header("code" if "code" in sheet.positions else sheet.spec.columns[0].name),
                         _("Baris ini menunjuk data yang sama dengan baris %(row)d; hapus salah satunya.")
                         % {"row": first})
        elif key:
            self.seen[(sheet.spec.key, key)] = number
        return entry

    def set(self, entry, sheet, number, values, name, parse, attname=None, default=None):
        """Parses the cell of column ``name`` (when the sheet has it) into the instance; records a change."""
        if name not in sheet.positions:
            return
        raw = sheet.value(values, name)
        try:
            value = parse(raw)
        except CellError as error:
            self.problem(entry, number, sheet.header(name), error)
            entry.failed.add(name)
            return
        if value is None:
            value = default
        attname = attname or name
        before = getattr(entry.instance, attname)
        setattr(entry.instance, attname, value)
        if entry.action == UPDATE and before != value:
            entry.changed.append(sheet.spec.column(name).label)
            entry.fields.add(name)

    def set_parent(self, entry, name, parent, field_name):
        obj = entry.instance
        before = getattr(obj, f"{field_name}_id")
        setattr(obj, field_name, parent)
        if entry.action == UPDATE and before != parent.pk:
            entry.changed.append(entry.sheet.column(name).label)
            entry.fields.add(field_name)

    def target(self, sheet, number, values, entry):
        code = self.code(sheet, number, values, "target", entry)
        if not code:
            return None, code
        found = self.targets.get(code)
        if found is None:
            self.problem(entry, number, sheet.header("target"), _(
                "Sasaran %(code)s tidak ada di instansi ini; tambahkan di lembar Sasaran.") % {"code": code})
        return found, code

    def initiative(self, sheet, number, values, entry):
        target, tcode = self.target(sheet, number, values, entry)
        code = self.code(sheet, number, values, "initiative", entry)
        if target is None or not code:
            return None, (tcode, code)
        found = self.initiatives.get((tcode, code))
        if found is None:
            self.problem(entry, number, sheet.header("initiative"), _(
                "Inisiatif %(code)s tidak ada dalam sasaran %(target)s; tambahkan di lembar Inisiatif.") % {
                "code": code, "target": tcode})
        return found, (tcode, code)

    def permitted(self, entry, number, sheet, action_models) -> bool:
        """Whether the user may write the row (only asked of rows that change something)."""
        for action, model, department_id in action_models:
            if not permissions.can_in(self.user, action, model, self.institution.pk, department_id):
                if model is Activity or model is ActivityYear:
                    department = next((d for d in self.departments.values() if d.pk == department_id), None)
                    message = _("Anda tidak berwenang menambah atau mengubah kegiatan OPD %(opd)s; operator OPD hanya "
                                "mengisi kegiatan OPD-nya sendiri. Baris ini ditolak.") % {
                        "opd": department.abbreviation if department else "-"}
                else:
                    message = _("Hanya koordinator yang dapat menambah atau mengubah %(what)s; baris ini ditolak "
                                "(biarkan baris yang tidak Anda ubah seperti semula).") % {
                        "what": str(model._meta.verbose_name).lower()}
                column = "department" if "department" in sheet.positions else sheet.spec.columns[0].name
                self.problem(entry, number, sheet.header(column), message)
                return False
        return True

    def validate(self, entry, sheet, number, exclude=()):
        obj = entry.instance
        skip = set(exclude) | set(entry.failed)
        skip |= {f.name for f in obj._meta.concrete_fields if f.is_relation}
        try:
            obj.full_clean(exclude=sorted(skip), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            for name, texts in messages.items():
                column = self.column_of(sheet, obj, name)
                for text in texts:
                    self.problem(entry, number, column, text)

    def column_of(self, sheet, obj, name) -> str:
        if name == NON_FIELD_ERRORS:
            return ""
        if any(c.name == name for c in sheet.spec.columns):
            return sheet.header(name)
        try:
            return capfirst(str(obj._meta.get_field(name).verbose_name))
        except Exception:  # noqa: BLE001 - a message about no field
            return name

    def finish(self, entry, sheet, number, checks, exclude=()):
        if entry.action == UPDATE and not entry.changed and not entry.failed:
            entry.action = UNCHANGED
            return
        if entry.errors:
            self.validate(entry, sheet, number, exclude)
            return
        if self.permitted(entry, number, sheet, checks):
            self.validate(entry, sheet, number, exclude)

    # --- the sheets ------------------------------------------------------------------------------------------
    def row_sasaran(self, sheet, number, values):
        code = clean_text(sheet.value(values, "code")).upper()
        entry = self.start(sheet, number, code, self.targets.get(code),
                           lambda: StrategicTarget(institution=self.institution, code=code, pk=self.temp_id()))
        if not code:
            self.problem(entry, number, sheet.header("code"), _("Wajib diisi."))
        self.texts(entry, sheet, number, values, ("name", "period", "description"))
        self.set(entry, sheet, number, values, "order", parse_int, default=0)
        if entry.action == CREATE and code:
            self.targets.setdefault(code, entry.instance)
        action = permissions.ADD if entry.action == CREATE else permissions.CHANGE
        self.finish(entry, sheet, number, [(action, StrategicTarget, None)])

    def texts(self, entry, sheet, number, values, names):
        for name in names:
            self.set(entry, sheet, number, values, name, clean_text, default="")

    def row_inisiatif(self, sheet, number, values):
        tcode = clean_text(sheet.value(values, "target")).upper()
        code = clean_text(sheet.value(values, "code")).upper()
        target = self.targets.get(tcode)
        entry = self.start(sheet, number, (tcode, code) if code else None, self.initiatives.get((tcode, code)),
                           lambda: Initiative(code=code, pk=self.temp_id()))
        if not tcode:
            self.problem(entry, number, sheet.header("target"), _("Wajib diisi."))
        elif target is None:
            self.problem(entry, number, sheet.header("target"), _(
                "Sasaran %(code)s tidak ada di instansi ini; tambahkan di lembar Sasaran.") % {"code": tcode})
        else:
            self.set_parent(entry, "target", target, "target")
        if not code:
            self.problem(entry, number, sheet.header("code"), _("Wajib diisi."))
        self.texts(entry, sheet, number, values, ("name", "description"))
        if entry.action == CREATE and code and target is not None:
            self.initiatives.setdefault((tcode, code), entry.instance)
        action = permissions.ADD if entry.action == CREATE else permissions.CHANGE
        self.finish(entry, sheet, number, [(action, Initiative, None)])

    def row_program(self, sheet, number, values):
        probe = Entry(sheet.spec, sheet.title, number, None, CREATE)
        initiative, (tcode, icode) = self.initiative(sheet, number, values, probe)
        code = clean_text(sheet.value(values, "code")).upper()
        key = (tcode, icode, code)
        entry = self.start(sheet, number, key if code else None, self.programs.get(key),
                           lambda: Program(code=code, pk=self.temp_id()))
        entry.errors += probe.errors
        if initiative is not None:
            self.set_parent(entry, "initiative", initiative, "initiative")
        if not code:
            self.problem(entry, number, sheet.header("code"), _("Wajib diisi."))
        self.set(entry, sheet, number, values, "area", self.choice(sheet.spec.column("area")))
        self.texts(entry, sheet, number, values, ("name", "description"))
        if entry.action == CREATE and code and initiative is not None:
            self.programs.setdefault(key, entry.instance)
        action = permissions.ADD if entry.action == CREATE else permissions.CHANGE
        self.finish(entry, sheet, number, [(action, Program, None)])

    def choice(self, column):
        choices = column.choices
        if choices not in self.choice_keys:  # the value and its label in every language -> the value
            self.choice_keys[choices] = {key: value for value, label in reversed(choices.choices)
                                         for key in in_every_language(label) | {normalize_key(value)}}
        keys = self.choice_keys[choices]

        def parse(raw):
            if is_blank(raw):
                return None
            if normalize_key(raw) in keys:
                return keys[normalize_key(raw)]
            raise CellError(_("“%(value)s” bukan pilihan yang dikenal; pilih salah satu dari: %(options)s.") % {
                "value": clean_text(raw), "options": ", ".join(str(label) for _v, label in choices.choices)})
        return parse

    def row_kegiatan(self, sheet, number, values):
        probe = Entry(sheet.spec, sheet.title, number, None, CREATE)
        initiative, (tcode, icode) = self.initiative(sheet, number, values, probe)
        code = clean_text(sheet.value(values, "code")).upper()
        entry = self.start(sheet, number, code or None, self.activities.get(code) if code else None,
                           lambda: Activity(code=code, institution=self.institution, pk=self.temp_id()))
        entry.errors += probe.errors
        obj = entry.instance
        pcode = self.code(sheet, number, values, "program", entry)
        if initiative is not None and pcode:
            program = self.programs.get((tcode, icode, pcode))
            if program is None:
                self.problem(entry, number, sheet.header("program"), _(
                    "Program %(code)s tidak ada dalam inisiatif %(initiative)s (sasaran %(target)s); tambahkan di "
                    "lembar Program.") % {"code": pcode, "initiative": icode, "target": tcode})
            else:
                self.set_parent(entry, "program", program, "program")
        abbreviation = self.code(sheet, number, values, "department", entry)
        if abbreviation:
            department = self.departments.get(abbreviation)
            if department is None:
                self.problem(entry, number, sheet.header("department"), _(
                    "OPD “%(opd)s” tidak ada di instansi ini; tulis singkatannya seperti di daftar.") % {
                    "opd": abbreviation})
            else:
                self.set_parent(entry, "department", department, "department")
        self.texts(entry, sheet, number, values, ("name", "description", "output"))
        for name in ("start_year", "end_year"):
            self.set(entry, sheet, number, values, name, parse_int)
        self.set(entry, sheet, number, values, "progress", self.choice(sheet.spec.column("progress")),
                 default="belum")
        if "gaps" in sheet.positions:
            self.gaps(entry, sheet, number, values)
        if entry.action == CREATE and code:
            self.activities.setdefault(code, obj)
        checks = []
        if entry.action == CREATE:
            checks.append((permissions.ADD, Activity, obj.department_id))
        else:
            checks.append((permissions.CHANGE, Activity, entry.original["department_id"]))
            if obj.department_id != entry.original["department_id"]:
                checks.append((permissions.CHANGE, Activity, obj.department_id))
        self.finish(entry, sheet, number, checks)
        if not entry.errors and entry.action != UNCHANGED:
            self.validate_gaps(entry, sheet, number)
        if not entry.errors and entry.action == UPDATE:
            self.check_activity(entry, number, obj, sheet.header("code"))

    def gap_object(self, model, code):
        key = (model, code)
        if key not in self.gap_objects:
            queryset = model._default_manager.filter(institution=self.institution, code__iexact=code)
            self.gap_objects[key] = permissions.visible(self.user, queryset).first()
        return self.gap_objects[key]

    def gaps(self, entry, sheet, number, values):
        """The gap cell names the whole set of (visible) gaps the kegiatan closes. A gap the user may not see that
        the kegiatan already closes (a koordinator's export in an operator's hands) is kept, as it is when left out;
        one it does not close is refused."""
        column = sheet.header("gaps")
        current = self.links.get(entry.instance.pk, []) if entry.action == UPDATE else []
        linked = None  # (content type, code) of the gaps the kegiatan closes, read at the first hidden one
        wanted = set()
        for part in split_list(sheet.value(values, "gaps")):
            kind, sep, code = part.partition(":")
            model = self.kinds.get(normalize_key(kind)) if sep else None
            if model is None:
                self.problem(entry, number, column, _(
                    "“%(part)s”: tulis <jenis>:<kode> dengan jenis objek arsitektur, mis. %(example)s.")
                    % {"part": part, "example": gap_example()})
                entry.failed.add("gaps")
                continue
            obj = self.gap_object(model, code.strip())
            content_type = ContentType.objects.get_for_model(model)
            if obj is None and current:
                if linked is None:
                    linked = {(link.content_type_id, link.target.code.upper()) for link in current
                              if link.target is not None}
                if (content_type.pk, code.strip().upper()) in linked:
                    continue  # hidden from the user and kept: not a change
            if obj is None:
                self.problem(entry, number, column, _(
                    "%(kind)s %(code)s tidak ada di arsitektur instansi ini (atau tidak dapat Anda lihat).") % {
                    "kind": capfirst(str(model._meta.verbose_name)), "code": code.strip().upper()})
                entry.failed.add("gaps")
                continue
            wanted.add((content_type.pk, obj.pk))
        if "gaps" in entry.failed:
            return
        reader = permissions.LinkReader(self.user)
        targets = {(link.content_type_id, link.object_id): link for link in current}
        shown = set()
        for key, link in targets.items():
            target = link.target
            if target is not None and reader.shows(target):
                shown.add(key)
        entry.gaps_add = sorted(wanted - set(targets))
        entry.gaps_remove = [targets[key] for key in sorted(shown - wanted)]
        if entry.action == UPDATE and (entry.gaps_add or entry.gaps_remove):
            entry.changed.append(sheet.spec.column("gaps").label)
            entry.fields.add("gaps")

    def validate_gaps(self, entry, sheet, number):
        for content_type_id, object_id in entry.gaps_add:
            link = ActivityGap(activity=entry.instance, content_type_id=content_type_id, object_id=object_id)
            try:
                link.full_clean(exclude=["activity"], validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                for texts in error.message_dict.values():
                    for text in texts:
                        self.problem(entry, number, sheet.header("gaps"), text)

    def row_anggaran(self, sheet, number, values):
        code = clean_text(sheet.value(values, "activity")).upper()
        probe = Entry(sheet.spec, sheet.title, number, None, CREATE)
        try:
            year = parse_int(sheet.value(values, "year"))
        except CellError as error:
            self.problem(probe, number, sheet.header("year"), error)
            year = None
        activity = self.activities.get(code) if code else None
        existing = self.years.get((activity.pk, year)) if activity is not None and year is not None else None
        entry = self.start(sheet, number, (code, year) if code and year is not None else None, existing,
                           lambda: ActivityYear(activity=activity, year=year, pk=self.temp_id()))
        entry.errors += probe.errors
        if not code:
            self.problem(entry, number, sheet.header("activity"), _("Wajib diisi."))
        elif activity is None:
            self.problem(entry, number, sheet.header("activity"), _(
                "Kegiatan %(code)s tidak ada di instansi ini; tambahkan di lembar Kegiatan.") % {"code": code})
        if year is None and not probe.errors:
            self.problem(entry, number, sheet.header("year"), _("Wajib diisi."))
        if entry.errors:
            return
        self.set(entry, sheet, number, values, "budget", parse_decimal)
        if "budget" in sheet.positions and entry.instance.budget is None and "budget" not in entry.failed:
            self.problem(entry, number, sheet.header("budget"), _("Wajib diisi (0 bila belum ada pagu)."))
            entry.failed.add("budget")
        self.set(entry, sheet, number, values, "source", self.choice(sheet.spec.column("source")), default="apbd")
        self.set(entry, sheet, number, values, "rka", parse_decimal)
        self.set(entry, sheet, number, values, "realisation", parse_decimal)
        self.set(entry, sheet, number, values, "done", parse_yes_no, default=False)
        action = permissions.ADD if entry.action == CREATE else permissions.CHANGE
        department_ids = {activity.department_id, self.stored.get(activity.pk, (activity.department_id,))[0]}
        self.finish(entry, sheet, number, [(action, ActivityYear, d) for d in sorted(department_ids, key=str)])
        if not entry.errors and entry.action != UNCHANGED:
            self.check_activity(entry, number, activity, sheet.header("activity"))

    def check_activity(self, entry, number, activity, column):
        """A change of a stored kegiatan (its row, its years or gaps): refused when the file is an export older than
        the kegiatan's version in SIA (its cells would overwrite that change); a warning when it had been reviewed
        and the change is one of the plan (it sends it back to draft; recording the execution does not)."""
        if activity.pk not in self.stored:
            return
        _department, version, status = self.stored[activity.pk]
        exported = self.versions.get(activity.code.upper())
        if exported is not None and exported != version:
            self.problem(entry, number, column, _(
                "%(code)s sudah diubah di SIA setelah berkas ini diekspor (versi %(old)s, kini %(new)s); perubahan "
                "baris ini akan menimpanya. Ekspor ulang, lalu ulangi perubahan Anda.") % {
                "code": activity.code, "old": exported, "new": version})
        elif status in REVIEWED and entry.reopens and activity.pk not in self.warned:
            self.warned.add(activity.pk)
            self.problem(entry, number, "", _(
                "%(code)s sudah direview; perubahan mengembalikannya ke draf untuk direview ulang.") % {
                "code": activity.code}, WARNING)

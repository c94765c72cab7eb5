"""The computed rules a target names, and the state of a target from the data: plain functions.

A rule measures each OPD as ``Measure(done, total, goal)`` (fungsi covered of all fungsi, services linked of all
services, objects at a review level of all objects, required fields filled of all required fields), reading every
OPD of the instansi in one grouped query per kind, never one per OPD. ``state_for`` turns a measure and the dates
into met / on track / late / missed: late is behind the straight pace from 0 at the start to the goal at the
deadline. More rules come through ``register_rule``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sia.architecture.choices import ReviewStatus
from sia.architecture.completeness import figures
from sia.architecture.kindgroups import kind_groups
from sia.architecture.models import BusinessProcess, Service
from sia.organizations.models import Department, DepartmentFunction

from .choices import ReviewLevel, TargetState

INDEX = "indeks"
LEVEL_STATUSES = {
    ReviewLevel.SUBMITTED: (ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.VALIDATED),
    ReviewLevel.VERIFIED: (ReviewStatus.VERIFIED, ReviewStatus.VALIDATED),
    ReviewLevel.VALIDATED: (ReviewStatus.VALIDATED,),
}


@dataclass(frozen=True)
class Measure:
    """How far one OPD is: ``done`` of ``total`` (percent of it), met at ``goal`` percent."""

    done: int = 0
    total: int = 0
    goal: int = 100

    @property
    def percent(self) -> float | None:
        return round(100 * self.done / self.total, 1) if self.total else None

    @property
    def met(self) -> bool:
        return self.total > 0 and 100 * self.done >= self.goal * self.total


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    measure: Callable  # (target, department ids) -> {department id: Measure}
    domain: str = ""  # the domain the rule measures itself ("" : the target names it)
    needs_threshold: bool = False
    needs_level: bool = False
    index: bool = False  # the instansi's index (``sia.progress.indexes``), not OPD figures


RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    RULES[rule.key] = rule
    return rule


def rule_for(key: str) -> Rule | None:
    return RULES.get(key)


def rule_choices() -> list[tuple[str, str]]:
    return [(rule.key, rule.label) for rule in RULES.values()]


def domain_choices() -> list[tuple[str, str]]:
    return [(group.slug, str(group.label)) for group, _kinds in kind_groups()]


def domain_label(slug: str) -> str:
    return dict(domain_choices()).get(slug, slug or "—")


def kinds_of(slug: str) -> list:
    return next((kinds for group, kinds in kind_groups() if group.slug == slug), [])


# --- the rules ---------------------------------------------------------------------------------------------------

def _grouped(queryset, done: Q, department_ids) -> dict[int, Measure]:
    rows = (queryset.filter(department_id__in=department_ids).order_by().values("department_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=done)))
    return {row["department_id"]: Measure(row["done"], row["total"]) for row in rows}


def functions_covered(target, department_ids) -> dict[int, Measure]:
    """Fungsi of the OPD with at least one business process among all its fungsi."""
    through = BusinessProcess.functions.through
    linked = Exists(through.objects.filter(departmentfunction_id=OuterRef("pk")))
    return _grouped(DepartmentFunction.objects.all(), Q(linked), department_ids)


def services_linked(target, department_ids) -> dict[int, Measure]:
    """Services of the OPD linked to at least one business process among all its services."""
    through = Service.processes.through
    linked = Exists(through.objects.filter(service_id=OuterRef("pk")))
    return _grouped(Service.objects.all(), Q(linked), department_ids)


def _summed(parts: list[dict[int, Measure]], goal: int = 100) -> dict[int, Measure]:
    found: dict[int, Measure] = {}
    for part in parts:
        for department_id, m in part.items():
            before = found.get(department_id, Measure(goal=goal))
            found[department_id] = Measure(before.done + m.done, before.total + m.total, goal)
    return found


def reviewed(target, department_ids) -> dict[int, Measure]:
    """Objects of the domain at the target's review level (or further) among all of them, its kinds summed."""
    statuses = LEVEL_STATUSES[ReviewLevel(target.level)]
    return _summed([_grouped(model.objects.all(), Q(status__in=statuses), department_ids)
                    for model in kinds_of(target.domain)])


def completeness(target, department_ids) -> dict[int, Measure]:
    """Required fields filled among all required fields of the domain's objects (the completeness page's
    percent, ``sia.architecture.completeness.figures``), met at the target's threshold."""
    models = kinds_of(target.domain)
    cells = figures({model: model.objects.filter(department_id__in=department_ids) for model in models})
    goal = target.threshold if target.threshold is not None else 100
    found: dict[int, Measure] = {}
    for per_department in cells.values():
        for department_id, cell in per_department.items():
            before = found.get(department_id, Measure(goal=goal))
            found[department_id] = Measure(before.done + cell.filled, before.total + cell.required, goal)
    return found


def _index_measure(target, department_ids):  # pragma: no cover - index targets are read by sia.progress.indexes
    return {}


register_rule(Rule("fungsi-proses", _l("Setiap fungsi OPD memiliki minimal satu proses bisnis"), functions_covered,
                   domain="proses-bisnis"))
register_rule(Rule("layanan-proses", _l("Setiap layanan terhubung ke proses bisnis"), services_linked,
                   domain="layanan"))
register_rule(Rule("pengajuan", _l("Setiap objek domain sudah diajukan/direview pada tenggat"), reviewed,
                   needs_level=True))
register_rule(Rule("kelengkapan", _l("Kelengkapan isian wajib domain minimal N%"), completeness,
                   needs_threshold=True))
register_rule(Rule(INDEX, _l("Nilai indeks instansi pada tahun tenggat"), _index_measure, index=True))


# --- states ------------------------------------------------------------------------------------------------------

def expected_share(start: date, deadline: date, today: date) -> float:
    """The share of the way from ``start`` to ``deadline`` that ``today`` has gone, 0-1."""
    span = (deadline - start).days
    if span <= 0:
        return 1.0 if today >= deadline else 0.0
    return min(max((today - start).days / span, 0.0), 1.0)


def state_for(measure: Measure, start: date, deadline: date, today: date | None = None) -> str:
    """Met when the goal is reached; no data when there is nothing to measure (whatever the date: an OPD without
    fungsi or objects has not missed anything, and a met target must not flip to missed overnight); else missed
    after the deadline; else late when behind the straight pace from 0 at the start to the goal at the deadline,
    on track otherwise."""
    today = today or timezone.localdate()
    if measure.met:
        return TargetState.MET
    if measure.total == 0:
        return TargetState.NO_DATA
    if today > deadline:
        return TargetState.MISSED
    progress = 100 * measure.done / measure.total
    return TargetState.LATE if progress < measure.goal * expected_share(start, deadline, today) else \
        TargetState.ON_TRACK


@dataclass
class Row:
    department: Department
    measure: Measure
    state: str

    @property
    def state_label(self):
        return TargetState(self.state).label


@dataclass
class Evaluation:
    """A target's state and per-OPD breakdown, from the OPDs the reader may see."""

    target: object
    state: str
    measure: Measure
    rows: list

    @property
    def state_label(self):
        return TargetState(self.state).label

    @property
    def late_rows(self):
        return [row for row in self.rows if row.state in (TargetState.LATE, TargetState.MISSED)]


def departments_of(target, departments=None) -> list[Department]:
    """The OPDs a target covers: its own, or every active OPD of its instansi (narrowed to ``departments``)."""
    if target.department_id is not None:
        covered = [target.department]
    else:
        covered = departments if departments is not None else list(
            Department.objects.filter(institution_id=target.institution_id, is_active=True).order_by("name"))
        covered = [d for d in covered if d.institution_id == target.institution_id and d.is_active]
    return covered


def evaluate(target, departments=None, today: date | None = None) -> Evaluation:
    """The state of a target and of each OPD it covers (``departments``: those the reader may see, all by default).
    Met when every OPD with something to measure meets it; missed or late when one is; no data when none has any
    (also past the deadline)."""
    today = today or timezone.localdate()
    covered = departments_of(target, departments)
    spec = rule_for(target.rule)
    goal = target.threshold if spec and spec.needs_threshold and target.threshold is not None else 100
    measures = spec.measure(target, [d.pk for d in covered]) if spec and covered else {}
    rows = []
    for department in covered:
        m = measures.get(department.pk, Measure(goal=goal))
        rows.append(Row(department, m, state_for(m, target.start_date, target.deadline, today)))
    total = Measure(sum(r.measure.done for r in rows), sum(r.measure.total for r in rows), goal)
    states = {row.state for row in rows} - {TargetState.NO_DATA}  # an OPD with nothing to measure yet
    if states == {TargetState.MET}:
        state = TargetState.MET
    elif TargetState.MISSED in states:
        state = TargetState.MISSED
    elif TargetState.LATE in states:
        state = TargetState.LATE
    elif TargetState.ON_TRACK in states:
        state = TargetState.ON_TRACK
    else:
        state = TargetState.NO_DATA  # no OPD has anything to measure, before or after the deadline
    return Evaluation(target, state, total, rows)


# --- validation (``Target.clean``) --------------------------------------------------------------------------------

def target_problems(target) -> dict[str, list[str]]:
    """What makes a target unusable, per field: an unknown rule or domain, a threshold outside 0-100, an OPD of
    another instansi, a deadline before the start or (for a new target) already past, an index target on an OPD."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    spec = rule_for(target.rule)
    if spec is None:
        add("rule", _("Pilih aturan yang dikenal: %(rules)s.") % {"rules": ", ".join(RULES)})
    department = target.department if target.department_id else None
    if department is not None and target.institution_id and department.institution_id != target.institution_id:
        add("department", _("OPD %(opd)s bukan OPD instansi target ini.") % {"opd": department.abbreviation
                                                                               or department.name})
    if target.threshold is not None and not 0 <= target.threshold <= 100:
        add("threshold", _("Ambang kelengkapan harus antara 0 dan 100 persen."))
    if target.pk is None and target.deadline and target.deadline < timezone.localdate():
        add("deadline", _("Tenggat %(deadline)s sudah lewat: target baru perlu tenggat hari ini atau sesudahnya.")
            % {"deadline": target.deadline.isoformat()})
    elif target.deadline and target.start_date and target.deadline < target.start_date:
        add("deadline", _("Tenggat %(deadline)s sebelum tanggal mulai %(start)s.") % {
            "deadline": target.deadline.isoformat(), "start": target.start_date.isoformat()})
    if spec is None:
        return errors
    if spec.domain:
        target.domain = spec.domain
    elif spec.index:
        target.domain = ""
        if department is not None:
            add("department", _("Target indeks berlaku untuk seluruh instansi: kosongkan OPD."))
        if target.index_target is None:
            add("index_target", _("Isi indeks target, mis. 2,60."))
    elif target.framework_id is not None:
        add("framework", _("Instrumen indeks hanya untuk target indeks."))
    elif target.domain not in dict(domain_choices()):
        add("domain", _("Pilih domain arsitektur yang diukur."))
    if spec.needs_threshold and target.threshold is None:
        add("threshold", _("Isi ambang kelengkapan 0-100 persen."))
    return errors

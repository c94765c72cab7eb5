"""How complete each OPD's architecture is: per OPD and kind group (``sia.architecture.kindgroups``: a
domain of one kind is a group of its own), the number of objects, the share of required fields filled,
and the validation warnings, summed over the group's kinds. Plain functions; the figures and the
warnings of every kind (same names, each kind's own ``completeness_warnings`` and its expiries,
``DomainSpec.expiry``) are read in one grouped query each (a ``UNION ALL`` over the kinds and their warnings)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, Func, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from sia.core import compiled, permissions
from sia.organizations.models import Department

from . import kept
from .completeness_html import table_html
from .expiry import Expiry, list_url
from .kindgroups import kind_groups, kind_label
from .models.base import Counted
from .queues import kind_key, kind_union, kind_value


@dataclass
class Cell:
    count: int = 0
    filled: int = 0
    required: int = 0
    warnings: list = field(default_factory=list)
    group: str = ""  # the kind group's slug (a group's cell)
    parts: list = field(default_factory=list)  # a group of several kinds: (kind label, Cell) per kind

    @property
    def percent(self) -> int | None:
        return round(100 * self.filled / self.required) if self.required else None


def _filled_q(model, name) -> Q:
    f = model._meta.get_field(name)
    if f.many_to_many:
        return Q(**{f"{name}__isnull": False})
    if f.is_relation or f.null:
        return Q(**{f"{name}__isnull": False})
    if f.get_internal_type() == "BooleanField":
        return Q(pk__isnull=False)
    return ~Q(**{name: ""})


def required_fields(model) -> tuple[str, ...]:
    return model.COMMON_COMPLETENESS_FIELDS + model.spec.completeness_fields


def _linked(model, name) -> Exists:
    """Whether an object has at least one link through the many-to-many ``name``."""
    through = model._meta.get_field(name).remote_field.through
    source = [f.name for f in through._meta.fields if f.is_relation and f.related_model is model][0]
    return Exists(through.objects.filter(**{source: OuterRef("pk")}))


def filled_conditions(model) -> list[Q]:
    """One condition per required field of ``model``: the field is filled (a many-to-many as an EXISTS on its
    link table)."""
    return [Q(_linked(model, n)) if model._meta.get_field(n).many_to_many else _filled_q(model, n)
            for n in required_fields(model)]


def filled_count(model):
    """An aggregate: the required fields filled, summed over the grouped objects of ``model``."""
    return _sum([_count_where(condition) for condition in filled_conditions(model)])


def complete_count(model):
    """An aggregate: how many of the grouped objects of ``model`` have every required field filled
    (``sia.progress`` snapshots)."""
    conditions = filled_conditions(model)
    every = Q()
    for condition in conditions:
        every &= condition
    return _count_where(every) if conditions else Count("pk")


def _querysets(querysets) -> dict:
    return querysets() if callable(querysets) else querysets


def figures(querysets, key=None) -> dict[str, dict[int, Cell]]:
    """Count and filled required fields per kind and department: one grouped query for every kind
    (``{model: queryset}``, or a function that builds it), many-to-many fields included (each as an EXISTS on its
    link table), however many fields a kind requires. ``key``: the SQL compiled once under it (``sia.core.compiled``:
    it must name everything the querysets are made of)."""
    def build():
        built = _querysets(querysets)
        parts = [
            queryset.annotate(sia_kind=kind_value(model)).values("sia_kind", "department_id")
            .annotate(n=Count("pk"), filled=filled_count(model))
            for model, queryset in built.items()
        ]
        return kind_union(parts), list(built)

    found, kinds = compiled.rows_and(key and ("figures", key), build)
    models = {kind_key(model): model for model in kinds}
    cells: dict[str, dict[int, Cell]] = {kind: defaultdict(Cell) for kind in models}
    for row in found:
        cell = cells[row["sia_kind"]][row["department_id"]]
        cell.count = row["n"]
        cell.required = row["n"] * len(required_fields(models[row["sia_kind"]]))
        cell.filled += row["filled"]
    return cells


def _sum(expressions: list):
    """The sum of integer expressions as one flat ``(a + b + ...)`` (a nested ``a + b`` is resolved and
    compiled once per level)."""
    if not expressions:
        return Value(0)
    return Func(*expressions, template="(%(expressions)s)", arg_joiner=" + ", output_field=IntegerField())


def _count_where(condition: Q):
    return Coalesce(Sum(Value(1), filter=condition, output_field=IntegerField()), 0)


SAME_NAME = -1  # ``sia_warning`` of the same-name rows
WARNING_COLUMNS = ("sia_kind", "sia_warning", "department_id", "lname")


def _duplicates(model, queryset):
    return (queryset.annotate(sia_kind=kind_value(model), sia_warning=Value(SAME_NAME), lname=Lower("name"))
            .values(*WARNING_COLUMNS).annotate(n=Count("pk")).filter(n__gt=1))


def kind_warnings(model, queryset, departments) -> list[Counted]:
    """A kind's warnings before they are read: its own (``completeness_warnings``), then its expiries
    (``DomainSpec.expiry``) over ``queryset``."""
    return [*model.completeness_warnings(queryset, departments),
            *(Counted(queryset.filter(expiry.condition()), expiry.message, expiry) for expiry in model.spec.expiry)]


@dataclass
class WarningCount:
    model: type
    warning: Counted | None  # None: objects named like another of their OPD
    department_id: int
    n: int

    @property
    def message(self) -> str:
        if self.warning is None:
            return _("%(n)d objek dengan nama yang sama") % {"n": self.n}
        return str(self.warning.message) % {"n": self.n}


def warning_counts(querysets, departments, key=None) -> list[WarningCount]:
    """Every warning of every kind (``{model: queryset}``, or a function that builds it) counted per OPD in one
    query, however many kinds and warnings: same names, each kind's own warnings and its expiries, as one ``UNION
    ALL``; in kind order, each kind's same names first, then its warnings in declaration order. ``key``: as
    ``figures``'."""
    def build():
        entries: list[tuple[type, Counted]] = []
        parts = []
        built = _querysets(querysets)
        for model, queryset in built.items():
            parts.append(_duplicates(model, queryset))
            for counted in kind_warnings(model, queryset, departments):
                parts.append(
                    counted.queryset.annotate(sia_kind=kind_value(model), sia_warning=Value(len(entries)),
                                              lname=Value("", output_field=CharField()))
                    .values(*WARNING_COLUMNS).annotate(n=Count("pk"))
                )
                entries.append((model, counted))
        return kind_union(parts), (list(built), entries)

    rows, (kinds, entries) = compiled.rows_and(key and ("warnings", key), build)
    models = {kind_key(model): model for model in kinds}
    found: dict[tuple, WarningCount] = {}
    for row in rows:
        if row["sia_warning"] == SAME_NAME:
            key = (row["sia_kind"], SAME_NAME, row["department_id"])
            found.setdefault(key, WarningCount(models[row["sia_kind"]], None, row["department_id"], 0)).n += row["n"]
        else:
            model, counted = entries[row["sia_warning"]]
            found[(row["sia_kind"], row["sia_warning"], row["department_id"])] = WarningCount(
                model, counted, row["department_id"], row["n"])
    order = {kind: position for position, kind in enumerate(models)}
    return [found[key] for key in sorted(found, key=lambda k: (order[k[0]], k[1], k[2] or 0))]


def warnings_by_kind(querysets, departments, counts: list[WarningCount] | None = None
                     ) -> dict[str, dict[int, list[str]]]:
    """Validation warnings per kind and department, from ``warning_counts`` (one query for every kind);
    ``querysets``: ``{model: queryset}``, or the models alone when ``counts`` are given."""
    found = {kind_key(model): defaultdict(list) for model in querysets}
    for count in warning_counts(querysets, departments) if counts is None else counts:
        found[kind_key(count.model)][count.department_id].append(count.message)
    return found


@dataclass
class Expired:
    """How many objects of one kind a user may see are out of date in one way (``Expiry``), and the kind's list
    narrowed to them."""

    model: type
    expiry: Expiry
    count: int
    url: str

    @property
    def kind_label(self):
        return kind_label(self.model)

    @property
    def text(self) -> str:
        return self.expiry.text(self.count)


def expired(counts: list[WarningCount], department=None) -> list[Expired]:
    """The expiry warnings of ``counts`` summed over the OPDs, per kind and expiry, in kind order; the links
    name ``department`` when the figures are of that one OPD."""
    totals: dict[tuple, int] = {}
    for count in counts:
        if count.warning is not None and count.warning.expiry is not None:
            key = (count.model, count.warning.expiry)
            totals[key] = totals.get(key, 0) + count.n
    return [Expired(model, expiry, n, list_url(model, expiry, department)) for (model, expiry), n in totals.items()]


def group_cell(group, kinds: list, cells: list[Cell], labels: list[str] | None = None) -> Cell:
    """One group's cell from its kinds' cells: counts and required fields summed (so the percent is over
    every required field of the group's objects), warnings of every kind, named by kind in a group of several
    (``labels``: the kinds' labels, made once for a whole table)."""
    total = Cell(count=sum(c.count for c in cells), filled=sum(c.filled for c in cells),
                 required=sum(c.required for c in cells), group=group.slug)
    several = len(kinds) > 1
    if several:
        labels = labels if labels is not None else [str(kind_label(model)) for model in kinds]
        for label, cell in zip(labels, cells):
            total.warnings.extend(f"{label}: {w}" for w in cell.warnings)
            total.parts.append((label, cell))
    else:
        for cell in cells:
            total.warnings.extend(cell.warnings)
    return total


@dataclass
class CompletenessTable:
    groups: list  # [(KindGroup, [kind models])], in menu order
    rows: list  # (department, [Cell per group])
    kind_rows: list = field(default_factory=list)  # (department, [[Cell per kind] per group])
    expired: list = field(default_factory=list)  # [Expired]: out-of-date objects per kind, summed over the OPDs
    _html: str | None = field(default=None, repr=False, compare=False)
    _made: dict = field(default_factory=dict, repr=False, compare=False)

    def once(self, name: str, make):
        """What ``make()`` draws from this table (the home page's heat map), drawn once per table as ``html`` is: a
        kept table never changes and is kept per language."""
        if name not in self._made:
            self._made[name] = make()
        return self._made[name]

    @property
    def html(self) -> str:
        """The table as the pages show it (``completeness_html``), written once per table: a kept table is kept per
        language (``table_for``), and what it shows never changes."""
        if self._html is None:
            self._html = table_html(self)
        return self._html

    @property
    def labels(self):
        return [group.label for group, _kinds in self.groups]

    @property
    def slugs(self):
        return [group.slug for group, _kinds in self.groups]

    def totals(self):
        return [sum(row[1][i].count for row in self.rows) for i in range(len(self.groups))]


def table_for(user, departments=None) -> CompletenessTable:
    """The completeness of ``departments`` (default: every active OPD the user sees) as the user sees it: kept
    between requests under the architecture's generation and the reader's grants (``sia.architecture.kept``), so
    a request reads the OPDs and the generation, not every object of the instansi. Only read: never changed."""
    departments = departments if departments is not None else permissions.visible(
        user, Department.objects.filter(is_active=True)
    )
    departments = list(departments.order_by("name"))
    groups = kind_groups()
    models = [model for _group, kinds in groups for model in kinds]
    layout = tuple((group.slug, tuple(kind_key(m) for m in kinds)) for group, kinds in groups)
    ids = tuple(d.pk for d in departments)

    def compute():
        # Each kind's figures kept under its own part of the generation: after a change, only the kinds it touched
        # are read again (``kind_figures``), and the table is put together from every kind's figures.
        per_kind = kept.kept_kinds("completeness_kinds", user, models, (ids,),
                                   lambda stale: kind_figures(user, departments, stale))
        return compute_table(user, departments, per_kind)

    return kept.kept("completeness", user, models, (layout, ids), compute)


def kind_figures(user, departments: list, models: list) -> dict[str, tuple[dict, list]]:
    """Per kind of ``models``: ``({department_id: (count, filled, required)}, [WarningCount])`` of ``departments`` as
    the user sees them, read now (two queries, however many kinds). Only read once made."""
    def querysets():
        return {model: permissions.visible(user, model.objects.filter(department__in=departments)) for model in models}

    # The SQL and its parameters follow from the kinds, the OPDs and the reader's grants: compiled once under them.
    key = kept.sql_key("completeness", user, models, (tuple(kind_key(m) for m in models), tuple(d.pk for d in departments)))
    cells = figures(querysets, key)
    found = {kind: ({department_id: (cell.count, cell.filled, cell.required) for department_id, cell in per.items()}, [])
             for kind, per in cells.items()}
    for count in warning_counts(querysets, departments, key):
        found[kind_key(count.model)][1].append(count)
    return found


def compute_table(user, departments: list, per_kind: dict | None = None) -> CompletenessTable:
    """The completeness of ``departments`` as the user sees it, from each kind's figures (``kind_figures``, read
    now when ``per_kind`` does not give them)."""
    groups = kind_groups()
    models = [model for _group, kinds in groups for model in kinds]
    per_kind = kind_figures(user, departments, models) if per_kind is None else per_kind
    cells: dict[str, dict[int, Cell]] = {}
    for model in models:
        found = cells[kind_key(model)] = defaultdict(Cell)
        for department_id, (count, filled, required) in per_kind[kind_key(model)][0].items():
            found[department_id] = Cell(count=count, filled=filled, required=required)
    counts = [count for model in models for count in per_kind[kind_key(model)][1]]
    for kind, per_department in warnings_by_kind(models, departments, counts).items():
        for department_id, messages in per_department.items():
            cells[kind][department_id].warnings.extend(messages)
    per_kind = [[cells[kind_key(model)] for model in kinds] for _group, kinds in groups]  # {department_id: Cell}
    rows, kind_rows = [], []
    labels = [[str(kind_label(model)) for model in kinds] for _group, kinds in groups]
    for department in departments:
        kinds_cells = [[cells.get(department.pk, Cell()) for cells in group_cells] for group_cells in per_kind]
        rows.append((department, [group_cell(group, kinds, cells, names) for (group, kinds), cells, names
                                  in zip(groups, kinds_cells, labels)]))
        kind_rows.append((department, kinds_cells))
    single = departments[0] if len(departments) == 1 else None
    return CompletenessTable(groups=groups, rows=rows, kind_rows=kind_rows, expired=expired(counts, single))


def api_rows(table: CompletenessTable) -> list[dict]:
    """``/api/architecture/completeness/``: per OPD, per kind group (keyed by the group's slug, which for a
    domain of one kind is the domain's slug), the group's count, percent and warnings, and the same figures
    of each of its kinds keyed by the kind's domain slug."""
    rows = []
    for (department, cells), (_department, kinds_cells) in zip(table.rows, table.kind_rows):
        rows.append({
            "department": {"id": department.pk, "abbreviation": department.abbreviation, "display": str(department)},
            "domains": {
                group.slug: _api_cell(cell) | {
                    "kinds": {model.spec.slug: _api_cell(kind_cell) for model, kind_cell in zip(kinds, kind_cells)}
                }
                for (group, kinds), cell, kind_cells in zip(table.groups, cells, kinds_cells)
            },
        })
    return rows


def _api_cell(cell: Cell) -> dict:
    return {"count": cell.count, "percent": cell.percent, "warnings": cell.warnings}

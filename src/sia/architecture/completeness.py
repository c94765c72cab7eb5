"""How complete each OPD's architecture is: per OPD and domain, the number of objects, the share of
required fields filled, and the validation warnings. Plain functions; one grouped query per domain."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.organizations.models import Department

from .registry import domain_models


@dataclass
class Cell:
    count: int = 0
    filled: int = 0
    required: int = 0
    warnings: list = field(default_factory=list)

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


def domain_figures(model, queryset) -> dict[int, Cell]:
    """Count and filled required fields per department, one grouped query (plus one per M2M field)."""
    cells: dict[int, Cell] = defaultdict(Cell)
    fields = required_fields(model)
    scalar = [n for n in fields if not model._meta.get_field(n).many_to_many]
    m2m = [n for n in fields if model._meta.get_field(n).many_to_many]
    aggregates = {
        f"filled_{n}": Coalesce(Sum(Value(1), filter=_filled_q(model, n), output_field=IntegerField()), 0) for n in scalar
    }
    for row in queryset.values("department_id").annotate(n=Count("pk"), **aggregates):
        cell = cells[row["department_id"]]
        cell.count = row["n"]
        cell.required = row["n"] * len(fields)
        cell.filled += sum(row[f"filled_{n}"] for n in scalar)
    for name in m2m:
        through = model._meta.get_field(name).remote_field.through
        source = [f.name for f in through._meta.fields if f.is_relation and f.related_model is model][0]
        linked = queryset.filter(Exists(through.objects.filter(**{source: OuterRef("pk")})))
        for row in linked.values("department_id").annotate(n=Count("pk")):
            cells[row["department_id"]].filled += row["n"]
    return cells


def duplicate_names(model, queryset) -> dict[int, int]:
    rows = (
        queryset.annotate(lname=Lower("name")).values("department_id", "lname").annotate(n=Count("pk")).filter(n__gt=1)
    )
    result: dict[int, int] = defaultdict(int)
    for row in rows:
        result[row["department_id"]] += row["n"]
    return result


def warnings_for(model, queryset, departments) -> dict[int, list[str]]:
    """Validation warnings per department for one domain."""
    found: dict[int, list[str]] = defaultdict(list)
    for department_id, n in duplicate_names(model, queryset).items():
        found[department_id].append(_("%(n)d objek dengan nama yang sama") % {"n": n})
    for department_id, message in model.completeness_warnings(queryset, departments):
        found[department_id].append(message)
    return found


@dataclass
class CompletenessTable:
    domains: list
    rows: list  # (department, [Cell per domain])

    @property
    def labels(self):
        return [model.spec.menu_label or model._meta.verbose_name_plural for model in self.domains]

    def totals(self):
        return [sum(row[1][i].count for row in self.rows) for i in range(len(self.domains))]


def table_for(user, departments=None) -> CompletenessTable:
    departments = departments if departments is not None else permissions.visible(
        user, Department.objects.filter(is_active=True)
    )
    departments = list(departments.order_by("name"))
    models = domain_models()
    per_domain = []
    for model in models:
        queryset = permissions.visible(user, model.objects.filter(department__in=departments))
        cells = domain_figures(model, queryset)
        for department_id, messages in warnings_for(model, queryset, departments).items():
            cells[department_id].warnings.extend(messages)
        per_domain.append(cells)
    rows = [(department, [cells.get(department.pk, Cell()) for cells in per_domain]) for department in departments]
    return CompletenessTable(domains=models, rows=rows)

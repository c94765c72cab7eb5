"""Turning the declared tables into cases: the operations of the OpenAPI schema, each resolved to its
viewset, model and Policy, crossed with every user and every location the table declares. A plain view
declared with an ``ObjectQuery`` is crossed with the objects of each of its models (the model's policy
grids), one declared with an ``InstansiQuery`` with the instansi its parameter names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from sia.core import permissions

from .expectations import ENDPOINT_EXPECTATIONS, POLICY_EXPECTATIONS, InstansiQuery, ObjectQuery
from .world import DEFAULT, INSTANSI_LOCATIONS, USERS, locations_of, sample_variants, users_for, variants_of

METHODS = ("get", "post", "put", "patch", "delete")
STANDARD = {"list": "view", "retrieve": "view", "create": "add", "update": "change", "partial_update": "change",
            "destroy": "delete"}


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    view_class: type
    action: str | None  # the viewset action, None for a plain APIView
    url_name: str
    detail: bool

    @property
    def model(self):
        cls = self.view_class
        model = getattr(cls, "model", None)
        if model is None and getattr(cls, "queryset", None) is not None:
            model = cls.queryset.model
        return model if self.action else None

    @property
    def policy_action(self) -> str | None:
        if self.action is None:
            return None
        if self.action in STANDARD:
            return STANDARD[self.action]
        methods = [m.lower() for m in getattr(getattr(self.view_class, self.action), "mapping", {})] or [self.method]
        return self.action if self.method == methods[0] else f"{self.action}:{self.method}"

    def declared(self):
        """The declared table for this operation, or an explanation of what to declare."""
        if self.action is None:
            table = ENDPOINT_EXPECTATIONS.get(self.url_name, {}).get(self.method)
            if table is None:
                return None, (f"{self.method.upper()} {self.path} ({self.view_class.__name__}) has no expectation: add "
                              f"ENDPOINT_EXPECTATIONS[{self.url_name!r}][{self.method!r}] in tests/authz/expectations.py")
            return table, None
        policy = type(permissions.policy_for(self.model))
        tables = POLICY_EXPECTATIONS.get(policy)
        if tables is None:
            return None, (f"{self.method.upper()} {self.path}: the policy {policy.__name__} of {self.model.__name__} "
                          "has no table: add POLICY_EXPECTATIONS[{policy.__name__}] in tests/authz/expectations.py")
        table = tables.get(self.policy_action)
        if table is None:
            return None, (f"{self.method.upper()} {self.path}: add the action {self.policy_action!r} to the table of "
                          f"{policy.__name__} in tests/authz/expectations.py (who may do it, where)")
        return table, None


def operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            match = resolve(re.sub(r"\{[^}]+\}", "1", path))
            view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
            actions = getattr(match.func, "actions", None) or {}
            found.append(Operation(path, method, view_class, actions.get(method), match.view_name, "{" in path))
    return found


@dataclass(frozen=True)
class Case:
    operation: Operation
    user: str
    location: str
    variant: str
    expected: str | None
    problem: str | None = None
    query: ObjectQuery | InstansiQuery | None = None  # a plain view told what it is about in its query string
    target: type | None = None  # the model of the object an ``ObjectQuery`` case asks about

    @property
    def id(self):
        variant = "" if self.variant == DEFAULT else f":{self.variant}"
        about = f" [{self.target.spec.slug}]" if self.target is not None else ""
        return f"{self.operation.method.upper()} {self.operation.path}{about} {self.user}@{self.location}{variant}"


def object_query_grids(query: ObjectQuery, model):
    """{variant: grid} of ``model``'s policy table for the query's action, or (None, what to declare)."""
    policy = type(permissions.policy_for(model))
    table = POLICY_EXPECTATIONS.get(policy, {}).get(query.action)
    if table is None:
        return None, f"the policy {policy.__name__} of {model.__name__} has no table for {query.action!r}"
    grids = {v: g for v, g in _grids(table).items() if v in variants_of(model)}
    return grids or None, f"the table names none of the variants {variants_of(model)} of {model.__name__}"


def _query_cases(op: Operation, query) -> list[Case]:
    """The cases of a plain view declared with an ``ObjectQuery`` or an ``InstansiQuery``."""
    result = []
    if isinstance(query, InstansiQuery):
        for user in USERS:
            for location, expected in query.table[user].items():
                result.append(Case(op, user, location, DEFAULT, expected, query=query))
        return result
    for model in query.models:
        grids, problem = object_query_grids(query, model)
        if grids is None:
            result.append(Case(op, "-", "-", DEFAULT, None, f"{op.method.upper()} {op.path}: {problem}"))
            continue
        for variant, grid in grids.items():
            for user in USERS:
                for location, expected in grid[user].items():
                    result.append(Case(op, user, location, variant, expected, query=query, target=model))
    return result


def _grids(table):
    """{variant: grid} whether the table is one grid or per variant."""
    first = next(iter(table.values()))
    if isinstance(first, dict) and set(table) <= set(USERS):
        return {DEFAULT: table}
    return table


def cases() -> list[Case]:
    result = []
    for op in operations():
        table, problem = op.declared()
        if table is None:
            result.append(Case(op, "-", "-", DEFAULT, None, problem))
            continue
        if isinstance(table, (ObjectQuery, InstansiQuery)):
            result += _query_cases(op, table)
            continue
        grids = _grids(table)
        if op.model is not None and (op.detail or op.action == "list"):
            grids = {v: g for v, g in grids.items() if v in variants_of(op.model)}
            if not grids:
                result.append(Case(op, "-", "-", DEFAULT, None, f"{op.method.upper()} {op.path}: the table names none "
                                   f"of the variants {variants_of(op.model)} of {op.model.__name__}"))
        for variant in sample_variants(op.model, grids):
            grid = grids[variant]
            for user in users_for(op.model):
                for location, expected in grid[user].items():
                    result.append(Case(op, user, location, variant, expected))
    return result


def check_columns(op: Operation, table) -> list[str]:
    """A model's table must name the locations the world has for it (so no column is silently skipped)."""
    if isinstance(table, InstansiQuery):
        columns = set(next(iter(table.table.values())))
        if columns != set(INSTANSI_LOCATIONS):
            return [f"{op.method.upper()} {op.path}: columns {sorted(columns)}, the instansi are {INSTANSI_LOCATIONS}"]
        return []
    if isinstance(table, ObjectQuery):
        problems = []
        for model in table.models:
            grids, _problem = object_query_grids(table, model)
            for variant, grid in (grids or {}).items():
                columns = set(next(iter(grid.values())))
                if columns != set(locations_of(model)):
                    problems.append(f"{op.method.upper()} {op.path} [{model.__name__}, {variant}]: columns "
                                    f"{sorted(columns)}, the world has {sorted(locations_of(model))}")
        return problems
    if op.model is None:
        return []
    have = set(locations_of(op.model))
    problems = []
    for variant, grid in _grids(table).items():
        columns = set(next(iter(grid.values())))
        if op.action == "create" or (not op.detail and op.method == "post"):
            continue
        if columns != have:
            problems.append(f"{op.method.upper()} {op.path} [{variant}]: columns {sorted(columns)}, "
                            f"the world has {sorted(have)}")
    return problems


_COUNTS_SQL: dict = {}
_ROW_SQL: dict = {}


def row_counts(*managers) -> tuple:
    """What ``manager.count()`` answers for each manager, in one query (the fingerprints of the matrices run
    before and after thousands of refused requests: one round trip instead of one per table). The SQL is compiled
    once per set of managers (compiling it cost more than running it); the rows are counted on every call."""
    key = (connection.vendor, tuple((m.model, m.name) for m in managers))
    if key not in _COUNTS_SQL:
        parts, params = [], []
        for manager in managers:
            query = manager.all().order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n").query
            sql, args = query.sql_with_params()
            parts.append(f"({sql})")
            params += args
        _COUNTS_SQL[key] = ("SELECT " + ", ".join(parts), tuple(params))
    sql, params = _COUNTS_SQL[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


_PK = -918273645  # stands for the primary key in the SQL compiled once per model


def row_of(obj) -> tuple | None:
    """Every concrete column of ``obj``'s row as the database holds it now (None when it is gone), read through
    its model's default manager; the SQL is compiled once per model."""
    model = type(obj)
    key = (connection.vendor, model)
    if key not in _ROW_SQL:
        fields = [f.attname for f in model._meta.concrete_fields]
        sql, params = model._default_manager.filter(pk=_PK).values_list(*fields).query.sql_with_params()
        at = [i for i, p in enumerate(params) if p in (_PK, str(_PK))]  # a text key (ApiToken) is a string
        assert len(at) == 1, (model, params)
        _ROW_SQL[key] = (sql, tuple(params), at[0])
    sql, params, at = _ROW_SQL[key]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params[:at], obj.pk, *params[at + 1:]])
        return cursor.fetchone()

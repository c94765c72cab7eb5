"""The migrations are what production runs; the test databases are built from the models (``--no-migrations`` in
pyproject.toml: each test worker would otherwise spend a minute migrating). So the migrations are checked here,
once per run, on the database the run uses (SQLite, then PostgreSQL): they agree with the models, and applied from
nothing to a fresh database they build exactly the tables, columns, indexes and constraints the models do. That
database is migrated once per run by ``sia migrate`` in its own process (tests/migrated.py), and the tests that start
a server or a command on a migrated database copy it."""

from __future__ import annotations

import os
import re
import sqlite3
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

SKIPPED = {"django_migrations"}


@pytest.mark.django_db
def test_the_migrations_agree_with_the_models():
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit as exit_:  # raised when a model has changes no migration holds
        pytest.fail(f"makemigrations --check found changes without a migration ({exit_})")


def _sqlite_schema(query) -> set:
    """The columns, foreign keys, indexes and named constraints of every table, read with ``query(sql) -> rows``.
    SQLite's own indexes of UNIQUE constraints are named by their place in the table's SQL: those count by their
    columns."""
    schema = set()
    tables = query("SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    for table, sql in tables:
        if table in SKIPPED:
            continue
        columns = query(f'PRAGMA table_info("{table}")')
        schema |= {("column", table, row[1], row[2].upper(), bool(row[3])) for row in columns}
        schema |= {("foreign key", table, *row[2:]) for row in query(f'PRAGMA foreign_key_list("{table}")')}
        schema |= {("constraint", table, name) for name in re.findall(r'CONSTRAINT "([^"]+)"', sql)}
        for _, name, unique, origin, partial in query(f'PRAGMA index_list("{table}")'):
            columns = tuple(row[2] for row in query(f'PRAGMA index_info("{name}")'))
            shown = "(unique constraint)" if name.startswith("sqlite_autoindex") else name
            schema.add(("index", table, shown, bool(unique), origin, bool(partial), columns))
    return schema


def _sqlite_file_schema(path) -> set:
    with sqlite3.connect(path) as db:
        return _sqlite_schema(lambda sql: db.execute(sql).fetchall())


# Columns, indexes (with their definitions) and constraints (with theirs) of the public schema.
SCHEMA_SQL = (
    "SELECT 'column', table_name, column_name, data_type || ' ' || is_nullable FROM information_schema.columns "
    "WHERE table_schema = 'public' "
    "UNION ALL SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
    "UNION ALL SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid) || "
    "CASE WHEN condeferrable THEN ' deferrable' ELSE '' END FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace AND conrelid <> 0"
)


@pytest.mark.django_db
def test_the_migrations_build_the_schema_of_the_models_on_this_database(request):
    if connection.vendor == "sqlite":
        migrated = _sqlite_file_schema(request.getfixturevalue("migrated_sqlite"))
        with connection.cursor() as cursor:  # the test database, in memory or not
            built = _sqlite_schema(lambda sql: cursor.execute(sql).fetchall())
    elif connection.vendor == "postgresql":
        import psycopg

        name = request.getfixturevalue("migrated_postgres")
        url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
        with psycopg.connect(url) as db:
            migrated = set(db.execute(SCHEMA_SQL).fetchall())
        with connection.cursor() as cursor:
            cursor.execute(SCHEMA_SQL)
            built = set(cursor.fetchall())
    else:  # pragma: no cover - SIA runs on SQLite and PostgreSQL only
        pytest.skip(connection.vendor)
    # SIA's own tables (Django's and the libraries' are theirs to migrate: auth's group permissions, for one, are
    # built with an integer key from the models and a bigint one by their migrations).
    own = {model._meta.db_table for model in apps.get_models(include_auto_created=True)
           if model._meta.app_config.name.startswith("sia.")}
    migrated, built = {row for row in migrated if row[1] in own}, {row for row in built if row[1] in own}
    assert len({row[1] for row in built}) >= 100  # the comparison covers SIA's tables
    assert {row[0] for row in built} >= {"column", "index", "constraint"}
    assert migrated == built, {"only migrated": sorted(migrated - built)[:20],
                               "only models": sorted(built - migrated)[:20]}

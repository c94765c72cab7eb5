"""The migrations are what production runs; the test databases are built from the models (``--no-migrations`` in
pyproject.toml: each test worker would otherwise spend a minute migrating). So the migrations are checked here,
once per run, on the database the run uses (SQLite, then PostgreSQL): they agree with the models, and applied from
nothing to a fresh database they build exactly the tables and columns the models do. That database is migrated
once per run by ``sia migrate`` in its own process (tests/migrated.py), and the tests that start a server or a
command on a migrated database copy it."""

from __future__ import annotations

import os
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


def _sqlite_columns(path) -> set:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                                "AND name NOT LIKE 'sqlite_%'")]
        return {(table, row[1], row[2].upper(), bool(row[3]))
                for table in tables if table not in SKIPPED
                for row in db.execute(f'PRAGMA table_info("{table}")')}


COLUMNS_SQL = ("SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
               "WHERE table_schema = 'public'")


@pytest.mark.django_db
def test_the_migrations_build_the_schema_of_the_models_on_this_database(request):
    if connection.vendor == "sqlite":
        migrated = _sqlite_columns(request.getfixturevalue("migrated_sqlite"))
        built = _sqlite_columns(connection.settings_dict["NAME"]) if connection.settings_dict["NAME"] not in (
            "", ":memory:") and "mode=memory" not in str(connection.settings_dict["NAME"]) else None
        if built is None:  # an in-memory test database: read it through Django's connection
            with connection.cursor() as cursor:
                tables = [t for t in connection.introspection.table_names(cursor) if t not in SKIPPED]
                built = {(table, row[1], row[2].upper(), bool(row[3])) for table in tables
                         for row in cursor.execute(f'PRAGMA table_info("{table}")').fetchall()}
    elif connection.vendor == "postgresql":
        import psycopg

        name = request.getfixturevalue("migrated_postgres")
        url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))
        with psycopg.connect(url) as db:
            migrated = {row for row in db.execute(COLUMNS_SQL).fetchall() if row[0] not in SKIPPED}
        with connection.cursor() as cursor:
            cursor.execute(COLUMNS_SQL)
            built = {row for row in cursor.fetchall() if row[0] not in SKIPPED}
    else:  # pragma: no cover - SIA runs on SQLite and PostgreSQL only
        pytest.skip(connection.vendor)
    # SIA's own tables (Django's and the libraries' are theirs to migrate: auth's group permissions, for one, are
    # built with an integer key from the models and a bigint one by their migrations).
    own = {model._meta.db_table for model in apps.get_models(include_auto_created=True)
           if model._meta.app_config.name.startswith("sia.")}
    migrated, built = {row for row in migrated if row[0] in own}, {row for row in built if row[0] in own}
    assert len({row[0] for row in built}) >= 100  # the comparison covers SIA's tables
    assert migrated == built, {"only migrated": sorted(migrated - built)[:20], "only models": sorted(built - migrated)[:20]}

"""Every row of a test database's tables, read and written back as they are (tests/demo.py, tests/baseline.py)."""

from __future__ import annotations

import datetime
import sqlite3

from django.apps import apps

# Django passes a time to SQLite as text itself; a raw row read back holds a ``datetime.time`` (its converter).
sqlite3.register_adapter(datetime.time, lambda value: value.isoformat())

BATCH = 500


def tables_of(connection) -> dict:
    """Each concrete table of the installed models -> (its primary key column, its models for the sequences)."""
    existing = set(connection.introspection.table_names())
    tables: dict = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing:
            continue
        tables.setdefault(meta.db_table, (connection.ops.quote_name(meta.pk.column), []))[1].append(model)
    return dict(sorted(tables.items()))


def read_rows(connection, table: str, pk: str):
    """The rows of ``table`` in a stable order: PostgreSQL's COPY text (exact), SQLite's raw values."""
    name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY (SELECT * FROM {name} ORDER BY {pk}) TO STDOUT") as copy:
                return b"".join(bytes(block) for block in copy)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {name} ORDER BY {pk}")
        return cursor.fetchall()


def write_rows(connection, table: str, rows) -> None:
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {name}")
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {name} FROM STDIN") as copy:
                copy.write(rows)
        return
    marks = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            cursor.execute(f"INSERT INTO {name} VALUES " + ", ".join([marks] * len(chunk)),
                           [value for row in chunk for value in row])

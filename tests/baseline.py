"""After a transactional test, the database put back as migrate left it, in a small part of the time of a flush.

Django ends each transactional test (``TransactionTestCase``: a live server, a browser, ``transaction=True``) with
``flush``: every table emptied, then the ``post_migrate`` signal, whose receivers build again what migrate built:
the content types and permissions, the national reference catalogs and both index instruments (parsed from their
YAML files and saved row by row with their history). That took 0.6-0.7 s on SQLite and 1.0-1.1 s on PostgreSQL
after each such test, and gave the rows built again new keys, so that no demo kept by tests/demo.py fitted a
transactional test: each built it for real (10-20 s).

Here the rows of every table are read once per test process, right after the test database is set up
(``capture``: tests/conftest.py's ``django_db_setup``). A transactional test ends (``restore``, one transaction)
with the tables that held no rows emptied and those that did, where a test changed them, written back as they
were, keys included; the caches the ``post_migrate`` receivers clear are cleared. Sequences are left as they are, as
Django's flush leaves them. A test case that flushes a subset of the apps (``available_apps``) or reloads serialized
rows (``serialized_rollback``) keeps Django's flush, and so does a database whose rows were not captured.
"""

from __future__ import annotations

from django.db import connections, transaction
from django.test import TransactionTestCase

from .table_rows import read_rows, tables_of, write_rows

# alias -> (database name, {table: (pk column, models)}, {table: rows} of the tables with rows, their digests)
_captured: dict = {}
_flush = TransactionTestCase._fixture_teardown


def capture(aliases=None) -> None:
    """Reads every table's rows on ``aliases`` (all databases): what ``restore`` writes back."""
    for alias in aliases or list(connections):
        connection = connections[alias]
        tables = tables_of(connection)
        rows = {table: read_rows(connection, table, pk) for table, (pk, _models) in tables.items()}
        rows = {table: found for table, found in rows.items() if found}
        _captured[alias] = (connection.settings_dict["NAME"], tables, rows, _digests(connection, tables, rows))


def _digests(connection, tables: dict, names) -> dict:
    """PostgreSQL: {table: digest of its rows} of the tables ``names``, computed by the server in one query; on
    SQLite, where reading the rows back costs no round trip, the rows themselves."""
    names = list(names)
    if connection.vendor != "postgresql":
        return {table: read_rows(connection, table, tables[table][0]) for table in names}
    quote = connection.ops.quote_name
    parts = [f"(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x.{tables[table][0]}), '')) "
             f"FROM {quote(table)} x)" for table in names]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return dict(zip(names, cursor.fetchone()))


def captured_rows(alias: str = "default") -> dict:
    """{table: rows} of the tables that held rows when they were captured."""
    return _captured[alias][2]


def restorable(alias: str) -> bool:
    kept = _captured.get(alias)
    return kept is not None and kept[0] == connections[alias].settings_dict["NAME"]


def restore(alias: str = "default") -> None:
    """Every table of ``alias`` as ``capture`` read it. Foreign keys are checked at the commit (Django creates them
    deferred on both databases), when every table holds its captured rows again."""
    from django.contrib.contenttypes.models import ContentType

    from sia.core import compiled

    connection = connections[alias]
    _name, tables, rows, digests = _captured[alias]
    with transaction.atomic(using=alias):
        # The captured tables a test changed are written again (writing them all made the foreign key checks of
        # PostgreSQL's commit take a tenth of a second); the others are emptied.
        now = _digests(connection, tables, rows)
        changed = [table for table in rows if now[table] != digests[table]]
        emptied = [f"DELETE FROM {connection.ops.quote_name(table)}" for table in tables if table not in rows]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("; ".join(emptied))  # one round trip (a query without parameters)
            else:
                for statement in emptied:
                    cursor.execute(statement)
        for table in changed:
            write_rows(connection, table, rows[table])
    ContentType.objects.clear_cache()
    compiled.clear()


def _fixture_teardown(self) -> None:
    aliases = self._databases_names(include_mirrors=False)
    if self.available_apps is not None or self.serialized_rollback or not all(map(restorable, aliases)):
        _flush(self)
        return
    for alias in aliases:
        restore(alias)


def install() -> None:
    TransactionTestCase._fixture_teardown = _fixture_teardown

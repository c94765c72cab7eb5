"""``sia demo`` in a test: built for real once per test process and database, copied back afterwards.

The demo takes 10-18 s to build and some twenty tests or modules need it (its own tests, the CSP, page budget and
browser journeys), so a run built it about twenty times per database. ``build()`` runs the command the first time
and keeps, in memory, every table's rows before and after it; a later call whose database holds exactly the rows
the first one started from (checked table by table, every row) gets the tables the demo changed written back as
the command left them, in a fraction of a second, and reads them again to check the copy. On any other start (a
test's own rows, another instansi) it builds for real, and keeps that build for the next caller with that start.

What is copied is the rows, in the caller's transaction, and the files the command stored (its documents and
evidence, through the default storage: the caller's MEDIA_ROOT or in-memory storage is not the first build's); a
start whose storage holds another file under one of those names is built for real (the command would store it
under another name). Use it where ``call_command("demo")`` would be used, in a
module fixture's transaction rolled back at its end (``TestCase.setUpTestData``'s way, see
tests/progress/test_demo.py) or in a test. A test that modifies the demo modifies its own copy, rolled back like
any row it writes. In a transactional test (a live server, a browser) the copy is committed, and the database is
put back after the test as any such test leaves it (tests/baseline.py): such a test starts from the rows every
other test starts from, so the copy kept by any test fits it. Tests of the command itself (that it runs again
without adding rows, that it refuses production) call ``call_command("demo")``.
"""

from __future__ import annotations

import os

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.utils import timezone

from .table_rows import read_rows, tables_of, write_rows

_kept: dict = {}  # (alias, vendor, database name, day) -> [(rows before, rows the demo changed, files it stored)]
KEEP = 3  # starts kept per database (the empty database; a test's own rows differ from test to test)


def _snapshot(connection, tables: dict) -> dict:
    return {table: read_rows(connection, table, pk) for table, (pk, _models) in tables.items()}


def _stored() -> set:
    from .media import stored_names

    return set(stored_names())


def _named(tables: dict, changed: dict) -> set:
    """The stored names the file fields of the ``changed`` tables' rows hold."""
    from django.db import models

    names = set()
    for table in changed:
        for model in tables[table][1]:
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField) and field.model is model:
                    names.update(model._base_manager.exclude(**{field.attname: ""})
                                 .values_list(field.attname, flat=True))
    return {name for name in names if name}


def _files_fit(files: dict) -> bool:
    """Whether the storage can hold ``files`` under their names: each missing, or there with the same content."""
    for name, content in files.items():
        if default_storage.exists(name):
            with default_storage.open(name) as found:
                if found.read() != content:
                    return False
    return True


def _store(files: dict) -> None:
    for name, content in files.items():
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(content))
            assert saved == name, (saved, name)


def build(using: str = "default") -> None:
    """The demo on database ``using``, as ``call_command("demo")`` leaves it (see the module's docstring)."""
    from django.contrib.contenttypes.models import ContentType

    connection = connections[using]
    # The demo dates its rows from today: a start kept on another day (a run across midnight) is not reused.
    key = (using, connection.vendor, connection.settings_dict["NAME"], timezone.localdate())
    with transaction.atomic(using=using):
        tables = tables_of(connection)
        before = _snapshot(connection, tables)
        for kept_before, changed, files in _kept.get(key, []):
            if kept_before != before or not _files_fit(files):
                continue
            _store(files)
            for table, rows in changed.items():
                write_rows(connection, table, rows)
            models = [model for table in changed for model in tables[table][1]]
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            ContentType.objects.clear_cache()
            copied = {table: read_rows(connection, table, tables[table][0]) for table in changed}
            differ = [table for table in changed if copied[table] != changed[table]]
            assert not differ, f"the demo's rows read back differ in {differ}"
            return
        stored_before = _stored()
        with open(os.devnull, "w") as quiet:
            call_command("demo", stdout=quiet)
        after = _snapshot(connection, tables)
        changed = {table: rows for table, rows in after.items() if rows != before[table]}
        # The files the demo's rows name (not another worker's in a shared MEDIA_ROOT), stored during the build.
        files = {}
        for name in sorted((_stored() - stored_before) & _named(tables, changed)):
            with default_storage.open(name) as stored:
                files[name] = stored.read()
        kept = _kept.setdefault(key, [])
        kept.append((before, changed, files))
        del kept[:-KEEP]

"""One migration at a time, however many application servers start at once (``sia migrate``, and ``sia serve``
which migrates at each start).

- PostgreSQL: a session-level advisory lock (``pg_advisory_lock``) taken on a connection of its own, held for the
  whole migration and released when it ends (or when the process dies: the server drops a dead session's locks).
  The second server waits, then finds every migration applied and does nothing. A dedicated connection keeps the
  lock whatever the migration does with Django's own (transactions, closing it after a schema change).
- SQLite: the database is a file on one machine, so an exclusive ``flock`` on ``<database>.migrate-lock`` beside
  it serves the same purpose (SQLite's own write lock serializes single statements and transactions, not a
  whole migration run: two processes could both plan the same migration). An in-memory database belongs to one
  process and needs no lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from pathlib import Path

from django.db import connections

# The advisory lock's key: one bigint for the whole database, derived from a fixed name so that it stays the same
# across versions (pg_advisory_lock keys are shared with anything else using the database; this one is SIA's own).
ADVISORY_KEY = zlib.crc32(b"sia.core.migration_lock")


@contextlib.contextmanager
def advisory_lock(connection, key: int = ADVISORY_KEY, waiting=None):
    """Holds PostgreSQL's session advisory lock ``key`` on a new connection of ``connection``'s database."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                if waiting:
                    waiting()
                cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        yield
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])  # at once: the session ends asynchronously
    finally:
        raw.close()  # ends the session, which releases its advisory locks (also after an error)


@contextlib.contextmanager
def file_lock(path: Path, waiting=None):
    """Holds an exclusive ``flock`` on ``path`` (created if missing)."""
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_file_of(settings_dict) -> Path | None:
    """The lock file beside an SQLite database file; None for an in-memory database."""
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name).with_name(Path(name).name + ".migrate-lock")


def migration_lock(alias: str = "default", waiting=None):
    """The lock of the database ``alias`` for one migration run (a context manager); ``waiting()`` is called
    when another process holds it, before waiting for it."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return advisory_lock(connection, waiting=waiting)
    if connection.vendor == "sqlite":
        path = lock_file_of(connection.settings_dict)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            return file_lock(path, waiting=waiting)
    return contextlib.nullcontext()

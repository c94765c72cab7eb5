"""`sia migrate` (and `sia serve`, which migrates at each start) takes a lock, so that application servers
starting at once migrate one after the other: PostgreSQL's advisory lock, a file lock beside an SQLite file."""

import io
import threading
import time

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from sia.core import migration_lock


def blocked_while_held(lock, attempt) -> tuple[list, threading.Thread]:
    """Runs ``attempt(waiting)`` in a thread while ``lock`` is held; returns the events the thread recorded."""
    events = []

    def run():
        try:
            attempt(lambda: events.append("waiting"))
            events.append("done")
        finally:
            connection.close()  # the thread's own connection, if it opened one

    with lock:
        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.monotonic() + 30
        while "waiting" not in events and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        held = list(events)
    thread.join(timeout=60)
    return held, events


def test_migrate_is_sias_own_command():
    assert get_commands()["migrate"] == "sia.core"


def test_the_sqlite_file_lock_makes_a_second_process_wait(tmp_path):
    path = tmp_path / "sia.sqlite3.migrate-lock"

    def attempt(waiting):
        with migration_lock.file_lock(path, waiting=waiting):
            pass

    held, events = blocked_while_held(migration_lock.file_lock(path), attempt)
    assert held == ["waiting"], "the second holder waits while the first holds the lock"
    assert events == ["waiting", "done"], "and goes on once it is released"
    events.clear()
    attempt(lambda: events.append("waiting"))
    assert events == [], "a free lock is taken at once"


def test_the_lock_file_lies_beside_an_sqlite_file_and_memory_needs_none(tmp_path):
    assert migration_lock.lock_file_of({"NAME": str(tmp_path / "sia.sqlite3")}) == tmp_path / "sia.sqlite3.migrate-lock"
    assert migration_lock.lock_file_of({"NAME": ":memory:"}) is None
    assert migration_lock.lock_file_of({"NAME": "file:memorydb_default?mode=memory&cache=shared"}) is None


@pytest.mark.django_db
def test_migrate_waits_for_another_server_holding_the_postgresql_lock():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock (SQLite: the file lock above)")
    out, err = io.StringIO(), io.StringIO()

    def run():
        try:
            call_command("migrate", plan=True, stdout=out, stderr=err)
        finally:
            connection.close()

    with migration_lock.advisory_lock(connection):
        thread = threading.Thread(target=run)
        thread.start()
        deadline = time.monotonic() + 30
        while "Server lain sedang memigrasi" not in err.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        thread.join(timeout=1)
        assert "Server lain sedang memigrasi" in err.getvalue()
        assert thread.is_alive(), "migrate waits while another session holds the lock"
    thread.join(timeout=60)
    assert not thread.is_alive() and "Planned operations" in out.getvalue()


@pytest.mark.django_db
def test_the_advisory_lock_is_released_with_its_session():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock")
    # A key of this test's own: a `sia migrate` that another test runs on the same server meanwhile holds the
    # migrations' key (two holders counted, or a lock not free at once, though this one was released).
    key = migration_lock.ADVISORY_KEY + 1
    with migration_lock.advisory_lock(connection, key=key):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s", [key])
            assert cursor.fetchone()[0] == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s), pg_advisory_unlock(%s)", [key, key])
        assert cursor.fetchone() == (True, True)

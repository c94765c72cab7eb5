"""The database sessions a test leaves open on PostgreSQL.

A connection to the test database that outlives its test (a thread's, a live server's request thread's, a psycopg
connection opened beside Django's) keeps PostgreSQL from dropping the database at the end of the run ("database
test_sia_gw0 is being accessed by other users"). ``tests/conftest.py`` looks after each module for any session on
the test database other than the worker's own and fails the module's last test with what it found.
"""

from __future__ import annotations

import threading
import time

# Client sessions only: an autovacuum worker on the database, or a parallel worker of this session's own query, is
# no connection a test opened.
OTHERS = (
    "SELECT pid, application_name, client_port, state, backend_start, left(query, 160) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' ORDER BY pid"
)


def other_sessions(connection) -> list[tuple]:
    """The sessions on ``connection``'s database other than its own (PostgreSQL; [] on another database)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction (a test's, the matrices' world's): read it anew.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(OTHERS)
        return cursor.fetchall()


def left_open(connection, wait: float = 10.0) -> list[tuple]:
    """The other sessions still there after ``wait`` seconds at most (a connection just closed leaves
    ``pg_stat_activity`` when its server process has exited, a few milliseconds later; a live server's request
    thread closes its connections once the browser has closed the socket, later on a loaded machine)."""
    deadline = time.monotonic() + wait
    while True:
        found = other_sessions(connection)
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.1)


def describe(found: list[tuple]) -> str:
    threads = ", ".join(sorted(t.name for t in threading.enumerate() if t is not threading.main_thread()))
    lines = [f"pid {pid} application {app!r} port {port} {state} since {start:%H:%M:%S}: {query!r}"
             for pid, app, port, state, start, query in found]
    return "\n".join([*lines, f"threads of this process besides the main one: {threads or 'none'}"])

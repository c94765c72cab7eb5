"""Starting Playwright's sync API keeps the database connections Django uses in the test process
(tests/browser/conftest.py's ``start_playwright``): without it the process went on with new ones and left the old
ones open on the test database, which PostgreSQL then refused to drop at the end of the run.

The check runs in a thread of its own: the worker may already run the suite's shared Playwright (a sync API in a
thread whose event loop runs refuses to start a second one), and Django's connections are per thread, so the new
thread shows the same switch as the worker's main thread did."""

import threading

from django.db import connections

from .conftest import start_playwright


def _observe(seen: dict) -> None:
    try:
        before = {alias: connections[alias] for alias in connections}
        playwright = start_playwright()
        try:
            during = {alias: connections[alias] for alias in connections}
        finally:
            playwright.stop()
        after = {alias: connections[alias] for alias in connections}
        seen.update(before=before, during=during, after=after)
    except BaseException as error:  # reported by the test's own thread
        seen["error"] = error
    finally:
        connections.close_all()


def test_django_keeps_its_connections_while_playwright_runs():
    seen: dict = {}
    thread = threading.Thread(target=_observe, args=(seen,))
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "Playwright did not start and stop within 120 s"
    if "error" in seen:
        raise seen["error"]
    before, during, after = seen["before"], seen["during"], seen["after"]
    assert all(during[alias] is before[alias] for alias in before), "new connections while Playwright runs"
    assert all(after[alias] is before[alias] for alias in before)

"""Starting Playwright's sync API keeps the database connections Django uses in the test process
(tests/browser/conftest.py's ``start_playwright``): without it the process went on with new ones and left the old
ones open on the test database, which PostgreSQL then refused to drop at the end of the run."""

from django.db import connections

from .conftest import start_playwright


def test_django_keeps_its_connections_while_playwright_runs():
    before = {alias: connections[alias] for alias in connections}
    playwright = start_playwright()
    try:
        during = {alias: connections[alias] for alias in connections}
    finally:
        playwright.stop()
    after = {alias: connections[alias] for alias in connections}
    assert all(during[alias] is before[alias] for alias in before), "new connections while Playwright runs"
    assert all(after[alias] is before[alias] for alias in before)

"""The order the suite runs in: the modules known to take long first, longest first (those of database tests rolled
back after each test before the transactional ones and those without a database), then the rest in pytest-django's
order (database tests, then transactional ones, then those without a database).

Why: pytest-django puts the tests that start servers, subprocesses and browsers (transactional or without a
database) at the end of the run. Spread over xdist workers they then ended each run with 5-8 minutes at 99% on one
worker while the other idled. Run first, they overlap with the thousands of short tests, which then fill every
worker to the end (scripts/test schedules with ``--dist worksteal``: each worker starts with a contiguous share of
this order, so the first worker's share is these modules, and a worker that runs out takes half of what another
still has queued, so the run ends within about one short test of all workers). These modules wait (a throttled
link, a server's start, a load test's pace) for about half of their time: scripts/test runs one worker more than
there are cores to use that time.

Running them first is safe: every transactional test puts the database back after itself as migrate left it
(tests/baseline.py writes back the rows read after the test database was set up, where Django would flush and
re-emit ``post_migrate``), so the database tests after it start from the same rows as at the start of the run, and
a test without a database never writes to it.

A module keeps its tests together (one weight per module, a stable sort), so module fixtures are built once.
``LONG_MODULES`` holds the worker-seconds of one run's ``--durations`` (2026-12-06, the slower of SQLite and
PostgreSQL, tests of 2 s or more only); a browser module not listed counts ``BROWSER_SECONDS``. Add a module here
when a new one takes more than about ten seconds.
"""

from __future__ import annotations

from pathlib import Path

BROWSER_SECONDS = 10

LONG_MODULES = {
    "tests/core/test_page_budget.py": 109,
    "tests/core/test_load.py": 88,
    "tests/core/test_serve.py": 86,
    "tests/core/test_api_fuzz.py": 76,
    "tests/architecture/test_html_integer_walk.py": 75,
    "tests/core/test_browser_csp.py": 57,
    "tests/core/test_migrations.py": 55,
    "tests/core/test_browser_layout.py": 55,
    "tests/insights/test_browser_insights.py": 48,
    "tests/core/test_browser_home.py": 43,
    "tests/core/test_settings.py": 40,
    "tests/core/test_api_integers.py": 36,
    "tests/core/test_static.py": 33,
    "tests/exchange/test_archimate_import.py": 33,
    "tests/workshops/test_demo_produced.py": 32,
    "tests/roadmap/test_browser_journey.py": 31,
    "tests/architecture/test_browser_forms.py": 30,
    "tests/exchange/test_archimate_export.py": 30,
    "tests/core/test_csp.py": 27,
    "tests/insights/test_no_leak.py": 27,
    "tests/architecture/test_query_per_kind.py": 27,
    "tests/workshops/test_browser_journey.py": 26,
    "tests/publishing/test_browser_journey.py": 22,
    "tests/progress/test_browser_journey.py": 22,
    "tests/exchange/test_browser_snapshots.py": 19,
    "tests/evaluation/test_browser_pemdi_journey.py": 18,
    "tests/progress/test_demo.py": 18,
    "tests/architecture/test_browser_infrastructure.py": 18,
    "tests/portfolio/test_demo.py": 18,
    "tests/exchange/test_workbook.py": 17,
    "tests/roadmap/test_demo.py": 17,
    "tests/notifications/test_demo.py": 17,
    "tests/portfolio/test_browser_portfolio.py": 16,
    "tests/architecture/test_browser.py": 16,
    "tests/architecture/test_demo_infrastructure.py": 16,
    "tests/roadmap/test_workbook_demo.py": 16,
    "tests/exchange/test_infrastructure_workbooks.py": 16,
    "tests/architecture/test_demo_applications.py": 15,
    "tests/architecture/test_compiled.py": 14,
    "tests/portfolio/test_clearance_demo.py": 14,
    "tests/architecture/test_query_shape.py": 14,
    "tests/evaluation/test_browser.py": 13,
    "tests/governance/test_browser.py": 13,
    "tests/publishing/test_document.py": 12,
    "tests/notifications/test_browser.py": 12,
    "tests/exchange/test_archimate_import_scale.py": 11,
    "tests/evaluation/test_migration_framework_groups.py": 11,
    "tests/roadmap/test_browser_review.py": 10,
}


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def weight(nodeid: str) -> int:
    """The seconds a module is known to take (0: short, keeps its place)."""
    module = module_of(nodeid)
    if module in LONG_MODULES:
        return LONG_MODULES[module]
    name = Path(module).name
    return BROWSER_SECONDS if name.startswith("test_browser") or "browser" in Path(module).parts else 0


def rolled_back(item) -> bool:
    """Whether ``item`` uses the database in a transaction rolled back after it (not a transactional test)."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transaction = reset_sequences = False
    if marker is not None:
        transaction, reset_sequences = validate_django_db(marker)[:2]
    transactional = transaction or reset_sequences or "transactional_db" in fixtures or "live_server" in fixtures
    return (marker is not None or "db" in fixtures) and not transactional


def long_first(items: list) -> None:
    """Sorts ``items`` in place: the known-long modules first, longest first, those of rolled-back database tests
    before the others (they then run before a transactional test of their worker has emptied the database and made
    its catalogs again under new keys, so the demo they need is copied, not built again: tests/demo.py); the rest
    keep their order."""

    def key(item):
        seconds = weight(item.nodeid)
        return (0 if rolled_back(item) else 1, -seconds) if seconds else (2, 0)

    items.sort(key=key)

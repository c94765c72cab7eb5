"""Playwright driving Debian's chromium against pytest-django's live server."""

import atexit
import os
import shutil
import time

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SIA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


_running: dict = {}


def _shared_browser():
    """One Playwright and one Chromium per test process, however many conftests import the fixture."""
    if "browser" not in _running:
        playwright = start_playwright()
        _running["playwright"] = playwright
        _running["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        atexit.register(_stop_browser)
    return _running["browser"]


def start_playwright():
    """Playwright's sync API, started without changing the database connections Django uses in this thread.

    Once it has started, the code of this thread runs in another ``contextvars`` context (Playwright's greenlets
    switch back into it from a callback of its event loop), and Django's connections are context-local
    (``asgiref.local.Local``): the test process went on with new connections, while the ones it had opened, among
    them those pytest-django keeps to destroy the test databases with, stayed open out of reach until Playwright
    stopped at exit. PostgreSQL then refused to drop each worker's test database ("being accessed by other
    users"). The connections of before are put back in the new context, so the process keeps one per database
    (tests/sessions.py finds any other session left on the test database after each module)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    kept = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in kept.items():
        connections[alias] = connection
    return playwright


def _stop_browser():
    browser = _running.pop("browser", None)
    if browser is not None:
        browser.close()
        _running.pop("playwright").stop()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package.")
    return _shared_browser()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a fresh browser context (its own cookies) on the live server."""
    contexts = []
    in_flight = set()

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="id-ID")
        watch_requests(context, in_flight)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield open_page
    let_requests_finish(contexts, in_flight)
    for context in contexts:
        context.close()


def watch_requests(context, in_flight: set) -> None:
    """Keeps in ``in_flight`` the requests of the context's pages that have not finished yet."""
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))


def let_requests_finish(contexts, in_flight, within=10.0):
    """Waits for the requests a test's pages still have on the way (an htmx fragment loading after the page's
    load event, say): the live server would otherwise still be answering one while the test database is
    flushed, and PostgreSQL refused the flush while that request's query ran."""
    pages = [page for context in contexts for page in context.pages if not page.is_closed()]
    deadline = time.monotonic() + within
    while in_flight and pages and time.monotonic() < deadline:
        pages[0].wait_for_timeout(25)  # Playwright delivers the events while it waits


@pytest.fixture
def page(new_page):
    return new_page()


def login(page, username, password="rahasia-uji-123"):
    response = page.goto("/akun/login/")
    assert response.status == 200, f"login page answered {response.status}: {page.content()[:2000]}"
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url(lambda url: "/akun/login/" not in url)

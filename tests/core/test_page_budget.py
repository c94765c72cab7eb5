"""Page weight on a 3G link, measured in Chromium against a server that serves static files as production does.

Budget (issue 10): the first load of every main page transfers at most 250 KB, a repeat visit at most 50 KB
(static files come from the browser's cache: content-hashed names, ``Cache-Control: max-age=…, immutable``),
and the operator's home page is usable within 3 s on a 750 kbit/s link with 100 ms round trips.

pytest-django's own live server answers ``/static/`` itself, uncompressed and without cache headers. Here the
module's ``live_server`` lets WhiteNoise serve ``/static/`` from a ``collectstatic`` run with the production
storage (hashed, pre-compressed files: gzip, and brotli when installed), exactly as ``sia serve`` does, and pages go through the gzip middleware.
Transferred bytes are Chromium's own count (``encodedDataLength`` of ``Network.loadingFinished``: body as sent
plus headers); a response served from the cache counts 0.
"""

import time

import pytest
from django.test.utils import override_settings
from playwright.sync_api import expect

from sia.core.demo import DEMO_PASSWORD

from .. import factories as f
from ..browser.conftest import browser, login, new_page, page  # noqa: F401
from .. import demo as demo_data

pytestmark = pytest.mark.django_db(transaction=True)

KB = 1024
FIRST_LOAD_LIMIT = 250 * KB
REPEAT_LIMIT = 50 * KB
SLOW_LINK = {  # 750 kbit/s down and up, 100 ms round trip
    "offline": False, "latency": 100, "downloadThroughput": 750 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8,
}
USABLE_WITHIN = 3.0  # seconds


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, django_db_setup, django_db_blocker, collected_static):
    """A live server whose static files are collected, hashed and compressed (as `sia serve` collects them, once per
    run: tests/migrated.py), and served by WhiteNoise."""
    from pytest_django.live_server_helper import LiveServer

    production_static = override_settings(
        STATIC_ROOT=collected_static,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
    )
    production_static.enable()
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda application: application  # no test handler: WhiteNoise answers
    server.start()
    yield server
    server.stop()
    production_static.disable()


class Meter:
    """Bytes Chromium received for one page, from its DevTools protocol events."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.responses: dict[str, dict] = {}
        self.finished: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        response = event["response"]
        self.responses[event["requestId"]] = {
            "url": response["url"], "headers": {k.lower(): v for k, v in response["headers"].items()},
            "cached": response.get("fromDiskCache") or response.get("fromMemoryCache"),
        }

    def _finished(self, event):
        self.finished[event["requestId"]] = int(event["encodedDataLength"])

    def clear_cache(self):
        self.cdp.send("Network.clearBrowserCache")

    def load(self, path) -> tuple[int, list[dict]]:
        """Opens ``path`` and waits until the network is quiet; the bytes received and the responses."""
        self.responses.clear()
        self.finished.clear()
        response = self.page.goto(path, wait_until="networkidle")
        assert response.status == 200, f"{path} answered {response.status}"
        self.page.wait_for_timeout(50)  # the last loadingFinished events arrive after the idle signal
        loaded = [dict(r, bytes=self.finished.get(rid, 0)) for rid, r in self.responses.items()]
        return sum(self.finished.values()), loaded


def demo_world():
    demo_data.build()
    from sia.architecture.models import Service
    from sia.evaluation.models import Assessment

    f.user("super", password=DEMO_PASSWORD, is_superuser=True, is_staff=True)
    service = Service.objects.filter(department__abbreviation="DISKOMINFOSAN").order_by("pk").first()
    assessment = Assessment.objects.get(institution__code="82", year=2024)
    return {"service": service.get_absolute_url(), "assessment": assessment.get_absolute_url()}


def check_first_and_repeat(meter, path, report, who="anonim"):
    meter.clear_cache()
    first, responses = meter.load(path)
    repeat, again = meter.load(path)
    report.append((who, path, first, repeat))
    for response in responses:
        headers, url = response["headers"], response["url"]
        if "/static/" in url:
            assert "immutable" in headers.get("cache-control", ""), f"{url} may not be cached for good: {headers}"
            if url.endswith((".css", ".js", ".svg")):
                # WhiteNoise pre-compresses with brotli too when the package is installed (Locust brings it)
                assert headers.get("content-encoding") in ("gzip", "br"), f"{url} is sent uncompressed"
        elif headers.get("content-type", "").startswith("text/html"):
            assert headers.get("content-encoding") == "gzip", f"{url} is sent uncompressed"
    assert not [r["url"] for r in again if "/static/" in r["url"] and r["bytes"]], "static files loaded again"
    assert first <= FIRST_LOAD_LIMIT, f"first load of {path}: {first} bytes"
    assert repeat <= REPEAT_LIMIT, f"repeat visit of {path}: {repeat} bytes"


def test_every_main_page_stays_within_the_budget(new_page):
    paths = demo_world()
    report = []

    anonymous = new_page()
    check_first_and_repeat(Meter(anonymous), "/akun/login/", report)

    pages_by_user = {
        "koordinator": ["/", "/arsitektur/layanan/", paths["service"], "/arsitektur/proses-bisnis/tambah/",
                        "/referensi/RAB/", paths["assessment"], "/pertukaran/", "/pertukaran/arsip/",
                        "/arsitektur/beban-mentor/",
                        "/kemajuan/", "/tata-kelola/dokumen/", "/tata-kelola/dokumen/tambah/"],
        "operator.diskominfosan": ["/", "/arsitektur/layanan/", "/arsitektur/layanan/tambah/", "/pertukaran/",
                                   "/notifikasi/"],
        "verifikator": ["/"],
        "asesor": ["/", paths["assessment"]],
        "pimpinan": ["/"],
        "super": ["/"],
    }
    for username, user_paths in pages_by_user.items():
        page = new_page()
        login(page, username, DEMO_PASSWORD)
        meter = Meter(page)
        for path in user_paths:
            check_first_and_repeat(meter, path, report, username)
    print("\npage weights (bytes, first load / repeat visit):")
    for who, path, first, repeat in report:
        print(f"  {who:24} {path:36} {first:8} {repeat:8}")


def test_operator_home_is_usable_within_3_s_on_a_slow_link(new_page):
    demo_world()
    page = new_page()
    login(page, "operator.diskominfosan", DEMO_PASSWORD)
    meter = Meter(page)
    meter.clear_cache()  # a first visit: nothing cached
    meter.cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    started = time.monotonic()
    page.goto("/", wait_until="domcontentloaded")
    expect(page.locator("#main h1")).to_be_visible()
    expect(page.locator("#main .panel").first).to_be_visible()
    elapsed = time.monotonic() - started
    page.wait_for_load_state("load")  # styles, scripts and pictures too: the page looks as it should
    timing = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return [n.domContentLoadedEventEnd, n.loadEventEnd]; }"
    )
    ready, loaded = (t / 1000 for t in timing)
    print(f"\noperator home on the slow link: usable after {elapsed:.2f} s "
          f"(DOMContentLoaded {ready:.2f} s, load {loaded:.2f} s)")
    assert elapsed <= USABLE_WITHIN, f"the operator's home page took {elapsed:.2f} s"
    assert ready <= USABLE_WITHIN and 0 < loaded <= USABLE_WITHIN, timing

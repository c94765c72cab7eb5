"""A browser test ends only once its pages' requests have finished (tests/browser/conftest.py's ``new_page``):
a fragment htmx loads after the page's load event was still being answered by the live server while the test
database was flushed, and PostgreSQL refused the flush."""

from .conftest import let_requests_finish, watch_requests
from .watch import SLOW_LINK


def test_a_request_still_on_the_way_is_waited_for(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    in_flight: set = set()
    watch_requests(context, in_flight)
    try:
        page = context.new_page()
        page.goto("/akun/login/")
        page.context.new_cdp_session(page).send("Network.emulateNetworkConditions", SLOW_LINK)
        page.evaluate("() => { fetch('/akun/login/?lagi=1').then(r => r.text()); }")  # not awaited, as htmx's
        page.wait_for_timeout(50)
        assert f"{live_server.url}/akun/login/?lagi=1" in [request.url for request in in_flight]
        let_requests_finish([context], in_flight)
        assert not in_flight
    finally:
        context.close()

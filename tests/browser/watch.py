"""What browser journeys share besides their fixtures: the slow island link, and the watch over console
errors, page errors and CSP violations of every page a tab opens."""

from ..core.test_browser_csp import RECORD_VIOLATIONS

# 750 kbit/s both ways and a 600 ms round trip: every request is still out while the typing goes on.
SLOW_LINK = {"offline": False, "latency": 600, "downloadThroughput": 750 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8}
FAST_LINK = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def watched(page):
    """Console errors, page errors and CSP violations of every page the tab opens."""
    seen = []
    page.on("console", lambda message: seen.append(f"{page.url}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: seen.append(f"{page.url}: page error: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    return seen


def violations(page) -> list:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations || []")


def throttle(page):
    """The tab on the slow link from now on (Chromium's network emulation); answers the CDP session, whose
    ``Network.emulateNetworkConditions`` with ``FAST_LINK`` lifts it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    return cdp

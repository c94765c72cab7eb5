from tests.browser.conftest import browser, new_page, page  # noqa: F401

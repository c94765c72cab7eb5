"""Publishing tests: generated files go to a fresh media directory per test; the browser fixtures."""

import pytest

from tests.browser.conftest import browser, new_page, page  # noqa: F401


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Generated documents are stored under MEDIA_ROOT/documents: a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"

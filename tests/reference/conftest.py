"""Reference tests: catalogs come from the post_migrate loader; browser fixtures are shared."""

import pytest

from tests.browser.conftest import browser, new_page, page  # noqa: F401


@pytest.fixture
def catalogs(db):
    """The shipped catalogs (already loaded on migrate; loading again is a no-op)."""
    from sia.reference.loader import ensure_default_catalogs
    from sia.reference.models import Catalog

    ensure_default_catalogs()
    return {catalog.code: catalog for catalog in Catalog.objects.all()}

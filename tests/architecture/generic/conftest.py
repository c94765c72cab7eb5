"""Generic tests: every declared architecture kind gets the same checks, its objects made from its
declaration by ``tests.kinds`` (the ``kinds`` fixture of ``tests/conftest.py``). Parametrize over the
kinds with ``over_kinds`` and its relatives (``domains.py``)."""

import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded workbooks are stored under MEDIA_ROOT/imports: a fresh directory per test."""
    settings.MEDIA_ROOT = tmp_path / "media"

"""One world for the whole matrix package (per xdist worker), inside a transaction that is rolled back when the
worker leaves tests/authz.

Every test runs in a savepoint of that transaction (pytest-django's ``db``), so a write a test makes,
allowed or not, is gone before the next test. This is what Django's ``TestCase.setUpTestData`` does. The API and
the page matrices share it (building it takes 15-40 s; it was built once per module before).
"""

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test import Client
from django.test.utils import override_settings

from .world import build_world


@pytest.fixture(scope="package")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("authz-media")
    with override_settings(MEDIA_ROOT=str(media)):
        with django_db_blocker.unblock():
            atomics = {alias: transaction.atomic(using=alias) for alias in connections}
            for atomic in atomics.values():
                atomic.__enter__()
            try:
                world = build_world(media)
                world.sessions = _sessions(world)
                yield world
            finally:
                for alias, atomic in atomics.items():
                    transaction.set_rollback(True, using=alias)
                    atomic.__exit__(None, None, None)


def _sessions(world) -> dict:
    """A signed-in session per matrix user, made once (its cookie is reused by every page test)."""
    sessions = {}
    for key, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions

"""One world for the whole matrix package (per xdist worker), inside a transaction that is rolled back when the
worker leaves tests/authz.

Every case runs in a savepoint of that transaction (``matrix_world``, below), so a write a case makes, allowed or
not, is gone before the next case. This is what Django's ``TestCase`` (pytest-django's ``db``) does, without the
test case class it builds and tears down around each of the ~21,600 cases. The API and the page matrices share the
world (building it takes 15-40 s; it was built once per module before).
"""

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test import Client
from django.test.utils import override_settings

from .world import build_world

# Statements that cannot change a row (what a GET runs, and the savepoints around a case).
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK")


@pytest.fixture(scope="package")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("authz-media")
    with override_settings(MEDIA_ROOT=str(media)):
        with django_db_blocker.unblock():
            atomics = {alias: transaction.atomic(using=alias) for alias in connections}
            for atomic in atomics.values():
                atomic.__enter__()
            try:
                world = build_world(media)
                world.sessions = _sessions(world)
                world.responses = {}  # read-only answers shared by the cases of one request (test_api_matrix.py)
                for alias in connections:
                    if connections[alias].features.can_defer_constraint_checks:
                        connections[alias].check_constraints()  # the world the cases start from is consistent
                yield world
            finally:
                for alias, atomic in atomics.items():
                    transaction.set_rollback(True, using=alias)
                    atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """pytest-django's fixture of the ``django_db`` mark (it wraps the test in a ``TestCase`` made for it), but not
    for a case of the matrix: ``matrix_world`` gives it its savepoint. The mark stays on the matrices' modules so
    that pytest-django sets the test database up for them (it sets up the databases its marked tests name)."""
    if request.node.get_closest_marker("django_db") and "matrix_world" not in request.fixturenames:
        request.getfixturevalue("_django_db_helper")


@pytest.fixture
def matrix_world(built_world, django_db_blocker):
    """The world, in a savepoint rolled back after the case: what ``TestCase`` does per test, including its check
    of the deferred constraints (foreign keys) before the rollback. That check runs when the case wrote anything:
    a case that ran only reads leaves the rows as the check after the world's build found them."""
    with django_db_blocker.unblock():
        wrote = {alias: [] for alias in connections}
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        watchers = {}
        for alias, atomic in atomics.items():
            atomic.__enter__()
            watchers[alias] = connections[alias].execute_wrapper(_watch(wrote[alias]))
            watchers[alias].__enter__()
        try:
            yield built_world
        finally:
            try:
                for alias in reversed(list(atomics)):
                    watchers[alias].__exit__(None, None, None)
                    connection = connections[alias]
                    if (wrote[alias] and connection.features.can_defer_constraint_checks
                            and not connection.needs_rollback and connection.is_usable()):
                        connection.check_constraints()
            finally:
                for alias in reversed(list(atomics)):
                    transaction.set_rollback(True, using=alias)
                    atomics[alias].__exit__(None, None, None)


def _watch(wrote: list):
    def watch(execute, sql, params, many, context):
        if not str(sql).lstrip()[:9].upper().startswith(READS):
            wrote.append(sql)
        return execute(sql, params, many, context)

    return watch


def _sessions(world) -> dict:
    """A signed-in session per matrix user, made once (its cookie is reused by every page test)."""
    sessions = {}
    for key, user in world.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions

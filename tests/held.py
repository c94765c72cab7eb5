"""The ``world`` (two instansi, three OPDs, a member of every role) built once per test module instead of once per
test, and the national catalogs and value lists of the ``kinds`` fixture likewise.

Each test built them anew inside its own transaction only to roll them back (about 65 ms a test on SQLite; the
653 tests of tests/architecture/generic now build the world 12 times instead of 653). Here the world is built in a
transaction of its own that is opened *before* the test's (pytest-django's ``TestCase`` transaction then nests as a
savepoint in it, as ``setUpTestData`` does in Django) and rolled back when the module ends, so a test still starts
from exactly the rows the world wrote and whatever it writes is gone after it. The catalogs and value lists are a
savepoint over the world, opened for the tests that ask for ``kinds`` and rolled back before a test that did not
ask for them.

Each test gets a deep copy of the world's Python objects (as ``setUpTestData`` gives each test a copy of the class
attributes): an attribute a test changes on ``world.inst`` does not reach the next test.

A transactional test (``transactional_db``, ``live_server``, ``django_db(transaction=True)``) cannot run inside
such a transaction: before one, the held world is rolled back, and such a test builds its own world as before; so
is it before a database test that did not ask for the world (it must not see rows it did not make). The
transaction is opened in tests/conftest.py's ``_django_db_marker``, the autouse fixture that opens the test's own.
"""

from __future__ import annotations

import copy

from django.db import connections, transaction

TRANSACTIONAL_FIXTURES = ("transactional_db", "live_server", "django_db_reset_sequences")


class World:
    """What the ``world`` fixture gives: ``inst``, ``other``, ``kominfo``, ``dinkes``, ``far`` and ``users``."""


def build_world() -> World:
    """Two instansi; the first has two OPDs and one member of every role."""
    from sia.core.roles import Role

    from . import factories as f

    inst = f.institution(name="Pemerintah Provinsi Contoh", code="82")
    other = f.institution(name="Pemerintah Kota Lain", code="8271", kind="kota")
    kominfo = f.department(inst, name="Dinas Komunikasi dan Informatika", abbreviation="DISKOMINFO")
    dinkes = f.department(inst, name="Dinas Kesehatan", abbreviation="DINKES")
    far = f.department(other, name="Dinas Kota Lain", abbreviation="DKL")
    users = {
        "admin": f.member(inst, Role.ADMIN, username="koord"),
        "operator": f.member(inst, Role.OPERATOR, kominfo, username="op.kominfo"),
        "operator_dinkes": f.member(inst, Role.OPERATOR, dinkes, username="op.dinkes"),
        "verifier": f.member(inst, Role.VERIFIER, username="verif"),
        "assessor": f.member(inst, Role.ASSESSOR, username="asesor1"),
        "leader": f.member(inst, Role.LEADER, username="pimpinan1"),
        "other_admin": f.member(other, Role.ADMIN, username="koord.lain"),
        "nobody": f.user("tanpa.peran"),
        "superuser": f.user("super", is_superuser=True, is_staff=True),
    }
    w = World()
    w.inst, w.other, w.kominfo, w.dinkes, w.far, w.users = inst, other, kominfo, dinkes, far, users
    return w


def prepare_kinds(world: World) -> None:
    """National catalogs and both instansi's value lists (``tests.kinds.prepare``)."""
    from .kinds import prepare

    prepare(world.inst, world.other)


def is_transactional(request) -> bool:
    """Whether pytest-django runs this test in a ``TransactionTestCase`` (its own rule)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return any(name in request.fixturenames for name in TRANSACTIONAL_FIXTURES)


def uses_database(request) -> bool:
    """Whether the test reaches the database at all (a mark, ``db`` or a transactional fixture)."""
    return request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in ("db", "_django_db_helper") + TRANSACTIONAL_FIXTURES)


class _Level:
    """One open transaction (or savepoint) on every database, rolled back by ``close``."""

    def __init__(self):
        self.atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in self.atomics.values():
            atomic._from_testcase = True  # a durable block of the code under test may open inside it
            atomic.__enter__()

    def close(self) -> None:
        for alias, atomic in reversed(list(self.atomics.items())):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)


class HeldWorld:
    """The world of the current module, its transaction, and the kinds' savepoint over it."""

    def __init__(self):
        self.module = None
        self.world: World | None = None
        self.levels: list[_Level] = []  # [world] or [world, kinds]

    def prepare_for(self, request, blocker) -> None:
        """Before a test's own fixtures: hold what it asks for, or nothing for a transactional test."""
        names = request.fixturenames
        wants_world = "world" in names and not is_transactional(request)
        if self.levels and (request.module is not self.module or not wants_world and uses_database(request)):
            self.release(blocker)  # another module, a transactional test, or one that must not see the world
        if not wants_world:
            return
        wants_kinds = "kinds" in names
        try:
            with blocker.unblock():
                if not self.levels:
                    self.module = request.module
                    self.levels.append(_Level())
                    self.world = build_world()
                if len(self.levels) == 2 and not wants_kinds:
                    self.levels.pop().close()
                elif len(self.levels) == 1 and wants_kinds:
                    self.levels.append(_Level())
                    prepare_kinds(self.world)
        except BaseException:
            self.release(blocker)  # a build that failed leaves nothing open for the next test
            raise

    def copy_for_test(self) -> World | None:
        """A copy of the held world, or None when none is held (``prepare_for`` released it for a transactional
        test)."""
        return copy.deepcopy(self.world) if self.levels else None

    @property
    def kinds_prepared(self) -> bool:
        return len(self.levels) == 2

    def release(self, blocker) -> None:
        with blocker.unblock():
            while self.levels:
                self.levels.pop().close()
        self.module, self.world = None, None


HELD = HeldWorld()

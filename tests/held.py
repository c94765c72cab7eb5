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
import functools
import inspect

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
    """One open transaction (or savepoint) on every database, rolled back by ``close``; ``values`` are the Python
    objects of the layers up to this one, as they were when it was built."""

    def __init__(self, key, values: dict):
        self.key, self.values = key, values
        self.atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in self.atomics.values():
            atomic._from_testcase = True  # a durable block of the code under test may open inside it
            atomic.__enter__()

    def close(self) -> None:
        for alias, atomic in reversed(list(self.atomics.items())):
            transaction.set_rollback(True, using=alias)
            atomic.__exit__(None, None, None)


def held(after: str):
    """Makes a fixture a held layer over the layer named ``after`` (``"world"``, ``"kinds"`` or another held
    fixture): its rows are written once per module in a savepoint of their own, and each test that asks for it gets
    a copy of the objects it returned. Its arguments are the fixtures of the layers under it (by name); it still
    builds as a plain fixture for a test that runs without the held world (a transactional one)."""

    def decorate(build):
        @functools.wraps(build)
        def fixture(*args, **kwargs):
            value = HELD.value(build.__name__)
            return build(*args, **kwargs) if value is NOT_HELD else value

        fixture.held_after, fixture.held_build = after, build
        return fixture

    return decorate


NOT_HELD = object()


def _world_layer() -> World:
    return build_world()


def _kinds_layer(world):
    from .kinds import Builder

    prepare_kinds(world)
    return Builder(world.kominfo)


_world_layer.held_after, _world_layer.held_build = None, _world_layer
_kinds_layer.held_after, _kinds_layer.held_build = "world", _kinds_layer
BASE_LAYERS = {"world": _world_layer, "kinds": _kinds_layer}


def wanted_layers(request) -> list[tuple[str, object]]:
    """(name, fixture function) of every held layer the test asks for, from the world up; empty for a transactional
    test or one without the world."""
    names = request.fixturenames
    if "world" not in names or is_transactional(request):
        return []
    defs = request.node._fixtureinfo.name2fixturedefs
    chains = []
    for name in names:
        func = BASE_LAYERS.get(name)
        if func is None:
            found = defs.get(name)
            func = found[-1].func if found else None
        if getattr(func, "held_after", NOT_HELD) is NOT_HELD:
            continue
        chain = [(name, func)]
        while chain[-1][1].held_after is not None:
            below = chain[-1][1].held_after
            func = BASE_LAYERS.get(below) or defs[below][-1].func
            chain.append((below, func))
        chains.append(chain[::-1])
    longest = max(chains, key=len)
    for chain in chains:
        if chain != longest[:len(chain)]:
            raise RuntimeError(f"{request.node.nodeid}: held layers on two branches: {chain} and {longest}")
    return longest


class HeldWorld:
    """The held layers of the current module (world, kinds, held fixtures), one open level each."""

    def __init__(self):
        self.module = None
        self.levels: list[_Level] = []
        self._copy: dict | None = None

    def prepare_for(self, request, blocker) -> None:
        """Before a test's own fixtures: hold the layers it asks for, or nothing for a transactional test."""
        self._copy = None
        wanted = wanted_layers(request)
        if self.levels and (request.module is not self.module or not wanted and uses_database(request)):
            self.release(blocker)  # another module, a transactional test, or one that must not see the world
        if not wanted:
            return
        keep = 0
        while keep < min(len(wanted), len(self.levels)) and self.levels[keep].key == wanted[keep][1]:
            keep += 1
        try:
            with blocker.unblock():
                while len(self.levels) > keep:
                    self.levels.pop().close()
                self.module = request.module
                for name, func in wanted[keep:]:
                    values = copy.deepcopy(self.levels[-1].values) if self.levels else {}
                    level = _Level(func, values)
                    self.levels.append(level)
                    arguments = inspect.signature(func.held_build).parameters
                    values[name] = func.held_build(**{arg: values[arg] for arg in arguments})
        except BaseException:
            self.release(blocker)  # a build that failed leaves nothing open for the next test
            raise

    def value(self, name: str):
        """The test's copy of a held layer's objects (one copy of all layers per test, so that they share their
        objects as when built), or ``NOT_HELD``."""
        if not self.levels or name not in self.levels[-1].values:
            return NOT_HELD
        if self._copy is None:
            self._copy = copy.deepcopy(self.levels[-1].values)
        return self._copy[name]

    def release(self, blocker) -> None:
        with blocker.unblock():
            while self.levels:
                self.levels.pop().close()
        self.module, self._copy = None, None


HELD = HeldWorld()

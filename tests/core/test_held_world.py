"""The world held for a module's tests (tests/held.py): each test starts from the world's rows and objects as they
were built, whatever the tests before it in the module wrote or changed; a transactional test and a database test
that did not ask for the world see none of the held rows. Each case holds whatever order the tests run in (the
checks fail on the second case that meets what an earlier one left)."""

import pytest

from sia.organizations.models import Department, Institution
from tests.held import held

MARK = "Dicatat oleh uji dunia"


def _starts_from_the_world_and_leaves_traces(world):
    assert Institution.objects.filter(pk=world.inst.pk, name="Pemerintah Provinsi Contoh").exists()
    assert world.inst.name == "Pemerintah Provinsi Contoh"  # no earlier test's change to the copy
    assert not Department.objects.filter(name=MARK).exists()  # no earlier test's row
    assert set(Institution.objects.values_list("pk", flat=True)) == {world.inst.pk, world.other.pk}
    Department.objects.create(institution=world.inst, name=MARK, abbreviation="JEJAK", code="9.99", kind="dinas")
    world.inst.name = "Diubah oleh uji"
    Institution.objects.filter(pk=world.other.pk).update(name="Diubah di basis data")


@pytest.mark.parametrize("case", range(3))
def test_a_test_starts_from_the_world_as_built(world, case):
    _starts_from_the_world_and_leaves_traces(world)
    assert Institution.objects.get(pk=world.other.pk).name == "Diubah di basis data"


@pytest.mark.parametrize("case", range(2))
def test_the_kinds_catalogs_do_not_undo_the_world(kinds, world, case):
    _starts_from_the_world_and_leaves_traces(world)


@pytest.mark.django_db
@pytest.mark.parametrize("case", range(2))
def test_a_database_test_without_the_world_sees_none_of_it(case):
    assert not Institution.objects.filter(code__in=("82", "8271")).exists()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_builds_a_world_of_its_own(world):
    """Committed rows (no transaction around the test): only its own world's."""
    _starts_from_the_world_and_leaves_traces(world)


LAYER_MARK = "Dibuat oleh lapisan"


@pytest.fixture
@held(after="kinds")
def marked_opd(world, kinds):
    """A held layer over the kinds: one OPD of its own."""
    return Department.objects.create(institution=world.inst, name=LAYER_MARK, abbreviation="LAPIS", code="9.98",
                                     kind="dinas")


def _starts_from_the_layer_and_leaves_traces(world, marked_opd):
    assert Department.objects.filter(pk=marked_opd.pk, name=LAYER_MARK).exists()
    assert marked_opd.name == LAYER_MARK  # no earlier test's change to the copy
    Department.objects.filter(pk=marked_opd.pk).update(name="Diubah di basis data")
    marked_opd.name = "Diubah oleh uji"


@pytest.mark.parametrize("case", range(3))
def test_a_held_fixture_starts_from_its_rows_as_built(world, marked_opd, case):
    _starts_from_the_world_and_leaves_traces(world)
    _starts_from_the_layer_and_leaves_traces(world, marked_opd)


@pytest.mark.parametrize("case", range(2))
def test_a_test_without_the_held_fixture_sees_none_of_its_rows(kinds, world, case):
    assert not Department.objects.filter(abbreviation="LAPIS").exists()
    _starts_from_the_world_and_leaves_traces(world)


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_builds_the_held_fixture_itself(world, marked_opd):
    _starts_from_the_world_and_leaves_traces(world)
    _starts_from_the_layer_and_leaves_traces(world, marked_opd)

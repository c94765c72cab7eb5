"""The fingerprints the matrices compare around a refused request (tests/authz/matrix.py): compiled once, they
still read the database as it is on every call, so a change is seen."""

import pytest

from sia.organizations.models import Department, Institution

from tests import factories as f

from .matrix import row_counts, row_of

pytestmark = pytest.mark.django_db


def test_counts_and_rows_follow_every_change():
    inst = f.institution(name="Pemerintah Provinsi Sidik", code="83")
    dept = f.department(inst, name="Dinas Sidik Jari", abbreviation="DSJ")
    counts = row_counts(Institution.objects, Department.objects)
    row = row_of(dept)
    assert counts == (Institution.objects.count(), Department.objects.count())
    assert row is not None and dept.pk in row and "Dinas Sidik Jari" in row

    f.department(inst, name="Dinas Kedua", abbreviation="DK2")
    assert row_counts(Institution.objects, Department.objects) == (counts[0], counts[1] + 1)
    Department.objects.filter(pk=dept.pk).update(name="Dinas Sidik Jari Baru")
    changed = row_of(dept)
    assert changed != row and "Dinas Sidik Jari Baru" in changed
    assert row_of(Department.objects.exclude(pk=dept.pk).first()) != changed  # the row of the object asked about
    Department.objects.filter(pk=dept.pk).delete()
    assert row_of(dept) is None


def test_a_case_that_writes_is_told_from_one_that_only_reads():
    """The matrix's savepoint per case (tests/authz/conftest.py) checks the foreign keys after a case that wrote:
    a read, a savepoint and its release are not writes; an insert, an update and a delete are."""
    from django.db import connection, transaction

    from .conftest import _watch

    wrote = []
    with connection.execute_wrapper(_watch(wrote)):
        with transaction.atomic():
            Institution.objects.count()
            list(Department.objects.all())
        assert wrote == []
        inst = f.institution(name="Pemerintah Kabupaten Tulis", code="84")
        assert any("INSERT" in sql.upper() for sql in wrote)
        wrote.clear()
        Institution.objects.filter(pk=inst.pk).update(name="Pemerintah Kabupaten Tulis Baru")
        assert any("UPDATE" in sql.upper() for sql in wrote)
        wrote.clear()
        Department.objects.filter(institution=inst).delete()
        Institution.objects.filter(pk=inst.pk).delete()
        assert any("DELETE" in sql.upper() for sql in wrote)

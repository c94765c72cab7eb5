"""``sia.core.bulk_insert`` writes what ``bulk_create`` writes, for every kind of column (text, JSON, UUID, date and
time, integers, foreign keys, NULL, defaults, ``auto_now``), and gives the instances their pks."""

import datetime
import uuid

import pytest
from django.utils import timezone

from sia.core import bulk_insert
from sia.exchange.models import ImportRecord

pytestmark = pytest.mark.django_db

SKIPPED = {"id", "created", "updated"}


def records(world, tag):
    admin = world.users["admin"]
    when = datetime.datetime(2026, 12, 5, 21, 30, 15, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return [
        ImportRecord(institution=world.inst, user=admin, file_name=f"{tag} ünïcode 'kutip' \"ganda\".xlsx",
                     problems=[{"sheet": "Layanan", "row": 3, "message": "Kolom “Nama” wajib"}], sheets={"a": [1, None]},
                     request_id=uuid.UUID("12345678-1234-5678-1234-567812345678"), committed_at=when, size=2**31 - 5),
        ImportRecord(institution=world.inst, user=admin, file_name=f"{tag} kosong", request_id=None, committed_at=None),
        ImportRecord(institution=world.inst, user=admin, file_name=f"{tag} sama", committed_at=when, error_count=0),
    ]


def stored(tag):
    rows = ImportRecord.objects.filter(file_name__startswith=tag).order_by("pk").values()
    return [{k: v for k, v in row.items() if k not in SKIPPED} | {"file_name": row["file_name"][len(tag):]} for row in rows]


def test_insert_objects_writes_what_bulk_create_writes(world):
    before = timezone.now()
    objects = records(world, "lean")
    bulk_insert.insert_objects(ImportRecord, objects)
    ImportRecord.objects.bulk_create(records(world, "django"))
    assert stored("lean") == stored("django") and len(stored("lean")) == 3
    assert all(obj.pk and not obj._state.adding for obj in objects)
    assert [o.pk for o in objects] == list(ImportRecord.objects.filter(file_name__startswith="lean").order_by("pk")
                                             .values_list("pk", flat=True))
    fresh = ImportRecord.objects.get(pk=objects[0].pk)
    assert fresh.created >= before and fresh.created == objects[0].created and fresh.updated == objects[0].updated
    assert fresh.problems == objects[0].problems and fresh.committed_at == objects[0].committed_at


def test_insert_rows_takes_the_defaults_of_the_fields_not_named(world):
    admin = world.users["admin"]
    bulk_insert.insert_rows(ImportRecord, ["institution", "user_id", "file_name", "problems"],
                            [(world.inst.pk, admin.pk, "baris 1", [{"x": 1}]), (world.inst.pk, admin.pk, "baris 2", [])])
    ImportRecord.objects.bulk_create([ImportRecord(institution=world.inst, user=admin, file_name="baris 1", problems=[{"x": 1}]),
                                      ImportRecord(institution=world.inst, user=admin, file_name="baris 2")])
    rows = stored("baris")
    assert rows[:2] == rows[2:] and rows[0]["status"] == "pratinjau" and rows[1]["sheets"] == []
    assert ImportRecord.objects.filter(file_name__startswith="baris", created__isnull=False).count() == 4


def test_insert_objects_refuses_what_it_cannot_write(world):
    admin = world.users["admin"]
    saved = ImportRecord.objects.create(institution=world.inst, user=admin, file_name="sudah ada")
    with pytest.raises(ValueError):
        bulk_insert.insert_objects(ImportRecord, [saved, ImportRecord(institution=world.inst, user=admin, file_name="baru")])


def test_an_ambiguous_local_time_keeps_its_own_instant(world):
    """Two wall times equal but an hour apart (the hour a DST zone repeats, ``fold``) compare and hash equal in
    Python: each must still be written as its own instant, as ``bulk_create`` writes it."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("America/New_York")
    first = datetime.datetime(2026, 11, 1, 1, 30, tzinfo=zone)
    second = first.replace(fold=1)
    assert first == second and first.utcoffset() != second.utcoffset()
    admin = world.users["admin"]
    bulk_insert.insert_objects(ImportRecord, [ImportRecord(institution=world.inst, user=admin, file_name=f"dst {i}",
                                                           committed_at=when) for i, when in enumerate((first, second))])
    ImportRecord.objects.bulk_create([ImportRecord(institution=world.inst, user=admin, file_name=f"ref {i}",
                                                   committed_at=when) for i, when in enumerate((first, second))])
    lean = [r.committed_at for r in ImportRecord.objects.filter(file_name__startswith="dst").order_by("file_name")]
    reference = [r.committed_at for r in ImportRecord.objects.filter(file_name__startswith="ref").order_by("file_name")]
    assert lean == reference and lean[1] - lean[0] == datetime.timedelta(hours=1)


def test_each_object_gets_its_own_pk_across_statements(world, monkeypatch):
    """Several statements (on PostgreSQL one ``INSERT ... SELECT * FROM UNNEST`` of one array per column per batch,
    as Django's ``bulk_create`` writes there; elsewhere a multi-row ``VALUES``): every instance gets the pk of its
    own row, in order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(bulk_insert, "ROWS_PER_UNNEST", 2)
    monkeypatch.setattr(bulk_insert, "ROWS_PER_STATEMENT", 2)
    admin = world.users["admin"]
    objects = [ImportRecord(institution=world.inst, user=admin, file_name=f"urut {i}", problems=[{"baris": i}],
                            committed_at=None if i % 2 else timezone.now()) for i in range(5)]
    with CaptureQueriesContext(connection) as queries:
        bulk_insert.insert_objects(ImportRecord, objects)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 3
    if connection.vendor == "postgresql":
        assert all("UNNEST(" in sql for sql in inserts)
    for obj in objects:
        fresh = ImportRecord.objects.get(pk=obj.pk)
        assert (fresh.file_name, fresh.problems, fresh.committed_at) == (obj.file_name, obj.problems, obj.committed_at)
    with CaptureQueriesContext(connection) as queries:
        bulk_insert.insert_rows(ImportRecord, ["institution", "user_id", "file_name"],
                                [(world.inst.pk, admin.pk, f"baris {i}") for i in range(5)])
    assert len([q for q in queries.captured_queries if "INSERT INTO" in q["sql"]]) == (  # executemany: one entry
        3 if connection.vendor == "postgresql" else 1)
    assert sorted(ImportRecord.objects.filter(file_name__startswith="baris ").values_list("file_name", flat=True)) == [
        f"baris {i}" for i in range(5)]


def test_decimals_dates_booleans_and_small_integers_are_written_as_bulk_create_writes_them(world):
    """A kind of every other column type (on PostgreSQL each column goes as one binary array of the Python values'
    own types, cast to the column's): decimals, dates, booleans, small integers, each column with NULLs, and a
    column whose only values are NULL."""
    from decimal import Decimal

    from sia.architecture.models import Server

    def servers(tag):
        return [Server(institution=world.inst, department=world.kominfo, code=f"{tag}-{i}", name=f"server {i}",
                       memory_gb=[Decimal("0.50"), None, Decimal("1234567890.25")][i % 3],
                       end_of_support=[datetime.date(2029, 12, 31), None][i % 2], retiring=bool(i % 2),
                       retire_year=2029 if i % 2 else None, cpu_cores=[None, 1, 32767][i % 3], acquisition_year=None)
                for i in range(6)]

    def written(tag):
        fields = ("name", "memory_gb", "end_of_support", "retiring", "retire_year", "cpu_cores", "acquisition_year")
        return list(Server.objects.filter(code__startswith=f"{tag}-").order_by("code").values_list(*fields))

    bulk_insert.insert_objects(Server, servers("LEAN"))
    Server.objects.bulk_create(servers("DJ"))
    assert written("LEAN") == written("DJ") and len(written("LEAN")) == 6
    assert written("LEAN")[2][1] == Decimal("1234567890.25") and written("LEAN")[2][5] == 32767

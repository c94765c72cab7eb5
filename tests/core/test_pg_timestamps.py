"""PostgreSQL reads ``timestamptz`` with psycopg's C parser and gives the values Django's own loader gives
(``sia.core.pg_timestamps``)."""

import datetime

import pytest
from django.db import connection

from sia.core import pg_timestamps

pytestmark = pytest.mark.django_db

VALUES = [
    "2026-11-01 05:30:00.123456+00", "1999-12-31 23:59:59+07", "0001-01-01 00:00:00+00", "2026-03-08 02:30:00-05",
    "9999-12-31 23:59:59.999999+00", "1900-02-28 12:00:00+05:30", "2024-02-29 00:00:00.5+00", None,
]
SQL = "SELECT " + ", ".join("NULL::timestamptz" if v is None else f"'{v}'::timestamptz" for v in VALUES)


def read_with(loader) -> list:
    """The row of ``SQL`` read on a raw cursor of the connection with ``loader`` for timestamptz."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.adapters.register_loader("timestamptz", loader)
        cursor.execute(SQL)
        return list(cursor.fetchone())


def djangos_loader(tz):
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    return type("SpecificTzLoader", (BaseTzLoader,), {"timezone": tz})


def postgresql_with_c():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    if pg_timestamps.loader_for(datetime.UTC) is None:
        pytest.skip("psycopg without its C implementation: Django's loader stays")


@pytest.mark.parametrize("tz", [datetime.UTC, None, datetime.timezone(datetime.timedelta(hours=7))])
def test_the_values_are_djangos(tz):
    postgresql_with_c()
    ours, theirs = read_with(pg_timestamps.loader_for(tz)), read_with(djangos_loader(tz))
    assert ours == theirs
    assert [v.tzinfo for v in ours if v is not None] == [v.tzinfo for v in theirs if v is not None]
    assert ours[0] == datetime.datetime(2026, 11, 1, 5, 30, 0, 123456, tzinfo=datetime.UTC) or tz is not datetime.UTC


def test_every_connection_reads_with_it_and_no_cursor_gets_a_loader_of_its_own():
    postgresql_with_c()
    from psycopg.pq import Format

    connection.ensure_connection()
    oid = connection.connection.adapters.types["timestamptz"].oid
    assert connection.connection.adapters.get_loader(oid, Format.TEXT) is pg_timestamps.loader_for(connection.timezone)
    with connection.cursor() as cursor:
        # Django's create_cursor registers its own loader on a cursor whose connection's ``timezone`` differs
        assert cursor.cursor.adapters.get_loader(oid, Format.TEXT) is pg_timestamps.loader_for(connection.timezone)
        cursor.execute("SELECT '2026-12-08 01:02:03+07'::timestamptz")
        value = cursor.fetchone()[0]
    assert value == datetime.datetime(2026, 12, 7, 18, 2, 3, tzinfo=datetime.UTC) and value.tzinfo is datetime.UTC


def test_other_databases_are_left_alone():
    if connection.vendor == "postgresql":
        pytest.skip("the other databases")
    pg_timestamps.install(None, connection)  # no adapters to touch: nothing happens

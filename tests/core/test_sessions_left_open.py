"""The check of tests/conftest.py that no test leaves a session open on the PostgreSQL test database."""

import os
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from ..sessions import describe, left_open, other_sessions


@pytest.mark.django_db
def test_a_connection_left_open_is_found_and_a_closed_one_is_not():
    if connection.vendor != "postgresql":
        assert other_sessions(connection) == []
        pytest.skip("PostgreSQL's sessions (SQLite has none to leave open)")
    import psycopg

    url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{connection.settings_dict['NAME']}"))
    assert left_open(connection, wait=0) == []
    other = psycopg.connect(url, application_name="left-open-by-a-test")
    try:
        found = left_open(connection, wait=0.5)
        assert [row[1] for row in found] == ["left-open-by-a-test"]
        assert "left-open-by-a-test" in describe(found)
    finally:
        other.close()
    assert left_open(connection) == []


@pytest.mark.django_db(transaction=True)
def test_a_threads_django_connection_is_found_until_closed():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's sessions")
    opened, close, done = threading.Event(), threading.Event(), threading.Event()

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            opened.set()
            close.wait(30)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=run, name="opens-a-connection")
    thread.start()
    try:
        assert opened.wait(30)
        found = left_open(connection, wait=0.5)
        assert len(found) == 1 and "opens-a-connection" in describe(found)
    finally:
        close.set()
        thread.join(30)
    assert done.is_set() and left_open(connection) == []

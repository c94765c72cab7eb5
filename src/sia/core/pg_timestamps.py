"""PostgreSQL: ``timestamptz`` values read by psycopg's C parser instead of its Python one.

Django reads a ``timestamptz`` through a subclass of psycopg's pure-Python ``TimestamptzLoader`` (its own
``BaseTzLoader``: the value parsed in the connection's time zone, then given Django's ``tzinfo``), so that every
timestamp of every row is parsed by a regular expression in Python even where psycopg's C implementation is
installed (``psycopg[binary]``): about 4 us a value against 0.4 (60,000 values: 0.19-0.27 s against 0.025 s). The
``created``, ``updated`` and ``status_since`` of a list page's rows are a few hundred values per request.

``loader_for(tz)`` is Django's loader with the parse done by the C loader: the same value (parsed in the connection's
time zone, then ``replace(tzinfo=tz)``, exactly Django's steps) and the same ``timezone`` attribute, which Django's
``create_cursor`` compares to decide whether a cursor needs a loader of its own. ``install`` puts it on a new
connection (``connection_created``); without psycopg's C implementation it leaves Django's loader alone.
"""

from __future__ import annotations

from functools import lru_cache


def _c_loader():
    """psycopg's C ``TimestamptzLoader`` for the text format, or None without the C implementation."""
    import psycopg
    from psycopg.pq import Format

    if psycopg.pq.__impl__ not in ("c", "binary"):
        return None
    loader = psycopg.adapters.get_loader(psycopg.adapters.types["timestamptz"].oid, Format.TEXT)
    return loader if loader.__module__.startswith(("psycopg_binary", "psycopg_c")) else None


@lru_cache(maxsize=None)
def loader_for(tz):
    """A loader class reading ``timestamptz`` text as Django's does for time zone ``tz`` (None: naive)."""
    from psycopg.adapt import Loader

    parser = _c_loader()
    if parser is None:
        return None

    class CTzLoader(Loader):
        timezone = tz

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = parse = parser(oid, context).load
            if parse(b"2000-01-01 00:00:00+00").tzinfo is tz:
                # The connection's time zone is ``tz`` itself (UTC: Django sets it so): the C loader's value is
                # already the replaced one, so psycopg calls it with no step in Python.
                self.load = parse

        def load(self, data):
            return self._parse(data).replace(tzinfo=self.timezone)

    return CTzLoader


def install(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the C-parsing loader on a new PostgreSQL connection."""
    if connection.vendor != "postgresql" or not hasattr(connection.connection, "adapters"):
        return
    loader = loader_for(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)

"""``values()`` queries whose SQL is compiled once and run again with the same parameters.

Building and compiling a big query costs Python, not SQL: the home pages' figures are a ``UNION ALL`` over about
twenty kinds, each with its permission scope, ``EXISTS`` conditions and aggregates, and Django resolves and compiles
all of it again on every read (100-200 ms) to send the very same text with the very same parameters. ``rows(key,
build)`` runs ``build()``'s queryset as Django would (converters and all) and keeps its compiled SQL, parameters and
converters under ``key``; the next read under the same key sends them again without building anything.

The caller's ``key`` must therefore hold everything the SQL and its parameters are made of: the query's name and
inputs, the reader's grants as read for this request (``sia.core.permissions.reader_key``: roles, instansi,
OPDs), today's date where a condition reads it. Nothing the database holds may be baked in beyond what the key
names (IDs of content types are the exception: stable while the schema stands; ``clear()`` runs after every
``migrate`` and ``flush``). Kept per process, shared by its threads (a gunicorn worker's four: the SQL one
compiled serves the next request whichever thread takes it), at most ``CAPACITY`` entries, least recently used
first out. An entry never changes once kept (its converters only read their expressions), so threads share it; a
lock guards the table itself. What is kept is SQL, never rows: each read runs the query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models.signals import post_migrate

CAPACITY = 512  # what the four threads of a worker kept when each had its own 128

_lock = threading.Lock()
_entries: OrderedDict = OrderedDict()


def _kept() -> OrderedDict:
    return _entries


def _get(key):
    """The entry kept under ``key`` for this generation (marked as used), or None."""
    with _lock:
        entry = _entries.get(key)
        if entry is None or entry[0] != _generation:
            return None
        _entries.move_to_end(key)
        return entry


def _put(key, entry) -> None:
    with _lock:
        _entries[key] = entry
        _entries.move_to_end(key)
        while len(_entries) > CAPACITY:
            _entries.popitem(last=False)


def clear() -> None:
    """Forget every compiled query of this process (the generation makes an entry being compiled meanwhile unusable)."""
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()


_generation = 0


def _compile(queryset):
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # nothing can match (a reader without any grant): no rows, no query, as Django does
        return queryset.db, None, (), [], [], None
    names = list(query.selected) if query.selected else [
        *query.extra_select, *query.values_select, *query.annotation_select]
    # What reading a row needs, not the query itself (a compiled UNION of twenty kinds is large): the converters of
    # the selected columns (dates on SQLite...) and how many columns an ORDER BY added past them.
    converters = list(compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]]).items())
    width = compiler.col_count if compiler.has_extra_select else None
    return queryset.db, sql, tuple(params), names, converters, width


def rows(key, build) -> list[dict]:
    """The rows of ``build()`` (a ``values()`` queryset, or a list when there is nothing to read) as dicts, the SQL
    compiled once per thread under ``key`` (None: built and run now, nothing kept)."""
    return rows_and(key, lambda: (build(), None))[0]


def rows_for(key, build, value: int, stand_in: int) -> list[dict]:
    """``rows`` of a query built for one object and kept for every object of its shape: ``build(pk)`` makes the
    query of the object ``pk``; it is compiled once for ``stand_in`` (an ID no row has) and run with ``value`` in
    each parameter that is ``stand_in``. Kept only when ``stand_in`` is in its parameters (as a whole parameter);
    otherwise built and run now for ``value``."""
    if key is None:
        return _run_now(build(value))
    key = ("for-one", key, stand_in)
    entry = _get(key)
    if entry is None:
        generation = _generation
        queryset = build(stand_in)
        if isinstance(queryset, list):
            return _run_now(build(value))
        compiled = _compile(queryset)
        if compiled[1] is not None and stand_in not in compiled[2]:  # the ID went somewhere else: not keepable
            return _run_now(build(value))
        entry = (generation, *compiled, None)
        _put(key, entry)
    return _run(entry, {stand_in: value})


def rows_for_each(key, build, values: list[int], stand_ins: list[int]) -> list[dict]:
    """``rows_for`` with several IDs: ``build(ids)`` makes the query of the IDs ``ids`` (a page's rows); it is compiled
    once for ``stand_ins`` (IDs no row has, as many as ``values`` at most) and run with ``values`` in their place, a
    stand-in without a value staying itself (it matches nothing). Kept only when each stand-in is a whole parameter."""
    if len(values) > len(stand_ins):
        raise ValueError("more values than stand-ins")
    if key is None:
        return _run_now(build(list(values)))
    key = ("for-each", key, tuple(stand_ins))
    entry = _get(key)
    if entry is None:
        generation = _generation
        queryset = build(list(stand_ins))
        if isinstance(queryset, list):
            return _run_now(build(list(values)))
        compiled = _compile(queryset)
        if compiled[1] is not None and not set(stand_ins) <= set(compiled[2]):
            return _run_now(build(list(values)))
        entry = (generation, *compiled, None)
        _put(key, entry)
    return _run(entry, dict(zip(stand_ins, values)))


def _run_now(queryset) -> list[dict]:
    """The rows of ``queryset`` as dicts, as ``rows`` gives them, nothing kept."""
    return queryset if isinstance(queryset, list) else _run((_generation, *_compile(queryset), None))


def rows_and(key, build) -> tuple[list[dict], object]:
    """``rows`` for a ``build()`` that returns ``(queryset, meta)``: (the rows, ``meta`` as built with the SQL)."""
    if key is None:
        queryset, meta = build()
        return list(queryset), meta
    entry = _get(key)
    if entry is None:
        generation = _generation  # as read before building: a clear() meanwhile leaves this entry unusable
        queryset, meta = build()
        if isinstance(queryset, list):
            return queryset, meta
        entry = (generation, *_compile(queryset), meta)
        _put(key, entry)
    return _run(entry), entry[-1]


def _run(entry, substitute: dict | None = None) -> list[dict]:
    _gen, alias, sql, params, names, converters, width, _meta = entry
    if sql is None:
        return []
    if substitute:
        params = tuple(substitute.get(p, p) if type(p) is int else p for p in params)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if width is not None:  # columns an ORDER BY needed, not selected (as Django's ``cursor_iter`` drops them)
        fetched = [row[:width] for row in fetched]
    if converters:  # as ``SQLCompiler.apply_converters``
        fetched = [list(row) for row in fetched]
        for row in fetched:
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
    indexes = range(len(names))
    return [{names[i]: row[i] for i in indexes} for row in fetched]


def _migrated(**kwargs):
    clear()


post_migrate.connect(_migrated, dispatch_uid="sia-compiled-clear")

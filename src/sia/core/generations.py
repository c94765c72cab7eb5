"""Generations of a body of data: a token that changes with every committed change to it.

What is computed from many rows and kept between requests (``sia.insights`` keeps each instansi's graph) is
kept under the token current when it was computed; a reader asks for the token first (one query) and uses what
is kept only under the same token.

A change is a row added to ``GenerationChange`` in the writer's own transaction (``bump``): readers see it exactly
when they see the change, never the new token with the old rows, and a change rolled back takes its row with it.
The token is the count and the sum of the random salts of the name's rows, so any committed row changes it, in
whatever order transactions commit, and pruning old rows changes it too (one extra recomputation, never a stale
answer). Writers only insert: no writer waits on another here, whatever else their transactions lock (an update of
one shared row, held to the commit, made two writers that lock objects in other orders deadlock on PostgreSQL).

Writers do not call ``bump`` themselves: the app that owns the data connects it to the save, delete and
many-to-many signals of its models (``sia.architecture.generation``). Code that writes in bulk (``bulk_create``
sends no signal) wraps its work in ``deferred(name)``, which also turns the thousands of saves of an import into
one change.
"""

from __future__ import annotations

import random
import threading
from contextlib import contextmanager

from django.db import connection
from django.db.models import Count, Max, Sum

_local = threading.local()
_random = random.SystemRandom()
SALT_BITS = 40  # sums of a few thousand salts stay far inside a 64-bit integer on every database
PRUNE_AT = 2000  # rows of one name beyond which a reader outside a transaction drops the oldest
KEEP = 200


def _deferred() -> dict:
    if not hasattr(_local, "names"):
        _local.names = {}
    return _local.names


def current(name: str) -> str:
    """The token of ``name`` now ("0:0" before its first change). One query (two when it prunes)."""
    from .models import GenerationChange

    found = GenerationChange.objects.filter(name=name).aggregate(n=Count("id"), s=Sum("salt"), last=Max("id"))
    if found["n"] > PRUNE_AT and not connection.in_atomic_block:
        prune(name, found["last"])
    return f"{found['n']}:{found['s'] or 0}"


def current_under(prefix: str) -> dict[str, str]:
    """The tokens of every name starting with ``prefix`` now, ``{name: token}`` (a name without any change is
    missing: its token is "0:0"). One query (more when some prune)."""
    from .models import GenerationChange

    found = (GenerationChange.objects.filter(name__startswith=prefix).values("name")
             .annotate(n=Count("id"), s=Sum("salt"), last=Max("id")).order_by())
    tokens = {}
    for row in list(found):
        if row["n"] > PRUNE_AT and not connection.in_atomic_block:
            prune(row["name"], row["last"])
        tokens[row["name"]] = f"{row['n']}:{row['s'] or 0}"
    return tokens


def deferring(name: str) -> bool:
    """Whether this thread is in a ``deferred(name)`` block."""
    return name in _deferred()


def prune(name: str, last: int) -> None:
    """Drops the rows of ``name`` older than its last ``KEEP``. Only outside a transaction (a reader's request), so
    that no writer's transaction ever holds these rows."""
    from .models import GenerationChange

    GenerationChange.objects.filter(name=name, id__lte=last - KEEP).delete()


def writes_here() -> int:
    """How many changes this thread has recorded or deferred: a reader that keeps a token for the rest of a request
    reads it again after one of its own."""
    return getattr(_local, "writes", 0)


def bump(name: str) -> None:
    """``name`` changed: a row in the current transaction (or at once, outside one)."""
    _local.writes = writes_here() + 1
    if name in _deferred():
        return
    from .models import GenerationChange

    GenerationChange.objects.create(name=name, salt=_random.getrandbits(SALT_BITS))


@contextmanager
def deferred(name: str):
    """Within the block, changes to ``name`` are not recorded one by one. One change is recorded as the block
    starts; in a transaction it is committed with the block's rows, or rolled back with them. Outside a transaction
    each write commits on its own, so the block records another when it ends."""
    names = _deferred()
    outermost = name not in names
    if outermost:
        bump(name)
    names[name] = names.get(name, 0) + 1
    try:
        yield
    finally:
        names[name] -= 1
        if not names[name]:
            del names[name]
    if outermost and not connection.in_atomic_block:
        bump(name)

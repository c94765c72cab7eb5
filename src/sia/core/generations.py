"""Generations of a body of data: a token that changes, in the same transaction, with every change to it.

What is computed from many rows and kept between requests (``sia.insights`` keeps each instansi's graph) is
kept under the token current when it was computed; a reader asks for the token first (one query) and uses what
is kept only under the same token. The new token is written inside the writer's transaction, so a reader sees it
exactly when it sees the change: never the new token with the old rows. Tokens are random, so one rolled back
is never seen again.

Writers do not call ``bump`` themselves: the app that owns the data connects it to the save, delete and
many-to-many signals of its models (``sia.architecture.generation``). Code that writes in bulk (``bulk_create``
sends no signal) wraps its work in ``deferred(name)``, which also turns the thousands of saves of an import into
one bump.
"""

from __future__ import annotations

import threading
import uuid
from contextlib import contextmanager

from django.db import IntegrityError, transaction

_local = threading.local()


def _deferred() -> dict:
    if not hasattr(_local, "names"):
        _local.names = {}
    return _local.names


def current(name: str) -> str:
    """The token of ``name`` now ("" before its first change). One query."""
    from .models import Generation

    return Generation.objects.filter(name=name).values_list("token", flat=True).first() or ""


def bump(name: str) -> None:
    """``name`` changed: a new token, in the current transaction (or at once, outside one)."""
    if name in _deferred():
        return
    from .models import Generation

    token = uuid.uuid4().hex
    if Generation.objects.filter(name=name).update(token=token):
        return
    try:
        with transaction.atomic():
            Generation.objects.create(name=name, token=token)
    except IntegrityError:  # created meanwhile by another writer
        Generation.objects.filter(name=name).update(token=token)


@contextmanager
def deferred(name: str):
    """Within the block, changes to ``name`` do not bump it one by one. It is bumped once as the block starts, so that
    the writer takes the token's row first, as every writer does (see ``sia.architecture.generation``); in a
    transaction that bump is committed with the block's rows, or rolled back with them. Outside a transaction each
    write commits on its own, so the block bumps again when it ends."""
    from django.db import connection

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

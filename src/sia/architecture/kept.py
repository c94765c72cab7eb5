"""Figures of the home pages, "Perlu tindakan" and "Kelengkapan" kept between requests: completeness per OPD and
kind group, counts per status, the review queues. At national scale each is an aggregate over every object of
the instansi (20,000 rows: 50-250 ms of SQL, and a ``UNION ALL`` over every kind that Django compiles in 20-100 ms
of Python), so each request read them again only to get the same numbers.

A figure is kept under the architecture's generation (``sia.architecture.generation``: tokens that change with
the commit of every change to an object, a link, an OPD, a reviewed kind of another app, or what a completeness
warning reads: an OPD's functions; per kind where a figure is a sum over kinds, ``kept_kinds``: each kind's share
under that kind's part of the generation, so the first request after an edit reads that kind again, not all
twenty; a page's whole figure, ``kept``, under every part), today's date (expiry warnings), the active language
(warning texts) and the reader's *grants* as read for this request (``permissions.grants``: a role given or taken away counts at once).
Two readers with the same grants see the same rows (every policy the figures read scopes by grants alone:
``grant_scoped``), so they share a figure; a reader never gets one computed for other grants. Where a policy
scopes otherwise, or the reader's order depends on more than grants (a verifikator's mentored OPDs first), the
figure is computed for the request alone.

Kept per process, at most ``SIA_FIGURES_KEPT`` figures (least recently used go first; 0 keeps none) and for at
most ``SIA_FIGURES_SECONDS``, a bound on what a change written past the signals could leave stale. A kept figure
is only read: callers build their own lists and objects from it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils import timezone, translation

from sia.core import compiled, generations
from sia.core.permissions import grant_scoped, reader_key

from . import generation

_lock = threading.Lock()
_kept: OrderedDict = OrderedDict()  # key -> (born, token, value)


def capacity() -> int:
    return int(getattr(settings, "SIA_FIGURES_KEPT", 64))


def lifetime() -> float:
    return float(getattr(settings, "SIA_FIGURES_SECONDS", 300))


def clear(sql: bool = True) -> None:
    """Forget every kept figure, and (``sql``) the compiled SQL of this process (``sia.core.compiled``)."""
    if sql:
        compiled.clear()
    with _lock:
        _kept.clear()


def sql_key(name: str, user, models, params: tuple) -> tuple | None:
    """The key under which a figure's SQL may be compiled once and run again (``sia.core.compiled``): what the SQL
    and its parameters are made of (``name``, ``params``, the reader's grants, today's date, the language), or None
    when the reader's rows follow from more than their grants (``grant_scoped``) or nobody is signed in."""
    reader = reader_key(user)
    if reader is None or not grant_scoped(models):
        return None
    return (name, params, reader, timezone.localdate(), translation.get_language())


def _base_key(name: str, params: tuple, reader: tuple) -> tuple:
    return (name, params, reader, timezone.localdate(), translation.get_language())


def kept(name: str, user, models, params: tuple, compute):
    """``compute()`` as kept under ``name``, ``params``, the reader's grants and the generation of every part, or
    computed now when nothing may be kept for this reader (``grant_scoped``) or nothing is kept at all."""
    reader = reader_key(user)
    if reader is None or capacity() <= 0 or not grant_scoped(models):
        return compute()
    tokens = _tokens()
    token = tuple(sorted(tokens.items()))
    key = _base_key(name, params, reader)
    now = time.monotonic()
    with _lock:
        found = _kept.get(key)
        if found is not None and found[1] == token and now - found[0] <= lifetime():
            _kept.move_to_end(key)
            return found[2]
    value = compute()  # outside the lock: two requests may compute one figure at once; both results are the same
    _keep(key, (now, token, value))
    return value


def kept_kinds(name: str, user, models, params: tuple, compute) -> dict:
    """``{kind_key: figure}`` of every kind of ``models``, each kept under its own part of the generation
    (``generation.part``: a change to one kind leaves the others' figures standing) and the generation of every
    kind (``generation.ALL``); ``compute(stale models)`` gives ``{kind_key: figure}`` of the kinds it is given, and
    a kind's figure must follow from that kind's rows (and what changes ``ALL``) alone. Computed for every kind at
    once when nothing may be kept for this reader."""
    reader = reader_key(user)
    if reader is None or capacity() <= 0 or not grant_scoped(models):
        return compute(list(models))
    tokens = _tokens()
    every = tokens.get(generation.ALL, "")
    key = _base_key(name, params, reader)
    now = time.monotonic()
    found, stale = {}, []
    with _lock:
        entry = _kept.get(key)
        per_kind = entry[2] if entry is not None else {}
        for model in models:
            kind = model._meta.label_lower
            figure = per_kind.get(kind)
            if figure is not None and figure[1] == (tokens.get(generation.part(model), ""), every) \
                    and now - figure[0] <= lifetime():
                found[kind] = figure[2]
            else:
                stale.append(model)
        if entry is not None:
            _kept.move_to_end(key)
    if stale:
        computed = compute(stale)  # outside the lock, as ``kept``
        with _lock:
            entry = _kept.get(key)
            per_kind = dict(entry[2]) if entry is not None else {}
            for model in stale:
                kind = model._meta.label_lower
                per_kind[kind] = (now, (tokens.get(generation.part(model), ""), every), computed[kind])
                found[kind] = computed[kind]
        _keep(key, (now, None, per_kind))
    return {model._meta.label_lower: found[model._meta.label_lower] for model in models}


def _keep(key, entry) -> None:
    with _lock:
        _kept[key] = entry
        _kept.move_to_end(key)
        while len(_kept) > capacity():
            _kept.popitem(last=False)


_request = threading.local()


def _tokens() -> dict:
    """The generation of every part, read once per request (the page's figures share it) and again after a write of
    this thread."""
    memo = getattr(_request, "tokens", None)
    if memo is not None and memo[0] == generations.writes_here():
        return memo[1]
    tokens = generation.parts()
    if getattr(_request, "active", False):
        _request.tokens = (generations.writes_here(), tokens)
    return tokens


def _request_started(**kwargs):
    _request.active, _request.tokens = True, None


def _request_finished(**kwargs):
    _request.active, _request.tokens = False, None


def _saved(sender, **kwargs):
    generation.bump(sender)


def _changed(sender, **kwargs):
    generation.bump()


def _m2m_changed(sender, action, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear"):
        generation.link_changed(sender)


def watch(model, kind: bool = True) -> None:
    """Saves and deletes of ``model`` change the kept figures: a reviewed kind of another app (its saves its own
    part, ``kind``), an OPD's functions (every part)."""
    pre_save.connect(_saved if kind else _changed, sender=model, dispatch_uid=f"sia-generation-save-{model._meta.label}")
    pre_delete.connect(_changed, sender=model, dispatch_uid=f"sia-generation-delete-{model._meta.label}")


def connect() -> None:
    """What the figures read beyond what the generation watches already: the OPDs' functions (the warning "fungsi
    tanpa proses bisnis") and the many-to-many tables of every completeness field (a declared link's is watched
    already; the same ``dispatch_uid`` connects it once)."""
    from sia.organizations.models import DepartmentFunction

    from .registry import domain_models

    request_started.connect(_request_started, dispatch_uid="sia-kept-request-started")
    request_finished.connect(_request_finished, dispatch_uid="sia-kept-request-finished")
    watch(DepartmentFunction, kind=False)
    for model in domain_models():
        for name in model.COMMON_COMPLETENESS_FIELDS + model.spec.completeness_fields:
            field = model._meta.get_field(name)
            if field.many_to_many:
                table = field.remote_field.through
                m2m_changed.connect(_m2m_changed, sender=table, dispatch_uid=f"sia-generation-m2m-{table._meta.label}")

"""Each instansi's graph, kept between requests: an impact set, a trace or a matrix costs the walk, not the load.

What is kept is the whole graph of an instansi (``load_whole_graph``: every object, whoever may see it), under
the architecture's generation (``sia.architecture.generation``: a token that changes with the commit of every
change to an object, a link or an OPD, in any process). A request reads the token (one query); the graph kept
under another token is dropped and read again. So a reader never gets a graph older than the last change they
could see committed.

No reader ever gets the whole graph unless they may see all of it: each gets it ``restricted`` to their
``ViewScope`` (``ArchitecturePolicy.view_scope``), made from their grants as read for this request, so a role
given or taken away counts at the next request, with no change to the architecture. Restricted graphs are kept
too, under the same token and the scope (every operator of one OPD shares one).

Kept per process, at most ``SIA_INSIGHTS_GRAPHS`` graphs (least recently used go first; 0 keeps none and loads
per request, as before) and for at most ``SIA_INSIGHTS_GRAPH_SECONDS``, a bound on what a change written past
the signals (a database restored under a running server) could leave stale. A kept graph is only read: the
lazily computed parts (``Graph.cache``: cycles, edges per link) are filled once and never changed.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from django.conf import settings

from sia.architecture import generation
from sia.core import permissions

from .graph import Graph, load_graph, load_whole_graph

EVERYTHING = "everything"
_lock = threading.Lock()
_kept: OrderedDict = OrderedDict()  # (instansi pk, token, scope) -> graph (``Graph.born``: when it was read)


def capacity() -> int:
    return int(getattr(settings, "SIA_INSIGHTS_GRAPHS", 6))


def lifetime() -> float:
    return float(getattr(settings, "SIA_INSIGHTS_GRAPH_SECONDS", 600))


def clear() -> None:
    with _lock:
        _kept.clear()


def view_scope(user, institution_id):
    """The reader's ``ViewScope`` of the instansi, or None when a kind's policy cannot say one (a kind declared with
    a policy of its own): its graph is then read for the request alone."""
    from sia.architecture.registry import domain_models

    scopes = set()
    for model in domain_models():
        policy = permissions.policy_for(model)
        if not hasattr(policy, "view_scope"):
            return None
        scopes.add(policy.view_scope(user, institution_id))
    return scopes.pop() if len(scopes) == 1 else None


def _scope(user, institution_id):
    """The reader's ``ViewScope`` when graphs are kept for this instansi, else None (read per request)."""
    return view_scope(user, institution_id) if institution_id is not None and capacity() > 0 else None


def _whole(institution_id, token) -> Graph:
    return _kept_or(institution_id, token, EVERYTHING, lambda: load_whole_graph(institution_id))


def graph(user, institution_id, token: str | None = None) -> Graph:
    """The graph of the instansi as ``user`` may see it: kept, restricted or read. ``token``: the architecture's
    generation if the caller has just read it."""
    scope = _scope(user, institution_id)
    if scope is None:
        return load_graph(user, institution_id)
    token = token if token is not None else generation.token()
    if scope.everything:
        return _whole(institution_id, token)

    def restrict() -> Graph:
        source = _whole(institution_id, token)
        restricted = source.restricted(lambda node: scope.admits(node.department_id, node.status))
        restricted.born = source.born  # as old as what it was cut from (its lifetime counts from there)
        return restricted

    return _kept_or(institution_id, token, scope, restrict)


def whole(user, institution_id, token: str | None = None) -> Graph | None:
    """The whole instansi's graph, kept, for what is computed on all of it and then restricted to the reader (the
    gaps: ``gaps.gaps_seen``); None when the reader reads the whole anyway or nothing is kept. Never shown as it is."""
    scope = _scope(user, institution_id)
    if scope is None or scope.everything:
        return None
    return _whole(institution_id, token if token is not None else generation.token())


def _kept_or(institution_id, token, scope, build) -> Graph:
    key, now = (institution_id, token, scope), time.monotonic()
    with _lock:
        found = _kept.get(key)
        if found is not None and now - found.born <= lifetime():
            _kept.move_to_end(key)
            return found
    built = build()  # outside the lock: two requests may build one graph at once; both results are the same
    if built.born is None:
        built.born = now
    with _lock:
        for stale in [k for k in _kept if k[0] == institution_id and k[1] != token]:
            del _kept[stale]
        _kept[key] = built
        _kept.move_to_end(key)
        while len(_kept) > capacity():
            _kept.popitem(last=False)
    return built

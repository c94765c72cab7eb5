"""Conditions that upper apps put on a review transition of an object of a lower app, without the lower app
knowing them (like ``sia.core.panels`` for pages).

A to-be new Aplikasi is verified only once the verifikator has recorded its clearance, yet
``sia.architecture`` never imports ``sia.portfolio``: ``sia.architecture.workflow.apply`` asks
``problems(obj, action, user)`` before it moves an object, and the portfolio registers, in its
``AppConfig.ready()``::

    @register_review_gate(Application, "verifikasi", "validasi")
    def clearance_gate(application, action, user):
        return [...]   # one message per reason the transition is refused; [] lets it through

A gate answers messages for people; any message refuses the transition (nothing changes, the messages
are shown on the page, returned by the API, listed by bulk actions). Gates are read inside the
transition's transaction, after the object's row is locked.
"""

from __future__ import annotations

from typing import Callable

_gates: list[tuple[type, frozenset, Callable]] = []


def register_review_gate(model, *actions: str):
    """Decorator for ``gate(obj, action, user) -> list[str]`` asked before ``actions`` (review actions,
    ``ReviewEvent.Action`` values) on ``model`` objects (subclasses included)."""
    if not actions:
        raise ValueError("register_review_gate needs at least one action")

    def decorator(func):
        _gates.append((model, frozenset(str(action) for action in actions), func))
        return func

    return decorator


def problems(obj, action: str, user) -> list[str]:
    """Why the gates refuse ``action`` on ``obj`` by ``user``, in registration order; [] when none does."""
    found = []
    for model, actions, gate in _gates:
        if str(action) in actions and isinstance(obj, model):
            found.extend(str(message) for message in gate(obj, action, user))
    return found

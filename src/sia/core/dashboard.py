"""Panels on the home dashboard; each app registers the figures it owns."""

from __future__ import annotations

from typing import Callable

from . import permissions
from .roles import Role

_panels: list[tuple[int, int, Callable, dict | None]] = []


def register_panel(order: int, roles=None):
    """Decorator for ``panel(request) -> {"template": ..., **context} | None``.

    ``roles`` says whom the panel serves: None (everyone, at ``order``), a set of roles (at ``order``)
    or ``{role: order}`` to place it differently on each role's home page (tasks first). A user with
    several roles sees the union, each panel at its smallest order among their roles.
    """

    def decorator(func):
        per_role = None
        if roles is not None:
            per_role = dict(roles) if isinstance(roles, dict) else {role: order for role in roles}
        _panels.append((order, len(_panels), func, per_role))
        return func

    return decorator


def roles_on_home(user) -> set[str]:
    """The roles whose panels the home page shows: the user's memberships (every role for superusers)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return set(Role)
    return permissions.roles_of(user)


def panels_for(request) -> list[dict]:
    roles = roles_on_home(request.user)
    chosen = []
    for order, sequence, func, per_role in _panels:
        if per_role is not None:
            orders = [per_role[role] for role in roles if role in per_role]
            if not orders:
                continue
            order = min(orders)
        chosen.append((order, sequence, func))
    result = []
    for _order, _sequence, func in sorted(chosen, key=lambda item: item[:2]):
        panel = func(request)
        if panel:
            result.append(panel)
    return result


_object_panels: list[tuple[int, type, Callable]] = []


def register_object_panel(model, order: int = 100):
    """Decorator for ``panel(request, obj) -> {"template": ..., **context} | None`` shown on the
    detail page of ``model`` objects (e.g. the architecture completeness of an OPD)."""

    def decorator(func):
        _object_panels.append((order, model, func))
        _object_panels.sort(key=lambda item: item[0])
        return func

    return decorator


def panels_for_object(request, obj) -> list[dict]:
    result = []
    for _order, model, func in _object_panels:
        if isinstance(obj, model):
            panel = func(request, obj)
            if panel:
                result.append(panel)
    return result

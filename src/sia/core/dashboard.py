"""Panels on the home dashboard; each app registers the figures it owns."""

from __future__ import annotations

from typing import Callable

_panels: list[tuple[int, Callable]] = []


def register_panel(order: int):
    """Decorator for ``panel(request) -> {"template": ..., **context} | None``."""

    def decorator(func):
        _panels.append((order, func))
        _panels.sort(key=lambda item: item[0])
        return func

    return decorator


def panels_for(request) -> list[dict]:
    result = []
    for _order, func in _panels:
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

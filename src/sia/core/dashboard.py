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

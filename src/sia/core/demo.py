"""Demo data loaders that each app registers; ``sia demo`` runs them in order."""

from __future__ import annotations

from typing import Callable

DEMO_PASSWORD = "sia-demo-2024"
_loaders: list[tuple[int, str, Callable]] = []


def register_demo(order: int, label: str):
    def decorator(func):
        _loaders.append((order, label, func))
        _loaders.sort(key=lambda item: item[0])
        return func

    return decorator


def loaders():
    return list(_loaders)

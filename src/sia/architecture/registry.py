"""The architecture domains: every concrete ``ArchitectureObject`` with its ``DomainSpec``."""

from __future__ import annotations

from django.apps import apps


def domain_models() -> list:
    from .models import ArchitectureObject

    models = [
        m for m in apps.get_models()
        if issubclass(m, ArchitectureObject) and not m._meta.abstract
    ]
    return sorted(models, key=lambda m: m.spec.order)


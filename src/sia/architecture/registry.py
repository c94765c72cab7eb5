"""The architecture domains: every concrete ``ArchitectureObject`` with its ``DomainSpec``."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404


def domain_models() -> list:
    from .models import ArchitectureObject

    models = [
        m for m in apps.get_models()
        if issubclass(m, ArchitectureObject) and not m._meta.abstract
    ]
    return sorted(models, key=lambda m: m.spec.order)


def model_for_slug(slug: str):
    for model in domain_models():
        if model.spec.slug == slug:
            return model
    raise Http404(slug)

"""The kinds the generic tests run for: every domain the registry declares, and their parts."""

import pytest

from sia.architecture.registry import domain_models

from tests.kinds import required_links, through_links

KINDS = domain_models()


def kind_id(model) -> str:
    return model.spec.slug


over_kinds = pytest.mark.parametrize("model", KINDS, ids=kind_id)


def each(pairs_of):
    """``pytest.mark.parametrize("model,part", ...)`` over (kind, part) pairs, e.g. each filter field of each kind."""
    pairs = [(model, part) for model in KINDS for part in pairs_of(model)]
    return pytest.mark.parametrize("model,part", pairs, ids=[f"{m.spec.slug}-{_name(p)}" for m, p in pairs])


def _name(part) -> str:
    return getattr(part, "field", None) or str(part)


over_filter_fields = each(lambda model: model.spec.filter_fields)
over_required_links = each(required_links)
over_through_links = each(through_links)

"""Value lists a domain declares (``DomainSpec.value_lists``): each list's kind, label and the values
a new instansi starts with. Admins edit the values per instansi (``ValueListItem``).

This module imports no model: ``seed_lists`` takes the model to write to (``values.seed_value_lists``
gives a new instansi its lists). A data migration that gives existing instansi a newly declared list
copies its suggestions and the seeding loop into the migration (see migrations 0004 and 0005): a
migration never imports live code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ValueList:
    """An editable list of choices; ``kind`` is what a field's ``limit_choices_to`` names."""

    kind: str  # stored in ValueListItem.kind, kebab-case Indonesian: "target-layanan"
    label: str  # "Target layanan"
    suggested: tuple[str, ...] = ()  # the values a new instansi starts with, in order


def declared_value_lists() -> dict[str, ValueList]:
    """Every value list the domains declare, by kind, in domain order (the first declaration of a kind)."""
    from .registry import domain_models

    lists: dict[str, ValueList] = {}
    for model in domain_models():
        for value_list in model.spec.value_lists:
            lists.setdefault(value_list.kind, value_list)
    return lists


def kind_choices() -> list[tuple[str, str]]:
    """The choices of ``ValueListItem.kind``: the declared lists."""
    return [(value_list.kind, value_list.label) for value_list in declared_value_lists().values()]


def suggested_values() -> dict[str, tuple[str, ...]]:
    return {kind: value_list.suggested for kind, value_list in declared_value_lists().items()}


def seed_lists(item_model, institution, suggested: dict) -> int:
    """Gives ``institution`` the suggested values of every list in ``suggested`` (kind: names) of which
    it has no value yet; a list the instansi already has is left as its admins edited it."""
    have = set(item_model.objects.filter(institution=institution).values_list("kind", flat=True).distinct())
    new = [
        item_model(institution=institution, kind=kind, name=name, order=order)
        for kind, names in suggested.items() if kind not in have
        for order, name in enumerate(names, start=1)
    ]
    item_model.objects.bulk_create(new)
    return len(new)


def seed_every_institution(institution_model, item_model, suggested: dict) -> int:
    """``seed_lists`` for every instansi."""
    return sum(seed_lists(item_model, institution, suggested) for institution in institution_model.objects.all())

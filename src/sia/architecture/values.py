from .choices import SUGGESTED_VALUES
from .models import ValueListItem


def seed_value_lists(institution) -> int:
    """Gives an instansi the suggested values of every value list it does not have yet."""
    existing = set(ValueListItem.objects.filter(institution=institution).values_list("kind", "name"))
    new = [
        ValueListItem(institution=institution, kind=kind, name=name, order=order)
        for kind, names in SUGGESTED_VALUES.items()
        for order, name in enumerate(names, start=1)
        if (kind, name) not in existing
    ]
    ValueListItem.objects.bulk_create(new)
    return len(new)


def value(institution, kind, name):
    return ValueListItem.objects.get(institution=institution, kind=kind, name=name)

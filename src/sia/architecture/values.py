from .models import ValueListItem
from .valuelists import seed_lists, suggested_values


def seed_value_lists(institution) -> int:
    """Gives an instansi the suggested values of every declared value list it does not have yet."""
    return seed_lists(ValueListItem, institution, suggested_values())


def value(institution, kind, name):
    return ValueListItem.objects.get(institution=institution, kind=kind, name=name)

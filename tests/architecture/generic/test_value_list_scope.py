"""Every value-list field of every kind takes its own instansi's list only: one rule in
``ArchitectureObject.clean`` (form, API and Excel all call it), not one loop per domain."""

import pytest
from django.core.exceptions import ValidationError

from sia.architecture.models import ValueListItem
from sia.architecture.values import seed_value_lists

from .domains import each

pytestmark = pytest.mark.django_db


def value_list_fields(model):
    return [f.name for f in model._meta.concrete_fields if f.many_to_one and f.related_model is ValueListItem]


@each(value_list_fields)
def test_a_value_of_another_instansi_is_refused(kinds, world, model, part):
    obj = kinds.build(model)
    seed_value_lists(world.other)
    kind = model._meta.get_field(part).get_limit_choices_to()["kind"]
    foreign = ValueListItem.objects.filter(institution=world.other, kind=kind).first()
    own = ValueListItem.objects.filter(institution=world.inst, kind=kind).first()
    setattr(obj, part, foreign)
    with pytest.raises(ValidationError) as refused:
        obj.full_clean()
    assert refused.value.message_dict == {part: ["Nilai pilihan ini milik instansi lain."]}
    setattr(obj, part, own)
    obj.full_clean()

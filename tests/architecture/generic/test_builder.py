"""The builder the generic tests rely on makes, for every kind, objects its own rules accept."""

import pytest

from sia.architecture import workflow

from tests.kinds import EVERY_FIELD, fields_of, is_filled, required_links, through_links

from .domains import over_kinds

pytestmark = pytest.mark.django_db


@over_kinds
def test_a_built_object_is_valid_and_submittable(kinds, model):
    obj = kinds.build(model)
    obj.full_clean()
    assert obj.code.startswith(f"{model.spec.code_prefix}-")
    assert obj.reference_id is not None
    for link in required_links(model):
        assert is_filled(obj, model._meta.get_field(link.field)), link.field
    full = kinds.build(model, full=True)
    for link in through_links(model):
        assert is_filled(full, model._meta.get_field(link.field)), link.field
    assert workflow.submit_problems(obj) == []


@over_kinds
def test_a_full_object_fills_the_form_fields_the_rules_accept(kinds, model):
    first, second = kinds.build(model, full=True), kinds.build(model, full=True, variant=1)
    first.full_clean(), second.full_clean()
    filled = [f.name for f in fields_of(model) if is_filled(first, f)]
    assert set(model.spec.completeness_fields) <= set(filled)
    differing = [f.name for f in fields_of(model) if is_filled(first, f) and is_filled(second, f)
                 and _value(first, f) != _value(second, f)]
    assert set(differing) >= {f.name for f in fields_of(model) if f.name in model.spec.filter_fields}


@over_kinds
def test_the_generic_tests_fill_every_form_field(kinds, model):
    """The variant the create tests start from fills every form field, so that each field goes through
    the form, the API and the workbook."""
    obj = kinds.build(model, full=True, variant=EVERY_FIELD)
    # A to-be upgrade (``upgrades`` filled) is not retired: its retirement year is exercised by
    # tests/architecture/test_gap_catalog*.py through the form, the API and the workbook.
    assert [f.name for f in fields_of(model) if not is_filled(obj, f)] == ["retire_year"]


def _value(obj, field):
    if field.many_to_many:
        return set(getattr(obj, field.name).values_list("pk", flat=True))
    return getattr(obj, field.attname)


@pytest.mark.parametrize("level", [1, 3])
def test_a_catalog_without_national_codes_gets_instansi_nodes(kinds, world, level):
    from sia.architecture.models.base import reference_problem
    from sia.reference.models import ReferenceNode

    from tests.kinds import reference_node

    assert not ReferenceNode.objects.current().of_catalog("RAK").national().exists()
    node = reference_node("RAK", level, None, world.inst)
    assert (node.level, node.institution) == (level, world.inst)
    assert reference_problem(node, "RAK", level, None, world.inst.pk) is None
    assert reference_node("RAK", level, None, world.inst) == node  # found again, not made twice

"""Every kind's completeness figure moves when one of its completeness fields is filled in."""

import pytest

from sia.architecture.completeness import required_fields, table_for
from sia.architecture.kindgroups import group_of

from .domains import over_kinds

pytestmark = pytest.mark.django_db


def figure(user, department, model):
    """The OPD's cell in the kind's column of the completeness table (its group's column)."""
    table = table_for(user)
    if hasattr(table, "slugs"):
        column = table.slugs.index(group_of(model).slug)
    else:
        column = table.domains.index(model)
    return next(cells[column] for opd, cells in table.rows if opd == department)


@over_kinds
def test_filling_a_completeness_field_moves_the_figure(world, kinds, model):
    admin = world.users["admin"]
    obj = kinds.build(model)
    for name in required_fields(model):
        kinds.clear(obj, name)
        before = figure(admin, world.kominfo, model)
        kinds.fill(obj, name)
        after = figure(admin, world.kominfo, model)
        assert (after.count, after.filled) == (before.count, before.filled + 1), name
        assert after.percent > before.percent, name
    complete = figure(admin, world.kominfo, model)
    assert (complete.count, complete.percent) == (1, 100)

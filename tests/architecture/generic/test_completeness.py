"""Every kind's completeness figure moves when one of its completeness fields is filled in."""

import pytest

from sia.architecture.completeness import required_fields, table_for
from sia.architecture.kindgroups import group_of

from .domains import over_kinds

pytestmark = pytest.mark.django_db


def figure(user, department, model):
    """The OPD's cell of the kind itself (its part of its group's column): filling a link may build an object
    of another kind of the same group (a server's facility), which the group's sum would count too."""
    table = table_for(user)
    column = table.slugs.index(group_of(model).slug)
    kind = table.groups[column][1].index(model)
    return next(cells[column][kind] for opd, cells in table.kind_rows if opd == department)


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

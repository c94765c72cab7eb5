"""The rows of a link with attributes on an object's page (an application's integrations) come from SQL compiled
once per link and end (``links._attributed_rows``) and are the rows ``select_related`` read before: the row, both
ends and their OPDs, for every object, and what each reader sees of them is unchanged."""

import pytest

from sia.architecture import links
from sia.architecture.links import attributed_ends
from sia.architecture.models import Application
from sia.core import compiled, permissions
from tests.kinds import Builder

pytestmark = pytest.mark.django_db


def through_links(model):
    return [link for link in model.spec.links if link.through]


@pytest.fixture
def apps(world, kinds):
    dinkes = Builder(world.dinkes)
    found = [kinds.build(Application, name="Aplikasi A"), dinkes.build(Application, name="Aplikasi B")]
    for link in through_links(Application):
        for app in found:
            for variant in (0, 1):
                kinds.link_row(app, link, variant=variant)
    return found


def old_rows(link, outgoing, obj):
    source_field, target_field = link.through_fields
    return list(link.through_model()._default_manager.select_related(
        f"{source_field}__department", f"{target_field}__department"
    ).filter(**{target_field if not outgoing else source_field: obj}))


def shape(row, link):
    source_field, target_field = link.through_fields
    ends = [getattr(row, name) for name in (source_field, target_field)]
    return ([(f.attname, getattr(row, f.attname)) for f in row._meta.concrete_fields],
            [[(f.attname, getattr(end, f.attname)) for f in end._meta.concrete_fields] for end in ends],
            [[(f.attname, getattr(end.department, f.attname)) for f in end.department._meta.concrete_fields]
             for end in ends])


def test_the_kept_rows_are_the_select_related_rows(apps, world, django_assert_num_queries):
    assert through_links(Application)
    compiled.clear()
    for link in through_links(Application):
        for outgoing in (True, False):
            for obj in apps + apps:  # the first compiles, the others reuse
                expected = [shape(row, link) for row in old_rows(link, outgoing, obj)]
                with django_assert_num_queries(1):  # both ends and their OPDs loaded: nothing read later
                    got = [shape(row, link) for row in links._attributed_rows(link, outgoing, obj.pk)]
                assert got == expected, (link.field, outgoing, obj)
                assert got or not outgoing


@pytest.mark.parametrize("who", ["operator", "operator_dinkes", "admin", "leader", "superuser"])
def test_each_reader_sees_the_ends_as_before(apps, world, who):
    user = world.users[who]
    for link in through_links(Application):
        for outgoing in (True, False):
            for obj in apps:
                reader = permissions.LinkReader(user)
                items = attributed_ends(obj, link, reader, outgoing)
                rows = old_rows(link, outgoing, obj)
                ends = [getattr(row, link.through_fields[1] if outgoing else link.through_fields[0]) for row in rows]
                expected = [(row.pk, str(end) if reader.shows(end) else str(permissions.HIDDEN))
                            for row, end in zip(rows, ends) if outgoing or reader.shows(end)]
                assert [(item.row.pk, str(item).split(" ", 1)[1].split(" · ")[0]) for item in items] == expected

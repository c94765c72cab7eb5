"""Every kind's detail page: each declared field with its value, and each link on both of its ends,
headed by its declared meaning (``LinkSpec.meaning`` at the holder, ``inverse`` at the linked object)."""

import pytest
from django.utils.html import escape
from django.utils.text import capfirst

from sia.architecture.linkspec import link_spec

from tests.kinds import EVERY_FIELD, fields_of

from .domains import over_kinds, over_through_links

pytestmark = pytest.mark.django_db


def shown(obj, field) -> str:
    value = getattr(obj, field.name)
    if field.choices:
        value = getattr(obj, f"get_{field.name}_display")()
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return "—" if value in (None, "") else str(value)


def page(client, obj) -> str:
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@over_kinds
def test_detail_shows_every_declared_field(client, world, kinds, model):
    obj = kinds.build(model, full=True)
    client.force_login(world.users["operator"])
    body = page(client, obj)
    for field in fields_of(model):
        if field.many_to_many:
            for item in getattr(obj, field.name).all():
                assert escape(str(item)) in body, field.name
            continue
        assert escape(str(capfirst(field.verbose_name))) in body or field.name in ("name", "description"), field.name
        assert escape(shown(obj, field)) in body, (field.name, shown(obj, field))


@over_kinds
def test_links_show_on_both_ends_with_their_meaning(client, world, kinds, model):
    # The variant that fills every field (test_builder): a link a domain rule accepts in some combinations
    # only (a server's host, for a virtual server) is then filled too.
    obj = kinds.build(model, full=True, variant=EVERY_FIELD)
    client.force_login(world.users["admin"])
    body = page(client, obj)
    for field in model.link_fields() + model.link_fields(many_to_many=False):
        link = link_spec(model, field.name)
        targets = list(getattr(obj, field.name).all()) if field.many_to_many else [getattr(obj, field.name)]
        assert targets and None not in targets, field.name
        target_model = field.related_model
        if field.many_to_many:
            assert escape(str(capfirst(f"{link.meaning} {target_model._meta.verbose_name_plural}"))) in body, field.name
        else:
            assert escape(str(capfirst(field.verbose_name))) in body, field.name
        for target in targets:
            assert escape(str(target)) in body, field.name
            other_end = page(client, target)
            if target_model is model and not field.many_to_many and model.spec.child_label:
                heading = model.spec.child_label
            else:
                heading = f"{link.inverse} {model._meta.verbose_name_plural}"
            assert escape(str(capfirst(heading))) in other_end, (field.name, heading)
            assert escape(str(obj)) in other_end, field.name


@over_through_links
def test_links_with_attributes_show_on_both_ends(client, world, kinds, model, part):
    obj = kinds.build(model, full=True)
    client.force_login(world.users["admin"])
    body = page(client, obj)
    rows = list(getattr(obj, part.field).all())
    assert rows
    target_model = part.target_model(model)
    assert escape(str(capfirst(f"{part.meaning} {target_model._meta.verbose_name_plural}"))) in body
    for row in rows:
        target = getattr(row, part.through_fields[1])
        assert escape(str(target)) in body and row.get_absolute_url() in body
        for name in part.attributes:
            if name != "direction":  # shown as the arrow
                assert escape(shown(row, row._meta.get_field(name))) in body, name
        other_end = page(client, target)
        assert escape(str(capfirst(f"{part.inverse} {model._meta.verbose_name_plural}"))) in other_end
        assert escape(str(obj)) in other_end and row.get_absolute_url() in other_end
        assert client.get(row.get_absolute_url()).status_code == 200

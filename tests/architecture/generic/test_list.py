"""Every kind's list page and API list: its objects shown, each declared filter narrowing them."""

import pytest
from django.urls import reverse

from sia.architecture.models import ArchitectureObject, ValueListItem

from .domains import over_filter_fields, over_kinds

pytestmark = pytest.mark.django_db


def list_url(model):
    return reverse(f"architecture:{model._meta.model_name}_list")


@over_kinds
def test_list_page_shows_the_objects(client, world, kinds, model):
    obj = kinds.build(model, full=True)
    client.force_login(world.users["operator"])
    response = client.get(list_url(model))
    assert response.status_code == 200
    body = response.content.decode()
    assert obj.code in body and obj.name in body


def set_value(kinds, obj, name, variant):
    """Gives the field a value through the form's path, or (a field derived on save) in the database."""
    field = obj._meta.get_field(name)
    if field.editable:
        return kinds.fill(obj, name, variant)
    value = kinds.value(obj, field, variant)
    type(obj).objects.filter(pk=obj.pk).update(**{name: value})
    return value


def query_value(value) -> str:
    """What a person types into the filter: codes and value names, not IDs."""
    if isinstance(value, list):
        (value,) = value
    if isinstance(value, ArchitectureObject):
        return value.code
    if isinstance(value, ValueListItem):
        return value.name
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(getattr(value, "pk", value))


@over_filter_fields
def test_each_declared_filter_narrows_the_list(client, api, world, kinds, model, part):
    wanted, other = kinds.build(model), kinds.build(model)
    value = set_value(kinds, wanted, part, 0)
    set_value(kinds, other, part, 1)
    query = {part: query_value(value)}
    client.force_login(world.users["admin"])
    response = client.get(list_url(model), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert wanted.code in body and other.code not in body, query
    rows = api(world.users["admin"]).get(f"/api/architecture/{model.spec.api_name}/", query).json()["results"]
    assert [row["code"] for row in rows if row["code"] in (wanted.code, other.code)] == [wanted.code], query

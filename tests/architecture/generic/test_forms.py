"""Every kind is created and edited through its web form, every declared field landing as sent."""

import pytest
from django.urls import reverse

from sia.architecture import workflow

from tests.kinds import EVERY_FIELD, form_data, values_of

from .domains import over_kinds

pytestmark = pytest.mark.django_db


def without(values: dict, *names) -> dict:
    return {k: v for k, v in values.items() if k not in names}


@over_kinds
def test_create_through_the_form(client, world, kinds, model):
    template = kinds.build(model, full=True, variant=EVERY_FIELD)
    data = {**form_data(template), "code": "", "name": "Dibuat lewat formulir"}
    client.force_login(world.users["operator"])
    response = client.post(reverse(f"architecture:{model._meta.model_name}_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = model.objects.get(name="Dibuat lewat formulir")
    assert response["Location"] == created.get_absolute_url()
    assert created.code.startswith(f"{model.spec.code_prefix}-{world.kominfo.abbreviation}-")
    assert without(values_of(created), "code", "name") == without(values_of(template), "code", "name")
    assert workflow.conversation(created).get().action == workflow.A.CREATE


@over_kinds
def test_edit_through_the_form(client, world, kinds, model):
    obj = kinds.build(model, full=True)
    changed = kinds.build(model, full=True, variant=1)
    version = obj.lock_version
    data = {**form_data(changed), "code": obj.code, "lock_version": version}
    client.force_login(world.users["operator"])
    edit_url = reverse(f"architecture:{model._meta.model_name}_edit", args=[obj.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    obj.refresh_from_db()
    assert obj.lock_version == version + 1
    assert without(values_of(obj), "code") == without(values_of(changed), "code")
    stale = client.post(edit_url, {**data, "name": "Versi basi"})
    assert stale.status_code == 409
    obj.refresh_from_db()
    assert obj.name == changed.name

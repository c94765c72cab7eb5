"""Every kind's API resource: create with natural keys, read, update with If-Match, delete; and the
denials that change nothing: an operator of another OPD and another instansi's admin do not see a draft,
the reading roles (leader, verifier, assessor) may not write, anonymous is refused."""

import pytest

from tests.kinds import EVERY_FIELD, api_payload, values_of

from .domains import over_kinds

pytestmark = pytest.mark.django_db


def resource(model) -> str:
    return f"/api/architecture/{model.spec.api_name}/"


def without(values: dict, *names) -> dict:
    return {k: v for k, v in values.items() if k not in names}


@over_kinds
def test_create_read_update_delete_with_natural_keys(api, world, kinds, model):
    template = kinds.build(model, full=True, variant=EVERY_FIELD)
    client = api(world.users["operator"])
    body = {**without(api_payload(template), "code"), "name": "Dibuat lewat API"}
    assert isinstance(body["department"], str) and isinstance(body["reference"], str)
    created = client.post(resource(model), body, format="json")
    assert created.status_code == 201, created.content
    obj = model.objects.get(pk=created.json()["id"])
    assert without(values_of(obj), "code", "name") == without(values_of(template), "code", "name")

    read = client.get(created.json()["url"])
    assert read.status_code == 200
    assert (read.json()["code"], read.json()["reference"]["id"]) == (obj.code, obj.reference_id)
    etag = read.get("ETag")
    assert etag

    changed = kinds.build(model, full=True, variant=1)
    patch = without(api_payload(changed), "code", "department")
    updated = client.patch(created.json()["url"], patch, format="json", HTTP_IF_MATCH=etag)
    assert updated.status_code == 200, updated.content
    obj.refresh_from_db()
    assert without(values_of(obj), "code", "department") == without(values_of(changed), "code", "department")
    stale = client.patch(created.json()["url"], {"name": "Versi basi"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409

    assert client.delete(created.json()["url"]).status_code == 204
    assert not model.objects.filter(pk=obj.pk).exists()


def attempts(client, model, obj, body):
    url = f"{resource(model)}{obj.pk}/"
    return {
        "list": client.get(resource(model)),
        "read": client.get(url),
        "create": client.post(resource(model), body, format="json"),
        "update": client.patch(url, {"name": "Diubah tanpa hak", "lock_version": obj.lock_version}, format="json"),
        "delete": client.delete(url),
    }


DENIALS = {
    # who: expected status per attempt ("list" 200 means the object is left out of it)
    "anonymous": {"list": (401, 403), "read": (401, 403), "create": (401, 403), "update": (401, 403),
                  "delete": (401, 403)},
    "operator_dinkes": {"list": (200,), "read": (404,), "create": (400, 403), "update": (404,), "delete": (404,)},
    "other_admin": {"list": (200,), "read": (404,), "create": (400, 403), "update": (404,), "delete": (404,)},
    "leader": {"list": (200,), "read": (200,), "create": (403,), "update": (403,), "delete": (403,)},
    "verifier": {"list": (200,), "read": (200,), "create": (403,), "update": (403,), "delete": (403,)},
    "assessor": {"list": (200,), "read": (200,), "create": (403,), "update": (403,), "delete": (403,)},
}
HIDDEN = ("operator_dinkes", "other_admin")


@over_kinds
@pytest.mark.parametrize("who", DENIALS)
def test_denials_change_nothing(api, world, kinds, model, who):
    obj = kinds.build(model, full=True)
    before, count = values_of(obj), model.objects.count()
    body = {**without(api_payload(obj), "code"), "name": "Dibuat tanpa hak"}
    client = api(None if who == "anonymous" else world.users[who])
    for attempt, response in attempts(client, model, obj, body).items():
        assert response.status_code in DENIALS[who][attempt], (attempt, response.status_code, response.content[:300])
    if who in HIDDEN:
        assert obj.pk not in [row["id"] for row in client.get(resource(model)).json()["results"]]
    obj.refresh_from_db()
    assert values_of(obj) == before and model.objects.count() == count
    assert obj.lock_version == 1

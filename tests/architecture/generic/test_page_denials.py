"""Every kind's pages refuse who may not see or change an object, and change nothing: an operator of
another OPD (a draft is not theirs to see), a leader (reads only), anonymous (sent to sign in)."""

import pytest
from django.urls import reverse

from tests.kinds import form_data, values_of

from .domains import over_kinds

pytestmark = pytest.mark.django_db

PAGES = ("detail", "edit", "delete", "history")
EXPECTED = {
    "operator_dinkes": {"detail": 404, "edit": 404, "delete": 404, "history": 404, "post": 404},
    "leader": {"detail": 200, "edit": 403, "delete": 403, "history": 200, "post": 403},
    "anonymous": {"detail": 302, "edit": 302, "delete": 302, "history": 302, "post": 302},
}


def url(model, page, obj):
    name = model._meta.model_name
    return obj.get_absolute_url() if page == "detail" else reverse(f"architecture:{name}_{page}", args=[obj.pk])


@over_kinds
@pytest.mark.parametrize("who", EXPECTED)
def test_pages_refuse_and_change_nothing(client, world, kinds, model, who):
    obj = kinds.build(model, full=True)
    before = values_of(obj)
    if who != "anonymous":
        client.force_login(world.users[who])
    got = {page: client.get(url(model, page, obj)).status_code for page in PAGES}
    data = {**form_data(obj), "name": "Diubah tanpa hak"}
    got["post"] = client.post(url(model, "edit", obj), data).status_code
    assert got == EXPECTED[who]
    assert client.post(url(model, "delete", obj)).status_code in (302, 403, 404)
    listing = client.get(reverse(f"architecture:{model._meta.model_name}_list"))
    assert (obj.code in listing.content.decode()) == (who == "leader")
    obj.refresh_from_db()
    assert values_of(obj) == before and obj.lock_version == 1
    assert model.objects.filter(pk=obj.pk).exists()

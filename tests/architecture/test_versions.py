"""No blind overwrites through the API: every model with a version (``lock_version``) sends it as the
ETag, wants it back on every update (body field or If-Match), answers 428 without it and 409 when
someone else saved first. Each domain of the registry is tested by being declared."""

import pytest
from rest_framework.exceptions import ValidationError

from sia.architecture.registry import domain_models
from sia.core.api.versions import parse_if_match, version_field

pytestmark = pytest.mark.django_db

DOMAINS = pytest.mark.parametrize("model", domain_models(), ids=lambda m: m.__name__)


def obj_of(arch, model):
    known = {"businessprocess": arch.process, "service": arch.service, "dataitem": arch.data}
    if model._meta.model_name in known:
        return known[model._meta.model_name]
    return model.objects.create(department=arch.process.department, name=f"Uji versi {model._meta.verbose_name}")


def url_of(obj):
    return f"/api/architecture/{obj.spec.api_name}/{obj.pk}/"


def stored(obj):
    return type(obj).objects.get(pk=obj.pk)


@DOMAINS
def test_every_domain_has_a_version(model):
    assert version_field(model) == "lock_version"


@DOMAINS
def test_get_sends_the_version_as_etag(arch, world, api, model):
    obj = obj_of(arch, model)
    response = api(world.users["operator"]).get(url_of(obj))
    assert response.status_code == 200
    assert response["ETag"] == f'"{obj.lock_version}"' == f'"{response.json()["lock_version"]}"'


@DOMAINS
@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_write_without_version_is_428_and_changes_nothing(arch, world, api, model, method):
    obj = obj_of(arch, model)
    client = api(world.users["operator"])
    body = client.get(url_of(obj)).json()
    data = {"name": "Ditimpa tanpa versi"}
    if method == "put":
        data = {"department": world.kominfo.pk, "name": "Ditimpa tanpa versi", "period": body["period"]}
    response = getattr(client, method)(url_of(obj), data, format="json")
    assert response.status_code == 428, response.content
    assert "If-Match" in response.json()["detail"]
    after = stored(obj)
    assert (after.name, after.lock_version) == (obj.name, obj.lock_version)


@DOMAINS
def test_twenty_writers_who_read_the_same_version_one_wins(arch, world, api, model):
    obj = obj_of(arch, model)
    client = api(world.users["operator"])
    version = client.get(url_of(obj)).json()["lock_version"]
    answers = [
        client.patch(url_of(obj), {"name": f"Penulis {i}", "lock_version": version}, format="json").status_code
        for i in range(20)
    ]
    assert answers.count(200) == 1 and answers.count(409) == 19, answers
    after = stored(obj)
    assert after.name == f"Penulis {answers.index(200)}" and after.lock_version == version + 1


@DOMAINS
def test_if_match_with_the_etag_of_get(arch, world, api, model):
    obj = obj_of(arch, model)
    client = api(world.users["operator"])
    etag = client.get(url_of(obj))["ETag"]
    saved = client.patch(url_of(obj), {"name": "Lewat If-Match"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == f'"{obj.lock_version + 1}"'
    stale = client.patch(url_of(obj), {"name": "Basi"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    weak = client.patch(url_of(obj), {"name": "Lemah"}, format="json", HTTP_IF_MATCH=f"W/{saved['ETag']}")
    assert weak.status_code == 200
    assert stored(obj).name == "Lemah"


def test_if_match_any_is_no_version(arch, world, api):
    response = api(world.users["operator"]).patch(url_of(arch.process), {"name": "X"}, format="json",
                                                   HTTP_IF_MATCH="*")
    assert response.status_code == 428


def test_body_and_header_that_disagree_are_refused(arch, world, api):
    client = api(world.users["operator"])
    response = client.patch(url_of(arch.process), {"name": "X", "lock_version": 1}, format="json",
                            HTTP_IF_MATCH='"2"')
    assert response.status_code == 400
    assert client.patch(url_of(arch.process), {"name": "X"}, format="json", HTTP_IF_MATCH="7").status_code == 400
    assert stored(arch.process).name == arch.process.name


def test_a_version_past_64_bits_is_400_like_every_integer(arch, world, api):
    client = api(world.users["operator"])
    huge = 2**70
    for kwargs in ({"data": {"name": "X", "lock_version": huge}}, {"data": {"name": "X"}, "HTTP_IF_MATCH": f'"{huge}"'}):
        data = kwargs.pop("data")
        response = client.patch(url_of(arch.process), data, format="json", **kwargs)
        assert response.status_code == 400, response.content
        assert "jangkauan" in str(response.json())
    assert stored(arch.process).name == arch.process.name


def test_denials_come_before_the_version(arch, world, api):
    """Who may not see the object gets 404, who may not change it 403, whether or not a version was sent."""
    assert api(world.users["operator_dinkes"]).patch(url_of(arch.process), {"name": "X"}, format="json").status_code == 404
    assert api(world.users["leader"]).patch(url_of(arch.process), {"name": "X"}, format="json").status_code == 403


def test_workflow_actions_need_no_version(arch, world, api):
    response = api(world.users["operator"]).post(url_of(arch.process) + "submit/")
    assert response.status_code == 200


def test_if_match_parsing():
    assert parse_if_match('"7"') == {7}
    assert parse_if_match('W/"7", "8"') == {7, 8}
    with pytest.raises(ValidationError):
        parse_if_match("7")


def test_schema_documents_the_version_answers(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/architecture/business-processes/{id}/"]
    for method in ("put", "patch"):
        assert {"409", "428"} <= set(operation[method]["responses"])
        assert "If-Match" in [p["name"] for p in operation[method]["parameters"]]
    assert "ETag" in operation["get"]["responses"]["200"]["headers"]


def _viewsets():
    from django.urls import get_resolver

    from sia.core.api.views import SiaModelViewSet

    get_resolver().url_patterns  # the URLconf imports every app's API views (some are made there, per kind)

    found, todo = [], [SiaModelViewSet]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.append(cls)
    return found


def test_every_viewset_knows_its_version_field_without_building_its_queryset(world):
    """``version_field()`` reads the viewset's model (or its unscoped ``queryset``): the same answer as the model of
    the scoped queryset it used to build for it (once per GET of an object, three times per PATCH)."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    checked = 0
    for cls in _viewsets():
        if getattr(cls, "model", None) is None and getattr(cls, "queryset", None) is None:
            continue  # an abstract base
        view = cls()
        view.request, view.action, view.kwargs, view.format_kwarg = (
            Request(APIRequestFactory().get("/")), "retrieve", {}, None)
        view.request.user = world.users["superuser"]
        expected = version_field(view.get_queryset().model)
        fresh = cls()
        fresh.get_queryset = lambda: pytest.fail(f"{cls.__name__}.version_field built the queryset")
        assert fresh.version_field() == expected, cls
        checked += 1
    assert checked > 30


@DOMAINS
def test_get_of_an_object_builds_its_queryset_once(arch, world, api, model, monkeypatch):
    from sia.architecture.api.views import ArchitectureViewSet

    built = []
    original = ArchitectureViewSet.get_queryset
    monkeypatch.setattr(ArchitectureViewSet, "get_queryset", lambda view: built.append(1) or original(view))
    response = api(world.users["operator"]).get(url_of(obj_of(arch, model)))
    assert response.status_code == 200 and response["ETag"]
    assert len(built) == 1

"""Integers past the database's 64-bit range are refused with a 4xx, never a 500.

The cases are generated from the OpenAPI schema: every integer parameter (query and path) of every
operation and every integer property of every request body gets 2**70 and -2**70. A new filter,
endpoint or field is covered by being declared.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from sia.core.views.generic import ObjectListView

from .api_samples import populate, sample_id

pytestmark = pytest.mark.django_db

HUGE = (2**70, -(2**70))
WRITE_METHODS = ("post", "put", "patch")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _is_integer(schema, node) -> bool:
    node = _resolve(schema, node)
    if not isinstance(node, dict):
        return False
    if node.get("type") == "integer":
        return True
    if node.get("type") == "array":
        return _is_integer(schema, node.get("items", {}))
    return any(_is_integer(schema, option) for option in node.get("oneOf", []) + node.get("anyOf", []))


def _integer_parameters(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] in ("query", "path") and _is_integer(schema, parameter.get("schema", {})):
                    yield path, method, parameter["in"], parameter["name"]


def _integer_body_properties(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media_type, body in content.items():
                properties = _resolve(schema, body.get("schema", {})).get("properties", {})
                for name, prop in properties.items():
                    if _is_integer(schema, prop) and not _resolve(schema, prop).get("readOnly"):
                        yield path, method, media_type, (name,)
                    items = _resolve(schema, _resolve(schema, prop).get("items", {}))
                    for inner, inner_prop in items.get("properties", {}).items():  # lists of objects (planner)
                        if _is_integer(schema, inner_prop) and not _resolve(schema, inner_prop).get("readOnly"):
                            yield path, method, media_type, (name, inner)
                break  # one media type per operation is enough: the same serializer reads them all


def _fill(path, user, skip=None):
    """The path with every placeholder (but ``skip``) replaced by the ID of a visible object."""
    filled = path
    for placeholder in ("id", "institution_id"):
        token = "{" + placeholder + "}"
        if token in filled and placeholder != skip:
            filled = filled.replace(token, str(sample_id(path, user) or 1))
    return filled


def _send(client, method, url, **kwargs):
    return getattr(client, method)(url, **kwargs)


def test_the_schema_has_integer_inputs_to_check(schema):
    """The walk below is not vacuous: the schema declares integer inputs of every kind."""
    params = list(_integer_parameters(schema))
    assert {kind for _, _, kind, _ in params} == {"query", "path"}
    assert ("/api/reference/nodes/", "get", "query", "level") in params
    assert ("/api/architecture/business-processes/", "get", "query", "reference_id") in params
    assert any(name == "limit" for *_, name in params)
    assert len(list(_integer_body_properties(schema))) > 10


def test_huge_integers_in_parameters_are_refused_not_crashed(world, schema):
    populate(world)
    user = world.users["superuser"]
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    crashes = []
    for path, method, kind, name in _integer_parameters(schema):
        for value in HUGE:
            if kind == "path":
                url, query = _fill(path, user, skip=name).replace("{" + name + "}", str(value)), {}
            else:
                url, query = _fill(path, user), {name: str(value)}
            if method == "get":
                response = client.get(url, query)
            else:
                suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
                response = _send(client, method, url + suffix, data={}, format="json")
            if not 400 <= response.status_code < 500:
                crashes.append((method.upper(), url, query, response.status_code))
    assert not crashes, "\n".join(map(str, crashes))


def test_huge_integers_in_request_bodies_are_refused_not_crashed(world, schema):
    populate(world)
    user = world.users["superuser"]
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    crashes = []
    for path, method, media_type, names in _integer_body_properties(schema):
        url = _fill(path, user)
        for value in HUGE:
            if len(names) == 2:
                response = _send(client, method, url, data={names[0]: [{names[1]: value}]}, format="json")
            elif media_type == "application/json":
                response = _send(client, method, url, data={names[0]: value}, format="json")
            else:
                response = _send(client, method, url, data={names[0]: str(value)}, format="multipart")
            if not 400 <= response.status_code < 500:
                crashes.append((method.upper(), url, names, value, response.status_code))
    assert not crashes, "\n".join(map(str, crashes))


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/organizations/departments/?limit=1180591620717411303424", "limit"),
        ("/api/organizations/departments/?offset=-1180591620717411303424", "offset"),
        ("/api/organizations/work-units/?department_id=99999999999999999999999", "department_id"),
        ("/api/reference/nodes/?parent=1180591620717411303424", "parent"),
        ("/api/architecture/business-processes/?reference_id=-1180591620717411303424", "reference_id"),
    ],
)
def test_the_answer_is_400_naming_the_parameter_in_indonesian(world, api, url, parameter):
    response = api(world.users["admin"]).get(url)
    assert response.status_code == 400, response.content
    messages = response.json()[parameter]
    assert "di luar jangkauan" in " ".join(messages)


def test_out_of_range_ids_in_a_body_are_named(world, api):
    populate(world)
    client = api(world.users["admin"])
    response = client.post("/api/organizations/work-units/", {"department": 2**70, "name": "Bidang"}, format="json")
    assert response.status_code == 400
    assert "di luar jangkauan" in " ".join(response.json()["department"])


def test_out_of_range_path_ids_are_not_found(world, api):
    client = api(world.users["admin"])
    for url in ("/api/organizations/departments/1180591620717411303424/",
                "/api/reference/catalogs/-1180591620717411303424/",
                "/api/exchange/instances/1180591620717411303424/snapshot/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url


def _list_views(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _list_views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class and issubclass(view_class, ObjectListView) and not pattern.pattern.converters:
                yield "/" + prefix + str(pattern.pattern), view_class


def test_html_lists_survive_huge_integers_in_filters_and_page(client, world):
    """Every list page: its integer filters and ``?page=`` with 2**70 answer a page, not a 500."""
    from django import forms

    populate(world)
    client.force_login(world.users["admin"])
    crashes, checked = [], 0
    for url, view_class in _list_views():
        filterset_class = view_class.filterset_class
        names = ["page"]
        if filterset_class is not None:
            for name, filter_ in filterset_class.base_filters.items():
                if issubclass(filter_.field_class, (forms.IntegerField, forms.DecimalField, forms.ModelChoiceField)):
                    names.append(name)
        for name in names:
            for value in HUGE:
                response = client.get(url, {name: str(value)})
                checked += 1
                if response.status_code >= 500:
                    crashes.append((url, name, value, response.status_code))
    assert checked > 20
    assert not crashes, "\n".join(map(str, crashes))


def test_digits_that_int_cannot_read_are_not_ids(world, api):
    """``"²".isdigit()`` is true but ``int("²")`` fails: such text is a code that matches nothing, not a 500."""
    client = api(world.users["admin"])
    client.raise_request_exception = False
    for url, query in (("/api/architecture/business-processes/", {"reference": "²"}),
                       ("/api/exchange/templates/", {"institution": "¹"})):
        assert client.get(url, query).status_code < 500, (url, query)


def test_a_filter_set_with_an_unchecked_integer_filter_does_not_load():
    """The next integer filter cannot skip the range check: plain django-filter classes are refused."""
    import django_filters
    from django.core.exceptions import ImproperlyConfigured

    from sia.core.filtersets import SearchFilterSet
    from sia.organizations.models import WorkUnit

    with pytest.raises(ImproperlyConfigured, match="IntegerFilter"):
        type("BadFilterSet", (SearchFilterSet,), {
            "order": django_filters.NumberFilter(),
            "Meta": type("Meta", (), {"model": WorkUnit, "fields": ["name"]}),
        })

"""The OpenAPI schema is valid, generated without warnings, and says what the API really answers."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from sia.reference.models import ReferenceNode

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch")


def has_lock_version(model) -> bool:
    return any(f.name == "lock_version" for f in model._meta.concrete_fields)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_schema_validates_without_warnings(tmp_path, fresh_schema):
    """``sia spectacular --validate --fail-on-warn``: any warning or error fails."""
    target = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    assert json.loads(target.read_text())["paths"]


def test_every_operation_documents_its_errors(schema):
    public = {("/api/auth/token/", "post")}
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        if (path, method) not in public:
            assert "403" in codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in WRITES or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in codes, (method, path)
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                assert "application/json" in response.get("content", {}), (method, path, code)
        if method == "delete":
            assert "409" in codes, (method, path)


def test_error_bodies_have_a_schema(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert components["ValidationError"]["type"] == "object"
    body = schema["paths"]["/api/organizations/departments/"]["post"]["responses"]["400"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}


def test_updates_of_versioned_models_document_428_and_409(schema):
    from django.urls import resolve

    versioned = 0
    for path, method, operation in operations(schema):
        if method not in ("put", "patch") or not path.endswith("{id}/"):
            continue
        view = resolve(path.replace("{id}", "1")).func.cls
        model = getattr(view, "model", None) or view.queryset.model
        if has_lock_version(model):
            versioned += 1
            assert {"409", "428"} <= set(operation["responses"]), (method, path)
        else:
            assert "428" not in operation["responses"], (method, path)
    assert versioned >= 6


@pytest.mark.parametrize("path", [
    "/api/reference/nodes/{id}/children/",
    "/api/reference/nodes/{id}/mapped/",
    "/api/architecture/business-processes/{id}/comments/",
])
def test_plain_list_actions_are_not_documented_as_paginated(schema, path):
    for method, operation in schema["paths"][path].items():
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", (method, path)
        names = {p["name"] for p in operation.get("parameters", [])}
        assert not names & {"limit", "offset", "department_id"}, (method, path)


def test_national_nodes_read_with_a_null_institution(schema, world, api, catalogs):
    node = ReferenceNode.objects.current().filter(institution__isnull=True).first()
    body = api(world.users["admin"]).get(f"/api/reference/nodes/{node.pk}/").json()
    assert body["institution"] is None
    institution = schema["components"]["schemas"]["ReferenceNode"]["properties"]["institution"]
    assert institution.get("nullable") is True
    assert institution["required"] == ["id", "url", "display"]  # as it reads: an object, not an ID


def test_evidence_download_documents_the_real_content_types(schema):
    responses = schema["paths"]["/api/evaluation/evidence/{id}/download/"]["get"]["responses"]
    types = set(responses["200"]["content"])
    assert {"application/pdf", "image/png", "image/jpeg"} <= types
    assert "302" in responses


@pytest.fixture
def catalogs(db):
    from sia.reference.loader import ensure_default_catalogs

    ensure_default_catalogs()

"""The authorization matrix of the API: every operation of the OpenAPI schema, every user, every
location, against the tables of tests/authz/expectations.py.

An operation whose viewset's policy (or whose URL name, for plain API views) has no declared
expectation fails here, with the line to add. Refused requests must leave the database unchanged.
"""

from __future__ import annotations

import re

import pytest
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from sia.architecture.choices import ReviewStatus
from sia.architecture.models import ReviewEvent
from sia.evaluation.models import IndicatorScore, StageLock
from sia.exchange.models import ImportRecord
from sia.reference.models import ReferenceNode

from .expectations import InstansiQuery
from .matrix import Operation, cases, check_columns, operations, row_counts, row_of
from .payloads import create_body, patch_body, put_body
from .world import World, fresh_user

# A case takes ``matrix_world`` (tests/authz/conftest.py): one savepoint of its own, not the mark's TestCase.
pytestmark = pytest.mark.django_db

CASES = cases()
TRANSITION_COMMENT = {"return_": "Mohon dilengkapi sebelum diverifikasi.", "comments": "Catatan dari matriks."}


def test_every_operation_is_declared():
    """One message listing every operation the tables do not cover yet (each also fails on its own)."""
    missing = [case.problem for case in CASES if case.expected is None]
    assert not missing, "\n".join(missing)


def test_tables_name_the_locations_of_the_world():
    problems = []
    for op in operations():
        table, _ = op.declared()
        if table is not None:
            problems += check_columns(op, table)
    assert not problems, "\n".join(problems)


def _target(op: Operation, w: World, case):
    """The object the request is about (a detail path's object, or the object looked for in a list, or named in
    the query string)."""
    if case.target is not None:
        return w.obj(case.target, case.location, case.variant)
    if isinstance(case.query, InstansiQuery):
        return w.institutions[case.location]
    if op.model is not None and (op.detail or op.action == "list"):
        return w.obj(op.model, case.location, case.variant)
    if op.url_name == "exchange-api:snapshot":
        return w.institutions[case.location]
    return None


def _fingerprint(op: Operation, obj):
    """What a refused request must not change."""
    fixed = [m.objects for m in (ReviewEvent, StageLock, IndicatorScore, ImportRecord)]
    model = op.model
    if model is None:
        return row_counts(*fixed)
    *counts, own = row_counts(*fixed, model._default_manager)
    row = row_of(obj) if obj is not None else None
    return tuple(counts), own, row


def _request(op: Operation, w: World, case, obj):
    """(url, body, format) of the case."""
    url = op.path
    if op.detail:
        url = re.sub(r"\{[^}]+\}", str(obj.pk), url)
    query = ""
    if case.target is not None:
        query = f"?kind={case.target.spec.slug}&id={obj.pk}"
        if case.query.to_model is not None:
            other = w.obj(case.query.to_model, case.location, str(ReviewStatus.VALIDATED))
            query += f"&to_kind={case.query.to_model.spec.slug}&to_id={other.pk}"
    elif isinstance(case.query, InstansiQuery):
        query = f"?{case.query.param}={obj.pk}"
    elif op.action == "list":
        query = f"?code={obj.code}" if isinstance(obj, ReferenceNode) else "?ordering=-id&limit=1000"
    elif op.action == "crosswalk":
        query = "?target=RAL"
    elif op.url_name in ("exchange-api:template", "exchange-api:export") and case.user != "anonymous":
        query = f"?institution={w.institutions['B' if case.user == 'admin_b' else 'A'].code}"
    body, fmt = None, "json"
    if op.action == "create":
        body, fmt = create_body(op.model, w, case.location)
    elif op.action == "partial_update":
        body = patch_body(op.model, obj)
    elif op.action == "update":
        request = Request(APIRequestFactory().get("/"))
        request.user = w.users["superuser"]
        body = put_body(op.view_class.serializer_class or op.view_class().get_serializer_class(), obj, request)
    elif op.method == "post" and op.action is not None:
        body = {"comment": TRANSITION_COMMENT.get(op.action, "")} if op.model and hasattr(obj, "status") else {}
        action = getattr(op.view_class, op.action)
        parsers = getattr(action, "kwargs", {}).get("parser_classes") or op.view_class.parser_classes
        if not any(issubclass(p, JSONParser) for p in parsers):
            fmt = "multipart"
    return url + query, body, fmt


def _verdict(op: Operation, expected: str, response, obj, case=None) -> bool:
    status = response.status_code
    if expected == "anon":
        return status in (401, 403)
    if case is not None and case.query is not None and expected == "hid":
        return status == 404  # named in the query string: hidden answers as nonexistent
    if op.action == "list":
        if status != 200:
            return False
        body = response.json()
        rows = body["results"] if isinstance(body, dict) else body
        present = obj.pk in [row["id"] for row in rows]
        return present if expected == "ok" else not present
    if expected == "ok":
        if op.method == "delete":
            return status in (204, 409)  # 409: allowed, but other data still points at the object
        return 200 <= status < 300 or (status == 302 and op.action == "download")
    if expected == "no":
        return status == 403
    if expected == "hid":
        return status == 404 if op.detail else status in (400, 403, 404)
    if expected == "bad":
        return status == 400
    raise AssertionError(expected)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_api_authorization(matrix_world, case):
    if case.expected is None:
        pytest.fail(case.problem)
    w, op = matrix_world, case.operation
    obj = _target(op, w, case)
    url, body, fmt = _request(op, w, case, obj)
    refused = case.expected != "ok" and op.method != "get"
    before = _fingerprint(op, obj) if refused else None
    # A list is the same request for every location and variant of a user (its cases look for different objects
    # in it): asked once per worker, on the world every case starts from (each case's savepoint is rolled back).
    shared = (url, case.user) if op.action == "list" else None
    response = w.responses.get(shared) if shared else None
    if response is None:
        client = APIClient()
        user = fresh_user(w, case.user)
        if user is not None:
            client.force_authenticate(user)
        response = getattr(client, op.method)(url, body, format=fmt)
        if shared:
            w.responses[shared] = response
    assert _verdict(op, case.expected, response, obj, case), (
        f"{case.id}: expected {case.expected!r}, got {response.status_code} "
        f"{getattr(response, 'content', b'')[:300]!r}"
    )
    if refused:
        assert _fingerprint(op, obj) == before, f"{case.id}: refused ({response.status_code}) but the database changed"

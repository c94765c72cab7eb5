"""A bounded property-based fuzz of the whole API (schemathesis), as an instansi admin.

The schema is loaded from the running application (``/api/schema/``, in-process WSGI). For every
operation, a few examples that fit the schema (detail paths pointing at a real object of the
instansi) and a few that do not are sent; the test fails on any 5xx and on any answer the schema does
not describe (status code, content type, body). Each example runs in a savepoint rolled back after
it, so a DELETE or a fuzzed PUT does not take the sample objects away from the next operations.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.test import force_authenticate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .api_samples import populate, sample_id

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Plain bodies: the werkzeug client does not undo the gzip that browsers ask for.
HEADERS = {"Accept-Encoding": "identity"}
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}

# Operations not fuzzed, each with its reason. Everything else in the schema is.
EXCLUDED: dict[tuple[str, str], str] = {}


class AuthenticatedApp(WSGIHandler):
    """The project's WSGI application with every request authenticated as ``user`` (DRF's test mechanism)."""

    def __init__(self, user):
        super().__init__()
        self.user = user

    def get_response(self, request):
        force_authenticate(request, self.user)
        return super().get_response(request)


@pytest.fixture
def app(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    populate(world)
    # Like Django's test client: a request must not close the test's (transactional) connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield AuthenticatedApp(world.users["admin"])
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _has_inputs(operation) -> bool:
    definition = operation.definition.raw
    return bool(definition.get("parameters") or definition.get("requestBody"))


def _fuzz(operation, mode, user) -> str | None:
    """The first failure of the operation in this mode (None if every example passed)."""
    fixed = {}
    if mode is GenerationMode.POSITIVE:
        for name in ("id", "institution_id"):
            if "{" + name + "}" in operation.path:
                fixed[name] = sample_id(operation.path, user)
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

    @settings(max_examples=EXAMPLES[mode], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
    @given(case=strategy)
    def run(case):
        with transaction.atomic():
            try:
                response = case.call(headers=HEADERS)
                case.validate_response(response, checks=CHECKS)
            finally:
                transaction.set_rollback(True)

    try:
        run()
    except (Exception, BaseExceptionGroup) as error:  # a check failure (schemathesis FailureGroup) or a crash
        return f"{type(error).__name__}: {error}"[:3000]
    return None


def test_api_fuzz(app, world):
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=HEADERS)
    user = world.users["admin"]
    failures, fuzzed = [], set()
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if key in EXCLUDED:
            continue
        fuzzed.add(key)
        for mode in EXAMPLES:
            if mode is GenerationMode.NEGATIVE and not _has_inputs(operation):
                continue  # nothing to send wrong: no parameter, no body
            problem = _fuzz(operation, mode, user)
            print(f"{time.monotonic() - started:6.1f}s {key[0]} {key[1]} {mode.value}: {'FAIL' if problem else 'ok'}")
            if problem:
                failures.append(f"--- {key[0]} {key[1]} ({mode.value})\n{problem}")
    elapsed = time.monotonic() - started
    assert len(fuzzed) > 100, "the schema lost its operations"
    assert not failures, f"{len(failures)} failing operation(s) in {elapsed:.0f} s:\n" + "\n".join(failures)

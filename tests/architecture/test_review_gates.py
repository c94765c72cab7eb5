"""``sia.core.review_gates``: conditions an upper app puts on a review transition, obeyed by
``sia.architecture.workflow`` wherever a transition is applied (function, page action, API action, bulk)."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, Service
from sia.core import review_gates

pytestmark = pytest.mark.django_db
A = workflow.A
SRC = Path(__file__).resolve().parents[2] / "src" / "sia"


@pytest.fixture
def gates(monkeypatch):
    """A fresh registry for the test (the portfolio's own gate stays registered outside it); ``calls`` records
    what the gate was asked."""
    monkeypatch.setattr(review_gates, "_gates", [])
    calls = []

    @review_gates.register_review_gate(BusinessProcess, A.VERIFY)
    def needs_a_note(obj, action, user):
        calls.append((obj.pk, action, user.username))
        return [] if "catatan" in obj.description else ["Tulis catatan sebelum memverifikasi."]

    return calls


def submitted(arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    return arch.process


def test_a_gate_refuses_the_transition_and_nothing_changes(arch, world, gates):
    obj = submitted(arch, world)
    version = obj.lock_version
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(obj, A.VERIFY, world.users["verifier"])
    assert error.value.messages == ["Tulis catatan sebelum memverifikasi."]
    obj.refresh_from_db()
    assert obj.status == S.SUBMITTED and obj.lock_version == version
    assert [e.action for e in workflow.conversation(obj)] == [A.SUBMIT]
    assert gates == [(obj.pk, A.VERIFY, "verif")]


def test_a_gate_that_finds_nothing_lets_it_through(arch, world, gates):
    obj = submitted(arch, world)
    BusinessProcess.objects.filter(pk=obj.pk).update(description="Ada catatan verifikasi.")
    workflow.apply(obj, A.VERIFY, world.users["verifier"])
    obj.refresh_from_db()
    assert obj.status == S.VERIFIED
    workflow.apply(obj, A.VALIDATE, world.users["admin"])  # the gate is only on "verifikasi"
    assert len(gates) == 1


def test_a_gate_is_asked_only_for_its_model_and_actions(arch, world, gates):
    Service.objects.filter(pk=arch.service.pk).update(status=S.SUBMITTED)
    arch.service.refresh_from_db()
    workflow.apply(arch.service, A.VERIFY, world.users["verifier"])  # a Service: not gated
    assert arch.service.status == S.VERIFIED
    obj = submitted(arch, world)
    workflow.apply(obj, A.RETURN, world.users["verifier"], "Lengkapi uraian.")  # not gated either
    assert gates == []


def test_gates_are_asked_after_the_usual_checks(arch, world, gates):
    """Permission, status and role come first: a gate never runs for someone who may not act anyway."""
    obj = submitted(arch, world)
    with pytest.raises(PermissionDenied):
        workflow.apply(obj, A.VERIFY, world.users["operator"])
    assert gates == []


def test_messages_of_all_gates_are_collected(arch, world, gates):
    @review_gates.register_review_gate(BusinessProcess, A.VERIFY, A.VALIDATE)
    def second(obj, action, user):
        return ["Satu lagi."]

    obj = submitted(arch, world)
    assert review_gates.problems(obj, A.VERIFY, world.users["verifier"]) == [
        "Tulis catatan sebelum memverifikasi.", "Satu lagi."]
    assert review_gates.problems(obj, A.SUBMIT, world.users["verifier"]) == []
    with pytest.raises(ValueError):
        review_gates.register_review_gate(BusinessProcess)


def test_the_page_action_shows_the_gate_message(client, arch, world, gates):
    obj = submitted(arch, world)
    client.force_login(world.users["verifier"])
    url = reverse("architecture:businessprocess_action", args=[obj.pk])
    response = client.post(url, {"action": A.VERIFY}, follow=True)
    assert "Tulis catatan sebelum memverifikasi." in response.content.decode()
    obj.refresh_from_db()
    assert obj.status == S.SUBMITTED


def test_the_api_action_answers_400_with_the_gate_message(api, arch, world, gates):
    obj = submitted(arch, world)
    response = api(world.users["verifier"]).post(f"/api/architecture/business-processes/{obj.pk}/verify/", {},
                                                 format="json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == ["Tulis catatan sebelum memverifikasi."]
    obj.refresh_from_db()
    assert obj.status == S.SUBMITTED


def test_bulk_apply_lists_the_refused_with_the_gate_message(arch, world, gates):
    obj = submitted(arch, world)
    done, failed = workflow.bulk_apply([obj], A.VERIFY, world.users["verifier"])
    assert done == [] and failed == [(obj, "Tulis catatan sebelum memverifikasi.")]


def test_lower_apps_never_import_the_portfolio():
    """The gate is how the portfolio rules the review: core, organizations, reference and architecture
    know nothing of it."""
    for app in ("core", "organizations", "reference", "architecture"):
        for path in (SRC / app).rglob("*.py"):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                assert not any(name.startswith("sia.portfolio") for name in names), path

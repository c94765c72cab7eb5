"""Notification tests: DISKOMINFO's business process under review, its operator and its author, the reviewers."""

import pytest

from sia.architecture.models import BusinessProcess
from sia.architecture.values import seed_value_lists
from sia.core.roles import Role
from sia.reference.loader import ensure_default_catalogs
from sia.reference.models import ReferenceNode
from tests.browser.conftest import browser, new_page, page  # noqa: F401

from .. import factories as f


@pytest.fixture
def review(world):
    """A submitted DISKOMINFO process created by ``author`` (a second operator of DISKOMINFO)."""
    from sia.architecture import workflow

    ensure_default_catalogs()
    seed_value_lists(world.inst)
    author = f.member(world.inst, Role.OPERATOR, world.kominfo, username="op.penyusun", email="penyusun@example.go.id")
    fn = f.function(world.kominfo, 1, "Perumusan kebijakan teknis di bidang informatika")
    process = BusinessProcess.objects.create(
        department=world.kominfo, name="Pengelolaan Data Statistik",
        reference=ReferenceNode.objects.current().national().get(code="RAB.09.03.04"))
    process.functions.set([fn])
    workflow.record_creation(process, author)
    workflow.apply(process, workflow.A.SUBMIT, world.users["operator"])
    for user in world.users.values():
        if not user.email:
            user.email = f"{user.username}@example.go.id"
            user.save(update_fields=["email"])

    class Review:
        pass

    r = Review()
    r.process, r.author, r.function = process, author, fn
    r.operator, r.verifier, r.admin = world.users["operator"], world.users["verifier"], world.users["admin"]
    return r

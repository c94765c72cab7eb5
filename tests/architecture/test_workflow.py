import pytest
from django.core.exceptions import PermissionDenied

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus as S
from sia.core import permissions as p

pytestmark = pytest.mark.django_db
A = workflow.A


def test_full_review_path(arch, world):
    obj = arch.process
    workflow.apply(obj, A.SUBMIT, world.users["operator"])
    assert obj.status == S.SUBMITTED
    workflow.apply(obj, A.RETURN, world.users["verifier"], "Lengkapi IKU")
    assert obj.status == S.RETURNED
    workflow.apply(obj, A.SUBMIT, world.users["operator"])
    workflow.apply(obj, A.VERIFY, world.users["verifier"])
    workflow.apply(obj, A.VALIDATE, world.users["admin"])
    obj.refresh_from_db()
    assert obj.status == S.VALIDATED
    actions = [e.action for e in workflow.conversation(obj)]
    assert actions == [A.SUBMIT, A.RETURN, A.SUBMIT, A.VERIFY, A.VALIDATE]
    returned = workflow.conversation(obj)[1]
    assert returned.comment == "Lengkapi IKU" and returned.user == world.users["verifier"]


def test_return_requires_a_comment(arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(arch.process, A.RETURN, world.users["verifier"], "  ")
    assert "alasan pengembalian" in str(error.value)
    arch.process.refresh_from_db()
    assert arch.process.status == S.SUBMITTED


def test_transition_not_allowed_from_current_status(arch, world):
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(arch.process, A.VERIFY, world.users["verifier"])
    assert "status sekarang Draf" in str(error.value)
    assert not workflow.conversation(arch.process).exists()


@pytest.mark.parametrize("role,action", [
    ("leader", A.SUBMIT), ("operator", A.VERIFY), ("verifier", A.VALIDATE), ("assessor", A.VERIFY),
])
def test_transition_not_allowed_for_role(arch, world, role, action):
    if action != A.SUBMIT:
        workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    if action == A.VALIDATE:
        workflow.apply(arch.process, A.VERIFY, world.users["verifier"])
    before = arch.process.status
    with pytest.raises(PermissionDenied):
        workflow.apply(arch.process, action, world.users[role])
    arch.process.refresh_from_db()
    assert arch.process.status == before


def test_operator_of_other_opd_cannot_submit(arch, world):
    with pytest.raises(PermissionDenied):
        workflow.apply(arch.process, A.SUBMIT, world.users["operator_dinkes"])


def test_data_needs_a_producing_process_before_submit(arch, world):
    arch.data.processes.clear()
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(arch.data, A.SUBMIT, world.users["operator"])
    assert "dihasilkan oleh minimal satu Proses Bisnis" in str(error.value)
    assert arch.data.status == S.DRAFT


def test_submit_needs_a_reference(arch, world):
    with pytest.raises(workflow.TransitionError) as error:
        workflow.apply(arch.service, A.SUBMIT, world.users["operator"])
    assert "Referensi" in str(error.value)


def test_editing_reviewed_object_reopens_it(arch, world):
    workflow.apply(arch.process, A.SUBMIT, world.users["operator"])
    workflow.apply(arch.process, A.VERIFY, world.users["verifier"])
    assert workflow.reopen_if_reviewed(arch.process, world.users["admin"])
    assert arch.process.status == S.DRAFT
    assert list(workflow.conversation(arch.process))[-1].action == A.REOPEN


def test_comments_without_transition(arch, world):
    workflow.comment(arch.process, world.users["verifier"], "Apakah ini sudah mencakup SOP?")
    assert workflow.conversation(arch.process).get().action == A.COMMENT
    with pytest.raises(PermissionDenied):
        workflow.comment(arch.process, world.users["leader"], "Pimpinan tidak berkomentar")


def test_bulk_submit_reports_each_refusal(arch, world):
    done, failed = workflow.bulk_apply([arch.process, arch.service, arch.data], A.SUBMIT, world.users["operator"])
    assert {o.pk for o in done} == {arch.process.pk, arch.data.pk}
    assert failed[0][0] == arch.service and "Referensi" in failed[0][1]


def test_operator_visibility_and_editing_by_status(arch, world):
    op, other_op = world.users["operator"], world.users["operator_dinkes"]
    model = type(arch.process)
    assert not p.visible(other_op, model).filter(pk=arch.process.pk).exists()
    assert p.can(op, p.CHANGE, arch.process)
    workflow.apply(arch.process, A.SUBMIT, op)
    assert not p.can(op, p.CHANGE, arch.process), "under review: the operator waits"
    assert not p.can(op, p.DELETE, arch.process)
    workflow.apply(arch.process, A.VERIFY, world.users["verifier"])
    workflow.apply(arch.process, A.VALIDATE, world.users["admin"])
    assert p.visible(other_op, model).filter(pk=arch.process.pk).exists(), "validated objects are shared"
    assert p.can(other_op, p.VIEW, arch.process)
    assert not p.can(other_op, p.CHANGE, arch.process)
    assert p.can(world.users["admin"], p.CHANGE, arch.process)


@pytest.mark.parametrize("role", ["leader", "verifier", "assessor"])
def test_reading_roles_change_nothing(arch, world, role):
    user = world.users[role]
    assert p.can(user, p.VIEW, arch.process)
    assert not p.can(user, p.CHANGE, arch.process)
    assert not p.can_in(user, p.ADD, type(arch.process), world.inst.pk, world.kominfo.pk)


def test_other_institution_sees_nothing(arch, world):
    assert not p.visible(world.users["other_admin"], type(arch.process)).exists()

"""The one edit orchestration (sia.architecture.editing.Edit) without HTTP: what the web form and the API
both rely on: creation record, conflict with the stored row, untouched saves, reopening, hidden links."""

import pytest

from sia.architecture import queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.editing import Edit, Outcome
from sia.architecture.models import BusinessProcess, ReviewEvent

pytestmark = pytest.mark.django_db


def validate(obj, world):
    workflow.apply(obj, workflow.A.SUBMIT, world.users["operator"])
    workflow.apply(obj, workflow.A.VERIFY, world.users["verifier"])
    workflow.apply(obj, workflow.A.VALIDATE, world.users["admin"])
    obj.refresh_from_db()


def test_a_new_object_is_created_with_its_event_and_its_links_in_the_audit_trail(arch, world):
    user = world.users["operator"]
    obj = BusinessProcess(department=world.kominfo, institution=world.inst, name="Baru")
    edit = Edit(obj, user)
    assert edit.may_save()
    result = edit.save(obj, {"functions": [arch.function]})
    assert result.outcome == Outcome.CREATED and result.written
    obj.refresh_from_db()
    assert obj.code.startswith("PB-DISKOMINFO-") and obj.status == S.DRAFT
    assert list(obj.functions.all()) == [arch.function]
    assert ReviewEvent.objects.filter(object_id=obj.pk, action=ReviewEvent.Action.CREATE).count() == 1
    assert "Dibuat dengan tautan" in obj.history.earliest().history_change_reason


def test_an_edit_saves_the_next_version_and_records_link_changes(arch, world):
    second = BusinessProcess.objects.create(department=world.kominfo, name="Kedua")
    service = arch.service
    edit = Edit(service, world.users["operator"])
    service.name = "Layanan diubah"
    result = edit.save(service, {"processes": [second.pk]}, service.lock_version)
    assert result.outcome == Outcome.SAVED
    assert set(result.changed) == {"name", "processes"}
    service.refresh_from_db()
    assert service.lock_version == 2 and service.name == "Layanan diubah"
    assert list(service.processes.all()) == [second]
    reason = service.history.first().history_change_reason
    assert f"+{second.code}" in reason and f"−{arch.process.code}" in reason


def test_a_stale_version_is_a_conflict_with_the_stored_row_and_writes_nothing(arch, world):
    process = arch.process
    BusinessProcess.objects.filter(pk=process.pk).update(lock_version=5, name="Disimpan orang lain")
    edit = Edit(process, world.users["operator"])
    process.name = "Punya saya"
    result = edit.save(process, {}, 1)
    assert result.outcome == Outcome.CONFLICT and not result.written
    assert result.current.name == "Disimpan orang lain" and result.current.lock_version == 5
    process.refresh_from_db()
    assert process.name == "Disimpan orang lain"
    assert Edit(process, world.users["operator"]).save(process, {}, None).outcome == Outcome.CONFLICT


def test_any_of_several_versions_read_may_match(arch, world):
    process = arch.process
    edit = Edit(process, world.users["operator"])
    process.name = "Diubah"
    assert edit.save(process, {}, {7, process.lock_version}).outcome == Outcome.SAVED


def test_an_untouched_save_keeps_a_reviewed_object_reviewed(arch, world):
    validate(arch.process, world)
    version = arch.process.lock_version
    edit = Edit(arch.process, world.users["admin"])
    result = edit.save(arch.process, {"functions": [arch.function.pk]}, version)
    assert result.outcome == Outcome.UNCHANGED
    arch.process.refresh_from_db()
    assert arch.process.status == S.VALIDATED and arch.process.lock_version == version


def test_a_change_reopens_a_reviewed_object(arch, world):
    validate(arch.process, world)
    edit = Edit(arch.process, world.users["admin"])
    arch.process.name = "Nama baru"
    result = edit.save(arch.process, {}, arch.process.lock_version)
    assert result.outcome == Outcome.REOPENED
    arch.process.refresh_from_db()
    assert arch.process.status == S.DRAFT
    assert ReviewEvent.objects.filter(object_id=arch.process.pk, action=ReviewEvent.Action.REOPEN).exists()


def test_links_the_editor_cannot_see_are_kept(arch, world):
    hidden = BusinessProcess.objects.create(department=world.dinkes, name="Draf Dinkes")
    arch.data.processes.add(hidden)
    edit = Edit(arch.data, world.users["operator"])
    assert edit.hidden == {"processes": {hidden.pk}}
    result = edit.save(arch.data, {"processes": []}, arch.data.lock_version)
    assert result.outcome == Outcome.SAVED  # the visible link was removed
    assert set(arch.data.processes.all()) == {hidden}


def test_values_of_an_edited_copy_are_saved_on_the_object(arch, world):
    import copy

    process = arch.process
    edit = Edit(process, world.users["operator"])
    edited = copy.copy(process)
    edited.name, edited.status, edited.lock_version = "Dari salinan", S.VALIDATED, 99
    result = edit.save(edited, {}, process.lock_version)
    assert result.outcome == Outcome.SAVED and result.obj is process
    process.refresh_from_db()
    assert process.name == "Dari salinan" and process.status == S.DRAFT and process.lock_version == 2


def test_may_save_follows_the_policy(arch, world):
    other = BusinessProcess(department=world.dinkes, institution=world.inst, name="Bukan OPD saya")
    assert not Edit(other, world.users["operator"]).may_save()
    assert Edit(other, world.users["operator_dinkes"]).may_save()
    assert not Edit(arch.process, world.users["verifier"]).may_save()


# --- role decisions views ask for (sia.architecture.workflow / queues) ---------------------------
def test_needs_action_queues_by_role(world):
    statuses = {role: [status for _l, status, _o in queues.needs_action_queues(world.users[role])]
                for role in ("operator", "verifier", "admin", "leader", "superuser")}
    assert statuses["operator"] == [S.RETURNED, S.DRAFT]
    assert statuses["verifier"] == [S.SUBMITTED]
    assert statuses["admin"] == [S.RETURNED, S.DRAFT, S.SUBMITTED, S.VERIFIED]
    assert statuses["leader"] == []
    assert statuses["superuser"] == statuses["admin"]
    assert all(own for _l, status, own in queues.needs_action_queues(world.users["operator"]))


def test_comment_history_and_bulk_submit_rights(arch, world):
    assert workflow.can_comment(world.users["operator"], arch.process)
    assert not workflow.can_comment(world.users["leader"], arch.process)
    assert not workflow.can_comment(world.users["operator_dinkes"], arch.process)
    assert workflow.can_read_history(world.users["verifier"], arch.process)
    assert not workflow.can_read_history(world.users["operator_dinkes"], arch.process)
    assert workflow.can_submit_some(world.users["operator"], BusinessProcess)
    assert not workflow.can_submit_some(world.users["verifier"], BusinessProcess)


def test_awaits_review_by(arch, world):
    workflow.apply(arch.process, workflow.A.SUBMIT, world.users["operator"])
    verifier, operator = world.users["verifier"], world.users["operator"]
    assert workflow.awaits_review_by(arch.process, workflow.available(arch.process, verifier))
    assert not workflow.awaits_review_by(arch.process, workflow.available(arch.process, operator))

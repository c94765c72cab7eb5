"""Who is told of what: the review workflow's rule (``sia.architecture.notices``) through ``notify``, which drops
whoever may not see the object (an operator of another OPD, a member of another instansi, someone who lost the
role), keeps identical unread notices once, and writes one insert per step; the Excel import tells nobody."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sia.architecture import workflow
from sia.architecture.models import BusinessProcess
from sia.core.roles import Role
from sia.notifications import kinds
from sia.notifications.models import Notification
from sia.notifications.services import batch, notify
from sia.organizations.models import Membership

from .. import factories as f

pytestmark = pytest.mark.django_db

COMMENT = "Uraian belum menjelaskan keluaran proses; lengkapi target IKU."


def told(kind=None):
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_a_return_tells_the_opds_operators_and_the_author_with_the_comment(review, world):
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert told() == ["op.kominfo", "op.penyusun"]
    note = Notification.objects.get(recipient=review.operator)
    assert note.kind == kinds.REVIEW_RETURNED.key and note.target == review.process
    assert COMMENT in note.message and review.process.code in note.message
    assert note.url == review.process.get_absolute_url() and note.institution == world.inst
    assert note.read_at is None


def test_verified_and_validated_go_to_the_opds_operators(review):
    workflow.apply(review.process, workflow.A.VERIFY, review.verifier)
    workflow.apply(review.process, workflow.A.VALIDATE, review.admin)
    assert told(kinds.REVIEW_VERIFIED.key) == ["op.kominfo", "op.penyusun"]
    assert told(kinds.REVIEW_VALIDATED.key) == ["op.kominfo", "op.penyusun"]
    assert "divalidasi oleh" in Notification.objects.filter(kind=kinds.REVIEW_VALIDATED.key).first().message


def test_nobody_else_is_told(review, world):
    """Not the verifikator who acted, not the operator of DINKES, not the other instansi, not the leader."""
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert not Notification.objects.exclude(recipient__username__in=["op.kominfo", "op.penyusun"]).exists()


def test_submitting_and_commenting_tell_nobody(review):
    workflow.comment(review.process, review.verifier, "Sedang ditelaah.")
    assert not Notification.objects.exists()


def test_notify_drops_whoever_may_not_see_the_target(review, world):
    others = [world.users["operator_dinkes"], world.users["other_admin"], world.users["nobody"]]
    written = notify(others + [review.operator], kinds.REVIEW_VERIFIED.key, review.process, "Diverifikasi.")
    assert [n.recipient for n in written] == [review.operator]
    assert told() == ["op.kominfo"]


def test_a_draft_of_another_opd_is_never_announced(review, world):
    draft = BusinessProcess.objects.create(department=world.dinkes, name="Proses Dinkes")
    assert notify([review.operator, world.users["operator_dinkes"]], kinds.DEADLINE_MISSED.key, draft, "Lewat.")
    assert told() == ["op.dinkes"]


def test_an_operator_who_lost_the_role_is_not_told(review):
    Membership.objects.filter(user=review.author).update(is_active=False)
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert told() == ["op.kominfo"]


def test_an_operator_moved_to_another_opd_is_not_told(review, world):
    Membership.objects.filter(user=review.author).update(department=world.dinkes)
    workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert told() == ["op.kominfo"]


def test_a_deactivated_account_is_not_told(review):
    review.author.is_active = False
    review.author.save(update_fields=["is_active"])
    assert notify([review.author], kinds.REVIEW_VERIFIED.key, review.process, "x") == []


def test_identical_unread_notices_are_kept_once(review):
    notify([review.operator], kinds.DEADLINE_APPROACHING.key, review.process, "Tenggat 3 hari lagi.")
    notify([review.operator], kinds.DEADLINE_APPROACHING.key, review.process, "Tenggat 3 hari lagi.")
    assert Notification.objects.count() == 1
    notify([review.operator], kinds.DEADLINE_APPROACHING.key, review.process, "Tenggat 2 hari lagi.")
    assert Notification.objects.count() == 2
    Notification.objects.update(read_at="2026-01-01T00:00Z")
    notify([review.operator], kinds.DEADLINE_APPROACHING.key, review.process, "Tenggat 2 hari lagi.")
    assert Notification.objects.count() == 3  # read ones do not hold a new one back


def test_an_unknown_kind_is_refused(review):
    with pytest.raises(ValueError):
        notify([review.operator], "tidak-ada", review.process, "x")
    assert not Notification.objects.exists()


def test_one_insert_per_step_and_one_per_bulk_action(review, world):
    with CaptureQueriesContext(connection) as ctx:
        workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "notifications_notification"')]
    assert len(inserts) == 1
    processes = [BusinessProcess.objects.create(department=world.kominfo, name=f"Proses {i}",
                                                reference=review.process.reference) for i in range(4)]
    for process in processes:
        process.functions.set([review.function])
        workflow.apply(process, workflow.A.SUBMIT, review.operator)
    with CaptureQueriesContext(connection) as ctx:
        done, failed = workflow.bulk_apply(processes, workflow.A.VERIFY, review.verifier)
    assert len(done) == 4 and not failed
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "notifications_notification"')]
    assert len(inserts) == 1
    assert Notification.objects.filter(kind=kinds.REVIEW_VERIFIED.key).count() == 8  # both operators of the OPD


def test_batch_writes_nothing_when_the_block_fails(review):
    with pytest.raises(RuntimeError), batch():
        notify([review.operator], kinds.REVIEW_VERIFIED.key, review.process, "x")
        raise RuntimeError
    assert not Notification.objects.exists()


def test_the_excel_import_tells_nobody_and_never_touches_notifications(review, world, tmp_path, settings):
    """Creating 25 processes and reopening a validated one by import: review events in bulk, no notification, not one
    query about notifications (a notify per row would be 25 and more)."""
    from tests.exchange.helpers import edit, export, plan, problems, row_of

    from sia.exchange.committer import write_plan

    settings.MEDIA_ROOT = tmp_path
    workflow.apply(review.process, workflow.A.VERIFY, review.verifier)
    workflow.apply(review.process, workflow.A.VALIDATE, review.admin)
    Notification.objects.all().delete()
    admin = review.admin
    content = export(admin, world.inst, [BusinessProcess])
    row = row_of(content, "Proses Bisnis", review.process.code)
    content = edit(content, [("Proses Bisnis", row, "Nama *", "Pengelolaan Data Statistik Sektoral")]
                   + [("Proses Bisnis", row + 1 + i, "Nama *", f"Proses Impor {i}") for i in range(25)]
                   + [("Proses Bisnis", row + 1 + i, "Perangkat daerah *", "DISKOMINFO") for i in range(25)])
    result = plan(content, admin, world.inst)
    assert not result.errors, problems(result)
    with CaptureQueriesContext(connection) as ctx:
        write_plan(result, user=admin)
    assert BusinessProcess.objects.filter(name__startswith="Proses Impor").count() == 25
    review.process.refresh_from_db()
    assert review.process.status == "draf"
    assert not Notification.objects.exists()
    assert not [q for q in ctx.captured_queries if "notifications_" in q["sql"]]


def test_a_member_without_roles_elsewhere_gets_nothing_of_another_instansi(review, world):
    stranger = f.member(world.other, Role.ADMIN, username="koord.kota")
    assert notify([stranger], kinds.REVIEW_RETURNED.key, review.process, "x") == []


def test_the_stored_message_is_indonesian_whatever_the_reviewers_language(review):
    from django.utils import translation

    with translation.override("en"):
        workflow.apply(review.process, workflow.A.RETURN, review.verifier, COMMENT)
    assert "dikembalikan oleh" in Notification.objects.filter(recipient=review.operator).get().message

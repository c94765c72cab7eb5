"""Which notifications' targets a reader may see (``services.visible_targets``: the header badge asks on every page,
the centre and the e-mails too): one query for every kind of target, its SQL compiled once per reader and set of
kinds, the same answer as asking each target's policy, whatever the number of targets."""

import pytest
from django.contrib.contenttypes.models import ContentType

from sia.architecture.models import BusinessProcess, DataItem, Service
from sia.core import compiled, permissions
from sia.notifications.models import Notification
from sia.notifications.services import STAND_IN_SIZES, unread_count, visible_targets
from tests.kinds import Builder

pytestmark = pytest.mark.django_db


def note(user, obj, institution):
    return Notification.objects.create(
        recipient=user, kind="review_returned", content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk, message=f"Tentang {obj.name}", institution=institution)


def expected(user, notes) -> set[int]:
    """Each note whose target the policy shows ``user``, asked one target at a time."""
    return {n.pk for n in notes if permissions.visible(user, type(n.target)._default_manager.filter(pk=n.object_id))
            .exists()}


@pytest.fixture
def targets(world, kinds):
    """Processes, services and data items of DISKOMINFO (visible to its operator) and of DINKES (drafts: not)."""
    made = {}
    for department in (world.kominfo, world.dinkes):
        for model in (BusinessProcess, Service, DataItem):
            made[(department.abbreviation, model)] = [kinds.build(model) if department == world.kominfo
                                                      else Builder(department).build(model) for _ in range(3)]
    return made


def test_the_answer_is_each_policys_for_targets_seen_and_not_seen(world, targets):
    operator = world.users["operator"]
    notes = [note(operator, obj, world.inst) for objects in targets.values() for obj in objects]
    shown = visible_targets(operator, notes)
    assert shown == expected(operator, notes)
    assert {n.pk for n in notes if n.target.department_id == world.kominfo.pk} == shown  # DINKES drafts hidden
    assert unread_count(operator) == len(shown)


def test_one_query_compiled_once_for_the_reader_and_kinds(world, targets, count_queries):
    operator = world.users["operator"]
    permissions.grants(operator)  # read once per request (the reader's grants), not the query counted here
    compiled.clear()
    first = [note(operator, targets[("DISKOMINFO", model)][0], world.inst) for model in (BusinessProcess, Service)]
    n, shown = count_queries(lambda: visible_targets(operator, first))
    assert n == 1 and shown == {n.pk for n in first}
    kept = len(compiled._kept())
    # Other targets of the same kinds (one hidden), another count: the same SQL with other IDs, nothing compiled.
    second = [note(operator, obj, world.inst) for obj in (targets[("DISKOMINFO", Service)][1:]
                                                          + targets[("DINKES", BusinessProcess)][:1])]
    n, shown = count_queries(lambda: visible_targets(operator, second))
    assert n == 1 and shown == expected(operator, second) and len(shown) == 2
    assert len(compiled._kept()) == kept


def test_more_targets_of_a_kind_than_a_compiled_query_takes_are_asked_as_built(world, kinds):
    operator = world.users["operator"]
    many = [kinds.build(BusinessProcess) for _ in range(STAND_IN_SIZES[-1] + 1)]
    notes = [note(operator, obj, world.inst) for obj in many]
    permissions.grants(operator)  # read before: the grants' own compiled query is not what this test counts
    compiled.clear()
    assert visible_targets(operator, notes) == {n.pk for n in notes}
    assert not compiled._kept()  # built and run, nothing kept


def test_another_reader_gets_their_own_answer_not_the_first_readers_sql(world, targets):
    """The compiled SQL bakes in the reader's grants: the operator of DINKES sees the other half."""
    kominfo, dinkes = world.users["operator"], world.users["operator_dinkes"]
    objects = [obj for objects in targets.values() for obj in objects]
    for user in (kominfo, dinkes):
        notes = [note(user, obj, world.inst) for obj in objects]
        assert visible_targets(user, notes) == expected(user, notes)
        assert len(visible_targets(user, notes)) == 9


def test_the_badges_rows_are_compiled_once_and_each_reader_counts_their_own(world, targets, monkeypatch):
    """The badge's first query (every page) is compiled once per set of instansi read and run with the reader's ID:
    a second operator of the same instansi gets their own unread rows, never the first one's."""
    from tests import factories as f
    from sia.core.roles import Role

    operator = world.users["operator"]
    colleague = f.member(world.inst, Role.OPERATOR, world.kominfo, username="op.kominfo2")  # the same grants
    mine = [note(operator, obj, world.inst) for obj in targets[("DISKOMINFO", BusinessProcess)]]
    note(colleague, targets[("DISKOMINFO", Service)][0], world.inst)
    Notification.objects.filter(pk=mine[0].pk).update(read_at=mine[0].created)  # read: not counted
    compiled.clear()
    made = []
    real = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda queryset: made.append(queryset.model) or real(queryset))
    assert unread_count(operator) == 2
    assert Notification in made  # compiled for the first reader
    made.clear()
    assert unread_count(colleague) == 1
    assert unread_count(operator) == 2
    assert Notification not in made  # the badge's rows: the SQL compiled for the first operator, run for each

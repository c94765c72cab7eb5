"""The home pages' figures with their SQL compiled once (``sia.core.compiled``): for every kind of reader what the
SQL compiled once reads equals what the query Django builds anew reads, before and after an edit; two readers of the
same shape (one operator grant each) never run each other's parameters; the scope is in the SQL."""

import threading

import pytest

from sia.architecture import completeness, queues
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import BusinessProcess, Service
from sia.core import compiled
from sia.core.roles import Role
from sia.organizations.models import Department, Membership
from tests import factories as f
from tests.architecture.conftest import node

pytestmark = pytest.mark.django_db
READERS = ("admin", "operator", "operator_dinkes", "verifier", "leader", "other_admin", "superuser", "nobody", "both")


@pytest.fixture(autouse=True)
def nothing_kept(settings):
    """Figures computed at every read (``sia.architecture.kept`` keeps none), so each read runs the SQL."""
    settings.SIA_FIGURES_KEPT = 0
    compiled.clear()
    yield
    compiled.clear()


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def objects(world):
    rab = node("RAB.09.03.04")
    made = []
    for department, status, kpi in ((world.kominfo, S.DRAFT, ""), (world.kominfo, S.SUBMITTED, "IKU"),
                                    (world.kominfo, S.VERIFIED, "IKU"), (world.dinkes, S.DRAFT, "IKU"),
                                    (world.dinkes, S.RETURNED, ""), (world.far, S.DRAFT, "IKU")):
        made.append(BusinessProcess.objects.create(department=department, name=f"Proses {len(made)}", reference=rab,
                                                   status=status, kpi=kpi))
    Service.objects.create(department=world.dinkes, name="Layanan izin", reference=node("RAL.01.43.04"),
                           status=S.SUBMITTED)
    return made


def readers(world) -> dict:
    users = dict(world.users)
    both = f.member(world.inst, Role.OPERATOR, world.kominfo, username="op.dua")
    Membership.objects.create(user=both, institution=world.other, role=Role.ADMIN)  # and koordinator of the other
    users["both"] = both
    return users


def everything(user) -> list:
    """What the home pages, "Perlu tindakan" and "Kelengkapan" read for ``user``, as plain values."""
    user = fresh(user)
    table = completeness.table_for(user)
    figures = ([(d.pk, [(c.count, c.filled, c.required, list(c.warnings)) for c in cells]) for d, cells in table.rows],
               [(e.model, e.count) for e in table.expired])
    own = queues.operator_departments(user)
    values = [figures, [(m, counts) for m, counts in queues.status_counts(user)],
              [(m, counts) for m, counts in queues.status_counts(user, own or [], queues.queue_models())]]
    for status, own_only in ((S.DRAFT, True), (S.SUBMITTED, False), (S.VERIFIED, False)):
        values.append([(type(i.obj), i.obj.pk, i.obj.code, i.obj.department_id, i.entered)
                       for i in queues.queue(user, status, 2, own_only)])
        values.append([(d.department_id, d.count, d.oldest) for d in queues.by_department(user, status, own_only)])
        values.append([(m, [o.pk for o in objs], n) for m, objs, n in queues.waiting_by_kind(user, status, 1, own_only)])
    return values


def built(user) -> list:
    """``everything`` with every query built by Django anew (nothing compiled once)."""
    original = compiled.rows_and
    compiled.rows_and = lambda key, build: original(None, build)
    try:
        return everything(user)
    finally:
        compiled.rows_and = original


def test_the_sql_compiled_once_reads_what_django_builds_for_every_reader(world):
    made = objects(world)
    users = readers(world)
    expected = {name: built(users[name]) for name in READERS}
    assert expected["operator"] != expected["operator_dinkes"] != expected["admin"] != expected["both"]
    for name in READERS:  # compiled, then run again
        for _ in range(2):
            assert everything(users[name]) == expected[name], name
    made[0].kpi = "IKU baru"  # an edit: the same SQL reads the new rows
    made[0].save()
    made[4].status = S.DRAFT
    made[4].save()
    for name in ("admin", "operator_dinkes", "leader"):
        assert everything(users[name]) == built(users[name]), name


def test_the_sql_is_compiled_once_per_shape(world, monkeypatch):
    objects(world)
    admin = world.users["admin"]
    everything(admin)
    compiles = []
    original = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda queryset: compiles.append(1) or original(queryset))
    everything(admin)
    assert not compiles
    compiled.clear()
    everything(admin)
    assert compiles


def test_readers_of_the_same_shape_never_run_each_others_parameters(world):
    """Two operators with one grant each: the same SQL text, other OPDs in its parameters; the second reader
    reads their own OPD's rows, not the first one's (and not every OPD's: the scope is in the SQL)."""
    objects(world)
    kominfo, dinkes = world.users["operator"], world.users["operator_dinkes"]
    assert dict(queues.status_counts(fresh(kominfo)))[BusinessProcess][S.DRAFT] == 1
    counts = dict(queues.status_counts(fresh(dinkes)))
    assert counts[BusinessProcess][S.DRAFT] == 1 and counts[BusinessProcess][S.RETURNED] == 1
    assert counts[BusinessProcess][S.SUBMITTED] == 0  # DISKOMINFO's (seen by neither the SQL nor its parameters)
    assert [i.obj.department_id for i in queues.queue(fresh(dinkes), S.RETURNED, 5, own_only=True)] == [world.dinkes.pk]
    table = completeness.table_for(fresh(dinkes), Department.objects.filter(pk=world.kominfo.pk))
    assert table.rows[0][1][0].count == 0  # DISKOMINFO's drafts and submissions are not the dinkes operator's


def test_a_grant_taken_away_reads_with_the_grants_now(world):
    objects(world)
    operator = world.users["operator"]
    assert dict(queues.status_counts(fresh(operator)))[BusinessProcess][S.DRAFT] == 1
    Membership.objects.filter(user=operator).delete()
    assert dict(queues.status_counts(fresh(operator)))[BusinessProcess][S.DRAFT] == 0
    assert queues.queue(fresh(operator), S.DRAFT, 5) == []


def test_the_sql_compiled_by_one_thread_serves_the_other_threads_of_the_process(world, monkeypatch):
    """A gunicorn worker's threads share the compiled SQL: what one thread compiled, another runs without building
    (the entry is the same, its parameters the ones compiled under the key); after ``clear()`` none is served."""
    objects(world)
    key = ("test-threads", world.kominfo.pk)
    build = lambda: BusinessProcess.objects.filter(department=world.kominfo).values("pk", "name").order_by("pk")
    expected = list(build())
    assert compiled.rows(key, build) == expected
    served = []

    def other_thread():
        def must_not_build():
            raise AssertionError("built again in another thread")
        run = compiled._run
        monkeypatch.setattr(compiled, "_run", lambda entry, substitute=None: served.append(entry[2:4]) or [])
        try:
            compiled.rows(key, must_not_build)
        finally:
            monkeypatch.setattr(compiled, "_run", run)

    worker = threading.Thread(target=other_thread)
    worker.start()
    worker.join(30)
    assert len(served) == 1 and served[0][1] == (world.kominfo.pk,) and '"department_id"' in served[0][0]
    compiled.clear()
    built = []
    assert compiled.rows(key, lambda: built.append(1) or build()) == expected and built == [1]


def test_a_changed_setting_forgets_the_compiled_sql_in_tests(world, settings):
    """Tests keep the compiled SQL from one test to the next (tests/conftest.py): a setting a build may read, changed
    by ``override_settings`` or the ``settings`` fixture, forgets it; one no query reads (many tests change them)
    keeps it."""
    key = ("test-setting", world.kominfo.pk)
    build = lambda: BusinessProcess.objects.filter(department=world.kominfo).values("pk").order_by("pk")  # noqa: E731
    compiled.rows(key, build)
    settings.SIA_FIGURES_KEPT = 3
    assert compiled._get(key) is not None
    settings.TIME_ZONE = "Asia/Makassar"
    assert compiled._get(key) is None

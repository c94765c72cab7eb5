"""The home pages' figures kept per kind (``kept.kept_kinds``, each kind under its part of the generation,
``generation.part``): after every kind of change the figures depend on, what four readers are shown equals what is
computed from the rows now; a change to one kind reads only that kind again; readers with other grants never share
a kind's figure."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.models import Value
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from sia.architecture import completeness, generation, kept, queues, workflow
from sia.architecture.choices import ReviewStatus as S
from sia.architecture.models import Application, ApplicationIntegration, BusinessProcess, DataItem, ReviewEvent, Service
from sia.organizations.models import Department, DepartmentFunction
from tests.architecture.conftest import node

pytestmark = pytest.mark.django_db
A = ReviewEvent.Action
READERS = ("admin", "operator", "verifier", "leader")


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def shown(user) -> list:
    """Everything the home pages, "Perlu tindakan" and "Kelengkapan" read of the kept figures, as plain values."""
    from sia.architecture.views import workflow_queues

    user = fresh(user)
    table = completeness.table_for(user)
    out = [
        [(d.pk, [(c.count, c.filled, c.required, list(c.warnings), [(str(k), p.count) for k, p in c.parts])
                 for c in cells]) for d, cells in table.rows],
        [(e.model, e.count) for e in table.expired],
        table.html,
        queues.status_counts(user),
        queues.status_counts(user, queues.operator_departments(user), queues.queue_models()),
        str(workflow_queues(user)),
    ]
    if not isinstance(queues.mentor_rank(user), Value):
        return out  # a verifikator's queues are read per request (mentored OPDs first): the figures above are kept
    for status in S:
        out.append([(type(i.obj), i.obj.pk, i.entered, i.obj.mentored) for i in queues.queue(user, status, 3)])
        out.append([(type(i.obj), i.obj.pk) for i in queues.queue(user, status, 2, own_only=True)])
        out.append([(d.department_id, d.count, d.oldest, d.mentored) for d in queues.by_department(user, status)])
        out.append([(m, [o.pk for o in objs], n) for m, objs, n in queues.waiting_by_kind(user, status, 2)])
    return out


def recomputed(user) -> list:
    with override_settings(SIA_FIGURES_KEPT=0):
        return shown(user)


def process(department, name, **kw):
    return BusinessProcess.objects.create(department=department, name=name, reference=node("RAB.09.03.04"), **kw)


@pytest.fixture
def objects(world):
    bp = process(world.kominfo, "Proses satu")
    bp2 = process(world.dinkes, "Proses dua", kpi="IKU")
    service = Service.objects.create(department=world.kominfo, name="Layanan satu")
    data = DataItem.objects.create(department=world.kominfo, name="Data satu")
    app = Application.objects.create(department=world.kominfo, name="Aplikasi satu")
    app2 = Application.objects.create(department=world.dinkes, name="Aplikasi dua")
    service.processes.add(bp)
    workflow.apply(bp2, A.SUBMIT, world.users["operator_dinkes"])
    return {"bp": bp, "bp2": bp2, "service": service, "data": data, "app": app, "app2": app2}


def _activity(world):
    from sia.roadmap.models import Activity, Initiative, Program, StrategicTarget

    target = StrategicTarget.objects.create(institution=world.inst, period="2025-2029", code="SS-1", name="Sasaran")
    initiative = Initiative.objects.create(target=target, code="IN-1", name="Inisiatif")
    program = Program.objects.create(initiative=initiative, area="aplikasi", code="PR-1", name="Program")
    return Activity.objects.create(program=program, department=world.kominfo, code="KG-1", name="Kegiatan",
                                   start_year=2025, end_year=2026)


def _bulk_import(world, o):
    """As the Excel import writes: rows in bulk, link rows as rows, in ``generation.changing()``."""
    with generation.changing():
        made = BusinessProcess.objects.bulk_create(
            [BusinessProcess(department=world.kominfo, institution=world.inst, name=f"Impor {i}", code=f"IMP-{i}",
                             reference=node("RAB.09.03.04")) for i in range(3)])
        link = DataItem.processes.through
        link.objects.bulk_create([link(dataitem=o["data"], businessprocess=made[0])])


def _rename_opd(world, o):
    world.kominfo.abbreviation = "KOMINFO2"
    world.kominfo.save()


CHANGES = {
    "create a process": lambda w, o: process(w.kominfo, "Proses baru"),
    "edit a process": lambda w, o: (setattr(o["bp"], "kpi", "Waktu layanan"), o["bp"].save()),
    "edit a service": lambda w, o: (setattr(o["service"], "risk", "Risiko"), o["service"].save()),
    "create data": lambda w, o: DataItem.objects.create(department=w.dinkes, name="Data baru"),
    "delete a linked process": lambda w, o: o["bp"].delete(),
    "delete an application": lambda w, o: o["app2"].delete(),
    "submit a process": lambda w, o: workflow.apply(o["bp"], A.SUBMIT, w.users["operator"]),
    "verify, then return": lambda w, o: (workflow.apply(o["bp2"], A.VERIFY, w.users["verifier"]),
                                         workflow.apply(o["bp2"], A.RETURN, w.users["admin"], comment="Perbaiki")),
    "link added": lambda w, o: o["data"].processes.add(o["bp"]),
    "link removed": lambda w, o: o["service"].processes.remove(o["bp"]),
    "links cleared": lambda w, o: o["service"].processes.clear(),
    "application linked": lambda w, o: o["app"].processes.add(o["bp2"]),
    "function linked": lambda w, o: o["bp"].functions.add(
        DepartmentFunction.objects.create(department=w.kominfo, order=1, description="Fungsi")),
    "an OPD's function added": lambda w, o: DepartmentFunction.objects.create(
        department=w.dinkes, order=2, description="Fungsi lain"),
    "integration added": lambda w, o: ApplicationIntegration.objects.create(
        institution=w.inst, source=o["app"], target=o["app2"], data_exchanged="Data"),
    "a reviewed kind of another app": lambda w, o: _activity(w),
    "bulk import": _bulk_import,
    "an OPD renamed": _rename_opd,
    "another instansi": lambda w, o: process(w.far, "Proses kota lain"),
}


# Applied in turn (each group on one world), the figures of every reader kept from the step before.
GROUPS = [
    ["edit a process", "create a process", "submit a process", "link added", "links cleared", "function linked",
     "delete a linked process"],
    ["edit a service", "verify, then return", "application linked", "integration added", "an OPD's function added",
     "delete an application"],
    ["create data", "link removed", "a reviewed kind of another app", "bulk import", "another instansi",
     "an OPD renamed"],
]


def test_the_groups_hold_every_change():
    assert sorted(name for group in GROUPS for name in group) == sorted(CHANGES)


@pytest.mark.parametrize("group", range(len(GROUPS)))
def test_after_every_kind_of_change_the_kept_figures_equal_a_recomputation(world, objects, group):
    kept.clear()
    users = [world.users[name] for name in READERS]
    before = [shown(user) for user in users]  # every figure kept
    assert [shown(user) for user in users] == before
    for change in GROUPS[group]:
        CHANGES[change](world, objects)
        for name, user in zip(READERS, users):
            assert shown(user) == recomputed(user), (change, name)


def test_the_integration_row_exists_with_its_fields(world, objects):
    """The change "integration added" writes a row of a link of its own (not a many-to-many table)."""
    CHANGES["integration added"](world, objects)
    assert ApplicationIntegration.objects.filter(source=objects["app"]).exists()


def tables_read(func) -> set:
    with CaptureQueriesContext(connection) as ctx:
        func()
    found = set()
    for query in ctx.captured_queries:
        for model in (BusinessProcess, Service, DataItem, Application):
            if f'"{model._meta.db_table}"' in query["sql"] and "FROM" in query["sql"]:
                found.add(model)
    return found


def test_an_edit_of_one_kind_reads_only_that_kind_again(world, objects):
    admin = world.users["admin"]
    kept.clear()
    shown(admin)
    assert tables_read(lambda: shown(admin)) == set()  # every figure kept
    objects["service"].risk = "Risiko"
    objects["service"].save()
    assert tables_read(lambda: shown(admin)) == {Service}
    assert shown(admin) == recomputed(admin)
    objects["data"].processes.add(objects["bp"])  # a link: both ends
    assert tables_read(lambda: shown(admin)) == {DataItem, BusinessProcess}
    objects["app"].delete()  # a delete takes link rows of other kinds with it: every kind
    assert tables_read(lambda: shown(admin)) == {BusinessProcess, Service, DataItem, Application}


def test_a_write_in_bulk_records_one_change_of_every_kind(world, objects):
    from sia.core.models import GenerationChange

    start = GenerationChange.objects.count()
    _bulk_import(world, objects)
    names = list(GenerationChange.objects.order_by("pk").values_list("name", flat=True)[start:])
    assert sorted(set(names)) == [generation.NAME, generation.ALL]
    assert not [n for n in names if n.startswith(generation.PARTS) and n != generation.ALL]


def test_an_edit_changes_its_own_part_only(world, objects):
    parts = generation.parts()
    objects["service"].risk = "Risiko"
    objects["service"].save()
    after = generation.parts()
    changed = {name for name in set(parts) | set(after) if parts.get(name) != after.get(name)}
    assert changed == {generation.part(Service)}


def test_two_operators_never_share_a_kinds_figure(world, objects):
    kominfo, dinkes = world.users["operator"], world.users["operator_dinkes"]
    kept.clear()
    mine = dict(queues.status_counts(kominfo))
    theirs = dict(queues.status_counts(dinkes))
    assert mine[BusinessProcess][S.DRAFT] == 1 and theirs[BusinessProcess][S.DRAFT] == 0  # each their own drafts
    assert mine[BusinessProcess][S.SUBMITTED] == 0 and theirs[BusinessProcess][S.SUBMITTED] == 1
    keys = {key for key in kept._kept if key[0] == "status_counts"}
    assert len(keys) == 2  # one per reader's grants
    dinkes_table = completeness.table_for(dinkes, Department.objects.filter(pk=world.kominfo.pk))
    kominfo_table = completeness.table_for(kominfo, Department.objects.filter(pk=world.kominfo.pk))
    assert dinkes_table.rows[0][1][0].count == 0 and kominfo_table.rows[0][1][0].count == 1  # a draft: own OPD only


@contextmanager
def no_figures():
    with override_settings(SIA_FIGURES_KEPT=0):
        yield


def test_a_verifiers_queue_follows_the_recomputation_after_a_change(world, objects):
    """Not kept (mentored OPDs first), read per kind all the same: the same lines as a reader with figures off."""
    verifier = world.users["verifier"]
    workflow.apply(objects["bp"], A.SUBMIT, world.users["operator"])
    first = [(i.obj.pk, i.entered) for i in queues.queue(verifier, S.SUBMITTED, 10)]
    with no_figures():
        assert first == [(i.obj.pk, i.entered) for i in queues.queue(fresh(verifier), S.SUBMITTED, 10)]
    assert [pk for pk, _ in first] == [objects["bp2"].pk, objects["bp"].pk]  # oldest first across OPDs


def every_waiting(user, status, own_only=False) -> list:
    """Every object waiting in ``status`` as the user sees it, in the queues' order: read kind by kind in full."""
    rank = queues.mentor_rank(user)
    found = []
    for model in queues.queue_models():
        for obj in queues.waiting(user, model, status, own_only).annotate(sia_rank=rank):
            found.append((obj.sia_rank, obj.entered, queues.kind_order(model), obj.pk, model))
    return [(model, pk, entered) for _rank, entered, _order, pk, model in sorted(found, key=lambda r: r[:4])]


@pytest.mark.parametrize("reader", ["admin", "verifier", "operator"])
def test_the_queue_merged_from_each_kinds_first_is_the_first_of_all(world, objects, reader):
    """The queue is each kind's first ``limit`` merged: the same objects, in the same order, as the first ``limit``
    of every waiting object of every kind; for every limit, several kinds waiting, mentored OPDs first."""
    from sia.organizations.models import MentorAssignment

    user = world.users[reader]
    MentorAssignment.objects.create(department=world.dinkes, mentor=world.users["verifier"])
    operator = world.users["operator"]
    workflow.apply(objects["bp"], A.SUBMIT, operator)
    for obj in (objects["service"], objects["app"], objects["data"]):  # without a review event: since their change
        type(obj).objects.filter(pk=obj.pk).update(status=S.SUBMITTED)
    expected = every_waiting(fresh(user), S.SUBMITTED)
    assert len(expected) >= 4 and len({model for model, _pk, _e in expected}) >= 3
    for limit in range(1, len(expected) + 2):
        kept.clear()
        got = [(type(i.obj), i.obj.pk, i.entered) for i in queues.queue(fresh(user), S.SUBMITTED, limit)]
        assert got == expected[:limit], limit
        assert [(type(i.obj), i.obj.pk) for i in queues.queue(fresh(user), S.SUBMITTED, limit)] == [
            (m, pk) for m, pk, _e in expected[:limit]]  # kept: the same


def test_after_an_edit_perlu_tindakan_writes_only_that_kinds_lines_again(world, objects, monkeypatch):
    """The koordinator's "Perlu tindakan" keeps each kind's lines under that kind's part: an edit of a process that
    waits makes the process lines again, not the application lines beside them."""
    from sia.architecture import views

    # Applications waiting too (set as submitted directly: their submission rules are not what this is about).
    Application.objects.filter(pk__in=[objects["app"].pk, objects["app2"].pk]).update(status=S.SUBMITTED)
    admin = world.users["admin"]
    kept.clear()
    before = str(views.workflow_queues(fresh(admin)))
    assert "Proses dua" in before and "Aplikasi satu" in before and "Aplikasi dua" in before
    written = []
    real = views.queue_line
    monkeypatch.setattr(views, "queue_line", lambda item, *a, **k: written.append(type(item)) or real(item, *a, **k))
    assert str(views.workflow_queues(fresh(admin))) == before and written == []  # nothing changed: nothing written
    bp2 = BusinessProcess.objects.get(pk=objects["bp2"].pk)
    bp2.name = "Proses dua diubah"
    bp2.save()
    after = str(views.workflow_queues(fresh(admin)))
    assert set(written) == {BusinessProcess}, written
    assert "Proses dua diubah" in after and "Aplikasi dua" in after
    assert after == recomputed(admin)[5]  # str(workflow_queues(...)) computed without anything kept

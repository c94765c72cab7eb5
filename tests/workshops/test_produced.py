"""What each OPD produced during a kegiatan: objects created or changed in the session's window, read from the audit
trail, one query per declared kind, and only what the reader may see."""

from datetime import time, timedelta

from sia.architecture.models import Application, BusinessProcess
from sia.architecture.registry import domain_models
from sia.workshops.produced import produced_during

from .conftest import at, make_workshop


def _stamp(model, obj, moment, history_type=None):
    """Moves the object's audit-trail records (or those of one type) to ``moment``."""
    rows = model.history.filter(id=obj.pk)
    if history_type:
        rows = rows.filter(history_type=history_type)
    rows.update(history_date=moment)


def test_objects_created_or_changed_in_the_window_per_opd(world, kinds):
    # Yesterday's session: objects the kinds build on the way (a linked process) are written now, which may fall
    # in today's 09:00-12:00 window when the test runs then.
    workshop = make_workshop(world, starts_at=at(time(9), -1), ends_at=at(time(12), -1))
    inside = kinds.build(BusinessProcess, name="Penyusunan Renja")
    _stamp(BusinessProcess, inside, at(time(10), -1))
    before = kinds.build(BusinessProcess, name="Pengelolaan Arsip")
    _stamp(BusinessProcess, before, at(time(8, 59), -1))
    changed = kinds.build(Application, name="SIMDA Kominfo")
    _stamp(Application, changed, at(time(9), -30))
    changed.name = "SIMDA Kominfo v2"
    changed.save()
    _stamp(Application, changed, at(time(11, 30), -1), history_type="~")
    after = kinds.build(BusinessProcess, name="Rapat Evaluasi")
    _stamp(BusinessProcess, after, at(time(12, 1), -1))

    produced = produced_during(workshop, world.users["admin"])
    items = produced[world.kominfo.pk]
    assert [(item.name, item.created) for item in items] == [("Penyusunan Renja", True), ("SIMDA Kominfo v2", False)]
    assert items[0].url == inside.get_absolute_url() and items[0].code == inside.code
    assert world.dinkes.pk not in produced


def test_an_opd_not_invited_and_objects_the_reader_may_not_see_are_left_out(world, kinds):
    workshop = make_workshop(world, departments=[world.kominfo, world.dinkes])
    draft = kinds.build(BusinessProcess, name="Draf Kominfo")
    _stamp(BusinessProcess, draft, at(time(10)))
    everyone = produced_during(workshop, world.users["verifier"])
    assert [item.name for item in everyone[world.kominfo.pk]] == ["Draf Kominfo"]
    assert produced_during(workshop, world.users["operator"])[world.kominfo.pk][0].name == "Draf Kominfo"
    assert produced_during(workshop, world.users["operator_dinkes"]) == {}  # another OPD's draft
    assert produced_during(workshop, world.users["other_admin"]) == {}
    only_dinkes = make_workshop(world, departments=[world.dinkes])
    assert produced_during(only_dinkes, world.users["admin"]) == {}


def test_one_query_per_kind_however_many_objects(world, kinds, workshop, count_queries):
    for n in range(6):
        obj = kinds.build(BusinessProcess, name=f"Proses {n}")
        _stamp(BusinessProcess, obj, at(time(10)) + timedelta(minutes=n))
    workshop = type(workshop).objects.prefetch_related("departments").get(pk=workshop.pk)
    user = world.users["admin"]
    user._sia_grants = None
    queries, produced = count_queries(lambda: produced_during(workshop, user))
    assert len(produced[world.kominfo.pk]) == 6
    assert queries <= len(domain_models()) + 1  # the reader's grants, then one per kind

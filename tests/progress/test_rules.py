"""Target computation per rule, the states from the data and the dates, and the bad input refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sia.architecture.models import Service
from sia.progress.choices import ReviewLevel, TargetState
from sia.progress.models import Target
from sia.progress.rules import Measure, evaluate, expected_share, state_for

from .conftest import today, target


def by_opd(result):
    return {row.department.abbreviation: (row.measure.done, row.measure.total, row.state) for row in result.rows}


def test_every_fungsi_has_a_process(programme):
    result = evaluate(target(programme, rule="fungsi-proses"))
    assert by_opd(result) == {"DISKOMINFO": (1, 2, TargetState.ON_TRACK), "DINKES": (0, 1, TargetState.LATE)}
    assert result.state == TargetState.LATE
    assert [row.department.abbreviation for row in result.late_rows] == ["DINKES"]
    assert result.measure.done == 1 and result.measure.total == 3


def test_every_service_linked_to_a_process(programme):
    result = evaluate(target(programme, rule="layanan-proses", department=programme.kominfo))
    assert by_opd(result) == {"DISKOMINFO": (1, 2, TargetState.ON_TRACK)}
    assert result.target.domain == "layanan"  # the rule's own domain


@pytest.mark.parametrize("level,done", [(ReviewLevel.SUBMITTED, 2), (ReviewLevel.VERIFIED, 1),
                                        (ReviewLevel.VALIDATED, 1)])
def test_objects_reviewed_by_a_date(programme, level, done):
    result = evaluate(target(programme, rule="pengajuan", domain="aplikasi", level=level))
    assert by_opd(result)["DISKOMINFO"][:2] == (done, 3)
    assert by_opd(result)["DINKES"][:2] == (0, 1)


def test_completeness_threshold(programme):
    low = evaluate(target(programme, rule="kelengkapan", domain="aplikasi", threshold=0,
                          department=programme.kominfo))
    assert low.state == TargetState.MET  # 0% asked: met as soon as there are objects
    high = evaluate(target(programme, rule="kelengkapan", domain="aplikasi", threshold=100,
                           department=programme.kominfo))
    assert high.rows[0].measure.total > 0 and high.state in (TargetState.LATE, TargetState.ON_TRACK)
    assert high.rows[0].measure.goal == 100


def test_met_when_every_fungsi_is_covered(programme):
    from sia.architecture.models import BusinessProcess

    process = BusinessProcess.objects.create(department=programme.kominfo, name="Perumusan Kebijakan TIK")
    process.functions.add(programme.functions[1])
    result = evaluate(target(programme, rule="fungsi-proses", department=programme.kominfo))
    assert result.state == TargetState.MET


def test_states_from_the_dates():
    start, deadline = today() - timedelta(days=50), today() + timedelta(days=50)
    assert expected_share(start, deadline, today()) == 0.5
    assert state_for(Measure(6, 10), start, deadline, today()) == TargetState.ON_TRACK
    assert state_for(Measure(4, 10), start, deadline, today()) == TargetState.LATE
    assert state_for(Measure(10, 10), start, deadline, today()) == TargetState.MET
    assert state_for(Measure(9, 10), start, today() - timedelta(days=1), today()) == TargetState.MISSED
    assert state_for(Measure(0, 0), start, deadline, today()) == TargetState.NO_DATA
    assert state_for(Measure(8, 10, goal=80), start, deadline, today()) == TargetState.MET


def test_missed_after_the_deadline(programme):
    obj = target(programme, rule="pengajuan", domain="aplikasi")
    Target.objects.filter(pk=obj.pk).update(deadline=today() - timedelta(days=2))
    obj.refresh_from_db()
    assert evaluate(obj).state == TargetState.MISSED


def test_nothing_to_measure_is_no_data_also_after_the_deadline(programme):
    """DINKES has no services: it has missed nothing, and a target DISKOMINFO meets stays met the day after."""
    past = today() - timedelta(days=1)
    assert state_for(Measure(0, 0), past - timedelta(days=20), past, today()) == TargetState.NO_DATA
    Service.objects.filter(department=programme.kominfo, processes__isnull=True).delete()
    obj = target(programme, rule="layanan-proses")
    assert evaluate(obj).state == TargetState.MET
    Target.objects.filter(pk=obj.pk).update(deadline=past)
    obj.refresh_from_db()
    result = evaluate(obj)
    assert by_opd(result) == {"DISKOMINFO": (1, 1, TargetState.MET), "DINKES": (0, 0, TargetState.NO_DATA)}
    assert result.state == TargetState.MET and result.late_rows == []
    nobody = target(programme, name="Tanpa data", rule="layanan-proses", department=programme.dinkes)
    Target.objects.filter(pk=nobody.pk).update(deadline=past)
    nobody.refresh_from_db()
    assert evaluate(nobody).state == TargetState.NO_DATA


def _refused(world, field, **values):
    before = Target.objects.count()
    with pytest.raises(ValidationError) as caught:
        target(world, **values)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert Target.objects.count() == before
    return " ".join(caught.value.message_dict[field])


def test_bad_input_is_refused_with_a_clear_message(world):
    assert "sudah lewat" in _refused(world, "deadline", deadline=today() - timedelta(days=1),
                                     start_date=today() - timedelta(days=9))
    assert "sebelum tanggal mulai" in _refused(world, "deadline", start_date=today() + timedelta(days=20))
    assert "DKL" in _refused(world, "department", department=world.far)
    assert "0 dan 100" in _refused(world, "threshold", rule="kelengkapan", domain="aplikasi", threshold=150)
    assert _refused(world, "threshold", rule="kelengkapan", domain="aplikasi")
    assert _refused(world, "domain", rule="pengajuan", domain="tidak-ada")
    assert _refused(world, "rule", rule="acak")
    assert "kosongkan OPD" in _refused(world, "department", rule="indeks", department=world.kominfo,
                                       index_target=Decimal("2.60"))
    assert _refused(world, "index_target", rule="indeks")


def test_an_existing_target_keeps_its_passed_deadline(world):
    obj = target(world)
    Target.objects.filter(pk=obj.pk).update(deadline=today() - timedelta(days=1))
    obj.refresh_from_db()
    obj.full_clean()  # editing an old target does not fail on its passed deadline


def test_operators_read_their_opds_targets_and_those_for_every_opd(world):
    from sia.core import permissions

    every = target(world, name="Semua OPD")
    own = target(world, name="Kominfo", department=world.kominfo)
    other = target(world, name="Dinkes", department=world.dinkes)
    seen = set(permissions.visible(world.users["operator"], Target.objects.all()).values_list("name", flat=True))
    assert seen == {every.name, own.name}
    assert permissions.can(world.users["operator"], permissions.VIEW, every)
    assert not permissions.can(world.users["operator"], permissions.VIEW, other)
    assert not permissions.can(world.users["operator"], permissions.CHANGE, own)
    assert permissions.can(world.users["admin"], permissions.CHANGE, other)
    assert not permissions.visible(world.users["other_admin"], Target.objects.all()).exists()


def test_burnup_axis_maximum():
    from sia.core.charts import nice_maximum

    assert [nice_maximum(v) for v in (0, 1, 7, 12, 240, 2600, 20000)] == [1, 1, 10, 20, 250, 5000, 20000]

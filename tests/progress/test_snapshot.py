"""The daily snapshot, its command (idempotent per day), the back-computed history, the burn-up data and chart, the
registry of chart marks and the deadlines listed for reminders."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sia.progress import burnup
from sia.progress.deadlines import APPROACHING, MISSED, deadline_alerts
from sia.progress.history import backfill
from sia.progress.models import ProgressSnapshot, Target
from sia.progress.snapshot import current_figures, take_snapshot

from .conftest import today, target


def rows(day=None):
    day = day or today()
    return {(s.department.abbreviation, s.domain): (s.count, s.complete, s.draft, s.submitted, s.validated)
            for s in ProgressSnapshot.objects.filter(date=day).select_related("department")}


def test_snapshot_counts_per_opd_and_domain(programme):
    assert take_snapshot(today()) == 4  # DISKOMINFO: aplikasi, layanan, proses bisnis; DINKES: aplikasi
    found = rows()
    assert found[("DISKOMINFO", "aplikasi")] == (3, 0, 1, 1, 1)
    assert found[("DINKES", "aplikasi")] == (1, 0, 1, 0, 0)
    assert found[("DISKOMINFO", "layanan")][:3] == (2, 0, 2)
    assert found[("DISKOMINFO", "proses-bisnis")][0] == 1
    snapshot = ProgressSnapshot.objects.get(department=programme.kominfo, domain="aplikasi", date=today())
    from sia.architecture.completeness import required_fields
    from sia.architecture.models import Application

    assert snapshot.required == 3 * len(required_fields(Application)) and snapshot.filled == 0


def test_complete_objects_counted(programme, kinds):
    from sia.architecture.models import Application

    kinds.build(Application, full=True)
    take_snapshot(today())
    assert rows()[("DISKOMINFO", "aplikasi")][1] == 1
    snapshot = ProgressSnapshot.objects.get(department=programme.kominfo, domain="aplikasi", date=today())
    assert snapshot.filled == snapshot.required // 4  # the full one of four applications


def test_the_command_is_idempotent_per_day(programme):
    out = StringIO()
    call_command("snapshot_progress", stdout=out)
    first = rows()
    call_command("snapshot_progress", stdout=out)
    assert rows() == first
    assert ProgressSnapshot.objects.filter(date=today()).count() == len(first)
    call_command("snapshot_progress", "--date", today().isoformat(), "--instansi", "82", stdout=out)
    assert rows() == first and ProgressSnapshot.objects.count() == len(first)
    assert "baris" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("snapshot_progress", "--date", "kemarin")
    with pytest.raises(CommandError, match="instansi"):
        call_command("snapshot_progress", "--instansi", "99")


def test_the_command_refuses_another_day_and_writes_nothing(programme):
    """The figures are the objects as they are now: under yesterday's date they would replace yesterday's row."""
    yesterday = today() - timedelta(days=1)
    take_snapshot(yesterday)
    ProgressSnapshot.objects.filter(date=yesterday).update(count=99)
    before = sorted(ProgressSnapshot.objects.values_list("date", "department_id", "domain", "count"))
    for day in (yesterday, today() + timedelta(days=1)):
        with pytest.raises(CommandError, match="hanya dapat diambil untuk hari ini"):
            call_command("snapshot_progress", "--date", day.isoformat(), stdout=StringIO())
    assert sorted(ProgressSnapshot.objects.values_list("date", "department_id", "domain", "count")) == before


def test_snapshot_reads_in_one_query(programme, django_assert_num_queries):
    with django_assert_num_queries(1):
        current_figures()


def test_backfill_ends_on_todays_real_snapshot(programme):
    history = backfill(programme.inst.pk, days=30, today=today(), pace_of=lambda d: 0.5)
    assert {day for day, _d, _s in backfill(programme.inst.pk, days=30, today=today())} == {today()}  # created today
    last = {(d, slug): values for (day, d, slug), values in history.items() if day == today()}
    real = {(d, slug): figures.values for (_i, d, slug), figures in current_figures(programme.inst.pk).items()}
    assert last == real
    first_day = today() - timedelta(days=29)
    assert {day for day, _d, _s in history} <= {first_day + timedelta(days=i) for i in range(30)}
    counts = [sum(v["count"] for (day, _d, _s), v in history.items() if day == first_day + timedelta(days=i))
              for i in range(30)]
    assert counts == sorted(counts)  # objects only enter, never leave


def test_a_spread_backfill_keeps_the_day_of_objects_created_before_the_rest(programme):
    """The demo's objects were all created at once and are spread over the window, except those a past kegiatan
    created (back-dated by the workshops' demo): they enter on their own day, whatever the spread says."""
    from sia.architecture.models import BusinessProcess

    early = BusinessProcess.objects.filter(department=programme.kominfo).order_by("pk").first()
    session = today() - timedelta(days=12)
    BusinessProcess.objects.filter(pk=early.pk).update(
        created=timezone.make_aware(datetime.combine(session, time(10))))
    # at pace 0 every other object enters on the last day: the early one alone is counted from its day
    history = backfill(programme.inst.pk, days=30, today=today(), pace_of=lambda d: 0.0)
    kominfo = {day: v["count"] for (day, d, slug), v in history.items()
               if d == programme.kominfo.pk and slug == "proses-bisnis"}
    assert min(kominfo) == session and kominfo[session] == 1 and kominfo[today() - timedelta(days=1)] == 1
    assert kominfo[today()] == BusinessProcess.objects.filter(department=programme.kominfo).count()


def test_burnup_series_in_one_query_and_chart(programme, django_assert_num_queries):
    for days_ago in (2, 1, 0):
        take_snapshot(today() - timedelta(days=days_ago))
    with django_assert_num_queries(1):
        points = burnup.series(programme.inst.pk, start=today() - timedelta(days=365), end=today())
    assert [p.date for p in points] == [today() - timedelta(days=2), today() - timedelta(days=1), today()]
    assert points[-1].count == 7 and points[-1].submitted == 2 and points[-1].validated == 1
    only = burnup.series(programme.inst.pk, programme.dinkes.pk, "aplikasi")
    assert [p.count for p in only] == [1, 1, 1]
    goal = target(programme, rule="pengajuan", domain="aplikasi", start_date=today() - timedelta(days=2))
    chart = burnup.burnup("uji", "Uji", points, marks=[(today() - timedelta(days=1), "Bimtek Proses Bisnis")],
                          target=goal, target_value=7, until=goal.deadline)
    assert 'class="viz-target burn-target"' in chart.svg and 'data-mark="1"' in chart.svg
    assert "Bimtek Proses Bisnis" in chart.svg and "Bimtek Proses Bisnis" in chart.note
    assert len(chart.rows) == 3 and chart.rows[-1][1:] == ["7", "0", "2", "1"]


def test_a_year_chart_has_weekly_table_rows_with_their_dates_and_the_marks_day():
    """A year of days: the table keeps every seventh day and the last, each under its own date; the mark's note
    names its day (the labels are formatted only where they are read)."""
    from django.utils import formats

    first = today() - timedelta(days=364)
    points = [burnup.Day(first + timedelta(days=n), 100 + n, n, n // 2, n // 4) for n in range(365)]
    session = first + timedelta(days=200)
    chart = burnup.burnup("uji-tahun", "Uji", points, marks=[(session, "Bimtek Layanan")], until=today())
    kept = [first + timedelta(days=n) for n in range(0, 365, 7)]  # 364 = 52 × 7: the last day is one of them
    assert kept[-1] == today()
    assert [row[0] for row in chart.rows] == [formats.date_format(d, "SHORT_DATE_FORMAT") for d in kept]
    assert chart.rows[1][1:] == ["107", "7", "3", "1"] and chart.rows[-1][1:] == ["464", "364", "182", "91"]
    assert f"{formats.date_format(session, 'SHORT_DATE_FORMAT')}: Bimtek Layanan" in chart.note
    assert chart.svg.count("<polyline") >= 4


def test_chart_marks_come_from_the_registry(world):
    calls = []

    def workshops(institution, department, start, end):
        calls.append((institution, department))
        return [(today() - timedelta(days=3), "Workshop Arsitektur"), (today() - timedelta(days=400), "Terlalu lama")]

    burnup.register_chart_marks(workshops)
    try:
        marks = burnup.chart_marks(world.inst, world.kominfo, today() - timedelta(days=30), today())
    finally:
        burnup._mark_sources.remove(workshops)
    assert marks == [(today() - timedelta(days=3), "Workshop Arsitektur")]
    assert calls == [(world.inst, world.kominfo)]


def test_deadlines_approaching_and_missed_per_opd(programme):
    soon = target(programme, rule="pengajuan", domain="aplikasi", deadline=today() + timedelta(days=3))
    past = target(programme, name="Lewat", rule="fungsi-proses")
    Target.objects.filter(pk=past.pk).update(deadline=today() - timedelta(days=2))
    target(programme, name="Jauh", rule="fungsi-proses", deadline=today() + timedelta(days=40))
    alerts = deadline_alerts(today=today())
    found = {(a.target.name, a.department.abbreviation): (a.kind, a.days) for a in alerts}
    assert found == {
        ("Lewat", "DISKOMINFO"): (MISSED, 2), ("Lewat", "DINKES"): (MISSED, 2),
        (soon.name, "DISKOMINFO"): (APPROACHING, 3), (soon.name, "DINKES"): (APPROACHING, 3),
    }
    assert deadline_alerts(institution_id=programme.other.pk, today=today()) == []


def test_no_reminder_for_an_opd_with_nothing_to_measure(programme):
    """DINKES has no services: neither an approaching nor a missed deadline of a services target concerns it."""
    past = target(programme, name="Layanan lewat", rule="layanan-proses")
    Target.objects.filter(pk=past.pk).update(deadline=today() - timedelta(days=2))
    target(programme, name="Layanan dekat", rule="layanan-proses", deadline=today() + timedelta(days=3))
    found = {(a.target.name, a.department.abbreviation): a.kind for a in deadline_alerts(today=today())}
    assert found == {("Layanan lewat", "DISKOMINFO"): MISSED, ("Layanan dekat", "DISKOMINFO"): APPROACHING}

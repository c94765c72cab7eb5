"""The demo targets and 60 days of progress history (``sia.progress.demo``), built by ``sia demo``: some OPDs late,
one target past its deadline, the index target beside the SPBE trend; the history grows day by day and its last
day is today's real snapshot."""

from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from sia.organizations.models import Institution
from sia.progress.choices import TargetState
from sia.progress.models import ProgressSnapshot, Target
from sia.progress.rules import evaluate
from sia.progress.snapshot import current_figures

from .. import demo as demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))), django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            demo_data.build()
            yield Institution.objects.get(code="82")
        finally:
            for atomic in reversed(atomics):
                transaction.set_rollback(True, using=atomic.using)
                atomic.__exit__(None, None, None)


def test_targets_with_some_opds_late(demo):
    today = timezone.localdate()
    targets = {t.name: t for t in Target.objects.filter(institution=demo)}
    assert len(targets) == 7
    fungsi = evaluate(targets["Setiap fungsi OPD memiliki proses bisnis"])
    assert fungsi.state == TargetState.LATE and len(fungsi.late_rows) >= 5
    assert any(row.state == TargetState.ON_TRACK or row.state == TargetState.MET for row in fungsi.rows)
    applications = evaluate(targets["Seluruh aplikasi OPD diajukan untuk diverifikasi"])
    assert applications.state == TargetState.LATE and "DISKOMINFOSAN" in [r.department.abbreviation
                                                                          for r in applications.late_rows]
    assert evaluate(targets["Kelengkapan data Diskominfosan minimal 80%"]).state == TargetState.MET
    passed = targets["Infrastruktur Diskominfosan diverifikasi"]
    assert passed.deadline < today and evaluate(passed).state in (TargetState.MISSED, TargetState.MET)


def test_sixty_days_of_history_ending_on_todays_snapshot(demo):
    today = timezone.localdate()
    days = sorted(set(ProgressSnapshot.objects.filter(institution=demo).values_list("date", flat=True)))
    assert days[0] == today - timedelta(days=59) and days[-1] == today and len(days) == 60
    last = {(s.department_id, s.domain): (s.count, s.complete, s.filled, s.draft, s.submitted, s.validated)
            for s in ProgressSnapshot.objects.filter(institution=demo, date=today)}
    real = {(d, slug): (v.values["count"], v.values["complete"], v.values["filled"], v.values["draft"],
                        v.values["submitted"], v.values["validated"])
            for (_i, d, slug), v in current_figures(demo.pk).items()}
    assert last == real
    totals = [sum(ProgressSnapshot.objects.filter(institution=demo, date=day).values_list("count", flat=True))
              for day in days]
    assert totals == sorted(totals) and totals[0] < totals[-1] / 2

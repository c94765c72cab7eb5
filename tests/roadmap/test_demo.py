"""The demo Peta Rencana SPBE 2025-2029 (``sia.roadmap.demo``), built by ``sia demo`` on an empty database: about forty
kegiatan in the seven areas, each closing gaps of the demo architecture but one gap left open on purpose (the new
application replacing three duplicate websites, for the workshop journey), some done, some late, one cancelled, RKA
below the pagu in places, a security audit every year, review statuses spread with their conversation."""

import os
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, transaction
from django.db.models import F
from django.test.utils import override_settings

from sia.architecture.choices import ArchitectureState, ReviewStatus
from sia.architecture.demo_applications import APPS, PORTAL_OPD, REPLACED_BY_PORTAL
from sia.architecture.demo_infrastructure import DATA_CENTRE_CONSOLIDATION
from sia.architecture.models import Application, ComputingFacility, ReviewEvent, Server
from sia.organizations.models import Institution
from sia.roadmap import figures
from sia.roadmap.choices import ActivityStatus, Area, BudgetSource
from sia.roadmap.demo import CURRENT
from sia.roadmap.models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

from .. import demo as demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """``sia demo`` once for the module, inside a transaction rolled back at its end; the demo instansi."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))), django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            assert not Activity.objects.exists(), "the demo is built on an empty database"
            demo_data.build()
            yield Institution.objects.get(code="82")
        finally:
            for alias, atomic in zip(connections, atomics):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def activities(institution):
    return Activity.objects.filter(institution=institution).select_related("program", "department")


def test_about_forty_kegiatan_in_all_seven_areas_led_by_several_opds(demo):
    found = list(activities(demo))
    assert 36 <= len(found) <= 45
    assert set(Area.values) == {activity.program.area for activity in found}
    assert min(Counter(activity.program.area for activity in found).values()) >= 4
    assert len({activity.department.abbreviation for activity in found}) >= 8
    targets = StrategicTarget.objects.filter(institution=demo)
    assert 3 <= targets.count() <= 4 and set(targets.values_list("period", flat=True)) == {"2025-2029"}
    assert Initiative.objects.filter(target__institution=demo).count() >= targets.count()
    assert Program.objects.filter(initiative__target__institution=demo).count() == 7
    for activity in found:
        assert activity.code.startswith(f"KG-{activity.department.abbreviation}-")
        assert 2025 <= activity.start_year <= activity.end_year <= 2029
        assert activity.units.exists()


def test_every_row_passes_the_rules_the_forms_and_the_api_apply(demo):
    for activity in activities(demo):
        activity.full_clean()
    for row in ActivityYear.objects.filter(activity__institution=demo).select_related("activity"):
        row.full_clean()
    for link in ActivityGap.objects.filter(activity__institution=demo).select_related("activity", "content_type"):
        link.full_clean()


def test_every_kegiatan_closes_a_gap_and_only_the_journeys_gap_stays_open(demo):
    assert list(figures.activities_without_gap(demo)) == []
    assert not activities(demo).exclude(gaps__isnull=False).exists()  # the cancelled one too
    open_gaps = figures.unlinked_gaps(demo)
    assert [(type(gap), gap.name) for gap in open_gaps] == [(Application, PORTAL_OPD)]
    portal = open_gaps[0]
    assert portal.state == ArchitectureState.TO_BE_NEW and portal.department.abbreviation == "DISKOMINFOSAN"
    assert "tiga" in portal.name and "duplikat" in portal.name
    replaced = Application.objects.filter(institution=demo, name__in=[s.name for s in APPS if s.key in REPLACED_BY_PORTAL])
    assert replaced.count() == 3
    for app in replaced:
        assert app.name in portal.description
        assert app.state == ArchitectureState.AS_IS and app.retiring and 2025 <= app.retire_year <= 2029
        assert ActivityGap.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                          object_id=app.pk).exists()  # their retirement is planned already


def test_the_data_centre_consolidation_is_an_upgrade_the_server_rooms_retire_into(demo):
    consolidation = ComputingFacility.objects.get(institution=demo, name=DATA_CENTRE_CONSOLIDATION)
    assert consolidation.state == ArchitectureState.TO_BE_UPGRADE
    assert consolidation.upgrades.state == ArchitectureState.AS_IS and consolidation.upgrades.department_id == \
        consolidation.department_id
    retiring = Server.objects.filter(institution=demo, retiring=True)
    assert {server.department.abbreviation for server in retiring} >= {"DINKES", "BPKAD", "DIKBUD"}
    types = ContentType.objects.get_for_models(ComputingFacility, Server)
    closing = Activity.objects.filter(gaps__content_type=types[ComputingFacility], gaps__object_id=consolidation.pk)
    assert closing.get().program.area == Area.INFRASTRUCTURE
    assert ActivityGap.objects.filter(content_type=types[Server],
                                      object_id__in=retiring.values("pk")).count() == retiring.count()


def test_a_security_audit_every_year_of_the_period(demo):
    audits = activities(demo).filter(program__area=Area.ICT_AUDIT)
    assert sorted(year for activity in audits for year in range(activity.start_year, activity.end_year + 1)) == [
        2025, 2026, 2027, 2028, 2029]


def test_some_done_some_running_some_late_and_one_cancelled(demo):
    found = list(activities(demo))
    spread = Counter(activity.progress for activity in found)
    assert spread[ActivityStatus.DONE] >= 4 and spread[ActivityStatus.RUNNING] >= 8
    assert spread[ActivityStatus.NOT_STARTED] >= 8 and spread[ActivityStatus.CANCELLED] == 1
    late = [a for a in found if a.end_year < CURRENT and a.progress in (ActivityStatus.NOT_STARTED,
                                                                         ActivityStatus.RUNNING)]
    assert len(late) >= 2 and {a.progress for a in late} == {ActivityStatus.NOT_STARTED, ActivityStatus.RUNNING}
    for activity in late:
        assert not activity.years.filter(done=True).exists()
    for activity in (a for a in found if a.progress == ActivityStatus.DONE):
        assert not activity.years.filter(done=False).exists() and activity.end_year <= CURRENT
    progress = figures.progress_by_year(demo)
    assert progress[2025]["done"] < progress[2025]["planned"] and progress[2027]["done"] == 0


def test_pagu_from_every_source_rka_for_the_current_years_and_keterpaduan_below_full(demo):
    rows = ActivityYear.objects.filter(activity__institution=demo)
    assert set(rows.values_list("source", flat=True)) == set(BudgetSource.values)
    assert Counter(rows.values_list("source", flat=True)).most_common(1)[0][0] == BudgetSource.APBD
    assert not rows.filter(year__gt=CURRENT, rka__isnull=False).exists()
    assert not rows.filter(year__gt=CURRENT, realisation__isnull=False).exists()
    assert rows.filter(year__lt=CURRENT, realisation__gt=0).exists()
    assert rows.filter(year=CURRENT, rka__isnull=True).exists()  # an OPD has not entered it yet
    budgets = list(rows.values_list("budget", flat=True))
    assert min(budgets) >= 50_000_000 and max(budgets) <= 5_000_000_000  # rupiah, as a province plans them
    alignment = figures.alignment_by_year(demo)
    assert 0.5 < alignment[2025]["share"] < 1 and 0.5 < alignment[CURRENT]["share"] < 1
    assert rows.filter(rka__gt=F("budget")).exists()  # an RKA above its pagu covers no other kegiatan's shortfall
    assert all(alignment[year]["share"] == 0 for year in range(CURRENT + 1, 2030))


def test_review_statuses_spread_with_the_conversation_that_led_there(demo):
    found = list(activities(demo))
    spread = Counter(activity.status for activity in found)
    assert spread[ReviewStatus.VALIDATED] > len(found) / 2
    assert spread[ReviewStatus.SUBMITTED] >= 3 and spread[ReviewStatus.DRAFT] >= 3
    content_type = ContentType.objects.get_for_model(Activity)
    events = {}
    for event in ReviewEvent.objects.filter(content_type=content_type, object_id__in=[a.pk for a in found]):
        events.setdefault(event.object_id, []).append(event)
    for activity in found:
        turns = [e for e in events[activity.pk] if e.to_status]
        assert turns[0].action == ReviewEvent.Action.CREATE and turns[-1].to_status == activity.status
        assert activity.lock_version == len(turns)
        assert all(e.institution_id == demo.pk for e in events[activity.pk])
    returned = [a for a in found if a.status == ReviewStatus.RETURNED]
    assert returned and all(events[a.pk][-1].comment for a in returned)


def test_demo_runs_again_without_adding_anything(demo):
    counts = [model.objects.count() for model in (StrategicTarget, Program, Activity, ActivityYear, ActivityGap)]
    call_command("demo", stdout=open(os.devnull, "w"))
    assert [model.objects.count() for model in (StrategicTarget, Program, Activity, ActivityYear, ActivityGap)] == counts

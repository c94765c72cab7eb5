"""Retired applications (lifecycle "dihentikan") are no duplicate candidates and no similar existing
application: ``sia.portfolio.similarity.Portfolio`` does not read them. Planned and in-development ones count."""

import pytest

from sia.architecture.choices import ApplicationLifecycle, ArchitectureState
from sia.architecture.models import Application, BusinessProcess
from sia.portfolio.duplicates import duplicate_candidates, similar_applications
from sia.portfolio.similarity import Portfolio

pytestmark = pytest.mark.django_db

NAME, FUNCTION = "Sistem Informasi Kepegawaian", "Data pegawai, cuti dan kenaikan pangkat"


@pytest.fixture
def staff(world):
    """The same staff system in DINKES (in use) and DISKOMINFO (retired), and a third one in DISKOMINFO that
    is still being built; each supports a staff process."""
    process = BusinessProcess.objects.create(department=world.dinkes, name="Pengelolaan Data Pegawai")
    world.live = Application.objects.create(department=world.dinkes, name=f"{NAME} Dinkes", function=FUNCTION)
    world.retired = Application.objects.create(
        department=world.kominfo, name=f"{NAME} Diskominfo", function=FUNCTION,
        lifecycle=ApplicationLifecycle.RETIRED, retirement_year=2023,
    )
    for app in (world.live, world.retired):
        app.processes.set([process])
    world.process = process
    return world


def pairs(world):
    return {frozenset((c.first_id, c.second_id)) for c in duplicate_candidates(world.inst.pk) if c.second_id}


def test_a_retired_application_is_no_duplicate_candidate(staff):
    assert pairs(staff) == set()
    Application.objects.filter(pk=staff.retired.pk).update(lifecycle=ApplicationLifecycle.PRODUCTION,
                                                           retirement_year=None)
    assert pairs(staff) == {frozenset((staff.live.pk, staff.retired.pk))}  # the same pair, in use: a candidate


@pytest.mark.parametrize("lifecycle", [ApplicationLifecycle.PLANNED, ApplicationLifecycle.DEVELOPMENT])
def test_planned_and_in_development_applications_still_count(staff, lifecycle):
    Application.objects.filter(pk=staff.retired.pk).update(lifecycle=lifecycle, retirement_year=None)
    assert pairs(staff) == {frozenset((staff.live.pk, staff.retired.pk))}


def test_a_retired_application_is_not_offered_as_similar(staff):
    found = similar_applications(staff.inst.pk, name=NAME, function=FUNCTION, process_ids=(staff.process.pk,))
    assert [m.application for m in found if m.application] == [staff.live]


def test_the_application_itself_stays_excluded(staff):
    """``exclude_pk`` keeps an application out of its own list, retired or not."""
    found = similar_applications(staff.inst.pk, name=NAME, function=FUNCTION, exclude_pk=staff.live.pk)
    assert [m.application for m in found if m.application] == []
    found = similar_applications(staff.inst.pk, name=NAME, function=FUNCTION, exclude_pk=staff.retired.pk)
    assert [m.application for m in found if m.application] == [staff.live]


def test_the_similar_panel_of_a_proposal_leaves_the_retired_one_out(client, staff):
    proposal = Application.objects.create(department=staff.kominfo, name=f"{NAME} Baru", function=FUNCTION,
                                          state=ArchitectureState.TO_BE_NEW)
    client.force_login(staff.users["verifier"])
    html = client.get(proposal.get_absolute_url()).content.decode()
    panel = html[html.index('id="kliring"'):]
    assert staff.live.code in panel and staff.retired.code not in panel


def test_the_index_reads_neither_the_retired_application_nor_its_processes(staff):
    portfolio = Portfolio(staff.inst.pk)
    assert set(portfolio.by_pk) == {staff.live.pk}
    assert portfolio.by_pk[staff.live.pk].processes


def test_reading_costs_the_same_queries_with_retired_applications(staff, count_queries):
    few, _ = count_queries(lambda: Portfolio(staff.inst.pk))
    for n in range(5):
        Application.objects.create(department=staff.dinkes, name=f"Aplikasi Lama {n}",
                                   lifecycle=ApplicationLifecycle.RETIRED, retirement_year=2020)
    many, portfolio = count_queries(lambda: Portfolio(staff.inst.pk))
    assert many == few and len(portfolio.profiles) == 1

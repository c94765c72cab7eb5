"""The demo province's applications (``sia.architecture.demo_applications``): built by ``sia demo`` on an
empty database, as a real province has them: duplicates across OPDs, national shared applications,
integrations, every review status, and each object valid by the rules the forms and the API apply."""

import os
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings

from sia.architecture import queues, workflow
from sia.architecture.choices import (
    ApplicationDeveloper,
    ApplicationLifecycle,
    ArchitectureState,
    IntegrationChannel,
    IntegrationDirection,
    ReviewStatus,
)
from sia.architecture.demo_applications import APPS, INTEGRATIONS
from sia.architecture.models import Application, ApplicationIntegration, BusinessProcess, DataItem, Service

from .. import demo as demo_data

pytestmark = pytest.mark.django_db

# Name families a reviewer groups duplicates by (staff, mail, finance, kinerja, complaints, websites).
FAMILIES = {
    "kepegawaian": r"simpeg|kepegawaian|e-pegawai",
    "persuratan": r"surat|naskah dinas|srikandi",
    "keuangan": r"keuangan|sipd|simda",
    "kinerja": r"kinerja|e-kin\b",
    "pengaduan": r"lapor!|aduan|pengaduan",
    "situs web": r"^website",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """``sia demo`` once for the module, inside a transaction rolled back at its end (each test runs in a
    savepoint of it, as with ``TestCase.setUpTestData``)."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))), django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            assert not Application.objects.exists(), "the demo is built on an empty database"
            demo_data.build()
            yield Application.objects.filter(institution__code="82")
        finally:
            for alias, atomic in zip(connections, atomics):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def test_about_sixty_applications_in_most_demo_opds(demo):
    apps = list(demo.select_related("department"))
    assert 55 <= len(apps) <= 70
    assert len(apps) == len(APPS)  # every declared application was made, none twice
    per_opd = Counter(app.department.abbreviation for app in apps)
    assert len(per_opd) >= 8
    assert {"DISKOMINFOSAN", "BAPPEDA", "DINKES", "BPKAD", "DIKBUD", "DKP", "DISHUB", "DINSOS", "DISPUSIP",
            "DLH"} <= set(per_opd)
    assert len({app.code for app in apps}) == len(apps)
    assert all(re.fullmatch(rf"AP-{app.department.abbreviation}-\d{{3}}", app.code) for app in apps)


def test_every_application_passes_the_model_rules(demo):
    for app in demo.select_related("department", "reference", "managing_unit", "national_application"):
        app.full_clean()  # reference level, units of the own OPD, lifecycle and years, value lists
        if app.status != ReviewStatus.DRAFT:
            assert workflow.submit_problems(app) == [], app.code


def test_fields_are_filled_as_a_province_fills_them(demo):
    apps = list(demo.select_related("reference", "license_type").prefetch_related("platforms", "languages"))
    assert sum(bool(app.function and app.output and app.description) for app in apps) == len(apps)
    assert sum(app.managing_unit_id is not None for app in apps) == len(apps)
    assert {app.developer for app in apps} == set(ApplicationDeveloper.values)
    assert sum(bool(app.platforms.all()) for app in apps) == len(apps)
    assert sum(bool(app.languages.all()) for app in apps) >= 40
    assert len({app.license_type.name for app in apps if app.license_type}) == 3
    assert len({app.database for app in apps if app.database}) >= 4
    # RAA: Aplikasi Umum (RAA.01...) and Khusus (RAA.02...), national areas and the instansi's own nodes under them.
    codes = [app.reference.code for app in apps]
    assert any(code.startswith("RAA.01") for code in codes) and any(code.startswith("RAA.02") for code in codes)
    own = [app for app in apps if app.reference.institution_id == app.institution_id]
    assert len(own) >= 30 and len(apps) - len(own) >= 10
    assert all(app.reference.level == 3 for app in own)


def test_lifecycles_with_years_retired_and_planned(demo):
    retired = demo.filter(lifecycle=ApplicationLifecycle.RETIRED)
    assert retired.count() >= 2
    assert all(app.retirement_year and app.production_year < app.retirement_year for app in retired)
    new = demo.filter(state=ArchitectureState.TO_BE_NEW)
    assert new.count() >= 4
    assert set(new.values_list("lifecycle", flat=True)) == {ApplicationLifecycle.PLANNED, ApplicationLifecycle.DEVELOPMENT}
    assert not new.filter(production_year__isnull=False).exists()
    in_use = demo.filter(lifecycle=ApplicationLifecycle.PRODUCTION)
    assert in_use.filter(production_year__isnull=True).count() == 0
    assert in_use.filter(production_year__lt=2015).exists() and in_use.filter(production_year__gte=2022).exists()


def test_duplicates_across_opds_in_at_least_three_name_families(demo):
    opds = defaultdict(set)
    for name, abbreviation in demo.values_list("name", "department__abbreviation"):
        for family, pattern in FAMILIES.items():
            if re.search(pattern, name, re.IGNORECASE):
                opds[family].add(abbreviation)
    duplicated = {family for family, found in opds.items() if len(found) >= 2}
    assert len(duplicated) >= 3, opds
    assert {"kepegawaian", "persuratan", "keuangan"} <= duplicated
    assert len(opds["kepegawaian"]) >= 3  # SIMPEG Dinkes, e-Pegawai Dikbud, SIMPEG BKD, ...


def test_national_shared_applications_are_used_and_shared(demo):
    national = demo.filter(national_application__isnull=False).select_related("national_application")
    assert national.values("national_application").distinct().count() >= 8
    names = {app.national_application.name.split(" (")[0] for app in national}
    assert {"SRIKANDI", "SIPD", "SIASN", "SP4N-LAPOR!", "e-Kinerja BKN"} <= names
    assert all(app.national_application.institution_id == app.institution_id for app in national)
    srikandi = national.get(national_application__name__startswith="SRIKANDI")
    assert srikandi.user_departments.count() >= 9
    assert national.filter(developer=ApplicationDeveloper.CENTRAL_GOVERNMENT).count() >= 6


def test_applications_support_their_processes_services_and_data(demo):
    apps = list(demo.prefetch_related("processes", "services", "reads", "writes", "user_departments"))
    without = [app for app in apps if not app.processes.all()]
    assert all(app.status == ReviewStatus.DRAFT for app in without) and len(without) <= 1
    assert sum(bool(app.services.all()) for app in apps) >= 15
    assert sum(bool(app.writes.all()) for app in apps) >= 15 and sum(bool(app.reads.all()) for app in apps) >= 6
    # Shared applications serve other OPDs' processes and list the OPDs that use them.
    crossing = [app for app in apps if any(p.department_id != app.department_id for p in app.processes.all())]
    assert len(crossing) >= 8
    shared = [app for app in apps if app.user_departments.all()]
    assert len(shared) >= 10
    assert all(app.department not in app.user_departments.all() for app in shared)
    for model in (BusinessProcess, Service, DataItem):
        assert model.objects.filter(institution__code="82").count() > 40  # the demo objects they link to


def test_integrations_mostly_through_the_splp_and_each_valid(demo):
    integrations = list(ApplicationIntegration.objects.select_related("source", "target"))
    assert len(integrations) == len(INTEGRATIONS) >= 20
    for integration in integrations:
        integration.full_clean()
        assert integration.institution_id == integration.source.institution_id == integration.target.institution_id
        assert integration.source_id != integration.target_id and integration.data_exchanged
    channels = Counter(i.channel for i in integrations)
    assert channels[IntegrationChannel.SPLP] > channels[IntegrationChannel.DIRECT] >= 3
    assert Counter(i.direction for i in integrations)[IntegrationDirection.TWO_WAY] >= 2
    pairs = {(i.source.name, i.target.name) for i in integrations}
    assert ("Sistem Informasi Kepegawaian (SIMPEG) BKD", "e-Kinerja Pemprov Maluku Utara (TPP)") in pairs
    assert ("e-Puskesmas Maluku Utara", "SIMRS RSUD Dr. H. Chasan Boesoirie") in pairs
    assert len({i.source.department_id for i in integrations} | {i.target.department_id for i in integrations}) >= 8


def test_review_statuses_spread_with_the_conversation_that_led_there(demo):
    statuses = Counter(demo.values_list("status", flat=True))
    assert set(statuses) == set(ReviewStatus.values)
    assert statuses[ReviewStatus.VALIDATED] == max(statuses.values()) and statuses[ReviewStatus.VALIDATED] > len(
        APPS) / 2
    for app in demo:
        events = list(workflow.conversation(app))
        assert events[0].action == workflow.A.CREATE
        status = ReviewStatus.DRAFT
        for event in events[1:]:
            if event.action == workflow.A.COMMENT:
                assert event.comment
                continue
            transition = workflow.TRANSITIONS[event.action]
            assert status in transition.sources and event.from_status == status, app.code
            assert event.to_status == transition.target
            assert workflow.roles_for(event.user, app) & transition.roles, (app.code, event.action, event.user)
            status = event.to_status
        assert status == app.status, app.code
        if app.status == ReviewStatus.RETURNED:
            assert events[-1].comment  # the verifikator says what to fix


def test_operator_dinkes_keeps_its_three_returned_items(demo):
    operator = get_user_model().objects.get(username="operator.dinkes")
    assert queues.countwaiting(operator, ReviewStatus.RETURNED, own_only=True) == 3
    assert not demo.filter(department__abbreviation="DINKES", status=ReviewStatus.RETURNED).exists()


def test_demo_runs_again_without_adding_applications(demo):
    count, integrations = demo.count(), ApplicationIntegration.objects.count()
    call_command("demo", stdout=open(os.devnull, "w"))
    assert (demo.count(), ApplicationIntegration.objects.count()) == (count, integrations)

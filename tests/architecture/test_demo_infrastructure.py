"""The demo province's infrastruktur and keamanan (``sia.architecture.demo_infrastructure``, ``demo_security``):
built by ``sia demo`` on an empty database after the applications; a data centre of Diskominfosan hosting
the OPDs' applications, OPD server rooms, an expired cloud license, software past its end of support, an
audit with an open follow-up; each object valid by the rules the forms, the API and the Excel import apply."""

import os
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import override_settings
from django.utils import timezone

from sia.architecture import workflow
from sia.architecture.choices import ArchitectureState, FacilityType, FollowUpStatus, ReviewStatus, ServerType
from sia.architecture.kindgroups import kind_groups
from sia.architecture.models import (
    Application,
    CloudService,
    ComputingFacility,
    PlatformSoftware,
    SecurityAudit,
    SecurityStandard,
    Server,
)
from sia.architecture.models.infrastructure import INFRASTRUCTURE
from sia.architecture.models.security import SECURITY
from sia.reference.models import ReferenceNode

from .. import demo as demo_data

pytestmark = pytest.mark.django_db



def kinds_of(group) -> list:
    return next(kinds for found, kinds in kind_groups() if found.slug == group.slug)


KINDS = kinds_of(INFRASTRUCTURE) + kinds_of(SECURITY)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """``sia demo`` once for the module, inside a transaction rolled back at its end."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))), django_db_blocker.unblock():
        atomics = [transaction.atomic(using=alias) for alias in connections]
        for atomic in atomics:
            atomic.__enter__()
        try:
            assert not ComputingFacility.objects.exists(), "the demo is built on an empty database"
            demo_data.build()
            yield {model: model.objects.filter(institution__code="82") for model in KINDS}
        finally:
            for alias, atomic in zip(connections, atomics):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def test_every_kind_of_both_groups_has_demo_objects(demo):
    assert len(KINDS) == 17
    assert all(objects.exists() for objects in demo.values()), [m.__name__ for m, o in demo.items() if not o.exists()]


def test_every_demo_object_passes_the_model_rules_and_its_links_too(demo):
    for model, objects in demo.items():
        declared = {link.field for link in model.spec.links} | {"connected_departments"}
        m2m = [f for f in model._meta.many_to_many if f.name in declared]
        for obj in objects:
            obj.full_clean()  # reference level, units of the own OPD, value lists, amounts, dates, host
            for field in m2m:
                assert obj.link_problems(field.name, list(getattr(obj, field.name).all())) == [], (obj.code, field.name)
            if obj.status != ReviewStatus.DRAFT:
                assert workflow.submit_problems(obj) == [], obj.code


def test_kinds_without_a_public_rai_node_map_to_the_provinces_own_nodes_in_the_gaps(demo):
    own = ReferenceNode.objects.current().of_catalog("RAI").filter(institution__code="82")
    codes = set(own.values_list("code", flat=True))
    assert {"RAI.01.01.01", "RAI.02.01.01", "RAI.02.02.01", "RAI.03.01.02"} <= codes
    # Nothing of the province's under the public nodes: the server picker offers servers' nodes only.
    assert not [code for code in codes if code.startswith(("RAI.03.01.01.", "RAI.03.01.04.", "RAI.03.01.07."))]
    centre = ComputingFacility.objects.get(institution__code="82", facility_type=FacilityType.DATA_CENTRE,
                                           state=ArchitectureState.AS_IS)
    assert centre.reference.code == "RAI.01.01.01"
    assert set(Server.objects.filter(institution__code="82").values_list("reference__code", flat=True)) == {
        "RAI.03.01.01"}


def test_the_data_centre_of_diskominfosan_hosts_physical_and_virtual_servers(demo):
    centre = ComputingFacility.objects.get(institution__code="82", facility_type=FacilityType.DATA_CENTRE,
                                           state=ArchitectureState.AS_IS)
    assert centre.department.abbreviation == "DISKOMINFOSAN" and centre.tier.name == "Tier 3"
    assert centre.area_m2 and centre.power_kva and centre.cooling and centre.physical_security
    assert centre.status == ReviewStatus.VALIDATED
    servers = Server.objects.filter(facility=centre)
    hosts = servers.filter(server_type=ServerType.PHYSICAL)
    virtual = servers.filter(server_type=ServerType.VIRTUAL)
    assert hosts.count() >= 3 and virtual.count() >= 5
    assert all(vm.host.facility_id == centre.pk for vm in virtual.select_related("host"))
    assert Server.objects.filter(institution__code="82").count() >= 12
    assert demo[ComputingFacility].filter(facility_type=FacilityType.CONTROL_CENTRE).exists()
    rooms = demo[ComputingFacility].exclude(department__abbreviation="DISKOMINFOSAN")
    assert {"DINKES", "BPKAD"} <= set(rooms.values_list("department__abbreviation", flat=True))
    assert Server.objects.filter(facility__in=rooms).count() >= 2
    assert centre.storage_media.exists() and centre.network_devices.exists() and centre.security_devices.exists()


def test_dinkes_applications_run_on_diskominfosan_servers_and_national_ones_on_none(demo):
    dinkes = Application.objects.filter(institution__code="82", department__abbreviation="DINKES")
    on_kominfo = dinkes.filter(servers__department__abbreviation="DISKOMINFOSAN").distinct()
    assert on_kominfo.count() >= 2
    assert dinkes.filter(servers__department__abbreviation="DINKES").exists()  # its own server room
    apps = Application.objects.filter(institution__code="82")
    hosted = apps.filter(servers__isnull=False).distinct()
    assert hosted.count() >= 40
    owners = Counter(hosted.values_list("servers__department__abbreviation", flat=True))
    assert owners["DISKOMINFOSAN"] > sum(count for opd, count in owners.items() if opd != "DISKOMINFOSAN")
    national = apps.filter(national_application__isnull=False, developer="pemerintah-pusat")
    assert national.exists() and not national.filter(servers__isnull=False).exists()
    assert apps.filter(service_buses__isnull=False).distinct().count() >= 10
    assert apps.filter(intra_networks__isnull=False).distinct().count() == hosted.count()
    assert apps.filter(platform_software__isnull=False).exists() and apps.filter(cloud_services__isnull=False).exists()
    links = ("servers", "cloud_services", "platform_software", "service_buses", "intra_networks")
    for app in apps.prefetch_related(*links):
        for name in links:
            assert app.link_problems(name, list(getattr(app, name).all())) == [], (app.code, name)


def test_one_cloud_license_expired_and_one_platform_software_past_support(demo):
    today = timezone.localdate()
    expired = CloudService.objects.filter(institution__code="82", license_end__lt=today)
    assert expired.count() == 1
    assert expired.get().ownership.name.startswith("Milik Pihak Ketiga") and expired.get().provider
    # Real end-of-support dates: Windows Server 2012 R2 is past (2023); the others are years ahead of the demo.
    software = PlatformSoftware.objects.filter(institution__code="82")
    past = software.filter(end_of_support__lt=today)
    assert "Windows Server 2012 R2" in set(past.values_list("name", flat=True))
    assert past.count() < software.filter(end_of_support__isnull=False).count() / 2
    assert past.get(name="Windows Server 2012 R2").servers.exists()  # still running on a server: the warning matters
    assert SecurityStandard.objects.filter(institution__code="82", valid_until__lt=today).count() == 1


def test_an_external_audit_with_an_open_follow_up(demo):
    audits = SecurityAudit.objects.filter(institution__code="82")
    open_external = audits.filter(audit_type="eksternal").exclude(
        follow_up_status__in=(FollowUpStatus.DONE, FollowUpStatus.NOT_NEEDED))
    assert open_external.count() == 1
    audit = open_external.get()
    assert audit.follow_up_date is None and audit.auditor and audit.result
    assert audit.protected_facilities.exists() and audit.protected_applications.exists()
    assert audits.filter(follow_up_status=FollowUpStatus.DONE, follow_up_date__isnull=False).exists()


def test_security_measures_protect_data_applications_and_infrastructure(demo):
    for model in kinds_of(SECURITY):
        for obj in demo[model]:
            assert obj.reference.version.catalog.code == "RAK" and obj.reference.institution_id == obj.institution_id
            protected = sum(getattr(obj, name).count() for name in (
                "protected_data", "protected_applications", "protected_facilities", "protected_servers",
                "protected_cloud_services"))
            assert protected, obj.code


def test_review_statuses_spread_with_the_conversation_that_led_there(demo):
    statuses = Counter(status for objects in demo.values() for status in objects.values_list("status", flat=True))
    assert {ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.VERIFIED, ReviewStatus.VALIDATED} <= set(statuses)
    assert statuses[ReviewStatus.VALIDATED] == max(statuses.values())
    for objects in demo.values():
        for obj in objects:
            events = list(workflow.conversation(obj))
            assert events[0].action == workflow.A.CREATE
            status = ReviewStatus.DRAFT
            for event in events[1:]:
                transition = workflow.TRANSITIONS[event.action]
                assert status in transition.sources and event.from_status == status, obj.code
                assert workflow.roles_for(event.user, obj) & transition.roles, (obj.code, event.action, event.user)
                status = event.to_status
            assert status == obj.status, obj.code
            assert len(obj.history.all()) >= 1  # the audit trail of the bulk insert


def test_demo_runs_again_without_adding_objects(demo):
    counts = {model: objects.count() for model, objects in demo.items()}
    call_command("demo", stdout=open(os.devnull, "w"))
    assert {model: objects.count() for model, objects in demo.items()} == counts

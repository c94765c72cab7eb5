"""Domain rules of the infrastruktur kinds (issue 12): where a server may stand, capacities, license periods,
virtual servers and their host, and the links applications hold to shared infrastructure across OPDs; the rules
the kinds of the infrastruktur and keamanan groups share, run over each kind the registry knows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils import timezone

from sia.architecture import completeness
from sia.architecture.choices import ServerType, ValueListKind
from sia.architecture.kindgroups import group_of
from sia.architecture.models import (
    INFRASTRUCTURE, SECURITY, Application, CloudService, ComputingFacility, DataItem, IntraNetwork, NetworkDevice,
    Peripheral, PlatformSoftware, SecurityDevice, Server, ServiceBus, StorageMedia, ValueListItem,
)
from sia.architecture.models.security import PROTECTS
from sia.architecture.registry import domain_models
from tests.kinds import EVERY_FIELD, Builder

pytestmark = pytest.mark.django_db

def today() -> datetime.date:
    """The instansi's date when the test runs, as the app reads it: a date taken at import went stale in a run that
    crossed midnight in Jakarta (17:00 UTC) between collecting the tests and running them."""
    return timezone.localdate()


def refused(obj) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


def test_the_group_holds_the_kinds_the_issue_names():
    kinds = [model for model in domain_models() if group_of(model) == INFRASTRUCTURE]
    assert set(kinds) == {ComputingFacility, CloudService, Server, Peripheral, StorageMedia, NetworkDevice,
                          SecurityDevice, PlatformSoftware, IntraNetwork, ServiceBus}
    assert {model.spec.catalog for model in kinds} == {"RAI"}


def test_a_server_in_another_instansi_s_facility_is_refused_and_nothing_is_written(kinds, world):
    far_facility = Builder(world.far).build(ComputingFacility)
    server = Server(department=world.kominfo, name="Server aplikasi", facility=far_facility)
    assert "milik instansi lain" in " ".join(refused(server)["facility"])
    assert not Server.objects.filter(name="Server aplikasi").exists()


def test_a_server_may_stand_in_the_data_centre_of_another_opd(kinds, world):
    data_centre = Builder(world.kominfo).build(ComputingFacility)
    server = Server(department=world.dinkes, name="Server Dinkes", facility=data_centre)
    server.full_clean()  # shared infrastructure: the link is declared cross_opd
    server.save()
    assert list(data_centre.servers.all()) == [server]


def test_a_negative_capacity_is_refused_with_its_field_named(kinds, world):
    storage = StorageMedia(department=world.kominfo, name="SAN", capacity_gb=Decimal("-1"))
    assert refused(storage)["capacity_gb"] == ["Kapasitas (GB) tidak boleh negatif."]
    facility = ComputingFacility(department=world.kominfo, name="Ruang server", power_kva=Decimal("-5"))
    assert refused(facility)["power_kva"] == ["Daya listrik (kVA) tidak boleh negatif."]


def test_storage_cannot_use_more_than_its_capacity(kinds, world):
    storage = StorageMedia(department=world.kominfo, name="NAS", capacity_gb=Decimal("100"), used_gb=Decimal("150"))
    assert refused(storage)["used_gb"] == ["Terpakai tidak boleh melebihi kapasitas."]
    storage.used_gb = Decimal("40")
    storage.full_clean()
    assert storage.free_gb == Decimal("60")


def test_a_cloud_license_cannot_end_before_it_starts(kinds, world):
    cloud = CloudService(department=world.kominfo, name="Langganan IaaS", license_start=datetime.date(2025, 1, 1),
                         license_end=datetime.date(2024, 12, 31))
    assert refused(cloud)["license_end"] == ["Akhir masa lisensi tidak boleh sebelum awal masa lisensi."]


def test_end_of_support_cannot_precede_the_acquisition(kinds, world):
    software = PlatformSoftware(department=world.kominfo, name="OS", acquisition_year=2024,
                                end_of_support=datetime.date(2020, 1, 1))
    assert refused(software)["end_of_support"] == ["Akhir dukungan tidak boleh sebelum tahun pengadaan."]


def test_only_a_virtual_server_runs_on_a_host(kinds, world):
    host = kinds.build(Server, server_type=ServerType.PHYSICAL)
    for server_type in (ServerType.PHYSICAL, ""):
        server = Server(department=world.kominfo, name="Server", server_type=server_type, host=host)
        assert refused(server) == {"host": [
            "Hanya server virtual yang berjalan di server host: pilih jenis “Virtual” atau kosongkan server host."]}
    Server(department=world.kominfo, name="VM", server_type=ServerType.VIRTUAL, host=host).full_clean()
    Server(department=world.kominfo, name="Fisik", server_type=ServerType.PHYSICAL).full_clean()


def test_a_virtual_server_may_run_on_a_virtual_one_but_never_in_a_loop(kinds, world):
    """Nested virtualisation: the host may be virtual; the declared no-cycle rule (acyclic) stops a loop."""
    assert next(link for link in Server.spec.links if link.field == "host").acyclic is True
    physical = kinds.build(Server, server_type=ServerType.PHYSICAL)
    virtual = kinds.build(Server, server_type=ServerType.VIRTUAL, host=physical)
    nested = Server(department=world.kominfo, name="VM di VM", server_type=ServerType.VIRTUAL, host=virtual)
    nested.full_clean()
    nested.save()
    assert virtual.link_problems("host", [nested]) == [
        f"Server host membentuk siklus: {virtual.code} → {nested.code} → {virtual.code}."]


def test_the_full_builder_makes_a_virtual_server_with_a_host_and_a_physical_one_without(kinds):
    """The variant that fills every field (EVERY_FIELD) runs on a host; the physical variant leaves the host empty."""
    server = kinds.build(Server, full=True, variant=EVERY_FIELD)
    assert server.host_id is not None and server.server_type == ServerType.VIRTUAL
    physical = kinds.build(Server, full=True)
    assert physical.host_id is None and physical.server_type == ServerType.PHYSICAL


def test_a_value_of_another_instansi_is_refused(kinds, world):
    foreign = ValueListItem.objects.get(institution=world.other, kind=ValueListKind.FACILITY_TIER, name="Tier 3")
    facility = ComputingFacility(department=world.kominfo, name="Pusat data", tier=foreign)
    assert refused(facility)["tier"] == ["Nilai pilihan ini milik instansi lain."]


def test_an_application_of_one_opd_links_to_diskominfo_s_server_but_not_to_another_instansi_s(kinds, world):
    server = kinds.build(Server)
    application = Builder(world.dinkes).build(Application)
    assert application.link_problems("servers", [server]) == []
    application.servers.add(server)
    assert list(server.applications.all()) == [application]
    far_server = Builder(world.far).build(Server)
    assert application.link_problems("servers", [far_server]) == [f"“{far_server}” milik instansi lain."]


def test_infrastructure_links_cross_opds_but_never_instansi(kinds, world):
    """Every infrastructure link is declared cross_opd; the one rule still refuses another instansi."""
    network = Builder(world.dinkes).build(IntraNetwork)
    bus = kinds.build(ServiceBus)
    assert bus.link_problems("networks", [network]) == []
    device = kinds.build(SecurityDevice)
    far_network_device = Builder(world.far).build(NetworkDevice)
    assert device.link_problems("network_devices", [far_network_device]) == [
        f"“{far_network_device}” milik instansi lain."]


def test_expired_licenses_and_platforms_past_support_are_warned(kinds, world):
    kinds.build(CloudService, license_start=today() - datetime.timedelta(days=400),
                license_end=today() - datetime.timedelta(days=1))
    kinds.build(CloudService, license_end=today() + datetime.timedelta(days=30))
    kinds.build(PlatformSoftware, end_of_support=today() - datetime.timedelta(days=10))
    kinds.build(Server, end_of_support=today())  # the last day of support is not past
    found = completeness.warnings_by_kind(
        {model: model.objects.all() for model in (CloudService, PlatformSoftware, Server)}, [world.kominfo])
    assert found["architecture.cloudservice"] == {world.kominfo.pk: ["1 dengan lisensi berakhir"]}
    assert found["architecture.platformsoftware"] == {world.kominfo.pk: ["1 melewati akhir dukungan"]}
    assert found["architecture.server"] == {}
    # every kind of the group has the end of support as an expiry (the common field), the cloud its license too
    assert all(model.spec.expiry[0].key == "akhir-dukungan" for model in domain_models()
               if group_of(model) == INFRASTRUCTURE)
    assert [e.key for e in CloudService.spec.expiry] == ["akhir-dukungan", "lisensi-berakhir"]


def test_an_expired_platform_license_is_warned(kinds, world):
    kinds.build(PlatformSoftware, license_end=today() - datetime.timedelta(days=1))
    kinds.build(PlatformSoftware, license_end=today())
    found = completeness.warnings_by_kind({PlatformSoftware: PlatformSoftware.objects.all()}, [world.kominfo])
    assert found["architecture.platformsoftware"] == {world.kominfo.pk: ["1 dengan lisensi berakhir"]}
    assert [e.key for e in PlatformSoftware.spec.expiry] == ["akhir-dukungan", "lisensi-berakhir"]


def test_storage_and_cloud_hold_data_of_other_opds_but_not_of_another_instansi(kinds, world):
    data = Builder(world.dinkes).build(DataItem)
    far_data = Builder(world.far).build(DataItem)
    for model in (StorageMedia, CloudService):
        holder = kinds.build(model)
        assert holder.link_problems("data_items", [data]) == []
        holder.data_items.add(data)
        assert holder.link_problems("data_items", [far_data]) == [f"“{far_data}” milik instansi lain."]
    assert list(data.storage_media.all()) + list(data.cloud_services.all()) == [
        StorageMedia.objects.get(), CloudService.objects.get()]


# --- the rules every kind of the group shares, over each kind the registry knows ---------------------------------

INFRASTRUCTURE_KINDS = [model for model in domain_models() if group_of(model) == INFRASTRUCTURE]
SECURITY_KINDS = [model for model in domain_models() if group_of(model) == SECURITY]


def kind_id(model) -> str:
    return model.spec.slug


@pytest.mark.parametrize("model", INFRASTRUCTURE_KINDS, ids=kind_id)
def test_every_kind_refuses_an_end_of_support_before_its_acquisition(model, kinds):
    obj = kinds.build(model)
    obj.acquisition_year, obj.end_of_support = 2024, datetime.date(2023, 12, 31)
    assert refused(obj)["end_of_support"] == ["Akhir dukungan tidak boleh sebelum tahun pengadaan."]
    obj.end_of_support = datetime.date(2024, 1, 1)
    obj.full_clean()


@pytest.mark.parametrize("model", [m for m in INFRASTRUCTURE_KINDS + SECURITY_KINDS if m.amounts], ids=kind_id)
def test_every_kind_refuses_a_negative_amount_naming_the_field(model, kinds):
    for name in model.amounts:
        obj = kinds.build(model)
        setattr(obj, name, -1)
        label = capfirst(model._meta.get_field(name).verbose_name)
        assert f"{label} tidak boleh negatif." in refused(obj)[name], name


def test_the_kinds_without_amounts_are_the_ones_that_count_nothing():
    assert {m.__name__ for m in INFRASTRUCTURE_KINDS + SECURITY_KINDS if not m.amounts} == {
        "Peripheral", "NetworkDevice", "SecurityDevice", "PlatformSoftware", "SecurityStandard",
        "SecurityImprovement", "SecurityAudit", "SecurityFeasibility"}


@pytest.mark.parametrize("model", INFRASTRUCTURE_KINDS, ids=kind_id)
def test_every_kind_refuses_a_value_of_another_instansi(model, kinds, world):
    obj = kinds.build(model)
    obj.ownership = ValueListItem.objects.filter(institution=world.other, kind=ValueListKind.OWNERSHIP).first()
    assert refused(obj)["ownership"] == ["Nilai pilihan ini milik instansi lain."]


@pytest.mark.parametrize("model", SECURITY_KINDS, ids=kind_id)
def test_every_security_kind_protects_infrastructure_of_other_opds_but_not_of_another_instansi(model, kinds, world):
    assert set(PROTECTS) <= set(model.spec.form_fields)
    measure = kinds.build(model)
    for field in PROTECTS:
        target = model._meta.get_field(field).related_model
        assert measure.link_problems(field, [Builder(world.dinkes).build(target)]) == [], field
        far = Builder(world.far).build(target)
        assert measure.link_problems(field, [far]) == [f"“{far}” milik instansi lain."], field


def test_the_free_space_of_a_storage_shows_on_its_page_and_in_the_api_read_only(kinds, world, client, api):
    storage = kinds.build(StorageMedia, capacity_gb=Decimal("1000"), used_gb=Decimal("250.50"))
    assert StorageMedia.spec.computed == (("free_gb", "sisa kapasitas (GB)"),)
    client.force_login(world.users["admin"])
    body = client.get(storage.get_absolute_url()).content.decode()
    assert "<dt>Sisa kapasitas (GB)</dt><dd>749.50</dd>" in body
    reader = api(world.users["admin"])
    url = f"/api/architecture/{StorageMedia.spec.api_name}/{storage.pk}/"
    assert reader.get(url).json()["free_gb"] == "749.50"
    response = reader.patch(url, {"free_gb": "5", "lock_version": storage.lock_version}, format="json")
    assert response.status_code == 200, response.content
    storage.refresh_from_db()
    assert storage.free_gb == Decimal("749.50") and response.json()["free_gb"] == "749.50"
    storage.used_gb = None
    assert storage.free_gb is None

"""Domain rules of the infrastruktur kinds (issue 12): where a server may stand, capacities, license periods,
virtual servers and their host, and the links applications hold to shared infrastructure across OPDs."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sia.architecture import completeness
from sia.architecture.choices import ServerType, ValueListKind
from sia.architecture.kindgroups import group_of
from sia.architecture.models import (
    INFRASTRUCTURE, Application, CloudService, ComputingFacility, IntraNetwork, NetworkDevice, Peripheral,
    PlatformSoftware, SecurityDevice, Server, ServiceBus, StorageMedia, ValueListItem,
)
from sia.architecture.registry import domain_models
from tests.kinds import Builder

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


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


def test_a_host_is_a_physical_server(kinds, world):
    host = kinds.build(Server, server_type=ServerType.PHYSICAL)
    virtual_host = kinds.build(Server, server_type=ServerType.VIRTUAL, host=host)
    nested = Server(department=world.kominfo, name="VM di VM", server_type=ServerType.VIRTUAL, host=virtual_host)
    assert refused(nested)["host"] == ["Server host harus server fisik, bukan server virtual."]
    vm = Server(department=world.kominfo, name="VM", server_type=ServerType.VIRTUAL, host=host)
    vm.full_clean()


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
    kinds.build(CloudService, license_start=TODAY - datetime.timedelta(days=400),
                license_end=TODAY - datetime.timedelta(days=1))
    kinds.build(CloudService, license_end=TODAY + datetime.timedelta(days=30))
    kinds.build(PlatformSoftware, end_of_support=TODAY - datetime.timedelta(days=10))
    kinds.build(Server, end_of_support=TODAY)  # the last day of support is not past
    found = completeness.warnings_by_kind(
        {model: model.objects.all() for model in (CloudService, PlatformSoftware, Server)}, [world.kominfo])
    assert found["architecture.cloudservice"] == {world.kominfo.pk: ["1 dengan lisensi berakhir"]}
    assert found["architecture.platformsoftware"] == {world.kominfo.pk: ["1 melewati akhir dukungan"]}
    assert found["architecture.server"] == {}
    # every kind of the group has the end of support as an expiry (the common field), the cloud its license too
    assert all(model.spec.expiry[0].key == "akhir-dukungan" for model in domain_models()
               if group_of(model) == INFRASTRUCTURE)
    assert [e.key for e in CloudService.spec.expiry] == ["akhir-dukungan", "lisensi-berakhir"]

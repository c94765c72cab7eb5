"""Infrastruktur, continued: the kinds that are services, software and networks rather than boxes in a room
(komputasi awan, perangkat lunak platform, jaringan intra pemerintah, SPLP). See ``infrastructure``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import PlatformSoftwareType, ValueListKind
from ..valuelists import ValueList
from .base import Expiry, LinkSpec, free_text, in_subtrees
from .infrastructure import InfrastructureObject, infrastructure_spec, size, value_list
from .rules import order_problem


class IntraNetwork(InfrastructureObject):
    """A Jaringan Intra Pemerintah: the network that links the instansi's OPD sites (provider, bandwidth, topology)."""

    spec = infrastructure_spec(
        slug="jaringan-intra", api_name="intra-networks", code_prefix="JI", order=59,
        form_fields=("provider", "network_type", "media", "bandwidth_mbps", "topology", "connected_departments"),
        list_columns=("provider", "bandwidth_mbps"), filter_fields=("media",),
        completeness_fields=("provider", "media", "bandwidth_mbps", "ownership", "managing_unit"),
        menu_label=_("Jaringan intra pemerintah"), archimate_element="CommunicationNetwork",
        value_lists=(
            ValueList(ValueListKind.NETWORK_MEDIA, _("Tipe media jaringan"),
                      suggested=("Fiber Optic", "Wireless", "VSAT", "Kabel tembaga", "Lainnya")),
        ),
    )
    amounts = ("bandwidth_mbps",)

    provider = models.CharField(_("penyedia"), max_length=200, blank=True)
    network_type = models.CharField(_("jenis jaringan"), max_length=200, blank=True,
                                    help_text=_("Mis. IP Transit, bandwidth simetris 1:1."))
    media = value_list(ValueListKind.NETWORK_MEDIA, _("tipe media jaringan"))
    bandwidth_mbps = models.PositiveIntegerField(_("bandwidth (Mbps)"), null=True, blank=True)
    topology = models.CharField(_("topologi"), max_length=200, blank=True)
    connected_departments = models.ManyToManyField(
        "organizations.Department", blank=True, related_name="+", verbose_name=_("OPD terhubung"),
        help_text=_("Lokasi OPD yang dihubungkan jaringan ini."),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Jaringan Intra Pemerintah")
        verbose_name_plural = _("Jaringan Intra Pemerintah")


class ServiceBus(InfrastructureObject):
    """A Sistem Penghubung Layanan Pemerintah (SPLP): the gateway through which applications exchange data."""

    spec = infrastructure_spec(
        slug="splp", api_name="service-buses", code_prefix="SP", order=60,
        form_fields=("bus_type", "gateway_address", "registered_api_count", "registered_apis", "networks"),
        list_columns=("registered_api_count",), filter_fields=(),
        completeness_fields=("bus_type", "registered_apis", "ownership", "managing_unit"),
        menu_label=_("SPLP"), archimate_element="SystemSoftware",
        links=(
            LinkSpec("networks", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
        ),
    )
    amounts = ("registered_api_count",)

    bus_type = models.CharField(_("jenis sistem penghubung"), max_length=200, blank=True,
                                help_text=_("Mis. API gateway, enterprise service bus."))
    gateway_address = models.URLField(_("alamat gateway"), max_length=300, blank=True)
    registered_api_count = models.PositiveIntegerField(_("jumlah API terdaftar"), null=True, blank=True)
    registered_apis = free_text(_("API terdaftar"))
    networks = models.ManyToManyField(
        IntraNetwork, blank=True, related_name="service_buses", verbose_name=_("jaringan intra dipakai"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("SPLP")
        verbose_name_plural = _("SPLP")


class CloudService(InfrastructureObject):
    """A Komputasi Awan: a cloud subscription (SaaS, PaaS, IaaS) with its provider, license period and capacity."""

    spec = infrastructure_spec(
        slug="komputasi-awan", api_name="cloud-services", code_prefix="KA", order=57,
        form_fields=("service_type", "provider", "license_type", "license_start", "license_end", "capacity",
                     "capacity_gb", "annual_cost", "service_buses", "networks", "data_items"),
        list_columns=("service_type", "license_end"), filter_fields=("service_type", "license_end"),
        completeness_fields=("service_type", "provider", "license_end", "ownership", "managing_unit"),
        menu_label=_("Komputasi awan"), archimate_element="TechnologyService",
        expiry=(Expiry("lisensi-berakhir", _("Lisensi berakhir"), _("%(n)d dengan lisensi berakhir"),
                       date_field="license_end"),),
        links=(
            LinkSpec("service_buses", meaning=_("terhubung ke"), inverse=_("menghubungkan"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("networks", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("data_items", meaning=_("menyimpan"), inverse=_("disimpan di"), relationship="access",
                     cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.CLOUD_SERVICE_TYPE, _("Tipe komputasi awan"), suggested=("SaaS", "PaaS", "IaaS")),
            ValueList(ValueListKind.INFRA_LICENSE, _("Jenis lisensi infrastruktur"),
                      suggested=("Perpetual", "Periodik/Langganan", "Open Source")),
        ),
    )
    amounts = ("capacity_gb", "annual_cost")

    service_type = value_list(ValueListKind.CLOUD_SERVICE_TYPE, _("tipe layanan"))
    provider = models.CharField(_("penyedia"), max_length=200, blank=True)
    license_type = value_list(ValueListKind.INFRA_LICENSE, _("jenis lisensi"))
    license_start = models.DateField(_("awal masa lisensi"), null=True, blank=True)
    license_end = models.DateField(_("akhir masa lisensi"), null=True, blank=True)
    capacity = models.CharField(_("kapasitas"), max_length=200, blank=True, help_text=_("Mis. 8 vCPU, 32 GB RAM."))
    capacity_gb = size(_("kapasitas penyimpanan (GB)"))
    annual_cost = size(_("biaya layanan per tahun (Rp)"))
    service_buses = models.ManyToManyField(
        ServiceBus, blank=True, related_name="cloud_services", verbose_name=_("SPLP terhubung"),
    )
    networks = models.ManyToManyField(
        IntraNetwork, blank=True, related_name="cloud_services", verbose_name=_("jaringan intra dipakai"),
    )
    data_items = models.ManyToManyField(
        "architecture.DataItem", blank=True, related_name="cloud_services", verbose_name=_("data disimpan"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Komputasi Awan")
        verbose_name_plural = _("Komputasi Awan")

    def clean_domain(self):
        errors = super().clean_domain()
        errors.update(order_problem(self, "license_start", "license_end"))
        return errors


# The level-4 nodes of RAI.03.01.07 Perangkat Lunak Platform and the software type each stands for.
SOFTWARE_TYPE_NODES = {
    "RAI.03.01.07.01": PlatformSoftwareType.DATABASE,
    "RAI.03.01.07.02": PlatformSoftwareType.OPERATING_SYSTEM,
    "RAI.03.01.07.03": PlatformSoftwareType.UTILITY,
}


def software_type_of(node) -> str | None:
    """The software type a reference under RAI.03.01.07.0x stands for (None above them or elsewhere)."""
    return next((kind for code, kind in SOFTWARE_TYPE_NODES.items() if in_subtrees(node.code, (code,))), None)


class PlatformSoftware(InfrastructureObject):
    """A Perangkat Lunak Platform: a sistem operasi, sistem database or sistem utilitas, with version and license."""

    spec = infrastructure_spec(
        slug="perangkat-lunak-platform", api_name="platform-software", code_prefix="PL", order=58,
        form_fields=("software_type", "product", "version", "license_type", "license_end", "cloud_services",
                     "facilities"),
        list_columns=("software_type", "version", "end_of_support"),
        filter_fields=("software_type", "license_type", "end_of_support", "license_end"),
        completeness_fields=("software_type", "product", "version", "license_type", "end_of_support", "ownership",
                             "managing_unit"),
        menu_label=_("Perangkat lunak platform"), archimate_element="SystemSoftware", reference_roots=("RAI.03.01.07",),
        expiry=(Expiry("lisensi-berakhir", _("Lisensi berakhir"), _("%(n)d dengan lisensi berakhir"),
                       date_field="license_end"),),
        links=(
            LinkSpec("cloud_services", meaning=_("berjalan di"),
                     inverse=_("menjalankan"), relationship="serving",
                     archimate_reversed=True, cross_opd=True),
            LinkSpec("facilities", meaning=_("berada di"), inverse=_("menampung"), relationship="aggregation",
                     archimate_reversed=True, cross_opd=True),
        ),
    )

    software_type = models.CharField(
        _("jenis perangkat lunak"), max_length=20, choices=PlatformSoftwareType.choices, blank=True,
    )
    product = models.CharField(_("produk"), max_length=200, blank=True, help_text=_("Mis. Ubuntu Server, PostgreSQL."))
    version = models.CharField(_("versi"), max_length=60, blank=True)
    license_type = value_list(ValueListKind.INFRA_LICENSE, _("jenis lisensi"))
    license_end = models.DateField(_("validitas lisensi"), null=True, blank=True,
                                   help_text=_("Tanggal berakhirnya lisensi; kosongkan untuk lisensi tanpa batas."))
    cloud_services = models.ManyToManyField(
        CloudService, blank=True, related_name="platform_software", verbose_name=_("komputasi awan"),
    )
    facilities = models.ManyToManyField(
        "architecture.ComputingFacility", blank=True, related_name="platform_software",
        verbose_name=_("fasilitas komputasi"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Perangkat Lunak Platform")
        verbose_name_plural = _("Perangkat Lunak Platform")

    def clean_domain(self):
        errors = super().clean_domain()
        expected = software_type_of(self.reference) if self.reference_id else None
        if expected and self.software_type and self.software_type != expected:
            errors["software_type"] = _("Jenis perangkat lunak untuk referensi %(node)s adalah %(expected)s.") % {
                "node": f"{self.reference.code} {self.reference.name}",
                "expected": PlatformSoftwareType(expected).label,
            }
        return errors


__all__ = ["IntraNetwork", "ServiceBus", "CloudService", "PlatformSoftware"]

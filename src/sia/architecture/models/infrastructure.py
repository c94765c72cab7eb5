"""Infrastruktur: the domain of Perpres 132/2022 whose AS-IS template has twelve sheets, as one kind group of
ten object kinds mapped to the RAI (the three facility sheets are one kind with a type).

The kinds the issue names (fasilitas komputasi with pusat data / pusat komputasi / pusat kendali as its type,
komputasi awan, server, periferal, media penyimpanan, perangkat jaringan, perangkat keamanan, perangkat lunak
platform, jaringan intra pemerintah, SPLP) each declare a ``DomainSpec`` naming ``INFRASTRUCTURE``; a kind whose
national RAI node is public maps into its sub-tree (``reference_roots``: server RAI.03.01.01, perangkat keamanan
RAI.03.01.04, perangkat lunak platform RAI.03.01.07), the others anywhere in the RAI at level 3 or below, where
an instansi adds its own nodes (RAI.01 Fasilitas Komputasi beside the public RAI.03); what every
kind has (ownership, owner, unit pengelola, location, acquisition year, end of support) is
``InfrastructureObject``. Hardware kinds are here, platform and network kinds in ``infrastructure_platform``.
Shared infrastructure is normal (a provincial data centre hosts every OPD's servers): links across OPDs of
the instansi are declared ``cross_opd``; another instansi's object is never accepted (``link_problems``).
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import FacilityType, ServerType, ValueListKind
from ..valuelists import ValueList
from .base import ArchitectureObject, DomainSpec, Expiry, KindGroup, LinkSpec
from .rules import YEAR_VALIDATORS, negative_problems, value_item_problems

INFRASTRUCTURE = KindGroup("infrastruktur", _("Infrastruktur"), order=50, archimate_element="Node")

# The form fields every kind of infrastruktur shows after its own.
COMMON = ("ownership", "owner_name", "managing_unit", "location", "acquisition_year", "end_of_support")


def value_list(kind: str, label, **kwargs):
    """A ForeignKey to one item of the editable value list ``kind``."""
    return models.ForeignKey(
        "architecture.ValueListItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=label, limit_choices_to={"kind": kind, "is_active": True}, **kwargs,
    )


def size(label, **kwargs):
    """A capacity or amount (GB, m², kVA, ...): a non-negative decimal (``clean_domain`` refuses a negative)."""
    return models.DecimalField(label, max_digits=12, decimal_places=2, null=True, blank=True, **kwargs)


class InfrastructureObject(ArchitectureObject):
    """What every kind of infrastruktur has: who owns it, the unit that runs it, where it stands, its life."""

    ownership = value_list(ValueListKind.OWNERSHIP, _("status kepemilikan"))
    owner_name = models.CharField(_("nama pemilik"), max_length=200, blank=True,
                                  help_text=_("Isi bila bukan milik sendiri, mis. nama BUMN atau penyedia."))
    managing_unit = models.ForeignKey(
        "organizations.WorkUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("unit pengelola"),
    )
    location = models.CharField(_("lokasi"), max_length=300, blank=True)
    acquisition_year = models.PositiveSmallIntegerField(
        _("tahun pengadaan"), null=True, blank=True, validators=YEAR_VALIDATORS,
    )
    end_of_support = models.DateField(
        _("akhir dukungan"), null=True, blank=True,
        help_text=_("Tanggal berakhirnya dukungan produsen atau masa pakai."),
    )

    # Non-negative numbers of the kind (capacities, counts): ``clean_domain`` names each negative one.
    amounts: tuple[str, ...] = ()

    class Meta(ArchitectureObject.Meta):
        abstract = True

    def clean_domain(self):
        errors = value_item_problems(self)
        errors.update(negative_problems(self, self.amounts))
        if self.end_of_support and self.acquisition_year and self.end_of_support.year < self.acquisition_year:
            errors["end_of_support"] = _("Akhir dukungan tidak boleh sebelum tahun pengadaan.")
        return errors


# Every kind has an end of support (``InfrastructureObject.end_of_support``): past it, the object is out of date.
END_OF_SUPPORT = Expiry("akhir-dukungan", _("Melewati akhir dukungan"), _("%(n)d melewati akhir dukungan"),
                        date_field="end_of_support")


def infrastructure_spec(**kwargs) -> DomainSpec:
    """A ``DomainSpec`` of the group: RAI, the common fields after the kind's own, the unit of the own OPD, the
    end of support as an expiry before the kind's own."""
    kwargs["form_fields"] = kwargs.get("form_fields", ()) + COMMON
    kwargs["expiry"] = (END_OF_SUPPORT,) + kwargs.get("expiry", ())
    kwargs.setdefault("completeness_fields", ("ownership", "managing_unit"))
    kwargs["filter_fields"] = kwargs.get("filter_fields", ()) + ("ownership",)
    return DomainSpec(
        catalog="RAI", group=INFRASTRUCTURE, unit_fields=(("managing_unit", "department"),), **kwargs,
    )


class ComputingFacility(InfrastructureObject):
    """A Fasilitas Komputasi: a pusat data, pusat komputasi or pusat kendali (one kind, its type a field)."""

    spec = infrastructure_spec(
        slug="fasilitas-komputasi", api_name="computing-facilities", code_prefix="FK", order=51,
        form_fields=("facility_type", "tier", "area_m2", "power_kva", "cooling", "intranet_bandwidth_mbps",
                     "internet_bandwidth_mbps", "physical_security"),
        list_columns=("facility_type", "tier"), filter_fields=("facility_type", "tier"),
        completeness_fields=("facility_type", "tier", "ownership", "managing_unit", "physical_security"),
        menu_label=_("Fasilitas komputasi"), archimate_element="Facility",
        value_lists=(
            ValueList(ValueListKind.OWNERSHIP, _("Status kepemilikan infrastruktur"), suggested=(
                "Milik Sendiri", "Milik Instansi Pemerintah Lain", "Milik BUMN", "Milik Pihak Ketiga - Dalam Negeri",
                "Milik Pihak Ketiga - Luar Negeri",
            )),
            ValueList(ValueListKind.FACILITY_TIER, _("Klasifikasi tier fasilitas"),
                      suggested=("Tier 1", "Tier 2", "Tier 3", "Tier 4")),
            ValueList(ValueListKind.FACILITY_SECURITY, _("Sistem pengamanan fasilitas"),
                      suggested=("Biometrik", "Non Biometrik", "Kartu akses", "Penjagaan petugas")),
        ),
    )
    amounts = ("area_m2", "power_kva")

    facility_type = models.CharField(_("jenis fasilitas"), max_length=20, choices=FacilityType.choices, blank=True)
    tier = value_list(ValueListKind.FACILITY_TIER, _("klasifikasi tier"))
    area_m2 = size(_("luas (m²)"))
    power_kva = size(_("daya listrik (kVA)"))
    cooling = models.CharField(_("sistem pendingin"), max_length=200, blank=True)
    intranet_bandwidth_mbps = models.PositiveIntegerField(_("bandwidth intranet (Mbps)"), null=True, blank=True)
    internet_bandwidth_mbps = models.PositiveIntegerField(_("bandwidth internet (Mbps)"), null=True, blank=True)
    physical_security = value_list(ValueListKind.FACILITY_SECURITY, _("sistem pengamanan fasilitas"))

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Fasilitas Komputasi")
        verbose_name_plural = _("Fasilitas Komputasi")


class StorageMedia(InfrastructureObject):
    """A Media Penyimpanan: storage (SAN, NAS, disk array) with its capacity, technique and use."""

    spec = infrastructure_spec(
        slug="media-penyimpanan", api_name="storage-media", code_prefix="MP", order=53,
        form_fields=("facility", "capacity_gb", "used_gb", "technique", "access_method", "data_items"),
        list_columns=("capacity_gb",), filter_fields=("technique", "facility"),
        completeness_fields=("facility", "capacity_gb", "technique", "ownership", "managing_unit"),
        menu_label=_("Media penyimpanan"), archimate_element="Device",
        computed=(("free_gb", _("sisa kapasitas (GB)")),),
        links=(
            LinkSpec("facility", meaning=_("berada di"), inverse=_("menampung"),
                     relationship="aggregation", archimate_reversed=True, cardinality="0..1", cross_opd=True),
            LinkSpec("data_items", meaning=_("menyimpan"), inverse=_("disimpan di"), relationship="access",
                     cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.STORAGE_TECHNIQUE, _("Teknik penyimpanan"),
                      suggested=("RAID 0", "RAID 1", "RAID 5", "RAID 6", "RAID 10", "non-RAID")),
            ValueList(ValueListKind.STORAGE_ACCESS, _("Metode akses penyimpanan"),
                      suggested=("DAS", "NAS", "SAN", "Object storage")),
        ),
    )
    amounts = ("capacity_gb", "used_gb")

    facility = models.ForeignKey(
        ComputingFacility, on_delete=models.PROTECT, null=True, blank=True, related_name="storage_media",
        verbose_name=_("fasilitas komputasi"),
    )
    capacity_gb = size(_("kapasitas (GB)"))
    used_gb = size(_("terpakai (GB)"))
    technique = value_list(ValueListKind.STORAGE_TECHNIQUE, _("teknik penyimpanan"))
    access_method = value_list(ValueListKind.STORAGE_ACCESS, _("metode akses"))
    data_items = models.ManyToManyField(
        "architecture.DataItem", blank=True, related_name="storage_media", verbose_name=_("data disimpan"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Media Penyimpanan")
        verbose_name_plural = _("Media Penyimpanan")

    @property
    def free_gb(self) -> Decimal | None:
        """Capacity minus what is used (``spec.computed``: detail page and API); None while either is unknown."""
        if self.capacity_gb is None or self.used_gb is None:
            return None
        return self.capacity_gb - self.used_gb

    def clean_domain(self):
        errors = super().clean_domain()
        if self.capacity_gb is not None and self.used_gb is not None and self.used_gb > self.capacity_gb:
            errors.setdefault("used_gb", _("Terpakai tidak boleh melebihi kapasitas."))
        return errors


class Server(InfrastructureObject):
    """A Server: a physical or virtual machine, in a fasilitas komputasi, mapped to RAI.03.01.01."""

    spec = infrastructure_spec(
        slug="server", api_name="servers", code_prefix="SV", order=52,
        form_fields=("server_type", "host", "facility", "usage", "processor", "cpu_cores", "memory_gb", "storage_gb",
                     "storage_media", "platform_software"),
        list_columns=("server_type", "facility"), filter_fields=("server_type", "usage", "facility"),
        completeness_fields=("server_type", "facility", "usage", "ownership", "managing_unit"),
        menu_label=_("Server"), archimate_element="Node", reference_roots=("RAI.03.01.01",),
        links=(
            LinkSpec("facility", meaning=_("berada di"), inverse=_("menampung"), relationship="aggregation",
                     archimate_reversed=True, cardinality="0..1", cross_opd=True),
            LinkSpec("host", meaning=_("berjalan di"), inverse=_("menjadi host bagi"),
                     relationship="aggregation", archimate_reversed=True, cardinality="0..1", cross_opd=True,
                     acyclic=True),
            LinkSpec("storage_media", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("platform_software", meaning=_("menjalankan"),
                     inverse=_("dijalankan di"), relationship="aggregation", cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.SERVER_USAGE, _("Jenis penggunaan server"), suggested=(
                "Web Server - Portal", "Web Server - Web Based Application Server", "Application Client Server",
                "Mail Server", "Database", "File Server", "Active Directory", "Keamanan Informasi",
            )),
        ),
    )
    amounts = ("memory_gb", "storage_gb")

    server_type = models.CharField(_("jenis server"), max_length=20, choices=ServerType.choices, blank=True)
    host = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="virtual_servers",
        verbose_name=_("server host"),
        help_text=_("Untuk server virtual: server tempatnya berjalan (fisik, atau virtual pada virtualisasi "
                    "bertingkat)."),
    )
    facility = models.ForeignKey(
        ComputingFacility, on_delete=models.PROTECT, null=True, blank=True, related_name="servers",
        verbose_name=_("fasilitas komputasi"),
    )
    usage = value_list(ValueListKind.SERVER_USAGE, _("jenis penggunaan"))
    processor = models.CharField(_("teknologi prosesor"), max_length=200, blank=True)
    cpu_cores = models.PositiveSmallIntegerField(_("jumlah inti CPU"), null=True, blank=True)
    memory_gb = size(_("memori (GB)"))
    storage_gb = size(_("penyimpanan internal (GB)"))
    storage_media = models.ManyToManyField(
        StorageMedia, blank=True, related_name="servers", verbose_name=_("media penyimpanan"),
    )
    platform_software = models.ManyToManyField(
        "architecture.PlatformSoftware", blank=True, related_name="servers",
        verbose_name=_("perangkat lunak platform"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Server")
        verbose_name_plural = _("Server")

    def clean_domain(self):
        errors = super().clean_domain()
        if self.host_id is None:
            return errors
        if self.server_type != ServerType.VIRTUAL:
            errors["host"] = _("Hanya server virtual yang berjalan di server host: pilih jenis “Virtual” "
                               "atau kosongkan server host.")
        # The host may be physical or virtual (nested virtualisation); a host chain that closes a cycle is refused
        # by the link's declaration (acyclic).
        return errors


class Peripheral(InfrastructureObject):
    """A Periferal: printer, scanner, UPS, CCTV, ... in a facility, serving servers."""

    spec = infrastructure_spec(
        slug="periferal", api_name="peripherals", code_prefix="PR", order=54,
        form_fields=("peripheral_type", "brand_model", "facility", "servers", "storage_media", "platform_software"),
        list_columns=("peripheral_type",), filter_fields=("peripheral_type", "facility"),
        completeness_fields=("peripheral_type", "ownership", "managing_unit"),
        menu_label=_("Periferal"), archimate_element="Device",
        links=(
            LinkSpec("facility", meaning=_("berada di"), inverse=_("menampung"), relationship="aggregation",
                     archimate_reversed=True, cardinality="0..1", cross_opd=True),
            LinkSpec("servers", meaning=_("melayani"), inverse=_("dilayani oleh"), relationship="serving",
                     cross_opd=True),
            LinkSpec("storage_media", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
            LinkSpec("platform_software", meaning=_("memakai"), inverse=_("dipakai oleh"),
                     relationship="serving", archimate_reversed=True, cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.PERIPHERAL_TYPE, _("Tipe periferal"), suggested=(
                "Printer", "Scanner", "UPS", "Proyektor", "Kamera CCTV", "Videotron", "Lainnya",
            )),
        ),
    )

    peripheral_type = value_list(ValueListKind.PERIPHERAL_TYPE, _("tipe periferal"))
    brand_model = models.CharField(_("merek/model"), max_length=200, blank=True)
    facility = models.ForeignKey(
        ComputingFacility, on_delete=models.PROTECT, null=True, blank=True, related_name="peripherals",
        verbose_name=_("fasilitas komputasi"),
    )
    servers = models.ManyToManyField(Server, blank=True, related_name="peripherals", verbose_name=_("server"))
    storage_media = models.ManyToManyField(
        StorageMedia, blank=True, related_name="peripherals", verbose_name=_("media penyimpanan dipakai"),
    )
    platform_software = models.ManyToManyField(
        "architecture.PlatformSoftware", blank=True, related_name="peripherals",
        verbose_name=_("perangkat lunak platform dipakai"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Periferal")
        verbose_name_plural = _("Periferal")


class NetworkDevice(InfrastructureObject):
    """A Perangkat Jaringan: router, switch, access point, serving facilities and servers."""

    spec = infrastructure_spec(
        slug="perangkat-jaringan", api_name="network-devices", code_prefix="PJ", order=55,
        form_fields=("device_type", "brand_model", "facilities", "servers", "storage_media", "platform_software"),
        list_columns=("device_type",), filter_fields=("device_type",),
        completeness_fields=("device_type", "ownership", "managing_unit"),
        menu_label=_("Perangkat jaringan"), archimate_element="Device",
        links=(
            LinkSpec("facilities", meaning=_("melayani"), inverse=_("dilayani oleh"),
                     relationship="serving", cross_opd=True),
            LinkSpec("servers", meaning=_("melayani"), inverse=_("dilayani oleh"),
                     relationship="serving", cross_opd=True),
            LinkSpec("storage_media", meaning=_("melayani"), inverse=_("dilayani oleh"),
                     relationship="serving", cross_opd=True),
            LinkSpec("platform_software", meaning=_("menjalankan"), inverse=_("dijalankan di"),
                     relationship="aggregation", cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.NETWORK_DEVICE_TYPE, _("Jenis perangkat jaringan"), suggested=(
                "Router", "Switch", "Access Point", "Modem", "Wireless Controller", "Lainnya",
            )),
        ),
    )

    device_type = value_list(ValueListKind.NETWORK_DEVICE_TYPE, _("jenis perangkat"))
    brand_model = models.CharField(_("merek/model"), max_length=200, blank=True)
    facilities = models.ManyToManyField(
        ComputingFacility, blank=True, related_name="network_devices", verbose_name=_("fasilitas komputasi dilayani"),
    )
    servers = models.ManyToManyField(Server, blank=True, related_name="network_devices", verbose_name=_("server dilayani"))
    storage_media = models.ManyToManyField(
        StorageMedia, blank=True, related_name="network_devices", verbose_name=_("media penyimpanan dilayani"),
    )
    platform_software = models.ManyToManyField(
        "architecture.PlatformSoftware", blank=True, related_name="network_devices",
        verbose_name=_("perangkat lunak platform dijalankan"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Perangkat Jaringan")
        verbose_name_plural = _("Perangkat Jaringan")


class SecurityDevice(InfrastructureObject):
    """A Perangkat Keamanan: firewall, IDS/IPS, WAF, VPN, ... protecting facilities, servers and the network."""

    spec = infrastructure_spec(
        slug="perangkat-keamanan", api_name="security-devices", code_prefix="PK", order=56,
        form_fields=("device_type", "brand_model", "facilities", "servers", "network_devices"),
        list_columns=("device_type",), filter_fields=("device_type",),
        completeness_fields=("device_type", "ownership", "managing_unit"),
        menu_label=_("Perangkat keamanan"), archimate_element="Device", reference_roots=("RAI.03.01.04",),
        links=(
            LinkSpec("facilities", meaning=_("melindungi"), inverse=_("dilindungi oleh"),
                     relationship="serving", cross_opd=True),
            LinkSpec("servers", meaning=_("melindungi"), inverse=_("dilindungi oleh"),
                     relationship="serving", cross_opd=True),
            LinkSpec("network_devices", meaning=_("melindungi"),
                     inverse=_("dilindungi oleh"), relationship="serving", cross_opd=True),
        ),
        value_lists=(
            ValueList(ValueListKind.SECURITY_DEVICE_TYPE, _("Jenis perangkat keamanan"), suggested=(
                "Firewall", "IDS", "IPS", "Proxy", "Load Balancer", "WIPS", "UTM", "NAC", "Antivirus", "WAF", "VPN",
            )),
        ),
    )

    device_type = value_list(ValueListKind.SECURITY_DEVICE_TYPE, _("jenis perangkat keamanan"))
    brand_model = models.CharField(_("merek/model"), max_length=200, blank=True)
    facilities = models.ManyToManyField(
        ComputingFacility, blank=True, related_name="security_devices", verbose_name=_("fasilitas komputasi dilindungi"),
    )
    servers = models.ManyToManyField(Server, blank=True, related_name="security_devices",
                                     verbose_name=_("server dilindungi"))
    network_devices = models.ManyToManyField(
        NetworkDevice, blank=True, related_name="security_devices", verbose_name=_("perangkat jaringan dilindungi"),
    )

    class Meta(InfrastructureObject.Meta):
        verbose_name = _("Perangkat Keamanan")
        verbose_name_plural = _("Perangkat Keamanan")


__all__ = [
    "INFRASTRUCTURE", "InfrastructureObject", "ComputingFacility", "StorageMedia", "Server", "Peripheral",
    "NetworkDevice", "SecurityDevice",
]

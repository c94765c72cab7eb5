"""Demo Infrastruktur: what the demo province runs its applications on. Diskominfosan's Pusat Data (Tier 3)
and Pusat Kendali, the server rooms of Dinkes, BPKAD and Dikbud, the physical hosts and the virtual servers on
them, storage, network and security devices, peripherals, two cloud subscriptions (one with its license
expired), platform software (one past its end of support), the jaringan intra and the SPLP; then the demo
applications linked to them: most OPDs' applications run on Diskominfosan's data-centre servers, a few on
their own server rooms, the national applications on none. Written in bulk with the review conversation
the workflow would have recorded (``demo_security`` does the same for Keamanan).

The RAI publishes eight nodes under RAI.03 Platform: servers, security devices and platform software map to
them (each kind's ``reference_roots``); the other kinds map to nodes the province adds in the gaps of the
published numbering (``OWN_NODES``: RAI.01 Fasilitas Komputasi, RAI.02 Sistem Integrasi, RAI.03.01.02 ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from sia.core.demo import register_demo
from sia.core.request_context import current_request_id
from sia.organizations.models import Department, Institution, WorkUnit
from sia.reference.models import CatalogVersion, ReferenceNode

from . import generation, workflow
from .choices import FacilityType as FT
from .choices import PlatformSoftwareType as PT
from .choices import ArchitectureState, ReviewStatus, ServerType, ValueListKind
from .demo_applications import APPS, STATUS_PLANS
from .demo_hosting import link_applications
from .models import (
    Application,
    CloudService,
    ComputingFacility,
    DataItem,
    IntraNetwork,
    NetworkDevice,
    Peripheral,
    PlatformSoftware,
    ReviewEvent,
    SecurityDevice,
    Server,
    ServiceBus,
    StorageMedia,
    ValueListItem,
)

PERIOD = "2025-2029"
OWN, THIRD_PARTY, GOVERNMENT = "Milik Sendiri", "Milik Pihak Ketiga - Dalam Negeri", "Milik Instansi Pemerintah Lain"
PDP = "Pusat Data Pemerintah Provinsi, Gedung Diskominfosan Lt. 2, Kompleks Perkantoran Gubernur, Gosale Puncak, Sofifi"
HOST_USAGE = "Host Virtualisasi"  # a value the province adds to the server-usage list

# Instansi nodes in the gaps of the published RAI (RAI.03 and RAI.03.01.01/04/07 are public): (parent, code,
# name, uraian); the kinds without a public node map to the level-3 ones.
OWN_NODES = [
    (None, "RAI.01", "Fasilitas Komputasi", "Pusat data, pusat komputasi dan pusat kendali."),
    ("RAI.01", "RAI.01.01", "Fasilitas Komputasi Pemerintah Daerah",
     "Fasilitas tempat server dan perangkat pemerintah daerah ditempatkan dan dipantau."),
    ("RAI.01.01", "RAI.01.01.01", "Pusat Data", "Pusat data bersama pemerintah daerah."),
    ("RAI.01.01", "RAI.01.01.02", "Pusat Komputasi dan Ruang Server", "Ruang server di kantor perangkat daerah."),
    ("RAI.01.01", "RAI.01.01.03", "Pusat Kendali", "Ruang pemantauan layanan (command center)."),
    (None, "RAI.02", "Sistem Integrasi", "Jaringan intra pemerintah dan sistem penghubung layanan."),
    ("RAI.02", "RAI.02.01", "Jaringan Intra Pemerintah", "Jaringan tertutup yang menghubungkan lokasi instansi."),
    ("RAI.02.01", "RAI.02.01.01", "Jaringan Intra Pemerintah Daerah",
     "Jaringan yang menghubungkan kantor perangkat daerah dengan pusat data."),
    ("RAI.02", "RAI.02.02", "Sistem Penghubung Layanan", "Sarana pertukaran data antaraplikasi (SPLP)."),
    ("RAI.02.02", "RAI.02.02.01", "SPLP Pemerintah Daerah",
     "API gateway tempat aplikasi perangkat daerah bertukar data."),
    ("RAI.03.01", "RAI.03.01.02", "Media Penyimpanan", "SAN, NAS dan disk array."),
    ("RAI.03.01", "RAI.03.01.03", "Perangkat Jaringan", "Switch, router dan access point."),
    ("RAI.03.01", "RAI.03.01.05", "Periferal", "UPS, CCTV, videowall, printer dan periferal lain."),
    ("RAI.03.01", "RAI.03.01.06", "Komputasi Awan", "Layanan IaaS, PaaS dan SaaS dari penyedia awan."),
]


@dataclass(frozen=True)
class Item:
    """One demo object: its key (how other rows name it), OPD, name, reference code, review plan, unit, the
    values of its own fields (value-list items by name, linked objects by key) and its many-to-many links."""

    key: str
    opd: str
    name: str
    ref: str = ""
    plan: str = "validated"
    unit: str = ""
    fields: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)
    returned: str = ""


def O(key, opd, name, ref="", plan="validated", unit="", links=None, returned="", **fields):  # noqa: N802
    return Item(key, opd, name, ref, plan, unit, fields, links or {}, returned)


def ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


class Builder:
    """Writes demo objects of one instansi in bulk: one insert per kind (with its audit trail), one per
    many-to-many link, one for every review turn; ``made`` maps each item's key to its stored object."""

    def __init__(self, institution):
        self.institution = institution
        self.departments = {d.abbreviation: d for d in Department.objects.filter(institution=institution)}
        self.units = {(u.department.abbreviation, u.name): u for u in
                      WorkUnit.objects.filter(department__institution=institution).select_related("department")}
        self.values = {(i.kind, i.name): i for i in ValueListItem.objects.filter(institution=institution)}
        self.nodes = {n.code: n for n in ReferenceNode.objects.current().for_institution(institution)
                      .filter(version__catalog__code__in=("RAI", "RAK"))}
        names = ["koordinator", "verifikator"] + [f"operator.{d.lower()}" for d in self.departments]
        self.people = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        self.made: dict[str, object] = {}
        self.apps = demo_applications_by_key(institution)
        self.conversations: list[tuple[object, list]] = []
        self._links: dict[tuple, list] = {}

    def build(self, model, items) -> int:
        items = [item for item in items if item.opd in self.departments]
        numbers: dict[str, int] = {}
        for code in model.objects.filter(institution=self.institution).values_list("code", flat=True):
            head, _dash, number = code.rpartition("-")  # codes already taken: PREFIX-OPD-NNN
            opd = head.partition("-")[2]
            numbers[opd] = max(numbers.get(opd, 0), int(number) if number.isdigit() else 0)
        objects, steps_of = [], []
        for item in items:
            numbers[item.opd] = numbers.get(item.opd, 0) + 1
            node = self.nodes.get(item.ref)
            steps = self._steps(item, submittable=node is not None)
            values = {name: self._resolve(model, name, value) for name, value in item.fields.items()}
            if item.unit:
                values["managing_unit"] = self.units.get((item.opd, item.unit))
            objects.append(model(
                institution=self.institution, department=self.departments[item.opd], name=item.name,
                code=f"{model.spec.code_prefix}-{item.opd}-{numbers[item.opd]:03d}", reference=node, period=PERIOD,
                status=steps[-1][3], lock_version=len(steps), **values,
            ))
            steps_of.append(steps)
        bulk_create_with_history(objects, model, default_user=self.people.get("koordinator"),
                                 custom_historical_attrs={"request_id": current_request_id()})
        stored = {obj.code: obj for obj in model.objects.filter(institution=self.institution,
                                                                 code__in=[o.code for o in objects])}
        for item, obj, steps in zip(items, objects, steps_of):
            self.made[item.key] = stored[obj.code]
            self.conversations.append((stored[obj.code], steps))
            for name, keys in item.links.items():
                self.link(model, name, stored[obj.code].pk, keys)
        return len(objects)

    def _resolve(self, model, name, value):
        """A field value of an item: a value-list item by its name, a linked object by its key."""
        model_field = model._meta.get_field(name)
        if not model_field.many_to_one or value is None:
            return value
        if model_field.related_model is ValueListItem:
            return self.values[(model_field.remote_field.limit_choices_to["kind"], value)]
        return self.made[value]

    def link(self, model, name, source_id, keys):
        """Queues many-to-many rows of ``model.name`` from ``source_id`` to the objects ``keys`` name: demo
        applications and infrastruktur by key, data by code, OPDs by abbreviation; missing ones are skipped."""
        target_model = model._meta.get_field(name).related_model
        if target_model is Application:
            targets = [self.apps.get(key) for key in keys]
        elif target_model is Department:
            targets = [self.departments.get(key) for key in keys]
        elif target_model is DataItem:
            found = dict(DataItem.objects.filter(institution=self.institution, code__in=keys).values_list("code", "pk"))
            targets = [found.get(key) for key in keys]
        else:
            targets = [self.made.get(key) for key in keys]
        rows = self._links.setdefault((model, name), [])
        rows += [(source_id, getattr(target, "pk", target)) for target in targets if target is not None]

    def write_links(self) -> int:
        count = 0
        for (model, name), pairs in self._links.items():
            model_field = model._meta.get_field(name)
            through = model_field.remote_field.through
            source, target = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
            through.objects.bulk_create(
                [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in dict.fromkeys(pairs)])
            count += len(pairs)
        self._links = {}
        return count

    def _steps(self, item, submittable: bool) -> list[tuple]:
        """The turns of the review conversation, as (action, user, from, to, comment): the workflow's own
        statuses (``workflow.TRANSITIONS``); an object without reference stays a draft, as the workflow keeps it."""
        operator = self.people.get(f"operator.{item.opd.lower()}") or self.people.get("koordinator")
        verifier, admin = self.people.get("verifikator"), self.people.get("koordinator")
        actor = {workflow.A.SUBMIT: operator, workflow.A.RETURN: verifier, workflow.A.VERIFY: verifier,
                 workflow.A.VALIDATE: admin}
        status = ReviewStatus.DRAFT
        steps = [(workflow.A.CREATE, operator, "", status, "")]
        for action in STATUS_PLANS[item.plan] if submittable else ():
            transition = workflow.TRANSITIONS[action]
            comment = item.returned if action == workflow.A.RETURN else ""
            steps.append((action, actor[action], status, transition.target, comment))
            status = transition.target
        return steps

    def record_conversations(self):
        """One bulk insert of every review turn; then the conversations move back over the last weeks."""
        events, ages = [], {}
        for position, (obj, steps) in enumerate(self.conversations):
            content_type = ContentType.objects.get_for_model(type(obj))
            ages.setdefault((content_type, 3 + (position * 5) % 50), []).append(obj.pk)
            events += [
                ReviewEvent(content_type=content_type, object_id=obj.pk, institution_id=obj.institution_id,
                            action=action, from_status=source, to_status=target, comment=comment, user=user)
                for action, user, source, target, comment in steps
            ]
        ReviewEvent.objects.bulk_create(events)
        for (content_type, days), ids in ages.items():
            ReviewEvent.objects.filter(content_type=content_type, object_id__in=ids).update(
                created=F("created") - timedelta(days=days))
        by_model: dict = {}
        for obj, _steps in self.conversations:
            by_model.setdefault(type(obj), []).append(obj.pk)
        for model, ids in by_model.items():
            workflow.restamp(model, ids)
        self.conversations = []


def demo_applications_by_key(institution) -> dict:
    """The demo applications (``demo_applications.APPS``) by their key, found by name in the instansi."""
    by_name = {app.name: app for app in Application.objects.filter(institution=institution)}
    return {spec.key: by_name[spec.name] for spec in APPS if spec.name in by_name}


def ensure_nodes(institution, definitions) -> None:
    """The instansi's own reference nodes of ``definitions`` (parent code or None at the top, code, name, uraian),
    parents before children; each checked as the reference pages check it."""
    codes = [code for _parent, code, _name, _uraian in definitions]
    parents = [parent for parent, _code, _name, _uraian in definitions if parent]
    nodes = {node.code: node for node in ReferenceNode.objects.current().for_institution(institution)
             .filter(code__in=codes + parents).select_related("version")}
    for parent_code, code, name, description in definitions:
        parent = nodes.get(parent_code) if parent_code else None
        if code in nodes or (parent_code and parent is None):
            continue
        version = parent.version if parent else CatalogVersion.objects.get(catalog__code=code.split(".")[0],
                                                                            is_current=True)
        node = ReferenceNode(version=version, parent=parent, institution=institution, code=code, name=name,
                             description=description)
        node.full_clean()
        node.save()
        nodes[code] = node


INFRA_UNIT, SECRETARIAT = "Bidang Infrastruktur Teknologi Informasi", "Sekretariat"
KOMINFO = "DISKOMINFOSAN"
PHYSICAL, VIRTUAL = ServerType.PHYSICAL, ServerType.VIRTUAL
TO_BE_NEW, TO_BE_UPGRADE = ArchitectureState.TO_BE_NEW, ArchitectureState.TO_BE_UPGRADE


def retire(year) -> dict:
    """An as-is object planned to be stopped in ``year``: a gap of the Peta Rencana (``sia.roadmap.demo``)."""
    return {"retiring": True, "retire_year": year}


def own(year, location=PDP, **fields):
    """The common fields of an object the province owns."""
    return {"ownership": OWN, "acquisition_year": year, "location": location, **fields}


FACILITIES = [
    O("pdp", KOMINFO, "Pusat Data Pemerintah Provinsi Maluku Utara", "RAI.01.01.01", unit=INFRA_UNIT, **own(
        2019, description="Pusat data bersama tempat server aplikasi seluruh perangkat daerah ditempatkan.",
        facility_type=FT.DATA_CENTRE, tier="Tier 3", area_m2=180, power_kva=200, intranet_bandwidth_mbps=10000,
        cooling="Precision AC 4 x 15 kW (N+1) dengan cold aisle containment", internet_bandwidth_mbps=2000,
        physical_security="Biometrik")),
    O("command", KOMINFO, "Malut Command Center (Pusat Kendali)", "RAI.01.01.03", plan="submitted",
      unit="Bidang Informasi dan Komunikasi Publik", **own(
          2021, "Gedung Diskominfosan Lt. 1, Kompleks Perkantoran Gubernur, Sofifi", facility_type=FT.CONTROL_CENTRE,
          description="Ruang pemantauan layanan publik, CCTV kota dan dasbor data pimpinan.", area_m2=120,
          power_kva=60, cooling="AC split 6 x 2 PK", intranet_bandwidth_mbps=1000, internet_bandwidth_mbps=500,
          physical_security="Kartu akses")),
    O("rs-dinkes", "DINKES", "Ruang Server Dinas Kesehatan", "RAI.01.01.02", unit=SECRETARIAT, **retire(2026), **own(
        2017, "Kantor Dinas Kesehatan, Sofifi", facility_type=FT.COMPUTING_CENTRE, tier="Tier 1", area_m2=16,
        description="Ruang server kantor dinas untuk aplikasi internal dan data kesehatan.", power_kva=10,
        cooling="AC split 2 x 2 PK (bergantian)", intranet_bandwidth_mbps=1000, internet_bandwidth_mbps=200,
        physical_security="Kartu akses")),
    O("rs-bpkad", "BPKAD", "Ruang Server BPKAD", "RAI.01.01.02", plan="verified", unit=SECRETARIAT, **retire(2027),
      **own(
        2015, "Kantor BPKAD, Sofifi", facility_type=FT.COMPUTING_CENTRE, tier="Tier 1", area_m2=20, power_kva=15,
        description="Ruang server aplikasi keuangan dan barang milik daerah.", cooling="AC split 2 x 2 PK",
        intranet_bandwidth_mbps=1000, internet_bandwidth_mbps=300, physical_security="Penjagaan petugas")),
    O("rs-dikbud", "DIKBUD", "Ruang Server Dinas Pendidikan dan Kebudayaan", "RAI.01.01.02", plan="draft",
      unit=SECRETARIAT, **retire(2026),
      **own(2018, "Kantor Dinas Pendidikan dan Kebudayaan, Sofifi", facility_type=FT.COMPUTING_CENTRE,
                             tier="Tier 1", area_m2=12, power_kva=6, cooling="AC split 1 x 1,5 PK",
                             internet_bandwidth_mbps=100, physical_security="Non Biometrik")),
]

STORAGE = [
    O("san", KOMINFO, "SAN Storage Pusat Data (Dell PowerStore 1200T)", "RAI.03.01.02", unit=INFRA_UNIT, **own(
        2022, facility="pdp", capacity_gb=96000, used_gb=61500, technique="RAID 6", access_method="SAN",
        end_of_support=date(2029, 12, 31), description="Penyimpanan bersama mesin virtual di host virtualisasi.")),
    O("nas-backup", KOMINFO, "NAS Cadangan Pusat Data (Synology RS3621xs+)", "RAI.03.01.02", plan="verified",
      unit=INFRA_UNIT, **own(2020, facility="pdp", capacity_gb=144000, used_gb=88200, technique="RAID 6",
                             access_method="NAS", description="Cadangan harian basis data dan mesin virtual.")),
    O("nas-dinkes", "DINKES", "NAS Ruang Server Dinkes (QNAP TS-873A)", "RAI.03.01.02", unit=SECRETARIAT,
      links={"data_items": ("DI-DINKES-001", "DI-DINKES-002", "DI-DINKES-003")}, **own(
        2021, "Kantor Dinas Kesehatan, Sofifi", facility="rs-dinkes", capacity_gb=32000, used_gb=21400,
        technique="RAID 5", access_method="NAS")),
    O("das-bpkad", "BPKAD", "Disk Array BPKAD (Lenovo ThinkSystem DE2000H)", "RAI.03.01.02", plan="submitted",
      unit=SECRETARIAT, **own(2019, "Kantor BPKAD, Sofifi", facility="rs-bpkad", capacity_gb=24000, used_gb=9800,
                              technique="RAID 10", access_method="DAS")),
]

INTRA = [
    O("intra", KOMINFO, "Jaringan Intra Pemerintah Provinsi Maluku Utara", "RAI.02.01.01", unit=INFRA_UNIT,
      links={"connected_departments": ("SETDA", "BAPPEDA", "BPKAD", "BKD", "DINKES", "DIKBUD", "DKP", "DISHUB",
                                       "DINSOS", "DISPUSIP", "DLH", "DPMPTSP", "INSPEKTORAT")},
      **own(2020, "Kompleks Perkantoran Gubernur Sofifi dan kantor OPD di Ternate", provider="PT Telkom Indonesia",
            network_type="Metro Ethernet, bandwidth simetris 1:1", media="Fiber Optic", bandwidth_mbps=1000,
            topology="Bintang, Pusat Data sebagai simpul pusat",
            description="Menghubungkan kantor perangkat daerah dengan Pusat Data dan Pusat Kendali.")),
    O("vsat", KOMINFO, "Jaringan VSAT Kantor Cabang Dinas di Pulau Terluar", "RAI.02.01.01", plan="submitted",
      unit=INFRA_UNIT, links={"connected_departments": ("DIKBUD", "DKP")},
      ownership=THIRD_PARTY, owner_name="PT Telkomsat", acquisition_year=2023, provider="PT Telkomsat",
      network_type="VSAT IP, bandwidth bersama", media="VSAT", bandwidth_mbps=20, topology="Bintang",
      location="Kantor cabang dinas di Morotai, Taliabu dan Halmahera Tengah"),
]

SERVICE_BUSES = [
    O("splp-bus", KOMINFO, "SPLP Provinsi Maluku Utara (API Gateway)", "RAI.02.02.01",
      unit="Bidang Aplikasi Informatika", links={"networks": ("intra",)}, **own(
          2022, bus_type="API gateway (WSO2 API Manager)", gateway_address="https://api-splp.malutprov.go.id",
          registered_api_count=24,
          description="Gerbang pertukaran data antaraplikasi perangkat daerah dan ke SPLP nasional.",
          registered_apis="Data pegawai (SIMPEG BKD); rekap presensi (e-Absen); realisasi APBD (SIPD-SIMDA); "
                          "rujukan pasien (e-Puskesmas-SIMRS); DTKS per NIK (SIKS-NG); dataset sektoral (Satu Data); "
                          "naskah dinas (SRIKANDI-TTE); produksi perikanan (SIMTANGKAP)")),
]

CLOUD = [
    O("cloud-dr", KOMINFO, "Cloud IaaS Pemulihan Bencana (DRC) Lintasarta", "RAI.03.01.06", unit=INFRA_UNIT,
      links={"service_buses": ("splp-bus",), "networks": ("intra",)},
      ownership=THIRD_PARTY, owner_name="PT Aplikanusa Lintasarta", acquisition_year=2024, location="Jakarta",
      service_type="IaaS", provider="PT Aplikanusa Lintasarta", license_type="Periodik/Langganan",
      license_start=ago(410), license_end=ago(45), capacity="16 vCPU, 64 GB RAM", capacity_gb=4000,
      annual_cost=285000000, description="Replika harian aplikasi utama; langganan berakhir dan belum diperpanjang."),
    O("cloud-pdn", KOMINFO, "Layanan IaaS Pusat Data Nasional (PDN)", "RAI.03.01.06", plan="verified",
      unit=INFRA_UNIT, links={"networks": ("intra",)}, ownership=GOVERNMENT,
      owner_name="Kementerian Komunikasi dan Digital", acquisition_year=2025, location="PDN Cikarang",
      service_type="IaaS", provider="Kementerian Komunikasi dan Digital (PDN)", license_start=date(2025, 3, 1),
      capacity="8 vCPU, 32 GB RAM", capacity_gb=1000),
]


def software(year, software_type, product, version, license, end_of_support, **fields):
    return own(year, software_type=software_type, product=product, version=version, license_type=license,
               end_of_support=end_of_support, **fields)


OSS, PERPETUAL = "Open Source", "Perpetual"
PLATFORM = [  # the facilities links refer to FACILITIES (built first)
    O("esxi", KOMINFO, "VMware vSphere ESXi 8.0", "RAI.03.01.07.02", unit=INFRA_UNIT, links={"facilities": ("pdp",)},
      **software(2022, PT.OPERATING_SYSTEM, "VMware vSphere ESXi", "8.0 U2", "Periodik/Langganan", date(2027, 10, 11),
                 license_end=ago(-240))),
    O("ubuntu22", KOMINFO, "Ubuntu Server 22.04 LTS", "RAI.03.01.07.02", unit=INFRA_UNIT, links={
        "cloud_services": ("cloud-pdn",)}, **software(2022, PT.OPERATING_SYSTEM, "Ubuntu Server", "22.04 LTS", OSS,
                                                      date(2027, 4, 30))),
    O("ubuntu24", KOMINFO, "Ubuntu Server 24.04 LTS", "RAI.03.01.07.02", unit=INFRA_UNIT,
      **software(2024, PT.OPERATING_SYSTEM, "Ubuntu Server", "24.04 LTS", OSS, date(2029, 5, 31))),
    O("winsrv2012", "BPKAD", "Windows Server 2012 R2", "RAI.03.01.07.02", unit=SECRETARIAT,
      links={"facilities": ("rs-bpkad",)}, **retire(2027),
      **software(2015, PT.OPERATING_SYSTEM, "Microsoft Windows Server", "2012 R2 Standard", PERPETUAL,
                 date(2023, 10, 10), location="Kantor BPKAD, Sofifi",
                 description="Melewati akhir dukungan Microsoft; direncanakan migrasi ke Pusat Data.")),
    O("sqlserver", "BPKAD", "Microsoft SQL Server 2019", "RAI.03.01.07.01", plan="verified", unit=SECRETARIAT,
      **software(2020, PT.DATABASE, "Microsoft SQL Server", "2019 Standard", PERPETUAL, date(2030, 1, 8),
                 location="Kantor BPKAD, Sofifi")),
    O("postgresql", KOMINFO, "PostgreSQL 16", "RAI.03.01.07.01", unit=INFRA_UNIT,
      **software(2024, PT.DATABASE, "PostgreSQL", "16", OSS, date(2028, 11, 9))),
    O("mysql", KOMINFO, "MySQL Community Server 8.4 LTS", "RAI.03.01.07.01", unit=INFRA_UNIT,
      **software(2024, PT.DATABASE, "MySQL Community Server", "8.4 LTS", OSS, date(2032, 4, 30))),
    O("nginx", KOMINFO, "Nginx 1.26", "RAI.03.01.07.03", plan="submitted", unit=INFRA_UNIT,
      **software(2024, PT.UTILITY, "Nginx", "1.26", OSS, None)),
    O("wso2", KOMINFO, "WSO2 API Manager 4.2", "RAI.03.01.07.03", plan="draft", unit="Bidang Aplikasi Informatika",
      **software(2022, PT.UTILITY, "WSO2 API Manager", "4.2.0", OSS, None)),
]


def server(year, server_type, usage, processor, cores, memory, storage, **fields):
    return own(year, server_type=server_type, usage=usage, processor=processor, cpu_cores=cores, memory_gb=memory,
               storage_gb=storage, **fields)


def vm(host, usage, cores, memory, storage, platform, year=2023):
    return {**server(year, VIRTUAL, usage, "vCPU Intel Xeon Gold 6338", cores, memory, storage, host=host,
                     facility="pdp"), "links": {"platform_software": platform, "storage_media": ("san",)}}


WEB, APPSRV = "Web Server - Portal", "Web Server - Web Based Application Server"
XEON_GOLD = "2 x Intel Xeon Gold 6338 (2,0 GHz, 32 inti)"
SERVERS = [
    O("host1", KOMINFO, "Host Virtualisasi PDP-01 (Dell PowerEdge R750)", "RAI.03.01.01", unit=INFRA_UNIT,
      links={"platform_software": ("esxi",), "storage_media": ("san",)},
      **server(2022, PHYSICAL, HOST_USAGE, XEON_GOLD, 64, 512, 1920, facility="pdp", end_of_support=date(2029, 6, 30))),
    O("host2", KOMINFO, "Host Virtualisasi PDP-02 (Dell PowerEdge R750)", "RAI.03.01.01", unit=INFRA_UNIT,
      links={"platform_software": ("esxi",), "storage_media": ("san",)},
      **server(2022, PHYSICAL, HOST_USAGE, XEON_GOLD, 64, 512, 1920, facility="pdp", end_of_support=date(2029, 6, 30))),
    O("db01", KOMINFO, "Server Basis Data PDP-DB01 (HPE ProLiant DL380 Gen10 Plus)", "RAI.03.01.01", plan="verified",
      unit=INFRA_UNIT, links={"platform_software": ("ubuntu22", "postgresql", "mysql"),
                              "storage_media": ("san", "nas-backup")},
      **server(2021, PHYSICAL, "Database", "2 x Intel Xeon Silver 4314 (2,4 GHz, 16 inti)", 32, 256, 7680,
               facility="pdp")),
    O("vm-web", KOMINFO, "VM Portal dan Website OPD (web-01)", "RAI.03.01.01", unit=INFRA_UNIT,
      **vm("host1", WEB, 8, 32, 500, ("ubuntu24", "nginx"))),
    O("vm-app", KOMINFO, "VM Aplikasi Layanan Publik OPD (app-01)", "RAI.03.01.01", unit=INFRA_UNIT,
      **vm("host1", APPSRV, 16, 64, 1000, ("ubuntu22", "nginx"))),
    O("vm-app2", KOMINFO, "VM Aplikasi Administrasi Pemerintahan (app-02)", "RAI.03.01.01", unit=INFRA_UNIT,
      **vm("host2", APPSRV, 16, 64, 1000, ("ubuntu22", "nginx"))),
    O("vm-data", KOMINFO, "VM Satu Data dan Statistik (data-01)", "RAI.03.01.01", plan="verified", unit=INFRA_UNIT,
      **vm("host1", APPSRV, 8, 32, 2000, ("ubuntu24", "postgresql"))),
    O("vm-splp", KOMINFO, "VM Gateway SPLP (gw-01)", "RAI.03.01.01", unit="Bidang Aplikasi Informatika",
      **vm("host2", APPSRV, 8, 16, 200, ("ubuntu22", "wso2"), year=2022)),
    O("vm-mail", KOMINFO, "VM Mail Server malutprov.go.id (mail-01)", "RAI.03.01.01", plan="submitted",
      unit=INFRA_UNIT, **vm("host2", "Mail Server", 8, 32, 2000, ("ubuntu22",))),
    O("vm-siem", KOMINFO, "VM Log dan Pemantauan Keamanan (siem-01)", "RAI.03.01.01", plan="draft",
      unit="Bidang Persandian dan Keamanan Informasi", **vm("host1", "Keamanan Informasi", 8, 32, 4000, ("ubuntu24",))),
    O("dinkes-srv", "DINKES", "Server Aplikasi Dinkes (HPE ProLiant ML350 Gen10)", "RAI.03.01.01", unit=SECRETARIAT,
      **retire(2026),
      links={"platform_software": ("ubuntu22", "mysql"), "storage_media": ("nas-dinkes",)},
      **server(2019, PHYSICAL, APPSRV, "Intel Xeon Silver 4210R (2,4 GHz, 10 inti)", 10, 64, 4000,
               location="Kantor Dinas Kesehatan, Sofifi", facility="rs-dinkes")),
    O("bpkad-srv", "BPKAD", "Server SIMDA Keuangan dan BMD (Lenovo ThinkSystem SR650)", "RAI.03.01.01",
      unit=SECRETARIAT, **retire(2027),
      links={"platform_software": ("winsrv2012", "sqlserver"), "storage_media": ("das-bpkad",)},
      **server(2015, PHYSICAL, "Database", "2 x Intel Xeon E5-2620 v4 (2,1 GHz, 8 inti)", 16, 128, 2400,
               location="Kantor BPKAD, Sofifi", facility="rs-bpkad")),
    O("dikbud-srv", "DIKBUD", "Server Data Pokok Pendidikan dan PPDB", "RAI.03.01.01", plan="returned",
      unit=SECRETARIAT, **retire(2026), links={"platform_software": ("ubuntu22", "mysql")},
      returned="Lengkapi media penyimpanan dan jadwal pencadangan; server belum tercatat di fasilitas komputasi.",
      **server(2018, PHYSICAL, APPSRV, "Intel Xeon E-2224 (3,4 GHz, 4 inti)", 4, 32, 2000,
               location="Kantor Dinas Pendidikan dan Kebudayaan, Sofifi")),
]

VMS = ("vm-web", "vm-app", "vm-app2", "vm-data", "vm-splp", "vm-mail", "vm-siem")
NETWORK = [
    O("core", KOMINFO, "Core Switch Pusat Data (Cisco Catalyst 9500-48Y4C, 2 unit)", "RAI.03.01.03",
      unit=INFRA_UNIT, links={"facilities": ("pdp", "command"), "servers": ("host1", "host2", "db01"),
                              "storage_media": ("san", "nas-backup")},
      **own(2022, device_type="Switch", brand_model="Cisco Catalyst 9500-48Y4C")),
    O("router", KOMINFO, "Router Internet Pusat Data (MikroTik CCR2216)", "RAI.03.01.03", unit=INFRA_UNIT,
      links={"facilities": ("pdp", "command")},
      **own(2021, device_type="Router", brand_model="MikroTik CCR2216-1G-12XS-2XQ")),
    O("ap", KOMINFO, "Access Point Kantor Gubernur (Ubiquiti UniFi U6 Pro, 40 unit)", "RAI.03.01.03",
      plan="verified", unit=INFRA_UNIT, links={"facilities": ("command",)},
      **own(2023, "Kompleks Perkantoran Gubernur, Sofifi", device_type="Access Point",
            brand_model="Ubiquiti UniFi U6 Pro")),
    O("sw-dinkes", "DINKES", "Switch Ruang Server Dinkes (Aruba 2930F)", "RAI.03.01.03", plan="submitted",
      unit=SECRETARIAT, links={"facilities": ("rs-dinkes",), "servers": ("dinkes-srv",)},
      **own(2019, "Kantor Dinas Kesehatan, Sofifi", device_type="Switch", brand_model="Aruba 2930F-24G")),
    O("sw-bpkad", "BPKAD", "Switch Ruang Server BPKAD (Cisco Catalyst 9200)", "RAI.03.01.03", plan="draft",
      unit=SECRETARIAT, links={"facilities": ("rs-bpkad",), "servers": ("bpkad-srv",)},
      **own(2020, "Kantor BPKAD, Sofifi", device_type="Switch", brand_model="Cisco Catalyst 9200-24T")),
]

SECURITY_DEVICES = [
    O("fw", KOMINFO, "Next-Generation Firewall Pusat Data (FortiGate 600F, HA)", "RAI.03.01.04",
      unit="Bidang Persandian dan Keamanan Informasi",
      links={"facilities": ("pdp",), "servers": ("host1", "host2", "db01"), "network_devices": ("core", "router")},
      **own(2022, device_type="Firewall", brand_model="Fortinet FortiGate 600F")),
    O("waf", KOMINFO, "Web Application Firewall (FortiWeb 1000F)", "RAI.03.01.04",
      unit="Bidang Persandian dan Keamanan Informasi", links={"servers": ("vm-web", "vm-app", "vm-app2", "vm-splp")},
      **own(2023, device_type="WAF", brand_model="Fortinet FortiWeb 1000F")),
    O("ips", KOMINFO, "IDS/IPS Jaringan Pusat Data", "RAI.03.01.04", plan="verified",
      unit="Bidang Persandian dan Keamanan Informasi", links={"network_devices": ("core",), "facilities": ("pdp",)},
      **own(2023, device_type="IPS", brand_model="Suricata pada appliance Supermicro")),
    O("vpn", KOMINFO, "VPN Gateway Site-to-Site Kantor OPD", "RAI.03.01.04", plan="submitted", unit=INFRA_UNIT,
      links={"network_devices": ("router",), "facilities": ("rs-dinkes", "rs-bpkad")},
      **own(2022, device_type="VPN", brand_model="FortiGate 600F (IPsec)")),
    O("utm-dinkes", "DINKES", "Firewall UTM Dinkes (Sophos XGS 2100)", "RAI.03.01.04", plan="submitted",
      unit=SECRETARIAT,
      links={"facilities": ("rs-dinkes",), "servers": ("dinkes-srv",), "network_devices": ("sw-dinkes",)},
      **own(2021, "Kantor Dinas Kesehatan, Sofifi", device_type="UTM", brand_model="Sophos XGS 2100")),
]

PERIPHERALS = [
    O("ups", KOMINFO, "UPS Modular Pusat Data (Schneider Galaxy VS, 2 x 100 kVA)", "RAI.03.01.05", unit=INFRA_UNIT,
      links={"servers": ("host1", "host2", "db01")},
      **own(2019, facility="pdp", peripheral_type="UPS", brand_model="Schneider Electric Galaxy VS 100 kVA")),
    O("cctv", KOMINFO, "Kamera CCTV Pusat Data (16 titik)", "RAI.03.01.05", unit=INFRA_UNIT,
      links={"storage_media": ("nas-backup",)},
      **own(2019, facility="pdp", peripheral_type="Kamera CCTV", brand_model="Hikvision DS-2CD2143G2")),
    O("videowall", KOMINFO, "Videowall Pusat Kendali (3 x 3 LCD 55 inci)", "RAI.03.01.05", plan="verified",
      unit="Bidang Informasi dan Komunikasi Publik",
      **own(2021, "Malut Command Center, Sofifi", facility="command", peripheral_type="Videotron",
            brand_model="Samsung VM55B-U")),
    O("ups-dinkes", "DINKES", "UPS Ruang Server Dinkes (APC Smart-UPS SRT 10 kVA)", "RAI.03.01.05",
      unit=SECRETARIAT, links={"servers": ("dinkes-srv",)},
      **own(2019, "Kantor Dinas Kesehatan, Sofifi", facility="rs-dinkes", peripheral_type="UPS",
            brand_model="APC Smart-UPS SRT 10kVA")),
    O("printer-bpkad", "BPKAD", "Printer Dot Matrix SP2D (Epson LQ-2190)", "RAI.03.01.05", plan="draft",
      unit="Bidang Perbendaharaan",
      **own(2018, "Bidang Perbendaharaan BPKAD, Sofifi", peripheral_type="Printer", brand_model="Epson LQ-2190")),
]

# The to-be infrastruktur of the period, built after the as-is objects it upgrades: the data-centre consolidation
# (the Pusat Data enlarged, a third host for the servers of the OPD server rooms that retire) and the disaster
# recovery moved to the Pusat Data Nasional when the expired subscription ends.
DATA_CENTRE_CONSOLIDATION = "Konsolidasi Pusat Data Pemerintah Provinsi Maluku Utara (perluasan ruang dan kapasitas)"
TO_BE = [
    (ComputingFacility, [
        O("pdp-konsolidasi", KOMINFO, DATA_CENTRE_CONSOLIDATION, "RAI.01.01.01", unit=INFRA_UNIT, state=TO_BE_UPGRADE,
          upgrades="pdp", **own(
              2026, description="Pusat Data diperluas untuk menampung server ruang server Dinkes, BPKAD dan Dikbud "
                                "yang dihentikan; satu pusat data bersama untuk seluruh perangkat daerah.",
              facility_type=FT.DATA_CENTRE, tier="Tier 3", area_m2=260, power_kva=320, intranet_bandwidth_mbps=10000,
              cooling="Precision AC 6 x 15 kW (N+1) dengan cold aisle containment", internet_bandwidth_mbps=4000,
              physical_security="Biometrik")),
    ]),
    (Server, [
        O("host3", KOMINFO, "Host Virtualisasi PDP-03 untuk Konsolidasi Server OPD", "RAI.03.01.01", plan="submitted",
          unit=INFRA_UNIT, state=TO_BE_NEW, links={"platform_software": ("esxi",), "storage_media": ("san",)},
          **server(2026, PHYSICAL, HOST_USAGE, XEON_GOLD, 64, 768, 3840, facility="pdp",
                   description="Menampung aplikasi yang dipindahkan dari ruang server Dinkes, BPKAD dan Dikbud.")),
    ]),
    (CloudService, [
        O("drc-pdn", KOMINFO, "Pemulihan Bencana (DRC) di Pusat Data Nasional", "RAI.03.01.06", plan="verified",
          unit=INFRA_UNIT, state=TO_BE_UPGRADE, upgrades="cloud-dr", links={"networks": ("intra",)},
          ownership=GOVERNMENT, owner_name="Kementerian Komunikasi dan Digital", acquisition_year=2026,
          location="PDN Batam", service_type="IaaS", provider="Kementerian Komunikasi dan Digital (PDN)",
          capacity="16 vCPU, 64 GB RAM", capacity_gb=6000,
          description="Replika harian aplikasi utama di PDN menggantikan langganan DRC yang berakhir."),
    ]),
]

@register_demo(37, "Infrastruktur (pusat data, server, jaringan, awan, SPLP)")
@generation.changing()  # bulk inserts send no signal
def load_infrastructure() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    if ComputingFacility.objects.filter(institution=institution).exists():
        return "sudah ada"
    ensure_nodes(institution, OWN_NODES)
    ValueListItem.objects.get_or_create(institution=institution, kind=ValueListKind.SERVER_USAGE, name=HOST_USAGE,
                                        defaults={"order": 90})
    builder = Builder(institution)
    counts = {}
    for model, items in ((ComputingFacility, FACILITIES), (StorageMedia, STORAGE), (IntraNetwork, INTRA),
                         (ServiceBus, SERVICE_BUSES), (CloudService, CLOUD), (PlatformSoftware, PLATFORM)):
        counts[model] = builder.build(model, items)
    hosts = [item for item in SERVERS if item.fields.get("server_type") == ServerType.PHYSICAL]
    counts[Server] = builder.build(Server, hosts) + builder.build(Server, [i for i in SERVERS if i not in hosts])
    for model, items in ((NetworkDevice, NETWORK), (SecurityDevice, SECURITY_DEVICES), (Peripheral, PERIPHERALS)):
        counts[model] = builder.build(model, items)
    for model, items in TO_BE:
        counts[model] += builder.build(model, items)
    linked = link_applications(builder)
    builder.write_links()
    builder.record_conversations()
    return (f"{counts[ComputingFacility]} fasilitas komputasi, {counts[Server]} server, "
            f"{sum(counts.values()) - counts[ComputingFacility] - counts[Server]} objek infrastruktur lain; "
            f"{linked} aplikasi terhubung")

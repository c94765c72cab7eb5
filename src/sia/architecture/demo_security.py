"""Demo Keamanan: the security measures of the demo province, mostly run by Diskominfosan's Bidang
Persandian for every OPD: the provincial policy and procedures (one past its end date), awareness sessions,
a vulnerability assessment and a penetration test, the ISO 27001 programme and the CSIRT's incident handling
with their maturity, an external audit by BSSN whose follow-up is still open and an internal one closed, and
feasibility checks; each protecting demo data, applications, servers, facilities and cloud services. Written
in bulk by the ``demo_infrastructure`` builder, after the infrastructure it protects.

No RAK codes are published: the province adds its own nodes at the top of the catalog, one per area of
Perpres 132/2022 (data, aplikasi, infrastruktur), each with its standar, penerapan and kelaikan."""

from __future__ import annotations

from datetime import date

from sia.core.demo import register_demo
from sia.organizations.models import Institution

from .choices import ArchitectureState, AuditType, FeasibilityResult, FollowUpStatus, SecurityDocumentType
from .demo_infrastructure import (
    CLOUD, FACILITIES, INTRA, KOMINFO, NETWORK, PLATFORM, SERVERS, SERVICE_BUSES, STORAGE, Builder, O, ago, ensure_nodes,
)
from .generation import changing
from .models import (
    CloudService,
    ComputingFacility,
    IncidentHandling,
    IntraNetwork,
    NetworkDevice,
    PlatformSoftware,
    SecurityAudit,
    SecurityAwareness,
    SecurityFeasibility,
    SecurityImprovement,
    SecurityStandard,
    Server,
    ServiceBus,
    StorageMedia,
    VulnerabilityAssessment,
)

AREAS = [("01", "Keamanan Data dan Informasi"), ("02", "Keamanan Aplikasi SPBE"), ("03", "Keamanan Infrastruktur SPBE")]
PARTS = [("01", "Standar"), ("02", "Penerapan"), ("03", "Kelaikan")]
RAK_NODES = [(None, f"RAK.{area}", name, f"{name} pemerintah daerah: standar, penerapan dan kelaikannya.")
             for area, name in AREAS] + [
    (f"RAK.{area}", f"RAK.{area}.{part}", f"{label} {name}", f"{label} {name.lower()} di lingkungan pemerintah daerah.")
    for area, name in AREAS for part, label in PARTS
]
DATA, APPS, INFRA = "RAK.01", "RAK.02", "RAK.03"


def protects(data=(), apps=(), facilities=(), servers=(), cloud=(), network=(), storage=(), platform=(), intra=(),
             buses=()) -> dict:
    return {"protected_data": data, "protected_applications": apps, "protected_facilities": facilities,
            "protected_servers": servers, "protected_cloud_services": cloud, "protected_network_devices": network,
            "protected_storage_media": storage, "protected_platform_software": platform,
            "protected_intra_networks": intra, "protected_service_buses": buses}


CORE_APPS = ("splp", "satudata", "esurat", "tte", "website", "epuskesmas", "ebansos", "simpegbkd", "ekinerja")
PDP_SERVERS = ("host1", "host2", "db01", "vm-web", "vm-app", "vm-app2", "vm-data", "vm-splp")
HEALTH_DATA = ("DI-DINKES-001", "DI-DINKES-002", "DI-DINKES-003")

STANDARDS = [
    O("kebijakan", KOMINFO, "Kebijakan Keamanan Informasi Pemerintah Provinsi Maluku Utara", f"{DATA}.01",
      links=protects(data=HEALTH_DATA, apps=CORE_APPS, facilities=("pdp", "command"), servers=PDP_SERVERS,
                     network=("core", "router"), intra=("intra",), buses=("splp-bus",)),
      document_type=SecurityDocumentType.REGULATION, valid_from=date(2023, 8, 1),
      document_number="Peraturan Gubernur Maluku Utara Nomor 27 Tahun 2023",
      description="Kebijakan induk keamanan informasi SPBE: klasifikasi informasi, tanggung jawab dan sanksi."),
    O("sandi", KOMINFO, "Standar Pengelolaan Kata Sandi dan Akun Aplikasi", f"{APPS}.01", plan="verified",
      links=protects(apps=CORE_APPS), document_type=SecurityDocumentType.STANDARD, valid_from=date(2024, 3, 1),
      document_number="Keputusan Kepala Diskominfosan Nomor 480/112/2024",
      description="Panjang minimal kata sandi, autentikasi dua faktor untuk admin dan peninjauan akun berkala."),
    O("sop-backup", KOMINFO, "SOP Pencadangan dan Pemulihan Data Pusat Data", f"{INFRA}.01",
      links=protects(facilities=("pdp",), servers=("db01",), cloud=("cloud-dr",), storage=("san", "nas-backup")),
      document_type=SecurityDocumentType.PROCEDURE, document_number="SOP-PDP-05/2022", valid_from=date(2022, 1, 10),
      valid_until=date(2024, 12, 31),
      description="Masa berlaku habis; revisi menunggu pengadaan ulang layanan pemulihan bencana."),
    O("sop-insiden", KOMINFO, "Prosedur Penanganan Insiden Siber (Malutprov-CSIRT)", f"{INFRA}.01", plan="submitted",
      links=protects(facilities=("pdp",), apps=("website", "splp")), document_type=SecurityDocumentType.PROCEDURE,
      document_number="SOP-CSIRT-01/2025", valid_from=date(2025, 6, 2)),
]

AWARENESS = [
    O("sosialisasi", KOMINFO, "Sosialisasi Keamanan Informasi bagi Operator Aplikasi OPD", f"{DATA}.02",
      links=protects(apps=CORE_APPS), activity_date=ago(130), participants=86,
      audience="Operator aplikasi dan pengelola TI 30 perangkat daerah",
      description="Klasifikasi informasi, kata sandi, rekayasa sosial dan pelaporan insiden ke CSIRT."),
    O("phishing-dinkes", "DINKES", "Edukasi Anti-Phishing dan Keamanan Surel Pegawai Dinkes", f"{DATA}.02",
      plan="submitted", links=protects(data=HEALTH_DATA, apps=("simpegdinkes", "epuskesmas")), activity_date=ago(60),
      participants=42, audience="Pegawai Dinas Kesehatan dan pengelola data puskesmas"),
    O("owasp", KOMINFO, "Pelatihan Pengembangan Aplikasi Aman (OWASP Top 10)", f"{APPS}.02", plan="draft",
      links=protects(apps=("satudata", "esurat", "ebansos")), activity_date=ago(-30), participants=25,
      audience="Pengembang aplikasi Diskominfosan dan OPD"),
]

ASSESSMENTS = [
    O("va", KOMINFO, "Penilaian Kerentanan Aplikasi dan Server Pusat Data Semester I", f"{APPS}.02",
      links=protects(apps=("website", "epuskesmas", "ebansos", "eplanning", "esurat"), servers=PDP_SERVERS,
      facilities=("pdp",)), activity_date=ago(160), findings_critical=2, findings_high=7, findings_medium=15,
      findings_low=23, scope="Lima aplikasi web layanan publik, server web-01, app-01, app-02 dan db-01.",
      description="Pemindaian otomatis dan verifikasi manual; dua temuan kritis (SQL injection, versi CMS usang)."),
    O("pentest", KOMINFO, "Uji Penetrasi Portal Satu Data dan SPLP", f"{APPS}.02", plan="verified",
      links=protects(apps=("satudata", "splp"), servers=("vm-data", "vm-splp"), buses=("splp-bus",),
                     platform=("wso2",)), activity_date=ago(45),
      findings_critical=0, findings_high=2, findings_medium=5, findings_low=8,
      scope="Portal Satu Data, API gateway SPLP dan layanan autentikasinya."),
]

IMPROVEMENTS = [
    O("iso27001", KOMINFO, "Penerapan SMKI (SNI ISO/IEC 27001) di Pusat Data", f"{INFRA}.02",
      links=protects(facilities=("pdp",), servers=PDP_SERVERS), activity_date=ago(90), maturity_value="2.75",
      description="Penyusunan ruang lingkup SMKI, analisis risiko dan kontrol Annex A untuk Pusat Data."),
]

INCIDENTS = [
    O("csirt", KOMINFO, "Penanganan Insiden Siber oleh Malutprov-CSIRT", f"{INFRA}.02",
      links=protects(apps=("website", "webdinkes", "webdikbud", "lapor"), servers=("vm-web",)),
      activity_date=ago(20), maturity_value="2.40", incident_count=17,
      description="Tujuh belas insiden: situs web diretas (judi daring), phishing surel dinas, DDoS ke portal."),
]

AUDITS = [
    O("audit-bssn", KOMINFO, "Audit Keamanan SPBE oleh BSSN", f"{INFRA}.02",
      links=protects(facilities=("pdp",), apps=("splp", "satudata", "esurat", "tte"), servers=PDP_SERVERS),
      audit_type=AuditType.EXTERNAL, auditor="Badan Siber dan Sandi Negara (BSSN)", audit_date=ago(200),
      result="Sebelas temuan: belum ada rencana pemulihan bencana yang diuji, log server tidak terpusat, "
             "akun admin bersama di aplikasi persuratan.",
      follow_up_status=FollowUpStatus.IN_PROGRESS),
    O("audit-internal", KOMINFO, "Audit Internal Keamanan Informasi Pusat Data", f"{INFRA}.02", plan="verified",
      links=protects(facilities=("pdp",), servers=("host1", "host2", "db01")), audit_type=AuditType.INTERNAL,
      auditor="Inspektorat Daerah Provinsi Maluku Utara", audit_date=ago(420),
      result="Empat temuan administratif: log akses ruang server belum direkap bulanan.",
      follow_up_status=FollowUpStatus.DONE, follow_up_date=ago(330)),
]

FEASIBILITY = [
    O("laik-esurat", KOMINFO, "Uji Kelaikan Keamanan e-Surat sebelum Rilis Versi 3", f"{APPS}.03",
      links=protects(apps=("esurat", "tte"), servers=("vm-app2",)), activity_date=ago(75),
      result=FeasibilityResult.CONDITIONAL, scope="Aplikasi e-Surat versi 3 dan integrasinya dengan TTE.",
      description="Laik dengan syarat: autentikasi dua faktor untuk pejabat penanda tangan."),
    O("laik-dinkes", "DINKES", "Kelaikan Keamanan Ruang Server Dinas Kesehatan", f"{INFRA}.03", plan="submitted",
      links=protects(facilities=("rs-dinkes",), servers=("dinkes-srv",), data=HEALTH_DATA), activity_date=ago(30),
      result=FeasibilityResult.UNFIT, scope="Ruang server, catu daya dan pengendalian akses fisik Dinkes."),
]

# The to-be security of the period (gaps of the Peta Rencana, ``sia.roadmap.demo``), built after the as-is measures
# they upgrade: the disaster recovery plan BSSN asked for, the backup procedure revised, the SMKI certified, a
# security operation centre for the CSIRT and the yearly SPBE security audit.
TO_BE = (
    (SecurityStandard, [
        O("drp", KOMINFO, "Rencana Keberlangsungan Layanan dan Pemulihan Bencana SPBE", f"{INFRA}.01", plan="submitted",
          state=ArchitectureState.TO_BE_NEW, links=protects(facilities=("pdp",), apps=CORE_APPS, cloud=("cloud-dr",)),
          document_type=SecurityDocumentType.PROCEDURE,
          description="Menindaklanjuti temuan BSSN: rencana pemulihan bencana yang diuji setiap tahun."),
        O("sop-backup-2026", KOMINFO, "SOP Pencadangan dan Pemulihan Data Pusat Data (revisi 2026)", f"{INFRA}.01",
          plan="draft", state=ArchitectureState.TO_BE_UPGRADE, upgrades="sop-backup",
          links=protects(facilities=("pdp",), servers=("db01",), storage=("san", "nas-backup")),
          document_type=SecurityDocumentType.PROCEDURE, valid_from=date(2026, 7, 1)),
    ]),
    (SecurityImprovement, [
        O("iso27001-sertifikasi", KOMINFO, "Sertifikasi SMKI SNI ISO/IEC 27001 Pusat Data", f"{INFRA}.02",
          state=ArchitectureState.TO_BE_UPGRADE, upgrades="iso27001",
          links=protects(facilities=("pdp",), servers=PDP_SERVERS), maturity_value="3.50",
          description="Audit sertifikasi oleh lembaga sertifikasi terakreditasi KAN setelah penerapan SMKI."),
    ]),
    (IncidentHandling, [
        O("soc", KOMINFO, "Security Operation Center (SOC) Malutprov-CSIRT", f"{INFRA}.02", plan="verified",
          state=ArchitectureState.TO_BE_UPGRADE, upgrades="csirt",
          links=protects(apps=CORE_APPS, servers=PDP_SERVERS, network=("core", "router")),
          description="Pemantauan keamanan 24 jam dengan log terpusat (SIEM) untuk aplikasi dan server Pusat Data."),
    ]),
    (SecurityAudit, [
        O("audit-tahunan", KOMINFO, "Audit Keamanan SPBE Tahunan", f"{INFRA}.02",
          state=ArchitectureState.TO_BE_UPGRADE, upgrades="audit-bssn",
          links=protects(facilities=("pdp",), apps=CORE_APPS, servers=PDP_SERVERS),
          auditor="Badan Siber dan Sandi Negara (BSSN) atau lembaga audit TIK terakreditasi",
          description="Audit keamanan aplikasi, infrastruktur dan tata kelola SPBE setiap tahun, dengan tindak lanjut "
                      "temuan tahun sebelumnya."),
    ]),
)

KINDS = ((SecurityStandard, STANDARDS), (SecurityAwareness, AWARENESS), (VulnerabilityAssessment, ASSESSMENTS),
         (SecurityImprovement, IMPROVEMENTS), (IncidentHandling, INCIDENTS), (SecurityAudit, AUDITS),
         (SecurityFeasibility, FEASIBILITY))


@register_demo(38, "Keamanan (standar, edukasi, kerentanan, audit, kelaikan)")
@changing()  # bulk inserts send no signal
def load_security() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    if SecurityStandard.objects.filter(institution=institution).exists():
        return "sudah ada"
    ensure_nodes(institution, RAK_NODES)
    builder = Builder(institution)
    builder.made = _infrastructure(institution)
    count = sum(builder.build(model, items) for model, items in KINDS)
    count += sum(builder.build(model, items) for model, items in TO_BE)
    builder.write_links()
    builder.record_conversations()
    return f"{count} objek keamanan"


def _infrastructure(institution) -> dict:
    """The demo infrastruktur the measures protect, by the key ``demo_infrastructure`` gave it."""
    found = {}
    for model, items in ((ComputingFacility, FACILITIES), (Server, SERVERS), (CloudService, CLOUD),
                         (NetworkDevice, NETWORK), (StorageMedia, STORAGE), (PlatformSoftware, PLATFORM),
                         (IntraNetwork, INTRA), (ServiceBus, SERVICE_BUSES)):
        by_name = {obj.name: obj for obj in model.objects.filter(institution=institution)}
        found.update({item.key: by_name[item.name] for item in items if item.name in by_name})
    return found

"""Demo Aplikasi: about sixty applications of the demo province as a real one has them, with the
duplicates SPBE exists to rationalise (several OPDs with their own staff, mail, finance, kinerja,
complaint systems and websites), the national shared applications used locally, and their
integrations, mostly through the SPLP. Each carries the review conversation the workflow would have
recorded (statuses from ``workflow.TRANSITIONS``), written in bulk so that ``sia demo`` stays fast."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from sia.core.demo import register_demo
from sia.core.request_context import current_request_id
from sia.organizations.models import Department, Institution, WorkUnit
from sia.reference.models import ReferenceNode

from . import generation, workflow
from .choices import ApplicationDeveloper as D
from .choices import ApplicationLifecycle as L
from .choices import ArchitectureState as S
from .choices import IntegrationChannel, IntegrationDirection, ReviewStatus, ValueListKind
from .demo_review import record_conversations
from .models import (
    Application,
    ApplicationIntegration,
    BusinessProcess,
    DataItem,
    Service,
    ValueListItem,
)

# Nodes the demo province adds under the RAA's level-2 areas for its own application areas.
RAA_OWN_NODES = [
    ("RAA.01.01.01", "Pengaduan dan Informasi Publik",
     "Kanal pengaduan masyarakat, permohonan informasi publik (PPID) dan tindak lanjutnya."),
    ("RAA.01.01.02", "Portal dan Situs Web Pemerintah", "Situs web resmi pemerintah daerah dan perangkat daerah."),
    ("RAA.01.02.01", "Kepegawaian dan Kinerja Aparatur",
     "Data pegawai, presensi, sasaran kinerja pegawai dan tambahan penghasilan pegawai (TPP)."),
    ("RAA.01.02.02", "Persuratan dan Kearsipan", "Naskah dinas elektronik, disposisi, tanda tangan elektronik dan arsip."),
    ("RAA.01.02.03", "Perencanaan, Penganggaran dan Keuangan Daerah",
     "Perencanaan pembangunan, APBD, penatausahaan dan akuntansi keuangan serta barang milik daerah."),
    ("RAA.02.02.01", "Kesehatan", "Pelayanan kesehatan, rekam medis, logistik obat dan surveilans penyakit."),
    ("RAA.02.02.02", "Pendidikan dan Kebudayaan", "Data pokok pendidikan, penerimaan peserta didik dan cagar budaya."),
    ("RAA.02.02.03", "Kelautan dan Perikanan", "Perikanan tangkap dan budi daya, perizinan kapal dan ruang laut."),
]

OSS, PERPETUAL, SUBSCRIPTION = "Open Source", "Proprietary (Perpetual)", "Periodik/Langganan"
OWN, VENDOR, CENTRAL = D.OWN_STAFF, D.THIRD_PARTY, D.CENTRAL_GOVERNMENT
ALL = ("DISKOMINFOSAN", "BAPPEDA", "DINKES", "BPKAD", "DIKBUD", "DKP", "DISHUB", "DINSOS", "DISPUSIP", "DLH")
KEPEGAWAIAN = "Subbagian Umum dan Kepegawaian"


@dataclass(frozen=True)
class DemoApp:
    key: str  # how integrations and the portfolio demo name it
    opd: str
    name: str
    ref: str
    unit: str
    function: str
    output: str
    # basis ("Web+Mobile"), license, languages ("PHP+Dart"), framework, database, developer
    stack: tuple = ("Web", "", "", "", "", OWN)
    life: tuple = (L.PRODUCTION, None)  # lifecycle, production year[, retirement year]
    plan: str = "validated"  # where the review workflow leaves it (see STATUS_PLANS)
    state: str = S.AS_IS
    national: str = ""  # the national shared application it puts in place (value list name before " (")
    processes: tuple = ()
    services: tuple = ()
    reads: tuple = ()
    writes: tuple = ()
    users: tuple = ()  # other OPDs that use it
    url: str = ""
    returned: str = ""  # the verifikator's reason, when the plan is "returned"
    retire: int | None = None  # an as-is application planned to be stopped in this year (a gap of the roadmap)


def _stack(platforms, license="", languages="", framework="", database="", developer=OWN):
    return (platforms, license, languages, framework, database, developer)


def P(opd, *numbers):  # noqa: N802 - a short name keeps the table readable
    return tuple(f"PB-{opd}-{n:03d}" for n in numbers)


def LY(opd, *numbers):  # noqa: N802
    return tuple(f"LY-{opd}-{n:03d}" for n in numbers)


def DI(opd, *numbers):  # noqa: N802
    return tuple(f"DI-{opd}-{n:03d}" for n in numbers)


PHP_WEB = _stack("Web", OSS, "PHP+JavaScript/TypeScript", "Laravel", "MySQL", OWN)
PHP_VENDOR = _stack("Web", PERPETUAL, "PHP+JavaScript/TypeScript", "Laravel", "MySQL", VENDOR)
CI_OWN = _stack("Web", OSS, "PHP", "CodeIgniter 3", "MySQL", OWN)
WORDPRESS = _stack("Web", OSS, "PHP", "WordPress", "MySQL", OWN)
NATIONAL = _stack("Web", "", "", "", "", CENTRAL)

# The new application replacing three duplicates (the OPD websites ``webdinkes``, ``webdikbud``, ``webdkp``, planned
# to retire): no kegiatan of the demo roadmap closes it yet (``sia.roadmap.demo``).
PORTAL_OPD = "Portal Web Terpadu Perangkat Daerah (pengganti tiga situs web OPD duplikat)"
REPLACED_BY_PORTAL = ("webdinkes", "webdikbud", "webdkp")

APPS = [
    # --- Diskominfosan: the shared platforms -------------------------------------------------------------
    DemoApp("splp", "DISKOMINFOSAN", "Sistem Penghubung Layanan Pemerintah (SPLP) Provinsi", "RAA.01.02",
            "Bidang Aplikasi Informatika", "Gerbang API tempat aplikasi perangkat daerah bertukar data secara terkendali",
            "API terdaftar, kunci akses aplikasi dan log pertukaran data",
            _stack("Web", OSS, "Java", "WSO2 API Manager", "MySQL"), (L.PRODUCTION, 2022),
            processes=P("DISKOMINFOSAN", 3), services=LY("DISKOMINFOSAN", 2), users=ALL,
            url="https://splp.malutprov.go.id"),
    DemoApp("satudata", "DISKOMINFOSAN", "Portal Satu Data Maluku Utara", "RAA.01.01", "Bidang Statistik",
            "Menghimpun dan menyebarluaskan data sektoral perangkat daerah sesuai prinsip Satu Data Indonesia",
            "Dataset terbuka, metadata dan infografik", _stack("Web", OSS, "Python", "CKAN", "PostgreSQL"),
            (L.PRODUCTION, 2021), national="Portal Satu Data Indonesia",
            processes=P("DISKOMINFOSAN", 5, 6) + P("BAPPEDA", 2), services=LY("DISKOMINFOSAN", 4),
            reads=DI("BAPPEDA", 1) + DI("DINSOS", 5), writes=DI("DISKOMINFOSAN", 4),
            users=("BAPPEDA", "DINKES", "DKP", "DINSOS"), url="https://data.malutprov.go.id"),
    DemoApp("lapor", "DISKOMINFOSAN", "SP4N-LAPOR! Provinsi Maluku Utara", "RAA.01.01.01",
            "Bidang Informasi dan Komunikasi Publik", "Menerima, mendisposisikan dan memantau tindak lanjut pengaduan masyarakat",
            "Pengaduan terdisposisi dan laporan tindak lanjut", _stack("Web+Mobile", developer=CENTRAL),
            (L.PRODUCTION, 2018), national="SP4N-LAPOR!", processes=P("DISKOMINFOSAN", 4),
            services=LY("DISKOMINFOSAN", 3), users=ALL, url="https://www.lapor.go.id"),
    DemoApp("website", "DISKOMINFOSAN", "Website Resmi Pemerintah Provinsi Maluku Utara", "RAA.01.01.02",
            "Bidang Informasi dan Komunikasi Publik", "Menyajikan berita, profil dan informasi layanan pemerintah provinsi",
            "Berita dan informasi publik", WORDPRESS, (L.PRODUCTION, 2014), processes=P("DISKOMINFOSAN", 1, 4),
            url="https://malutprov.go.id"),
    DemoApp("ppid", "DISKOMINFOSAN", "e-PPID Provinsi Maluku Utara", "RAA.01.01.01",
            "Bidang Informasi dan Komunikasi Publik",
            "Melayani permohonan informasi publik dan keberatan sesuai Undang-Undang Keterbukaan Informasi Publik",
            "Daftar informasi publik dan jawaban permohonan", PHP_WEB, (L.PRODUCTION, 2019), plan="verified",
            processes=P("DISKOMINFOSAN", 4), services=LY("DISKOMINFOSAN", 3), url="https://ppid.malutprov.go.id"),
    DemoApp("tte", "DISKOMINFOSAN", "Layanan Tanda Tangan Elektronik (TTE) Provinsi", "RAA.01.02.02",
            "Bidang Persandian dan Keamanan Informasi",
            "Membubuhkan tanda tangan elektronik tersertifikasi BSrE pada naskah dinas", "Dokumen bertanda tangan elektronik",
            _stack("Web", OSS, "Java", "Spring Boot", "PostgreSQL"), (L.PRODUCTION, 2021),
            processes=P("DISKOMINFOSAN", 3), users=ALL),
    DemoApp("esurat", "DISKOMINFOSAN", "e-Surat Pemprov Malut", "RAA.01.02.02", "Bidang Aplikasi Informatika",
            "Mencatat surat masuk dan keluar serta disposisi pimpinan", "Agenda surat dan disposisi", CI_OWN,
            (L.RETIRED, 2016, 2023), processes=P("DISKOMINFOSAN", 1)),
    DemoApp("simstat", "DISKOMINFOSAN", "Sistem Informasi Statistik Sektoral (SIMSTAT)", "RAA.01.01", "Bidang Statistik",
            "Mengumpulkan rekomendasi kegiatan statistik dan hasil survei sektoral perangkat daerah",
            "Rekapitulasi statistik sektoral", _stack("Web", OSS, "PHP", "Laravel", "PostgreSQL"),
            (L.PRODUCTION, 2020), plan="submitted", processes=P("DISKOMINFOSAN", 5),
            writes=DI("DISKOMINFOSAN", 4)),
    # --- Bappeda ------------------------------------------------------------------------------------------
    DemoApp("eplanning", "BAPPEDA", "e-Planning (Sistem Informasi Perencanaan Pembangunan Daerah)", "RAA.01.02.03",
            "Bidang Perencanaan, Pengendalian dan Evaluasi",
            "Menyusun RKPD, Renja perangkat daerah dan pagu indikatif", "Dokumen RKPD dan Renja", PHP_VENDOR,
            (L.PRODUCTION, 2017), processes=P("BAPPEDA", 2, 3), writes=DI("BAPPEDA", 1)),
    DemoApp("emonev", "BAPPEDA", "e-Monev Pembangunan Daerah", "RAA.01.02.03",
            "Bidang Perencanaan, Pengendalian dan Evaluasi",
            "Memantau capaian fisik dan keuangan program serta kegiatan perangkat daerah per triwulan",
            "Laporan evaluasi triwulanan RKPD", CI_OWN, (L.PRODUCTION, 2018), processes=P("BAPPEDA", 4),
            reads=DI("BAPPEDA", 3)),
    DemoApp("musrenbang", "BAPPEDA", "e-Musrenbang Maluku Utara", "RAA.01.02.03",
            "Bidang Perencanaan, Pengendalian dan Evaluasi", "Menampung usulan musyawarah perencanaan pembangunan",
            "Daftar usulan musrenbang", CI_OWN, (L.RETIRED, 2016, 2021), processes=P("BAPPEDA", 2)),
    DemoApp("sakip", "BAPPEDA", "e-SAKIP Maluku Utara", "RAA.01.02.01", "Bidang Perencanaan, Pengendalian dan Evaluasi",
            "Menyusun perjanjian kinerja dan laporan kinerja instansi pemerintah", "Perjanjian kinerja dan LKjIP",
            PHP_VENDOR, (L.PRODUCTION, 2019), plan="verified", processes=P("BAPPEDA", 4)),
    DemoApp("geoportal", "BAPPEDA", "Geoportal Maluku Utara", "RAA.01.01", "Bidang Infrastruktur dan Kewilayahan",
            "Menyebarluaskan data geospasial perangkat daerah sesuai prinsip Satu Data Indonesia dan Kebijakan Satu Peta",
            "Peta tematik dan layanan WMS",
            _stack("Web", OSS, "Python+JavaScript/TypeScript", "GeoNode", "PostgreSQL/PostGIS"), (L.PRODUCTION, 2020),
            plan="returned", processes=P("BAPPEDA", 2) + P("DISKOMINFOSAN", 6),
            returned="Data geospasial dikelola walidata di Diskominfosan; jelaskan pembagian peran dengan Portal Satu Data."),
    # --- BPKAD --------------------------------------------------------------------------------------------
    DemoApp("sipd", "BPKAD", "SIPD RI Pemerintah Provinsi Maluku Utara", "RAA.01.02.03", "Bidang Anggaran",
            "Menyusun APBD dan menatausahakan keuangan daerah dalam sistem Kementerian Dalam Negeri",
            "APBD, DPA, SPD, SP2D dan laporan realisasi", NATIONAL, (L.PRODUCTION, 2021), national="SIPD",
            processes=P("BPKAD", 2, 3, 5) + P("BAPPEDA", 3), services=LY("BPKAD", 1), writes=DI("BPKAD", 1, 4),
            users=ALL, url="https://sipd.kemendagri.go.id"),
    DemoApp("simda", "BPKAD", "SIMDA Keuangan", "RAA.01.02.03", "Bidang Akuntansi",
            "Mencatat jurnal dan menyusun laporan keuangan pemerintah daerah (aplikasi BPKP)",
            "Laporan keuangan pemerintah daerah", _stack("Desktop", PERPETUAL, "Lainnya", "Visual Basic 6",
                                                         "Microsoft SQL Server", CENTRAL),
            (L.PRODUCTION, 2010), processes=P("BPKAD", 3, 5), reads=DI("BPKAD", 4), retire=2027),
    DemoApp("simdabmd", "BPKAD", "SIMDA BMD (Barang Milik Daerah)", "RAA.01.02.03", "Bidang Aset",
            "Mencatat perolehan, mutasi dan penyusutan barang milik daerah", "Kartu inventaris barang dan laporan aset",
            _stack("Desktop", PERPETUAL, "Lainnya", "Visual Basic 6", "Microsoft SQL Server", CENTRAL),
            (L.PRODUCTION, 2013), plan="verified", processes=P("BPKAD", 1)),
    # --- Dinkes (none returned: operator.dinkes keeps its three returned items) -------------------------------
    DemoApp("simpegdinkes", "DINKES", "SIMPEG Dinkes", "RAA.01.02.01", KEPEGAWAIAN,
            "Mencatat data pegawai, tenaga kesehatan dan surat tanda registrasi di lingkungan Dinas Kesehatan",
            "Daftar urut kepangkatan dan data tenaga kesehatan", CI_OWN, (L.PRODUCTION, 2017),
            processes=P("DINKES", 2), writes=DI("DINKES", 1)),
    DemoApp("epuskesmas", "DINKES", "e-Puskesmas Maluku Utara", "RAA.02.02.01", "Bidang Pelayanan Kesehatan",
            "Mencatat pendaftaran, pemeriksaan, resep dan rujukan pasien di puskesmas",
            "Rekam medis elektronik dan laporan kunjungan", _stack("Web", SUBSCRIPTION, "PHP+JavaScript/TypeScript",
                                                                   "Laravel", "MySQL", VENDOR),
            (L.PRODUCTION, 2019), processes=P("DINKES", 5), services=LY("DINKES", 4), writes=DI("DINKES", 4),
            users=("RSUDCB",)),
    DemoApp("elogistik", "DINKES", "e-Logistik Obat dan BMHP", "RAA.02.02.01", "Bidang Sumber Daya Kesehatan",
            "Mencatat stok, distribusi dan kedaluwarsa obat serta bahan medis habis pakai di gudang farmasi",
            "Laporan stok dan distribusi obat", PHP_WEB, (L.PRODUCTION, 2020), plan="verified",
            processes=P("DINKES", 3), writes=DI("DINKES", 2)),
    DemoApp("asik", "DINKES", "ASIK (Aplikasi Sehat IndonesiaKu)", "RAA.02.02.01",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Mencatat imunisasi dan skrining kesehatan (aplikasi Kementerian Kesehatan)", "Cakupan imunisasi dan skrining",
            _stack("Web+Mobile", developer=CENTRAL), (L.PRODUCTION, 2022), processes=P("DINKES", 6),
            reads=DI("DINKES", 5)),
    DemoApp("eaduandinkes", "DINKES", "e-Aduan Layanan Kesehatan", "RAA.01.01.01", "Bidang Pelayanan Kesehatan",
            "Menerima pengaduan masyarakat tentang pelayanan fasilitas kesehatan", "Daftar pengaduan dan tindak lanjutnya",
            CI_OWN, (L.PRODUCTION, 2020), plan="submitted", processes=P("DINKES", 5), retire=2026),
    DemoApp("webdinkes", "DINKES", "Website Dinas Kesehatan", "RAA.01.01.02", KEPEGAWAIAN,
            "Menyajikan berita, profil dan informasi layanan kesehatan", "Berita dan informasi kesehatan", WORDPRESS,
            (L.PRODUCTION, 2016), processes=P("DINKES", 1), retire=2027),
    DemoApp("ekindinkes", "DINKES", "e-KIN Dinkes (Kinerja Harian Pegawai)", "RAA.01.02.01", KEPEGAWAIAN,
            "Mencatat aktivitas harian dan capaian kinerja pegawai Dinas Kesehatan", "Rekap aktivitas harian pegawai",
            PHP_WEB, (L.PRODUCTION, 2021), plan="draft", processes=P("DINKES", 2)),
    DemoApp("surveilans", "DINKES", "Sistem Informasi Surveilans Penyakit Menular (SISPENA)", "RAA.02.02.01",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Mendeteksi dini kejadian luar biasa dari laporan mingguan puskesmas dan rumah sakit",
            "Peringatan dini dan peta sebaran kasus", _stack("Web", OSS, "Python", "Django", "PostgreSQL", VENDOR),
            (L.DEVELOPMENT, None), plan="draft", state=S.TO_BE_NEW, processes=P("DINKES", 6), reads=DI("DINKES", 5)),
    # --- RSUD ---------------------------------------------------------------------------------------------
    DemoApp("simrs", "RSUDCB", "SIMRS RSUD Dr. H. Chasan Boesoirie", "RAA.02.02.01", "Bidang Penunjang",
            "Mengelola pendaftaran, rekam medis, farmasi, laboratorium dan tagihan pasien rumah sakit",
            "Rekam medis elektronik, klaim BPJS dan laporan RL", _stack("Web+Desktop", SUBSCRIPTION,
                                                                       "PHP+JavaScript/TypeScript", "Laravel",
                                                                       "PostgreSQL", VENDOR),
            (L.PRODUCTION, 2018), processes=P("DINKES", 5), services=LY("DINKES", 4), users=("DINKES",)),
    DemoApp("antrean", "RSUDCB", "Antrean Online RSUD (bridging Mobile JKN)", "RAA.02.02.01", "Bidang Pelayanan Medik",
            "Mengatur antrean poliklinik dan menyinkronkan jadwal dengan Mobile JKN", "Nomor dan estimasi waktu antrean",
            _stack("Web+Mobile", SUBSCRIPTION, "PHP+Kotlin", "Laravel", "MySQL", VENDOR), (L.PRODUCTION, 2023),
            plan="submitted", processes=P("DINKES", 5)),
    # --- Dikbud -------------------------------------------------------------------------------------------
    DemoApp("epegawai", "DIKBUD", "e-Pegawai Dikbud", "RAA.01.02.01", KEPEGAWAIAN,
            "Mencatat data guru dan tenaga kependidikan SMA, SMK dan SLB", "Data dan riwayat kepegawaian guru", CI_OWN,
            (L.PRODUCTION, 2018), processes=P("DIKBUD", 2), writes=DI("DIKBUD", 1)),
    DemoApp("sidapok", "DIKBUD", "Sistem Informasi Data Pokok Pendidikan Provinsi (SIDAPOK)", "RAA.02.02.02",
            "Bidang Pembinaan SMA", "Menyinkronkan dan memvalidasi data pokok sekolah, siswa dan guru dari Dapodik",
            "Data pokok pendidikan menengah", _stack("Web", OSS, "PHP", "Laravel", "PostgreSQL"), (L.PRODUCTION, 2019),
            processes=P("DIKBUD", 3), services=LY("DIKBUD", 2), writes=DI("DIKBUD", 2)),
    DemoApp("ppdb", "DIKBUD", "PPDB Online SMA/SMK/SLB Maluku Utara", "RAA.02.02.02", "Bidang Pembinaan SMA",
            "Menyelenggarakan penerimaan peserta didik baru jalur zonasi, afirmasi, mutasi dan prestasi",
            "Hasil seleksi dan daftar ulang peserta didik", _stack("Web", SUBSCRIPTION, "PHP+JavaScript/TypeScript",
                                                                   "Laravel", "MySQL", VENDOR),
            (L.PRODUCTION, 2020), processes=P("DIKBUD", 3), services=LY("DIKBUD", 2), url="https://ppdb.malutprov.go.id"),
    DemoApp("lapordikbud", "DIKBUD", "Lapor Dikbud (Pengaduan Pendidikan)", "RAA.01.01.01", KEPEGAWAIAN,
            "Menerima pengaduan orang tua dan siswa tentang layanan sekolah", "Daftar pengaduan pendidikan", CI_OWN,
            (L.PRODUCTION, 2021), plan="returned", processes=P("DIKBUD", 1),
            returned="Pengaduan masyarakat provinsi sudah melalui SP4N-LAPOR!; jelaskan mengapa kanal terpisah diperlukan.",
            retire=2026),
    DemoApp("sikap", "DIKBUD", "SIKAP Guru (Sistem Informasi Kinerja Aparatur Pendidikan)", "RAA.01.02.01",
            "Bidang Pembinaan SMK", "Mencatat sasaran dan capaian kinerja guru untuk penilaian kinerja",
            "Penilaian kinerja guru", PHP_VENDOR, (L.PRODUCTION, 2021), plan="verified", processes=P("DIKBUD", 2)),
    DemoApp("akd", "DIKBUD", "Aplikasi Keuangan Daerah Dikbud (AKD)", "RAA.01.02.03", "Sekretariat",
            "Menatausahakan belanja dinas dan dana BOS sekolah", "SPJ belanja dan laporan penggunaan dana BOS",
            _stack("Web+Desktop", PERPETUAL, "PHP", "CodeIgniter 3", "MySQL", VENDOR), (L.PRODUCTION, 2017),
            plan="submitted", processes=P("DIKBUD", 1) + P("BPKAD", 5)),
    DemoApp("webdikbud", "DIKBUD", "Website Dinas Pendidikan dan Kebudayaan", "RAA.01.01.02", KEPEGAWAIAN,
            "Menyajikan berita, pengumuman dan informasi layanan pendidikan", "Berita dan pengumuman", WORDPRESS,
            (L.PRODUCTION, 2017), processes=P("DIKBUD", 1), retire=2027),
    DemoApp("cagarbudaya", "DIKBUD", "Sistem Informasi Cagar Budaya dan Museum (SICAMUS)", "RAA.02.02.02",
            "Bidang Kebudayaan", "Mendata cagar budaya, koleksi museum dan status penetapannya",
            "Register cagar budaya daerah", PHP_WEB, (L.PLANNED, None), plan="draft", state=S.TO_BE_NEW,
            processes=P("DIKBUD", 6)),
    # --- DKP ----------------------------------------------------------------------------------------------
    DemoApp("simtangkap", "DKP", "SIMTANGKAP (Sistem Informasi Manajemen Perikanan Tangkap)", "RAA.02.02.03",
            "Bidang Perikanan Tangkap", "Mencatat produksi ikan, kapal dan nelayan per pelabuhan perikanan",
            "Statistik produksi perikanan tangkap", _stack("Web+Mobile", PERPETUAL, "PHP+Kotlin", "Laravel",
                                                           "PostgreSQL", VENDOR),
            (L.PRODUCTION, 2020), processes=P("DKP", 2, 5), writes=DI("DKP", 1)),
    DemoApp("sipkapi", "DKP", "Sistem Informasi Perizinan Kapal Perikanan (SIPKAPI)", "RAA.02.02.03",
            "Bidang Perikanan Tangkap", "Memproses izin penangkapan ikan untuk kapal 5-30 GT", "Surat izin penangkapan ikan",
            CI_OWN, (L.PRODUCTION, 2019), processes=P("DKP", 2), services=LY("DKP", 1)),
    DemoApp("ebudidaya", "DKP", "e-Budidaya (Pendataan Produksi Perikanan Budi Daya)", "RAA.02.02.03",
            "Bidang Perikanan Budidaya", "Mendata pembudi daya, kolam dan produksi perikanan budi daya dari penyuluh",
            "Statistik produksi budi daya", _stack("Mobile", OSS, "Dart", "Flutter", "PostgreSQL"), (L.PRODUCTION, 2022),
            plan="submitted", processes=P("DKP", 3), writes=DI("DKP", 2)),
    DemoApp("rzwp3k", "DKP", "SI-RZWP3K (Rencana Zonasi Wilayah Pesisir dan Pulau-pulau Kecil)", "RAA.02.02.03",
            "Bidang Pengelolaan Ruang Laut", "Menyajikan peta zonasi pesisir untuk kesesuaian kegiatan pemanfaatan ruang laut",
            "Peta zonasi dan rekomendasi kesesuaian ruang laut", _stack("Web", OSS, "Java+JavaScript/TypeScript",
                                                                         "GeoServer", "PostgreSQL/PostGIS"),
            (L.PRODUCTION, 2021), plan="verified", processes=P("DKP", 6), reads=DI("DKP", 5)),
    DemoApp("webdkp", "DKP", "Website Dinas Kelautan dan Perikanan", "RAA.01.01.02", KEPEGAWAIAN,
            "Menyajikan berita dan informasi layanan kelautan dan perikanan", "Berita dan informasi", WORDPRESS,
            (L.PRODUCTION, 2018), processes=P("DKP", 1), retire=2027),
    # --- Dishub -------------------------------------------------------------------------------------------
    DemoApp("etiket", "DISHUB", "e-Tiket Kapal Antarpulau", "RAA.02.02", "Bidang Perhubungan Laut",
            "Menjual tiket speedboat dan kapal penyeberangan antarpulau serta mencatat manifes penumpang",
            "Tiket elektronik dan manifes penumpang", _stack("Web+Mobile", SUBSCRIPTION, "PHP+Dart", "Laravel, Flutter",
                                                              "MySQL", VENDOR),
            (L.PRODUCTION, 2022), processes=P("DISHUB", 2), services=LY("DISHUB", 1), writes=DI("DISHUB", 1)),
    DemoApp("terminal", "DISHUB", "Sistem Informasi Manajemen Terminal Tipe B (SIMTER)", "RAA.02.02",
            "Bidang Perhubungan Darat", "Mencatat kedatangan dan keberangkatan angkutan di terminal tipe B",
            "Laporan lalu lintas angkutan terminal", CI_OWN, (L.PRODUCTION, 2020), plan="verified",
            processes=P("DISHUB", 4), writes=DI("DISHUB", 3)),
    DemoApp("sikapal", "DISHUB", "Sistem Pelaporan Keselamatan Pelayaran Rakyat (SIKAPAL)", "RAA.02.02",
            "Bidang Perhubungan Laut", "Melaporkan kecelakaan dan pemeriksaan kelaiklautan kapal rakyat",
            "Laporan kecelakaan dan hasil pemeriksaan kapal", _stack("Mobile", OSS, "Kotlin", "Android Jetpack", "SQLite"),
            (L.PRODUCTION, 2021), plan="returned", processes=P("DISHUB", 3),
            returned="Isi data yang ditulis aplikasi dan jelaskan di mana laporan kapal disimpan setelah sinkronisasi."),
    DemoApp("simpegdishub", "DISHUB", "Sistem Informasi Kepegawaian Dishub", "RAA.01.02.01", KEPEGAWAIAN,
            "Mencatat data pegawai, diklat teknis perhubungan dan sertifikat kompetensi awak",
            "Data pegawai dan sertifikat kompetensi", PHP_VENDOR, (L.PLANNED, None), plan="submitted",
            state=S.TO_BE_NEW, processes=P("DISHUB", 6) + P("DISPUSIP", 4)),
    # --- Dinsos -------------------------------------------------------------------------------------------
    DemoApp("siksng", "DINSOS", "SIKS-NG (Sistem Informasi Kesejahteraan Sosial Next Generation)", "RAA.02.02",
            "Bidang Perlindungan dan Jaminan Sosial",
            "Memutakhirkan Data Terpadu Kesejahteraan Sosial (aplikasi Kementerian Sosial)", "DTKS termutakhir",
            NATIONAL, (L.PRODUCTION, 2019), processes=P("DINSOS", 6), services=LY("DINSOS", 5), writes=DI("DINSOS", 5)),
    DemoApp("ebansos", "DINSOS", "e-Bansos Maluku Utara", "RAA.02.02", "Bidang Perlindungan dan Jaminan Sosial",
            "Menyalurkan dan memantau bantuan sosial provinsi berdasarkan DTKS", "Daftar penerima dan realisasi penyaluran",
            _stack("Web", OSS, "PHP", "Laravel", "PostgreSQL"), (L.PRODUCTION, 2021), processes=P("DINSOS", 3, 4),
            services=LY("DINSOS", 2), reads=DI("DINSOS", 5), writes=DI("DINSOS", 2)),
    DemoApp("sirehsos", "DINSOS", "Sistem Informasi Rehabilitasi Sosial (SIREHSOS)", "RAA.02.02",
            "Bidang Rehabilitasi Sosial", "Mencatat asesmen dan layanan rehabilitasi penyandang masalah sosial di panti",
            "Data klien dan layanan rehabilitasi", PHP_WEB, (L.PRODUCTION, 2022), plan="submitted",
            processes=P("DINSOS", 2), writes=DI("DINSOS", 1)),
    DemoApp("laporbansos", "DINSOS", "Pengaduan Bansos Online", "RAA.01.01.01", "Bidang Perlindungan dan Jaminan Sosial",
            "Menerima pengaduan warga tentang penyaluran bantuan sosial", "Daftar pengaduan bansos", CI_OWN,
            (L.PRODUCTION, 2022), plan="verified", processes=P("DINSOS", 3), retire=2026),
    # --- Dispusip: the archive is where SRIKANDI lives --------------------------------------------------------
    DemoApp("srikandi", "DISPUSIP", "SRIKANDI Pemerintah Provinsi Maluku Utara", "RAA.01.02.02", "Bidang Kearsipan",
            "Membuat, mendisposisikan dan mengarsipkan naskah dinas secara elektronik (aplikasi umum ANRI)",
            "Naskah dinas elektronik dan arsip dinamis", NATIONAL, (L.PRODUCTION, 2023), national="SRIKANDI",
            processes=P("DISPUSIP", 2), services=LY("DISPUSIP", 1), users=ALL + ("SETDA",),
            url="https://srikandi.arsip.go.id"),
    DemoApp("tnde", "DISPUSIP", "Tata Naskah Dinas Elektronik (TNDE)", "RAA.01.02.02", "Bidang Kearsipan",
            "Membuat dan mendistribusikan naskah dinas elektronik antarperangkat daerah", "Naskah dinas dan agenda surat",
            _stack("Web", PERPETUAL, "PHP", "Yii2", "MySQL", VENDOR), (L.PRODUCTION, 2019), processes=P("DISPUSIP", 2),
            users=("BAPPEDA", "DLH"), retire=2026),
    DemoApp("inlislite", "DISPUSIP", "INLISLite Perpustakaan Daerah", "RAA.02.02", "Bidang Perpustakaan",
            "Mengelola katalog, keanggotaan dan sirkulasi perpustakaan (aplikasi Perpustakaan Nasional)",
            "Katalog daring dan statistik peminjaman", _stack("Web", OSS, "PHP", "Yii2", "MySQL", CENTRAL),
            (L.PRODUCTION, 2017), processes=P("DISPUSIP", 6)),
    # --- DLH ----------------------------------------------------------------------------------------------
    DemoApp("elaporb3", "DLH", "e-Lapor B3 (Pelaporan Pengelolaan Limbah B3)", "RAA.02.02",
            "Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan",
            "Menerima laporan wajib pelaku usaha tentang neraca dan manifes limbah bahan berbahaya dan beracun",
            "Neraca limbah B3 per pelaku usaha", PHP_WEB, (L.PRODUCTION, 2020), processes=P("DLH", 6),
            services=LY("DLH", 5), writes=DI("DLH", 5)),
    DemoApp("sipka", "DLH", "Sistem Informasi Pemantauan Kualitas Udara dan Air (SIPKA)", "RAA.02.02",
            "Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan",
            "Mengumpulkan hasil uji laboratorium dan sensor kualitas udara dan air", "Indeks kualitas lingkungan hidup",
            _stack("Web", OSS, "Python", "Django", "PostgreSQL", VENDOR), (L.PRODUCTION, 2021), plan="verified",
            processes=P("DLH", 4), writes=DI("DLH", 3)),
    DemoApp("suratdlh", "DLH", "Aplikasi Surat Menyurat DLH", "RAA.01.02.02", KEPEGAWAIAN,
            "Membuat naskah dinas, mencatat surat masuk dan keluar serta disposisi pimpinan Dinas Lingkungan Hidup",
            "Agenda surat dan disposisi", PHP_WEB, (L.PLANNED, None), plan="returned", state=S.TO_BE_NEW,
            processes=P("DLH", 1) + P("DISPUSIP", 2),
            returned="Sesuai keputusan kliring, aplikasi ini tidak dilanjutkan; persuratan DLH memakai SRIKANDI."),
    # --- BKD: the staff systems ------------------------------------------------------------------------------
    DemoApp("simpegbkd", "BKD", "Sistem Informasi Kepegawaian (SIMPEG) BKD", "RAA.01.02.01",
            "Bidang Pengadaan dan Informasi Kepegawaian",
            "Mengelola data induk pegawai, mutasi, kenaikan pangkat dan pensiun seluruh perangkat daerah",
            "Data induk pegawai dan daftar urut kepangkatan", _stack("Web", OSS, "PHP+JavaScript/TypeScript", "Laravel",
                                                                     "PostgreSQL"),
            (L.PRODUCTION, 2015), processes=P("BKD", 1) + P("DISPUSIP", 4), services=LY("DISPUSIP", 3), users=ALL,
            url="https://simpeg.malutprov.go.id"),
    DemoApp("siasn", "BKD", "SIASN (Sistem Informasi ASN) BKN", "RAA.01.02.01", "Bidang Pengadaan dan Informasi Kepegawaian",
            "Memutakhirkan data ASN dan layanan kepegawaian nasional (aplikasi Badan Kepegawaian Negara)",
            "Data ASN nasional dan usulan layanan kepegawaian", NATIONAL, (L.PRODUCTION, 2022), national="SIASN",
            processes=P("DISPUSIP", 4), url="https://asn.bkn.go.id"),
    DemoApp("ekinerjabkn", "BKD", "e-Kinerja BKN", "RAA.01.02.01", "Bidang Mutasi dan Promosi",
            "Menyusun sasaran kinerja pegawai dan penilaian kinerja sesuai PermenPANRB 6/2022",
            "SKP dan predikat kinerja pegawai", NATIONAL, (L.PRODUCTION, 2023), national="e-Kinerja BKN",
            processes=P("DISPUSIP", 5), users=ALL, url="https://kinerja.bkn.go.id"),
    DemoApp("ekinerja", "BKD", "e-Kinerja Pemprov Maluku Utara (TPP)", "RAA.01.02.01", "Bidang Mutasi dan Promosi",
            "Menghitung tambahan penghasilan pegawai dari aktivitas harian dan presensi", "Rekap kinerja dan TPP bulanan",
            PHP_VENDOR, (L.PRODUCTION, 2019), processes=P("DISPUSIP", 5), users=ALL),
    DemoApp("eabsen", "BKD", "e-Absen Malut (Presensi Pegawai Berbasis Lokasi)", "RAA.01.02.01",
            "Bidang Pengadaan dan Informasi Kepegawaian", "Mencatat presensi pegawai dengan lokasi dan swafoto",
            "Rekap kehadiran pegawai", _stack("Web+Mobile", OSS, "Kotlin+PHP", "Laravel", "MySQL"), (L.PRODUCTION, 2020),
            plan="verified", processes=P("BKD", 1), users=ALL),
    # --- Setda, DPMPTSP, DPUPR, Dispar --------------------------------------------------------------------
    DemoApp("jdih", "SETDA", "JDIH Provinsi Maluku Utara", "RAA.01.01", "Biro Pemerintahan",
            "Menyediakan dokumen peraturan daerah dan produk hukum yang terintegrasi dengan JDIHN",
            "Database produk hukum daerah", _stack("Web", OSS, "PHP", "Laravel", "MySQL"), (L.PRODUCTION, 2016),
            national="JDIH", processes=P("DISPUSIP", 2), url="https://jdih.malutprov.go.id"),
    DemoApp("spse", "SETDA", "LPSE Provinsi Maluku Utara (SPSE)", "RAA.01.02", "Biro Umum",
            "Menyelenggarakan tender dan seleksi pengadaan barang/jasa secara elektronik (aplikasi LKPP)",
            "Kontrak dan berita acara hasil pemilihan", NATIONAL, (L.PRODUCTION, 2012), national="SPSE",
            processes=P("BPKAD", 5), users=ALL, url="https://lpse.malutprov.go.id"),
    DemoApp("persuratan", "SETDA", "Persuratan Elektronik Setda", "RAA.01.02.02", "Biro Umum",
            "Mencatat surat masuk, disposisi gubernur dan sekretaris daerah serta surat keluar", "Agenda surat dan disposisi",
            _stack("Web", PERPETUAL, "PHP", "CodeIgniter 3", "MySQL", VENDOR), (L.PRODUCTION, 2018), plan="verified",
            processes=P("DISPUSIP", 2), retire=2026),
    DemoApp("oss", "DPMPTSP", "OSS RBA Provinsi Maluku Utara", "RAA.01.01", "Bidang Pelayanan Perizinan",
            "Memproses perizinan berusaha berbasis risiko kewenangan provinsi", "NIB, izin dan persetujuan berusaha",
            NATIONAL, (L.PRODUCTION, 2021), national="OSS RBA",
            processes=P("DKP", 2) + P("DISHUB", 2) + P("DLH", 4), users=("DKP", "DISHUB", "DLH"),
            url="https://oss.go.id"),
    DemoApp("simbg", "DPUPR", "SIMBG Provinsi Maluku Utara", "RAA.01.01", "Bidang Cipta Karya",
            "Memproses persetujuan bangunan gedung dan sertifikat laik fungsi untuk gedung milik provinsi",
            "PBG dan SLF", NATIONAL, (L.PRODUCTION, 2022), plan="draft", national="SIMBG",
            url="https://simbg.pu.go.id"),
    DemoApp("visitmalut", "DISPAR", "Visit Maluku Utara (Portal dan Aplikasi Pariwisata)", "RAA.02.02",
            "Bidang Pemasaran Pariwisata", "Mempromosikan destinasi, kalender acara dan paket wisata Maluku Utara",
            "Informasi destinasi dan kalender acara", _stack("Web+Mobile", OSS, "Dart+PHP", "Flutter, Laravel", "MySQL",
                                                            VENDOR),
            (L.DEVELOPMENT, None), plan="draft", state=S.TO_BE_NEW, processes=P("DISPAR", 2)),
    # --- The to-be shared application the portfolio's duplicates call for (a gap of the Peta Rencana) -------
    DemoApp("portalopd", "DISKOMINFOSAN", PORTAL_OPD, "RAA.01.01.02", "Bidang Informasi dan Komunikasi Publik",
            "Aplikasi baru berbagi pakai yang menggantikan tiga aplikasi duplikat: Website Dinas Kesehatan, "
            "Website Dinas Pendidikan dan Kebudayaan dan Website Dinas Kelautan dan Perikanan; satu portal multisitus "
            "dengan tampilan, pengamanan dan pemutakhiran yang sama untuk seluruh perangkat daerah",
            "Situs web perangkat daerah dalam satu portal", WORDPRESS, (L.PLANNED, None), plan="draft",
            state=S.TO_BE_NEW, processes=P("DISKOMINFOSAN", 1, 4)),
]

# (source, target, two-way, through the SPLP, data exchanged)
INTEGRATIONS = [
    ("simpegbkd", "ekinerja", False, True, "Data pegawai, jabatan dan atasan langsung"),
    ("simpegbkd", "siasn", True, False, "Data ASN: riwayat jabatan, pangkat dan pendidikan"),
    ("eabsen", "ekinerja", False, True, "Rekap kehadiran harian pegawai"),
    ("ekinerja", "ekinerjabkn", False, False, "Sasaran kinerja pegawai dan hasil penilaian"),
    ("simpegdinkes", "simpegbkd", False, False, "Data pegawai Dinas Kesehatan"),
    ("epegawai", "simpegbkd", False, False, "Data guru dan tenaga kependidikan ASN"),
    ("sipd", "simda", True, True, "APBD, SP2D dan realisasi belanja"),
    ("sipd", "emonev", False, True, "Realisasi anggaran per program dan kegiatan"),
    ("eplanning", "sipd", False, True, "Usulan program, kegiatan dan pagu indikatif"),
    ("simdabmd", "simda", False, False, "Nilai aset dan penyusutan untuk laporan keuangan"),
    ("epuskesmas", "simrs", False, True, "Rujukan pasien dan ringkasan rekam medis"),
    ("siksng", "ebansos", False, True, "Data Terpadu Kesejahteraan Sosial per NIK"),
    ("ebansos", "satudata", False, True, "Rekap penerima bantuan sosial per kabupaten/kota"),
    ("lapor", "ppid", False, True, "Permohonan informasi publik yang masuk lewat kanal pengaduan"),
    ("simtangkap", "satudata", False, True, "Produksi perikanan tangkap per pelabuhan"),
    ("sidapok", "ppdb", False, False, "Data sekolah, rombongan belajar dan daya tampung"),
    ("sidapok", "satudata", False, True, "Jumlah sekolah, siswa dan guru SMA/SMK/SLB"),
    ("srikandi", "tte", True, True, "Naskah dinas untuk ditandatangani dan dokumen bertanda tangan"),
    ("persuratan", "tte", False, False, "Naskah dinas untuk ditandatangani"),
    ("oss", "sipkapi", False, True, "Nomor Induk Berusaha dan data pelaku usaha perikanan"),
    ("sipka", "satudata", False, True, "Indeks kualitas udara dan air"),
    ("etiket", "satudata", False, True, "Jumlah penumpang antarpulau per rute"),
]

# The verifikator's remark on a duplicate he let through, so the review conversation shows the question.
COMMENTS = {
    "tnde": "Fungsi TNDE sama dengan SRIKANDI yang wajib dipakai; rencanakan peralihan dan penghentiannya.",
    "simpegdinkes": "Data pegawai juga ada di SIMPEG BKD; pertimbangkan integrasi penuh lalu penghentian.",
}


def _own_raa_nodes(institution) -> dict:
    """The RAA nodes the applications map to: the national ones and the instansi's own under them."""
    raa = ReferenceNode.objects.current().of_catalog("RAA").for_institution(institution)
    nodes = {node.code: node for node in raa}
    for code, name, description in RAA_OWN_NODES:
        parent = nodes.get(code.rsplit(".", 1)[0])
        if code in nodes or parent is None:
            continue
        node = ReferenceNode(version=parent.version, parent=parent, institution=institution, code=code, name=name,
                             description=description)
        node.full_clean()
        node.save()
        nodes[code] = node
    return nodes


def _values(institution, kind) -> dict:
    return {item.name: item for item in ValueListItem.objects.filter(institution=institution, kind=kind)}


# The workflow actions that leave an application in each planned status.
STATUS_PLANS = {
    "draft": (),
    "submitted": (workflow.A.SUBMIT,),
    "returned": (workflow.A.SUBMIT, workflow.A.RETURN),
    "verified": (workflow.A.SUBMIT, workflow.A.VERIFY),
    "validated": (workflow.A.SUBMIT, workflow.A.VERIFY, workflow.A.VALIDATE),
}


def _steps(spec, people, submittable: bool) -> list[tuple]:
    """The turns of the review conversation for the plan of ``spec``, as (action, user, from, to, comment):
    the statuses are the workflow's own (``workflow.TRANSITIONS``). An application that could not be
    submitted (no reference, no process it supports) stays a draft, as the workflow would keep it."""
    operator = people.get(f"operator.{spec.opd.lower()}") or people.get("koordinator")
    verifier, admin = people.get("verifikator"), people.get("koordinator")
    actor = {workflow.A.SUBMIT: operator, workflow.A.RETURN: verifier, workflow.A.VERIFY: verifier,
             workflow.A.VALIDATE: admin}
    status = ReviewStatus.DRAFT
    steps = [(workflow.A.CREATE, operator, "", status, "")]
    for action in STATUS_PLANS[spec.plan] if submittable else ():
        transition = workflow.TRANSITIONS[action]
        if action == workflow.A.VERIFY and spec.key in COMMENTS:
            steps.append((workflow.A.COMMENT, verifier, "", "", COMMENTS[spec.key]))
        comment = spec.returned if action == workflow.A.RETURN else ""
        steps.append((action, actor[action], status, transition.target, comment))
        status = transition.target
    return steps


@register_demo(35, "Aplikasi dan integrasinya")
@generation.changing()  # bulk inserts send no signal
def load_applications() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    if Application.objects.filter(institution=institution).exists():
        return "sudah ada"
    departments = {d.abbreviation: d for d in Department.objects.filter(institution=institution)}
    specs = [spec for spec in APPS if spec.opd in departments]
    units = {(u.department_id, u.name): u for u in WorkUnit.objects.filter(department__institution=institution)}
    nodes = _own_raa_nodes(institution)
    national = {item.name.split(" (")[0]: item for item in _values(institution, ValueListKind.NATIONAL_APP).values()}
    licenses = _values(institution, ValueListKind.APP_LICENSE)
    targets = _link_targets(institution, specs)
    people = {user.username: user for user in get_user_model().objects.filter(
        username__in=["koordinator", "verifikator"] + [f"operator.{spec.opd.lower()}" for spec in specs])}

    numbers: dict[str, int] = {}
    apps, conversations = [], []
    for spec in specs:
        department = departments[spec.opd]
        numbers[spec.opd] = numbers.get(spec.opd, 0) + 1
        _basis, license, _languages, framework, database, developer = spec.stack
        lifecycle, production_year, *retired = spec.life
        reference = nodes.get(spec.ref)
        steps = _steps(spec, people, submittable=bool(reference and any(c in targets for c in spec.processes)))
        conversations.append(steps)
        apps.append(Application(
            institution=institution, department=department, code=f"AP-{spec.opd}-{numbers[spec.opd]:03d}",
            name=spec.name, reference=reference, state=spec.state, period="2025-2029",
            description=f"{spec.function}. Dikelola {spec.unit} {department.name}.", function=spec.function,
            output=spec.output, national_application=national.get(spec.national), license_type=licenses.get(license),
            framework=framework, database=database, developer=developer,
            managing_unit=units.get((department.pk, spec.unit)), lifecycle=lifecycle,
            production_year=production_year, retirement_year=retired[0] if retired else None, web_address=spec.url,
            retiring=spec.retire is not None, retire_year=spec.retire,
            status=steps[-1][3], lock_version=len(steps),
        ))
    bulk_create_with_history(apps, Application, default_user=people.get("koordinator"),
                             custom_historical_attrs={"request_id": current_request_id()})
    stored = {app.code: app for app in Application.objects.filter(institution=institution)}
    by_key = {spec.key: stored[app.code] for spec, app in zip(specs, apps)}
    _link(specs, by_key, targets, departments, institution)
    record_conversations(Application, [by_key[spec.key] for spec in specs], conversations)
    integrations = _integrations(institution, by_key, people.get("koordinator"))
    return f"{len(by_key)} aplikasi di {len({s.opd for s in specs})} OPD, {integrations} integrasi"


def _link_targets(institution, specs) -> dict:
    """code -> pk of the processes, services and data the demo applications link to."""
    codes = {code for spec in specs for code in spec.processes + spec.services + spec.reads + spec.writes}
    targets = {}
    for model in (BusinessProcess, Service, DataItem):
        targets.update(model.objects.filter(institution=institution, code__in=codes).values_list("code", "pk"))
    return targets


def _link(specs, by_key, targets, departments, institution):
    """Every many-to-many link of the demo applications, one bulk insert per link."""
    platforms = _values(institution, ValueListKind.APP_PLATFORM)
    languages = _values(institution, ValueListKind.APP_LANGUAGE)
    rows = {name: [] for name in ("processes", "services", "reads", "writes", "user_departments", "platforms",
                                  "languages")}
    for spec in specs:
        app_id = by_key[spec.key].pk
        for name in ("processes", "services", "reads", "writes"):
            rows[name] += [(app_id, targets[code]) for code in getattr(spec, name) if code in targets]
        rows["user_departments"] += [(app_id, departments[abbr].pk) for abbr in spec.users
                                     if abbr in departments and abbr != spec.opd]
        rows["platforms"] += [(app_id, platforms[name].pk) for name in spec.stack[0].split("+") if name in platforms]
        rows["languages"] += [(app_id, languages[name].pk) for name in spec.stack[2].split("+") if name in languages]
    for name, pairs in rows.items():
        field = Application._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs)


def _integrations(institution, by_key, user) -> int:
    rows = [
        ApplicationIntegration(
            institution=institution, source=by_key[source], target=by_key[target],
            direction=IntegrationDirection.TWO_WAY if two_way else IntegrationDirection.ONE_WAY,
            channel=IntegrationChannel.SPLP if splp else IntegrationChannel.DIRECT, data_exchanged=data,
        )
        for source, target, two_way, splp, data in INTEGRATIONS
        if source in by_key and target in by_key
    ]
    bulk_create_with_history(rows, ApplicationIntegration, default_user=user,
                             custom_historical_attrs={"request_id": current_request_id()})
    return len(rows)

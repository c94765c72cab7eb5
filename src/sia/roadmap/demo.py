"""Demo Peta Rencana SPBE 2025-2029 of the demo province: four sasaran strategis of its RPJMD, their inisiatif, a
program in each of the seven areas and about forty kegiatan of a dozen OPDs, each closing gaps of the demo
architecture: the business processes, services and data to-be of ten OPDs, the new applications and the
duplicates to retire that the portfolio found, the data-centre consolidation (OPD server rooms retire into the
enlarged Pusat Data), the to-be security and a security audit every year.

Pagu per year in rupiah, mostly APBD, some APBN/DAK and other sources; the RKA the OPDs entered for 2025 and 2026
(some below the pagu or still empty, so keterpaduan stays below 100%); the realisation of the past year; some
kegiatan done, some running, some late (not started, or not finished, although their years have passed), one
cancelled. Review statuses spread as the workflow leaves them, with the review conversation that got them there.

One gap stays without kegiatan on purpose: the new application replacing three duplicate OPD websites
(``sia.architecture.demo_applications.PORTAL_OPD``): the workshop adds its kegiatan and sees the warning go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from sia.architecture import workflow
from sia.architecture.choices import ReviewStatus
from sia.architecture.demo_applications import APPS
from sia.architecture.demo_infrastructure import CLOUD, FACILITIES, PLATFORM, SERVERS
from sia.architecture.demo_infrastructure import TO_BE as INFRA_TO_BE
from sia.architecture.demo_security import KINDS as SECURITY
from sia.architecture.demo_security import TO_BE as SECURITY_TO_BE
from sia.architecture.models import (
    Application,
    BusinessProcess,
    CloudService,
    ComputingFacility,
    DataItem,
    PlatformSoftware,
    ReviewEvent,
    Server,
    Service,
)
from sia.core.demo import register_demo
from sia.organizations.models import Department, Institution, WorkUnit

from .choices import ActivityStatus, Area, BudgetSource
from .figures import gap_filter
from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

PERIOD = "2025-2029"
CURRENT = 2026  # the demo's budget year: RKA entered up to it, realisation up to the year before (and done work)
JUTA = Decimal(1_000_000)
APBD, DAK, OTHER = BudgetSource.APBD, BudgetSource.APBN_DAK, BudgetSource.OTHER
BELUM, SEDANG, SELESAI, BATAL = (ActivityStatus.NOT_STARTED, ActivityStatus.RUNNING, ActivityStatus.DONE,
                                 ActivityStatus.CANCELLED)
KOMINFO = "DISKOMINFOSAN"

# Sasaran strategis of the RPJMD 2025-2029: (code, name, uraian).
TARGETS = [
    ("SS-01", "Meningkatnya tata kelola pemerintahan yang efektif, akuntabel dan berbasis elektronik",
     "Indikator: indeks SPBE provinsi naik dari 2,61 (2024) ke 3,50 (2029); opini WTP dipertahankan."),
    ("SS-02", "Meningkatnya kualitas pelayanan publik yang mudah, cepat dan menjangkau pulau terluar",
     "Indikator: indeks kepuasan masyarakat 85; layanan publik elektronik di seluruh perangkat daerah pelayanan."),
    ("SS-03", "Meningkatnya keandalan dan keamanan infrastruktur digital pemerintah daerah",
     "Indikator: ketersediaan layanan pusat data 99,5%; indeks keamanan informasi (KAMI) kategori baik."),
    ("SS-04", "Meningkatnya kualitas data pembangunan untuk perencanaan berbasis bukti",
     "Indikator: persentase data prioritas yang memenuhi prinsip Satu Data Indonesia 90%."),
]

# Inisiatif: (code, sasaran, name).
INITIATIVES = [
    ("IN-01", "SS-01", "Penguatan tata kelola dan manajemen SPBE"),
    ("IN-02", "SS-01", "Rasionalisasi aplikasi dan aplikasi umum berbagi pakai"),
    ("IN-03", "SS-02", "Transformasi digital layanan publik dan administrasi pemerintahan"),
    ("IN-04", "SS-03", "Konsolidasi pusat data dan infrastruktur SPBE"),
    ("IN-05", "SS-03", "Keamanan informasi dan audit TIK berkelanjutan"),
    ("IN-06", "SS-04", "Satu Data Maluku Utara"),
]

# Programs, one per area: code -> (inisiatif, area, name).
PROGRAMS = {
    "PR-01": ("IN-01", Area.GOVERNANCE, "Penataan arsitektur dan proses bisnis SPBE"),
    "PR-02": ("IN-06", Area.MANAGEMENT, "Manajemen data dan informasi SPBE"),
    "PR-03": ("IN-03", Area.SERVICES, "Layanan SPBE terpadu"),
    "PR-04": ("IN-02", Area.APPLICATIONS, "Aplikasi SPBE dan aplikasi umum berbagi pakai"),
    "PR-05": ("IN-04", Area.INFRASTRUCTURE, "Pusat data, komputasi awan dan jaringan intra pemerintah"),
    "PR-06": ("IN-05", Area.SECURITY, "Keamanan SPBE"),
    "PR-07": ("IN-05", Area.ICT_AUDIT, "Audit Teknologi Informasi dan Komunikasi"),
}


@dataclass(frozen=True)
class K:
    """One demo kegiatan: its program, OPD in charge, name, pagu per year (in juta rupiah), the gaps it closes
    (``_gap_objects``), its execution status and where the review workflow leaves it; ``rka`` overrides the RKA
    (juta, None: not entered) of 2025-2026, which is the pagu otherwise; ``late``: its past years were not done."""

    program: str
    opd: str
    name: str
    pagu: dict
    gaps: tuple
    progress: str = SEDANG
    plan: str = "validated"
    source: str | dict = APBD
    rka: dict = field(default_factory=dict)
    units: tuple = ()
    output: str = ""
    late: bool = False
    returned: str = ""


def years(first, last, amount, **changed) -> dict:
    """{year: amount} for the years first..last, with some years changed (``y2027=450``)."""
    found = {year: amount for year in range(first, last + 1)}
    found.update({int(key[1:]): value for key, value in changed.items()})
    return found


# Gap selectors: "process:OPD", "service:OPD", "data:OPD" (every gap of that kind and OPD), "app:<key of
# demo_applications.APPS>", "infra:<key of demo_infrastructure>", "security:<key of demo_security>".
ACTIVITIES = [
    # --- Tata Kelola ---------------------------------------------------------------------------------------
    K("PR-01", "BAPPEDA", "Penyusunan Arsitektur SPBE dan Peta Rencana SPBE Provinsi 2025-2029", {2025: 450},
      ("process:BAPPEDA", "process:DISKOMINFOSAN"), SELESAI, units=(("BAPPEDA", "Bidang Perencanaan, Pengendalian dan "
                                                                   "Evaluasi"), (KOMINFO, "Bidang Aplikasi Informatika")),
      output="Dokumen Arsitektur SPBE dan Peta Rencana SPBE ditetapkan dengan Peraturan Gubernur"),
    K("PR-01", "DINKES", "Penataan proses bisnis berbasis elektronik bidang kesehatan", years(2025, 2026, 175),
      ("process:DINKES",), SEDANG, rka={2025: 150}, units=(("DINKES", "Bidang Pelayanan Kesehatan"),),
      output="Peta proses bisnis dan SOP layanan kesehatan berbasis elektronik"),
    K("PR-01", "DIKBUD", "Penataan proses bisnis pendidikan menengah dan kebudayaan", {2026: 220},
      ("process:DIKBUD",), SEDANG, plan="submitted", rka={2026: 150},
      output="Peta proses bisnis pembinaan SMA, SMK, SLB dan kebudayaan"),
    K("PR-01", "BPKAD", "Penataan proses bisnis keuangan daerah dan perlindungan sosial", years(2025, 2026, 160),
      ("process:BPKAD", "process:DINSOS"), SEDANG, units=(("DINSOS", "Bidang Perlindungan dan Jaminan Sosial"),)),
    K("PR-01", "BAPPEDA", "Reviu proses bisnis kelautan, perhubungan, lingkungan hidup dan kearsipan",
      years(2026, 2027, 240), ("process:DKP", "process:DISHUB", "process:DLH", "process:DISPUSIP"), BELUM,
      plan="draft", rka={2026: None}, units=(("DKP", "Bidang Perikanan Tangkap"), ("DISHUB", "Bidang Perhubungan Laut"))),
    # --- Manajemen -----------------------------------------------------------------------------------------
    K("PR-02", KOMINFO, "Penyusunan Daftar Data dan Standar Data Satu Data Maluku Utara", years(2025, 2026, 310),
      ("data:DISKOMINFOSAN", "data:BAPPEDA"), SELESAI, units=((KOMINFO, "Bidang Statistik"),),
      output="Daftar data prioritas, standar data dan metadata yang disepakati Forum Satu Data"),
    K("PR-02", "DINKES", "Manajemen data kesehatan dan interoperabilitas data puskesmas", years(2025, 2027, 260),
      ("data:DINKES",), SEDANG, source={2025: DAK, 2026: DAK, 2027: APBD}),
    K("PR-02", "DIKBUD", "Pemutakhiran data pokok pendidikan menengah dan cagar budaya", years(2026, 2027, 190),
      ("data:DIKBUD",), BELUM, plan="submitted", rka={2026: 120}),
    K("PR-02", "BPKAD", "Manajemen data keuangan dan barang milik daerah", {2025: 140},
      ("data:BPKAD",), BELUM, late=True, rka={2025: 95}),
    K("PR-02", "DINSOS", "Pemutakhiran data kesejahteraan sosial dan data perikanan", years(2025, 2026, 230),
      ("data:DINSOS", "data:DKP"), SEDANG, units=(("DKP", "Bidang Perikanan Budidaya"),)),
    K("PR-02", KOMINFO, "Manajemen data perhubungan, lingkungan hidup dan kearsipan", years(2027, 2028, 210),
      ("data:DISHUB", "data:DLH", "data:DISPUSIP"), BELUM, plan="draft"),
    # --- Layanan -------------------------------------------------------------------------------------------
    K("PR-03", KOMINFO, "Digitalisasi layanan informasi publik dan statistik sektoral", years(2025, 2026, 380),
      ("service:DISKOMINFOSAN",), SEDANG, units=((KOMINFO, "Bidang Informasi dan Komunikasi Publik"),)),
    K("PR-03", "BAPPEDA", "Layanan perencanaan dan evaluasi pembangunan daring", years(2026, 2027, 275),
      ("service:BAPPEDA",), BELUM, rka={2026: 200}),
    K("PR-03", "DINKES", "Layanan kesehatan digital terintegrasi puskesmas dan rumah sakit", years(2025, 2028, 520),
      ("service:DINKES",), SEDANG, source=DAK, units=(("DINKES", "Bidang Pelayanan Kesehatan"),
                                                     ("RSUDCB", "Bidang Pelayanan Medik"))),
    K("PR-03", "DIKBUD", "Layanan pendidikan menengah daring hingga pulau terluar", years(2026, 2028, 340),
      ("service:DIKBUD",), BELUM, plan="submitted", source={2026: DAK, 2027: DAK, 2028: APBD}, rka={2026: 300}),
    K("PR-03", "BPKAD", "Layanan pengelolaan keuangan daerah nontunai", {2025: 180}, ("service:BPKAD",), SELESAI,
      output="Seluruh transaksi belanja OPD nontunai melalui SIPD dan kartu kredit pemerintah daerah"),
    K("PR-03", "DKP", "Layanan perizinan perikanan dan perhubungan laut terpadu", years(2026, 2028, 300),
      ("service:DKP", "service:DISHUB"), BELUM, rka={2026: 180},
      units=(("DKP", "Bidang Perikanan Tangkap"), ("DISHUB", "Bidang Perhubungan Laut"))),
    K("PR-03", "DINSOS", "Layanan sosial, lingkungan hidup dan perpustakaan berbasis elektronik",
      years(2027, 2029, 260), ("service:DINSOS", "service:DLH", "service:DISPUSIP"), BELUM, plan="draft"),
    # --- Aplikasi ------------------------------------------------------------------------------------------
    K("PR-04", "DINKES", "Pengembangan Sistem Informasi Surveilans Penyakit Menular (SISPENA)",
      years(2025, 2026, 650, y2026=420), ("app:surveilans",), SEDANG, source=DAK, rka={2025: 700},
      units=(("DINKES", "Bidang Pencegahan dan Pengendalian Penyakit"),)),
    K("PR-04", "DIKBUD", "Pembangunan Sistem Informasi Cagar Budaya dan Museum (SICAMUS)", {2027: 380},
      ("app:cagarbudaya",), BELUM, plan="submitted"),
    K("PR-04", "DISPAR", "Pengembangan aplikasi Visit Maluku Utara", years(2026, 2027, 450),
      ("app:visitmalut",), SEDANG, plan="submitted", source={2026: OTHER, 2027: APBD}, rka={2026: 450},
      output="Portal dan aplikasi seluler promosi destinasi (2026 dibiayai hibah Bank Indonesia)"),
    K("PR-04", "DISHUB", "Pengembangan Sistem Informasi Kepegawaian Dishub", {2027: 210}, ("app:simpegdishub",),
      BELUM, plan="draft"),
    K("PR-04", "DLH", "Pembangunan Aplikasi Surat Menyurat DLH", {2025: 120}, ("app:suratdlh",), BATAL,
      output="Dibatalkan: sesuai keputusan kliring, persuratan DLH memakai SRIKANDI"),
    K("PR-04", "DISPUSIP", "Migrasi persuratan ke SRIKANDI dan penghentian TNDE serta Persuratan Elektronik Setda",
      years(2025, 2026, 240), ("app:tnde", "app:persuratan"), SELESAI,
      units=(("DISPUSIP", "Bidang Kearsipan"), ("SETDA", "Biro Umum"))),
    K("PR-04", KOMINFO, "Integrasi kanal pengaduan OPD ke SP4N-LAPOR! dan penghentian aplikasi pengaduan ganda",
      {2025: 150}, ("app:eaduandinkes", "app:lapordikbud", "app:laporbansos"), BELUM, late=True,
      units=((KOMINFO, "Bidang Informasi dan Komunikasi Publik"),)),
    K("PR-04", KOMINFO, "Migrasi konten dan penghentian situs web OPD", years(2027, 2028, 120),
      ("app:webdinkes", "app:webdikbud", "app:webdkp"), BELUM, plan="submitted",
      output="Konten situs web Dinkes, Dikbud dan DKP dipindahkan; ketiga situs lama dihentikan"),
    K("PR-04", "BPKAD", "Migrasi akuntansi SIMDA Keuangan ke SIPD", years(2025, 2027, 280), ("app:simda",), SEDANG,
      units=(("BPKAD", "Bidang Akuntansi"),), rka={2026: 210}),
    # --- Infrastruktur -------------------------------------------------------------------------------------
    K("PR-05", KOMINFO, "Konsolidasi Pusat Data tahap I: perluasan ruang dan kapasitas",
      years(2025, 2026, 3200, y2026=2750), ("infra:pdp-konsolidasi", "infra:host3"), SEDANG,
      source={2025: APBD, 2026: DAK}, rka={2025: 2950, 2026: 2400}, units=((KOMINFO, "Bidang Infrastruktur Teknologi Informasi"),),
      output="Ruang server 260 m2, daya 320 kVA dan host virtualisasi ketiga"),
    K("PR-05", "DINKES", "Migrasi server Dinkes ke Pusat Data dan penutupan ruang server", {2025: 260},
      ("infra:dinkes-srv", "infra:rs-dinkes"), SELESAI),
    K("PR-05", "BPKAD", "Migrasi server BPKAD ke Pusat Data dan penghentian Windows Server 2012",
      years(2026, 2027, 340), ("infra:bpkad-srv", "infra:winsrv2012", "infra:rs-bpkad"), BELUM, rka={2026: 340}),
    K("PR-05", "DIKBUD", "Migrasi server Dikbud ke Pusat Data", {2025: 210}, ("infra:dikbud-srv", "infra:rs-dikbud"),
      SEDANG, late=True, returned="Pagu belum memuat biaya migrasi basis data PPDB; rinci per komponen."),
    K("PR-05", KOMINFO, "Pemulihan bencana (DRC) di Pusat Data Nasional", years(2026, 2029, 285),
      ("infra:drc-pdn",), SEDANG, source=OTHER, rka={2026: 285},
      output="Replika harian aplikasi utama di PDN (layanan Komdigi tanpa biaya sewa; pagu untuk jaringan dan migrasi)"),
    # --- Keamanan ------------------------------------------------------------------------------------------
    K("PR-06", KOMINFO, "Penyusunan rencana keberlangsungan layanan dan pemulihan bencana SPBE", years(2025, 2026, 150),
      ("security:drp",), SEDANG, units=((KOMINFO, "Bidang Persandian dan Keamanan Informasi"),)),
    K("PR-06", KOMINFO, "Revisi SOP pencadangan dan pemulihan data Pusat Data", {2026: 60},
      ("security:sop-backup-2026",), SELESAI),
    K("PR-06", KOMINFO, "Sertifikasi SMKI SNI ISO/IEC 27001 Pusat Data", years(2027, 2028, 420),
      ("security:iso27001-sertifikasi",), BELUM, plan="submitted"),
    K("PR-06", KOMINFO, "Pembangunan Security Operation Center (SOC) Malutprov-CSIRT", years(2026, 2028, 900, y2026=1350),
      ("security:soc",), SEDANG, source={2026: DAK, 2027: APBD, 2028: APBD}, rka={2026: 1100},
      units=((KOMINFO, "Bidang Persandian dan Keamanan Informasi"),)),
] + [
    # --- Audit TIK: a security audit every year ---------------------------------------------------------------
    K("PR-07", KOMINFO, f"Audit Keamanan SPBE Tahun {year}", {year: amount}, ("security:audit-tahunan",),
      progress, plan=plan, units=((KOMINFO, "Bidang Persandian dan Keamanan Informasi"),
                                  ("INSPEKTORAT", "Inspektur Pembantu Wilayah I")),
      output=f"Laporan hasil audit keamanan aplikasi dan infrastruktur SPBE {year} beserta rencana tindak lanjut")
    for year, amount, progress, plan in ((2025, 275, SELESAI, "validated"), (2026, 290, SELESAI, "validated"),
                                         (2027, 305, BELUM, "validated"), (2028, 320, BELUM, "submitted"),
                                         (2029, 335, BELUM, "draft"))
]

# The verifikator's remark on a kegiatan he let through, so the review conversation shows the question.
COMMENTS = {"Konsolidasi Pusat Data tahap I: perluasan ruang dan kapasitas":
            "Pastikan jadwal migrasi server OPD selaras dengan penghentian ruang server Dinkes, BPKAD dan Dikbud."}

# The workflow actions that leave a kegiatan in each planned status (as ``demo_applications.STATUS_PLANS``).
STATUS_PLANS = {
    "draft": (),
    "submitted": (workflow.A.SUBMIT,),
    "returned": (workflow.A.SUBMIT, workflow.A.RETURN),
    "verified": (workflow.A.SUBMIT, workflow.A.VERIFY),
    "validated": (workflow.A.SUBMIT, workflow.A.VERIFY, workflow.A.VALIDATE),
}


@register_demo(45, "Peta Rencana SPBE 2025-2029 (sasaran, program, kegiatan, anggaran)")
def load_roadmap() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    if StrategicTarget.objects.filter(institution=institution, period=PERIOD).exists():
        return "sudah ada"
    departments = {d.abbreviation: d for d in Department.objects.filter(institution=institution)}
    units = {(u.department.abbreviation, u.name): u for u in
             WorkUnit.objects.filter(department__institution=institution).select_related("department")}
    programs = _structure(institution)
    gap_objects = _gap_objects(institution)
    people = {u.username: u for u in get_user_model().objects.filter(
        username__in=["koordinator", "verifikator"] + [f"operator.{abbr.lower()}" for abbr in departments])}
    made = []
    for position, spec in enumerate(spec for spec in ACTIVITIES if spec.opd in departments):
        activity = _activity(spec, programs[spec.program], departments[spec.opd], people)
        activity.units.set([units[key] for key in spec.units or _own_unit(departments[spec.opd]) if key in units])
        _years(activity, spec, position)
        for obj in (obj for selector in spec.gaps for obj in gap_objects.get(selector, ())):
            link = ActivityGap(activity=activity, content_type=ContentType.objects.get_for_model(type(obj)),
                               object_id=obj.pk)
            link.full_clean()
            link.save()
        made.append(activity)
    _record_conversations(made)
    return f"{len(TARGETS)} sasaran strategis, {len(PROGRAMS)} program, {len(made)} kegiatan"


def _structure(institution) -> dict:
    """The sasaran, inisiatif and programs; {program code: program}."""
    targets, initiatives = {}, {}
    for order, (code, name, description) in enumerate(TARGETS, start=1):
        targets[code] = _saved(StrategicTarget(institution=institution, period=PERIOD, code=code, name=name,
                                               description=description, order=order))
    for code, target, name in INITIATIVES:
        initiatives[code] = _saved(Initiative(target=targets[target], code=code, name=name))
    return {code: _saved(Program(initiative=initiatives[initiative], area=area, code=code, name=name))
            for code, (initiative, area, name) in PROGRAMS.items()}


def _own_unit(department) -> tuple:
    """The unit of the OPD in charge that takes part when a kegiatan names none: its first bidang."""
    unit = department.work_units.filter(parent__isnull=True).exclude(name__in=["Sekretariat", "Bagian Umum"]).order_by(
        "pk").first()
    return ((department.abbreviation, unit.name),) if unit else ()


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _activity(spec, program, department, people) -> Activity:
    first, last = min(spec.pagu), max(spec.pagu)
    steps = _steps(spec, people)
    activity = Activity(program=program, department=department, name=spec.name, start_year=first, end_year=last,
                        progress=spec.progress, output=spec.output, description=_description(spec))
    activity.full_clean()
    # A comment moves no status: the version counts the creation and each transition, as the workflow does.
    activity.status, activity.lock_version = steps[-1][3], sum(1 for step in steps if step[3])
    activity._history_user = people.get("koordinator")
    activity.save()
    activity._review_steps = steps
    return activity


def _description(spec) -> str:
    if spec.progress == BATAL:
        return "Kegiatan dibatalkan; anggarannya tidak lagi dihitung dalam peta rencana."
    if spec.late:
        return "Terlambat: pekerjaan tahun sebelumnya belum selesai dan dijadwalkan ulang."
    return ""


def _years(activity, spec, position):
    """The kegiatan's years: pagu and source; the RKA of 2025-2026; the realisation of 2025 (and of 2026 for a
    kegiatan done); a year done when its work is (never for a late or cancelled kegiatan)."""
    rate = Decimal(93 + position % 6) / 100  # 93%..98% of the RKA spent
    for year, pagu in sorted(spec.pagu.items()):
        source = spec.source.get(year, APBD) if isinstance(spec.source, dict) else spec.source
        budget = Decimal(pagu) * JUTA
        rka = None
        if year <= CURRENT:
            entered = spec.rka.get(year, pagu)
            rka = None if entered is None else Decimal(entered) * JUTA
        finished = spec.progress == SELESAI or (spec.progress == SEDANG and year < CURRENT and not spec.late)
        done = finished and year <= CURRENT
        realisation = None
        if year < CURRENT or done:
            if done and rka is not None:
                realisation = (min(rka, budget) * rate).quantize(JUTA)
            elif spec.late and spec.progress == SEDANG and rka is not None:
                realisation = (min(rka, budget) * Decimal("0.35")).quantize(JUTA)  # begun, far from finished
            elif spec.progress != BATAL:
                realisation = Decimal(0)
        _saved(ActivityYear(activity=activity, year=year, budget=budget, source=source, rka=rka,
                            realisation=realisation, done=done))


def _gap_objects(institution) -> dict:
    """{selector: [gap objects]} for every selector the kegiatan use, from the demo architecture as it is stored
    (a selector whose objects are missing finds none)."""
    found = {}
    for model, kind in ((BusinessProcess, "process"), (Service, "service"), (DataItem, "data")):
        for obj in model.objects.filter(gap_filter(), institution=institution).select_related("department"):
            found.setdefault(f"{kind}:{obj.department.abbreviation}", []).append(obj)
    apps = {app.name: app for app in Application.objects.filter(gap_filter(), institution=institution)}
    for spec in APPS:
        if spec.name in apps:
            found[f"app:{spec.key}"] = [apps[spec.name]]
    infra = ((ComputingFacility, FACILITIES), (Server, SERVERS), (CloudService, CLOUD), (PlatformSoftware, PLATFORM),
             *INFRA_TO_BE)
    for prefix, groups in (("infra", infra), ("security", (*SECURITY, *SECURITY_TO_BE))):
        by_model: dict = {}
        for model, items in groups:
            by_model.setdefault(model, []).extend(items)
        for model, items in by_model.items():
            stored = {obj.name: obj for obj in model.objects.filter(gap_filter(), institution=institution)}
            for item in items:
                if item.name in stored:
                    found[f"{prefix}:{item.key}"] = [stored[item.name]]
    return found


def _steps(spec, people) -> list[tuple]:
    """The turns of the review conversation for the plan of ``spec``, as (action, user, from, to, comment): the
    statuses are the workflow's own (``workflow.TRANSITIONS``)."""
    operator = people.get(f"operator.{spec.opd.lower()}") or people.get("koordinator")
    verifier, admin = people.get("verifikator"), people.get("koordinator")
    actor = {workflow.A.SUBMIT: operator, workflow.A.RETURN: verifier, workflow.A.VERIFY: verifier,
             workflow.A.VALIDATE: admin}
    plan = "returned" if spec.returned else spec.plan
    status = ReviewStatus.DRAFT
    steps = [(workflow.A.CREATE, operator, "", status, "")]
    for action in STATUS_PLANS[plan]:
        transition = workflow.TRANSITIONS[action]
        if action == workflow.A.VERIFY and spec.name in COMMENTS:
            steps.append((workflow.A.COMMENT, verifier, "", "", COMMENTS[spec.name]))
        comment = spec.returned if action == workflow.A.RETURN else ""
        steps.append((action, actor[action], status, transition.target, comment))
        status = transition.target
    return steps


def _record_conversations(activities):
    """One bulk insert of every review turn; then the conversations move back over the last weeks (one update per
    age), so that the review queues show realistic ages."""
    content_type = ContentType.objects.get_for_model(Activity)
    events, ages = [], {}
    for position, activity in enumerate(activities):
        ages.setdefault(2 + (position * 5) % 40, []).append(activity.pk)
        events += [
            ReviewEvent(content_type=content_type, object_id=activity.pk, institution_id=activity.institution_id,
                        action=action, from_status=source, to_status=target, comment=comment, user=user)
            for action, user, source, target, comment in activity._review_steps
        ]
    ReviewEvent.objects.bulk_create(events)
    for days, ids in ages.items():
        ReviewEvent.objects.filter(content_type=content_type, object_id__in=ids).update(
            created=F("created") - timedelta(days=days))
    workflow.restamp(Activity, [activity.pk for activity in activities])

"""Demo province: Pemerintah Provinsi Maluku Utara (data contoh) with its OPDs and accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from sia.core.demo import DEMO_PASSWORD, register_demo
from sia.core.roles import Role

from .choices import DepartmentKind as K
from .choices import Echelon, InstitutionKind
from .models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit

EMAIL_DOMAIN = "malut.example.org"  # the demo accounts' addresses: <username>@malut.example.org
INSTITUTION = {"code": "82", "name": "Pemerintah Provinsi Maluku Utara (data contoh)", "kind": InstitutionKind.PROVINCE}

# (name, abbreviation, kind, urusan code, field of work, units besides the secretariat)
DEPARTMENTS = [
    ("Sekretariat Daerah", "SETDA", K.SECRETARIAT, "4.01", "pemerintahan, perekonomian, pembangunan dan administrasi umum",
     ["Biro Pemerintahan", "Biro Organisasi", "Biro Umum"]),
    ("Sekretariat DPRD", "SETWAN", K.SECRETARIAT, "4.02", "kesekretariatan dan persidangan DPRD",
     ["Bagian Persidangan dan Perundang-undangan", "Bagian Keuangan"]),
    ("Inspektorat Daerah", "INSPEKTORAT", K.INSPECTORATE, "6.01", "pengawasan penyelenggaraan pemerintahan daerah",
     ["Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II"]),
    ("Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "BAPPEDA", K.BOARD, "5.01",
     "perencanaan pembangunan, penelitian dan pengembangan",
     ["Bidang Perencanaan, Pengendalian dan Evaluasi", "Bidang Perekonomian dan SDA", "Bidang Infrastruktur dan Kewilayahan",
      "Bidang Pemerintahan dan Pembangunan Manusia", "Bidang Penelitian dan Pengembangan"]),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", K.BOARD, "5.02", "pengelolaan keuangan dan aset daerah",
     ["Bidang Anggaran", "Bidang Perbendaharaan", "Bidang Akuntansi", "Bidang Aset"]),
    ("Badan Pendapatan Daerah", "BAPENDA", K.BOARD, "5.02.2", "pendapatan daerah", ["Bidang Pajak Daerah", "Bidang Retribusi dan Lain-lain Pendapatan"]),
    ("Badan Kepegawaian Daerah", "BKD", K.BOARD, "5.03", "kepegawaian", ["Bidang Mutasi dan Promosi", "Bidang Pengadaan dan Informasi Kepegawaian"]),
    ("Badan Pengembangan Sumber Daya Manusia", "BPSDM", K.BOARD, "5.04", "pengembangan kompetensi aparatur",
     ["Bidang Pengembangan Kompetensi Manajerial", "Bidang Sertifikasi Kompetensi"]),
    ("Badan Kesatuan Bangsa dan Politik", "KESBANGPOL", K.BOARD, "8.01", "kesatuan bangsa dan politik", ["Bidang Politik Dalam Negeri"]),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", K.BOARD, "1.05.2", "penanggulangan bencana",
     ["Bidang Pencegahan dan Kesiapsiagaan", "Bidang Kedaruratan dan Logistik", "Bidang Rehabilitasi dan Rekonstruksi"]),
    ("Dinas Pendidikan dan Kebudayaan", "DIKBUD", K.OFFICE, "1.01", "pendidikan dan kebudayaan",
     ["Bidang Pembinaan SMA", "Bidang Pembinaan SMK", "Bidang Pendidikan Khusus", "Bidang Kebudayaan"]),
    ("Dinas Kesehatan", "DINKES", K.OFFICE, "1.02", "kesehatan",
     ["Bidang Kesehatan Masyarakat", "Bidang Pencegahan dan Pengendalian Penyakit", "Bidang Pelayanan Kesehatan",
      "Bidang Sumber Daya Kesehatan"]),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", K.OFFICE, "1.03", "pekerjaan umum dan penataan ruang",
     ["Bidang Bina Marga", "Bidang Sumber Daya Air", "Bidang Cipta Karya", "Bidang Penataan Ruang"]),
    ("Dinas Perumahan dan Kawasan Permukiman", "DISPERKIM", K.OFFICE, "1.04", "perumahan dan kawasan permukiman", ["Bidang Perumahan"]),
    ("Satuan Polisi Pamong Praja", "SATPOLPP", K.OTHER, "1.05", "ketenteraman, ketertiban umum dan perlindungan masyarakat",
     ["Bidang Penegakan Peraturan Daerah", "Bidang Perlindungan Masyarakat"]),
    ("Dinas Sosial", "DINSOS", K.OFFICE, "1.06", "sosial", ["Bidang Rehabilitasi Sosial", "Bidang Perlindungan dan Jaminan Sosial"]),
    ("Dinas Tenaga Kerja dan Transmigrasi", "DISNAKERTRANS", K.OFFICE, "2.07", "tenaga kerja dan transmigrasi",
     ["Bidang Pelatihan dan Penempatan Tenaga Kerja", "Bidang Transmigrasi"]),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", K.OFFICE, "2.08",
     "pemberdayaan perempuan dan perlindungan anak", ["Bidang Perlindungan Perempuan dan Anak"]),
    ("Dinas Ketahanan Pangan", "DKPANGAN", K.OFFICE, "2.09", "pangan", ["Bidang Ketersediaan dan Kerawanan Pangan"]),
    ("Dinas Lingkungan Hidup", "DLH", K.OFFICE, "2.11", "lingkungan hidup",
     ["Bidang Tata Lingkungan", "Bidang Pengendalian Pencemaran dan Kerusakan Lingkungan"]),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", K.OFFICE, "2.13", "pemberdayaan masyarakat dan desa",
     ["Bidang Pemerintahan Desa"]),
    ("Dinas Perhubungan", "DISHUB", K.OFFICE, "2.15", "perhubungan",
     ["Bidang Perhubungan Darat", "Bidang Perhubungan Laut", "Bidang Perhubungan Udara"]),
    ("Dinas Komunikasi, Informatika dan Persandian", "DISKOMINFOSAN", K.OFFICE, "2.16",
     "komunikasi, informatika, statistik dan persandian",
     ["Bidang Informasi dan Komunikasi Publik", "Bidang Aplikasi Informatika", "Bidang Infrastruktur Teknologi Informasi",
      "Bidang Persandian dan Keamanan Informasi", "Bidang Statistik"]),
    ("Dinas Koperasi dan Usaha Kecil Menengah", "DISKOPUKM", K.OFFICE, "2.17", "koperasi, usaha kecil dan menengah",
     ["Bidang Kelembagaan dan Pengawasan Koperasi"]),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", K.OFFICE, "2.18",
     "penanaman modal dan pelayanan perizinan", ["Bidang Pelayanan Perizinan", "Bidang Promosi Penanaman Modal"]),
    ("Dinas Pemuda dan Olahraga", "DISPORA", K.OFFICE, "2.19", "kepemudaan dan olahraga", ["Bidang Olahraga"]),
    ("Dinas Perpustakaan dan Kearsipan", "DISPUSIP", K.OFFICE, "2.23", "perpustakaan dan kearsipan",
     ["Bidang Perpustakaan", "Bidang Kearsipan"]),
    ("Dinas Kelautan dan Perikanan", "DKP", K.OFFICE, "3.25", "kelautan dan perikanan",
     ["Bidang Perikanan Tangkap", "Bidang Perikanan Budidaya", "Bidang Pengelolaan Ruang Laut"]),
    ("Dinas Pariwisata", "DISPAR", K.OFFICE, "3.26", "pariwisata", ["Bidang Destinasi Pariwisata", "Bidang Pemasaran Pariwisata"]),
    ("Dinas Pertanian", "DISTAN", K.OFFICE, "3.27", "pertanian", ["Bidang Tanaman Pangan dan Hortikultura", "Bidang Perkebunan"]),
    ("Dinas Kehutanan", "DISHUT", K.OFFICE, "3.28", "kehutanan", ["Bidang Pengelolaan Hutan"]),
    ("Dinas Energi dan Sumber Daya Mineral", "DESDM", K.OFFICE, "3.29", "energi dan sumber daya mineral",
     ["Bidang Mineral dan Batubara", "Bidang Energi dan Ketenagalistrikan"]),
    ("Dinas Perindustrian dan Perdagangan", "DISPERINDAG", K.OFFICE, "3.30", "perindustrian dan perdagangan",
     ["Bidang Perindustrian", "Bidang Perdagangan"]),
    ("Rumah Sakit Umum Daerah Dr. H. Chasan Boesoirie", "RSUDCB", K.HOSPITAL, "1.02.2", "pelayanan kesehatan rujukan",
     ["Bidang Pelayanan Medik", "Bidang Keperawatan", "Bidang Penunjang"]),
]

STAFF = [
    ("koordinator", "Koordinator Tim Koordinasi", Role.ADMIN, None),
    ("verifikator", "Verifikator Arsitektur", Role.VERIFIER, None),
    ("verifikator2", "Rahmawati Umasugi", Role.VERIFIER, None),
    ("verifikator3", "Fadli Hi. Abdullah", Role.VERIFIER, None),
    ("asesor", "Asesor Internal", Role.ASSESSOR, None),
    ("pimpinan", "Sekretaris Daerah", Role.LEADER, None),
]


def functions_for(field: str, kind: str) -> list[str]:
    unit = {K.BOARD: "badan", K.SECRETARIAT: "sekretariat", K.INSPECTORATE: "inspektorat"}.get(kind, "dinas")
    return [
        f"Perumusan kebijakan teknis di bidang {field}",
        f"Pelaksanaan kebijakan di bidang {field}",
        f"Pelaksanaan evaluasi dan pelaporan di bidang {field}",
        f"Pelaksanaan administrasi {unit} sesuai dengan lingkup tugasnya",
        "Pelaksanaan fungsi lain yang diberikan oleh Gubernur terkait dengan tugas dan fungsinya",
    ]


def head_position(name: str, kind: str) -> str:
    if kind == K.SECRETARIAT and name == "Sekretariat Daerah":
        return "Sekretaris Daerah"
    if kind == K.SECRETARIAT:
        return "Sekretaris DPRD"
    if kind == K.INSPECTORATE:
        return "Inspektur"
    if kind == K.HOSPITAL:
        return "Direktur RSUD"
    if name.startswith("Satuan"):
        return "Kepala Satuan Polisi Pamong Praja"
    return "Kepala " + name


@register_demo(10, "Organisasi")
def load_organizations() -> str:
    institution, _ = Institution.objects.get_or_create(
        code=INSTITUTION["code"], defaults={"name": INSTITUTION["name"], "kind": INSTITUTION["kind"]}
    )
    for position, (name, abbreviation, kind, urusan, field, units) in enumerate(DEPARTMENTS, start=1):
        department, created = Department.objects.get_or_create(
            institution=institution,
            abbreviation=abbreviation,
            defaults={
                "name": name,
                "kind": kind,
                "code": f"{urusan}.0.00.0.00.{position:02d}.0000",
                "head_position": head_position(name, kind),
                "duties": (
                    f"Membantu Gubernur melaksanakan urusan pemerintahan di bidang {field} yang menjadi "
                    "kewenangan daerah provinsi dan tugas pembantuan yang ditugaskan kepada daerah provinsi."
                ),
            },
        )
        if not created:
            continue
        DepartmentFunction.objects.bulk_create(
            DepartmentFunction(department=department, order=i, description=text)
            for i, text in enumerate(functions_for(field, kind), start=1)
        )
        secretariat = WorkUnit.objects.create(
            department=department, name="Sekretariat" if kind != K.SECRETARIAT else "Bagian Umum", echelon=Echelon.III
        )
        WorkUnit.objects.create(
            department=department, parent=secretariat, name="Subbagian Umum dan Kepegawaian", echelon=Echelon.IV
        )
        for unit in units:
            WorkUnit.objects.create(department=department, name=unit, echelon=Echelon.III)

    password = make_password(DEMO_PASSWORD)
    accounts = [(username, full, role, None) for username, full, role, _d in STAFF]
    for department in institution.departments.all():
        accounts.append(
            (f"operator.{department.abbreviation.lower()}", f"Operator {department.abbreviation}", Role.OPERATOR, department)
        )
    User = get_user_model()
    for username, full_name, role, department in accounts:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
        if created or not user.email:  # a reserved domain (RFC 2606): the demo's e-mails never reach anyone
            user.password = password if created else user.password
            user.email = user.email or f"{username}@{EMAIL_DOMAIN}"
            user.save(update_fields=["password", "email"])
        Membership.objects.get_or_create(
            user=user, institution=institution, role=role, defaults={"department": department}
        )
    return f"{institution.departments.count()} OPD, {len(accounts)} akun"


# The OPDs each verifikator mentors (issue 17); DESDM, DISPERINDAG and RSUDCB have no mentor yet.
MENTORS = {
    "verifikator": ["DISKOMINFOSAN", "BAPPEDA", "DINKES", "BPKAD", "SETDA", "INSPEKTORAT", "BKD", "BPSDM",
                    "DIKBUD", "DPUPR", "DISHUB"],
    "verifikator2": ["BAPENDA", "SETWAN", "KESBANGPOL", "BPBD", "DISPERKIM", "SATPOLPP", "DINSOS", "DISNAKERTRANS",
                     "DP3A", "DKPANGAN", "DLH", "DPMD"],
    "verifikator3": ["DISKOPUKM", "DPMPTSP", "DISPORA", "DISPUSIP", "DKP", "DISPAR", "DISTAN", "DISHUT"],
}


@register_demo(11, "Mentor OPD")
def load_mentors() -> str:
    from .mentors import assign

    institution = Institution.objects.get(code=INSTITUTION["code"])
    User = get_user_model()
    assigned = 0
    for username, abbreviations in MENTORS.items():
        mentor = User.objects.get(username=username)
        for abbreviation in abbreviations:
            department = institution.departments.get(abbreviation=abbreviation)
            if not MentorAssignment.objects.filter(department=department).exists():
                assign(department, mentor)
            assigned += 1
    unassigned = institution.departments.filter(is_active=True, mentor_assignments__isnull=True).count()
    return f"{assigned} OPD dibina {len(MENTORS)} mentor, {unassigned} OPD belum bermentor"

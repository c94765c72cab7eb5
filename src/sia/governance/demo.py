"""Demo governance register of the demo province (Maluku Utara, code 82): the Pergub on SPBE governance, the SK of
the Tim Koordinasi SPBE (and the earlier one it replaced), and the SK of the Tim Asesor Internal of the 2026 Indeks
Pemdi, with their members (fictitious names and NIPs) and one-page PDF files generated deterministically, linked to
the indicators of both instruments by the defaults of their type."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from sia.core.demo import register_demo
from sia.evaluation.pdf import minimal_pdf
from sia.organizations.models import Institution

from .choices import DocumentStatus, DocumentType, TeamRole
from .files import save_document
from .models import PolicyDocument, TeamMember

D = datetime.date
GOVERNOR = "Gubernur Maluku Utara"

# (key, type, number, date, title, valid from, valid until, status, replaced by key)
DOCUMENTS = [
    ("pergub", DocumentType.REGULATION, "12 Tahun 2023", D(2023, 6, 14),
     "Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik", D(2023, 6, 14), None, DocumentStatus.IN_FORCE, ""),
    ("sk-koordinasi", DocumentType.COORDINATION_TEAM, "100.3.3.1/KPTS/MU/142/2025", D(2025, 2, 10),
     "Pembentukan Tim Koordinasi Sistem Pemerintahan Berbasis Elektronik Provinsi Maluku Utara",
     D(2025, 2, 10), None, DocumentStatus.IN_FORCE, ""),
    ("sk-koordinasi-2021", DocumentType.COORDINATION_TEAM, "188.44/KPTS/MU/97/2021", D(2021, 3, 22),
     "Pembentukan Tim Koordinasi Sistem Pemerintahan Berbasis Elektronik Provinsi Maluku Utara",
     D(2021, 3, 22), D(2025, 2, 9), DocumentStatus.REPLACED, "sk-koordinasi"),
    ("sk-asesor", DocumentType.ASSESSOR_TEAM, "100.3.3.1/KPTS/MU/318/2026", D(2026, 4, 6),
     "Pembentukan Tim Asesor Internal Evaluasi Kinerja Pemerintah Digital Provinsi Maluku Utara Tahun 2026",
     D(2026, 4, 6), D(2026, 12, 31), DocumentStatus.IN_FORCE, ""),
]

# Members per decree: (role, name, NIP, jabatan).
TEAMS = {
    "sk-koordinasi": [
        (TeamRole.STEERING, "Ir. Abdul Rahman Hasan, M.Si.", "196805121994031008", "Gubernur Maluku Utara"),
        (TeamRole.CHAIR, "Dr. Muhammad Nasir Taher, S.E., M.M.", "197001161996031004",
         "Sekretaris Daerah Provinsi Maluku Utara"),
        (TeamRole.VICE_CHAIR, "Ir. Rusdi Umasugi, M.T.", "197203221998031006",
         "Kepala Badan Perencanaan Pembangunan Daerah"),
        (TeamRole.SECRETARY, "Fadli Djailolo, S.Kom., M.T.", "197810092003121003",
         "Kepala Dinas Komunikasi, Informatika dan Persandian"),
        (TeamRole.MEMBER, "Hj. Nurlaila Sangadji, S.H., M.H.", "197406182000032005", "Inspektur Provinsi"),
        (TeamRole.MEMBER, "Drs. Arifin Ternate Laitupa, M.Si.", "196911051995031002",
         "Kepala Badan Pengelolaan Keuangan dan Aset Daerah"),
        (TeamRole.MEMBER, "Sarifa Alhadad, S.Sos., M.AP.", "197512302002122004",
         "Kepala Badan Kepegawaian Daerah"),
        (TeamRole.MEMBER, "Irwan Mahmud, S.STP., M.Si.", "198302142001121002", "Kepala Biro Organisasi Setda"),
    ],
    "sk-koordinasi-2021": [
        (TeamRole.CHAIR, "Drs. Yusuf Sundana Kiat, M.Si.", "196502111990031009",
         "Sekretaris Daerah Provinsi Maluku Utara"),
        (TeamRole.SECRETARY, "Ir. Hamid Basri Tuanane", "196707201993031011",
         "Kepala Dinas Komunikasi, Informatika dan Persandian"),
        (TeamRole.MEMBER, "Ir. Rusdi Umasugi, M.T.", "197203221998031006",
         "Kepala Badan Perencanaan Pembangunan Daerah"),
    ],
    "sk-asesor": [
        (TeamRole.CHAIR, "Fadli Djailolo, S.Kom., M.T.", "197810092003121003",
         "Kepala Dinas Komunikasi, Informatika dan Persandian"),
        (TeamRole.SECRETARY, "Rahmawati Kasuba, S.T., M.Eng.", "198405172009022003",
         "Kepala Bidang Aplikasi Informatika, Diskominfosan"),
        (TeamRole.MEMBER, "Andi Saleh Marasabessy, S.Kom.", "198711232011011004",
         "Pranata Komputer Ahli Muda, Diskominfosan"),
        (TeamRole.MEMBER, "Nur Aisyah Hi. Umar, S.E., M.Ak.", "198609042010012006",
         "Auditor Ahli Muda, Inspektorat Provinsi"),
        (TeamRole.MEMBER, "Rizal Abubakar, S.T.", "199001152015031003",
         "Perencana Ahli Muda, Bappeda"),
        (TeamRole.MEMBER, "Sitti Hajar Mustafa, S.Kom.", "199203112019032012",
         "Pranata Komputer Ahli Pertama, Diskominfosan"),
    ],
}


def document_pdf(institution, type_label: str, number: str, date, title: str, members=()) -> bytes:
    """A one-page PDF standing for the signed document (marked as a demo copy)."""
    lines = [institution.name, "", f"{type_label.upper()}", f"NOMOR {number}", "TENTANG", title.upper(), "",
             f"Ditetapkan di Sofifi pada tanggal {date.isoformat()}", GOVERNOR, "",
             "(salinan contoh SIA, bukan dokumen resmi)"]
    if members:
        lines += ["", "LAMPIRAN: SUSUNAN TIM"]
        lines += [f"{n}. {name} - {position} ({role.label})" for n, (role, name, _nip, position) in
                  enumerate(members, start=1)]
    return minimal_pdf(lines, title=f"{type_label} {number}")


@register_demo(50, "Register tata kelola (Pergub SPBE, SK Tim Koordinasi, SK Tim Asesor Internal)")
def load_governance() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (instansi contoh belum ada)"
    if PolicyDocument.objects.filter(institution=institution).exists():
        return "sudah ada"
    made = {}
    for key, kind, number, date, title, since, until, status, replaced in sorted(DOCUMENTS, key=lambda d: bool(d[8])):
        members = TEAMS.get(key, ())
        content = document_pdf(institution, DocumentType(kind).label, number, date, title, members)
        upload = SimpleUploadedFile(f"{key}-{date.year}.pdf", content, content_type="application/pdf")
        document = PolicyDocument(institution=institution, type=kind, number=number, date=date, title=title,
                                  valid_from=since, valid_until=until, status=status,
                                  replaced_by=made.get(replaced))
        made[key] = save_document(document, upload=upload)
        for order, (role, name, nip, position) in enumerate(members, start=1):
            member = TeamMember(document=made[key], name=name, nip=nip, position=position, role=role, order=order)
            member.full_clean()
            member.save()
    people = sum(len(TEAMS.get(key, ())) for key in made)
    return f"{len(made)} dokumen kebijakan, {people} anggota tim"

"""Demo: the demo province's 2026 Indeks Pemdi (PermenPANRB 8/2026) self-assessment, next to its 2024 SPBE one.

Values as an internal team enters them (two decimals, most of them fractional). Weighted sum (weights from the
instrument: I1-I5, I13, I14 5; I6, I7, I11, I18 3; I8-I10, I12, I15-I17 4; I19 10; I20 15):
- 5 × (2.75 + 2.50 + 2.26 + 1.80 + 3.75 + 2.50 + 2.80) = 91.80   (I1-I5, I13, I14; I5 from SDI 68.75 (2025))
- 3 × (2.40 + 2.10 + 1.50 + 1.00) = 21.00   (I6 SJIG entered, I7 EPSS entered, I11, I18 SDI missing: 1.00 flagged)
- 4 × (1.26 + 2.00 + 1.75 + 2.25 + 1.60 + 2.20 + 3.00) = 56.24   (I8-I10, I12, I15-I17)
- 10 × 2.00 + 15 × 2.30 = 54.50   (I19, I20)
Index = 223.54 / 100 = 2.2354 (shown 2,24), "Cukup". The saved planner preset (efforts rising with the level,
I19 and I20 twice as hard, the external indicators blocked, margin 0.05) reaches the next band floor 2.50 with
one-level steps: the evidence indicators below their next level floor hold far more than the 26.46 weighted points
(31.46 with the margin) needed.

Evidence: PDF files on items of I1, I13, I14 and I16 (codes like I13-L2-02), reviewed at the self-assessment by the
asesor (accepted, one "to revise" with a note), and the 2024 evidence the mapping proposes for I1, I13 and I16
carried over (``carryover.carry_over``; never its levels).
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.core.demo import register_demo
from sia.organizations.models import Institution, Membership

from . import carryover, evidence_items, services
from .choices import TeamRole
from .demo import INSTITUTION_CODE
from .frameworks import install_default_frameworks
from .models import Assessment, AssessmentTeamMember, Evidence, EvidenceItem, FrameworkVersion, ItemStatus
from .pdf import minimal_pdf
from .planner_presets import INCREASING, Preset, preset_to_dict
from .uploads import attach_file

FRAMEWORK_CODE = "permenpanrb-8-2026"
YEAR = 2026
# Indicator value as entered by the team (external indicators: see SOURCES).
VALUES_2026 = {
    1: "2.75", 2: "2.50", 3: "2.26", 4: "1.80", 8: "1.26", 9: "2.00", 10: "1.75", 11: "1.50", 12: "2.25",
    13: "2.50", 14: "2.80", 15: "1.60", 16: "2.20", 17: "3.00", 19: "2.00", 20: "2.30",
    6: "2.40", 7: "2.10",  # SJIG and EPSS: conversions unknown, the assessor's values
}
# External indicators: (source index, its year); None: the source index is not published (1.00, flagged).
SOURCES = {5: ("68.75", 2025), 6: ("3.20", 2025), 7: ("2.62", 2025), 18: (None, None)}
INDEX_2026 = Decimal("2.2354")
PRESET = Preset(scheme=INCREASING, factors={19: Decimal(2), 20: Decimal(2)}, block_external=True,
                margin=Decimal("0.05"))
PLANNER_TARGET = Decimal("2.50")
# Files put on evidence items: (item code, title, the asesor's verdict, note).
ITEM_FILES = [
    ("I1-L2-01", "SK Tim Koordinasi Pemerintah Digital Provinsi 2026", ItemStatus.ACCEPTED, ""),
    ("I1-L2-02", "Dokumen Arsitektur Pemerintah Digital Provinsi 2025-2029", ItemStatus.ACCEPTED, ""),
    ("I13-L2-01", "Dokumentasi pengembangan aplikasi layanan perizinan", ItemStatus.ACCEPTED, ""),
    ("I13-L2-02", "Rencana Aksi Pemerintah Digital dalam Renja Diskominfo 2026", ItemStatus.REVISE,
     "Lampirkan halaman pengesahan Renja yang ditandatangani; yang terunggah masih draf."),
    ("I14-L2-01", "Laporan pemanfaatan pusat data nasional 2025", ItemStatus.ACCEPTED, ""),
    ("I16-L2-01", "Perjanjian kerja sama integrasi data kependudukan", None, ""),
]
# 2024 SPBE evidence carried over: Pemdi indicator -> Pemdi item the carried file goes on.
CARRY_TO = {1: "I1-L2-03", 13: "I13-L2-03", 16: "I16-L2-02"}
TEAM = [("koordinator", TeamRole.LEAD), ("asesor", TeamRole.ASSESSOR), ("operator.diskominfosan", TeamRole.DATA_ENTRY)]


def _reasoning(number: int, value: str) -> dict:
    return {
        "fakta": f"(Data contoh) Data dukung indikator I{number} diunggah dan diperiksa tim asesor internal.",
        "analisis": f"Nilai {value.replace('.', ',')} menurut data dukung yang tersedia pada butir-butir indikator ini.",
        "justifikasi": "Butir tingkat berikutnya belum lengkap.",
    }


def _values(assessment, user):
    for indicator in assessment.framework.indicators.order_by("number"):
        number = indicator.number
        source, source_year = SOURCES.get(number, (None, None))
        value = VALUES_2026.get(number)
        services.set_value(assessment, indicator, value, user=user, source_value=source, source_year=source_year,
                           **_reasoning(number, value or "1.00"))


def _item_evidence(assessment, user) -> int:
    items = {i.code: i for i in EvidenceItem.objects.filter(
        framework=assessment.framework, code__in=[code for code, *_rest in ITEM_FILES]).select_related("indicator")}
    for code, title, status, note in ITEM_FILES:
        item = items[code]
        content = minimal_pdf(
            [assessment.institution.name, f"Penilaian mandiri Indeks Pemdi {assessment.year}",
             f"Butir {code}: {title}", "(Dokumen contoh, bukan dokumen resmi.)"],
            title=title,
        )
        upload = SimpleUploadedFile(f"{code.lower()}.pdf", content, content_type="application/pdf")
        attach_file(assessment, item.indicator, upload, user=user, title=title, item=item)
        if status:
            evidence_items.review_item(assessment, item, status, user=user, note=note)
    return len(ITEM_FILES)


def _carry_over(source, target, user) -> int:
    proposed = carryover.proposals(source, target.framework)
    selection = []
    for number, item_code in CARRY_TO.items():
        evidence = next((e for p in proposed.get(number, []) for e in p.evidence), None)
        if evidence is not None:
            selection.append((number, evidence, item_code))
    return len(carryover.carry_over(selection, target, user).created) if selection else 0


@register_demo(41, "Evaluasi Pemdi 2026")
def load_pemdi() -> str:
    install_default_frameworks()
    framework = FrameworkVersion.objects.get(code=FRAMEWORK_CODE)
    institution = Institution.objects.filter(code=INSTITUTION_CODE).first()
    if institution is None:
        return "instansi contoh belum ada"
    if Assessment.objects.filter(institution=institution, year=YEAR).exists():
        return "penilaian 2026 sudah ada"
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[name for name, _r in TEAM])}
    assessor = users.get("asesor")
    assessment = Assessment.objects.create(
        institution=institution, year=YEAR, framework=framework, planner_preset=preset_to_dict(PRESET)
    )
    for username, role in TEAM:
        user = users.get(username)
        if user is not None and Membership.objects.filter(user=user, institution=institution).exists():
            AssessmentTeamMember.objects.get_or_create(assessment=assessment, user=user, defaults={"role": role})
    _values(assessment, assessor)
    files = _item_evidence(assessment, assessor)
    source = carryover.last_source_assessment(assessment)
    carried = _carry_over(source, assessment, assessor) if source is not None else 0
    result = services.current_summary(assessment).result
    return (f"{YEAR} Indeks Pemdi {result.index_display} {result.predicate}; {files} data dukung pada butir, "
            f"{carried} dibawa dari {source.year if source else '-'}; "
            f"{Evidence.objects.filter(assessment=assessment).count()} data dukung")

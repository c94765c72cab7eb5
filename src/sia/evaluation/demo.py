"""Demo evaluations of the demo province: 2023 (all stages, final 2.24) and 2024 (self-assessment at 2.49).

The 2024 levels are chosen so that Σ(level × weight) = 249.00 exactly: index 2.49, "Cukup", 0.11 below
"Baik", so the planner has work. Evidence placeholders are real one-page PDF files.
"""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sia.core.demo import register_demo
from sia.organizations.models import Institution, Membership

from . import services
from .choices import Stage, TeamRole
from .frameworks import install_default_frameworks
from .models import Assessment, AssessmentTeamMember, FrameworkVersion
from .pdf import minimal_pdf
from .uploads import attach_file

FRAMEWORK_CODE = "permenpanrb-59-2020"
INSTITUTION_CODE = "82"

# Levels of indicators 1..47 in the 2024 self-assessment: Σ(level × weight) = 249.00, index 2.49.
LEVELS_2024 = [
    3, 3, 2, 3, 2, 2, 2, 3, 2, 3,  # 1-10 kebijakan internal: 25 × 1.30 = 32.50
    2, 2, 3, 2, 3, 3, 3, 2, 2, 2,  # 11-20 tata kelola: 24 × 2.50 = 60.00
    1, 2, 2, 2, 2, 1, 1, 2, 1, 2, 1,  # 21-31 manajemen dan audit: 17 × 1.50 = 25.50
    3, 3, 3, 3, 3, 3, 2, 2, 3, 3,  # 32-41 layanan administrasi: 28 × 2.75 = 77.00
    4, 3, 3, 3, 3, 2,  # 42-47 layanan publik: 18 × 3.00 = 54.00
]
# 2023 self-assessment: 2024 minus these steps (Σ 229.90, index 2.299, shown 2.30).
LOWER_IN_2023 = {1: 1, 4: 1, 13: 1, 15: 1, 22: 1, 30: 1, 32: 1, 33: 1, 42: 1}
# The external assessors of 2023 lowered indicator 43 in the document stage and 16 in the interview.
LOWERED_BY_EXTERNAL = {Stage.DOCUMENT: 43, Stage.INTERVIEW: 16}
TEAM = [("koordinator", TeamRole.LEAD), ("asesor", TeamRole.ASSESSOR), ("operator.diskominfosan", TeamRole.DATA_ENTRY)]


def _explanation(indicator, level: int) -> dict:
    criteria = dict(indicator.criteria())
    above = (
        f"Kriteria tingkat {level + 1} belum terpenuhi: {criteria[level + 1][:160]}"
        if level < 5 else "Seluruh kriteria hingga tingkat 5 terpenuhi."
    )
    return {
        "fakta": f"(Data contoh) Bukti dukung indikator {indicator.number} tersedia dan telah diperiksa tim.",
        "analisis": f"Kriteria tingkat {level} terpenuhi: {criteria[level][:200]}",
        "justifikasi": above,
    }


def _set_levels(assessment, levels: dict[int, int], user):
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    for number, level in levels.items():
        services.set_level(assessment, indicators[number], level, user=user, **_explanation(indicators[number], level))


def _team(assessment, users):
    for username, role in TEAM:
        user = users.get(username)
        if user is not None and Membership.objects.filter(user=user, institution=assessment.institution).exists():
            AssessmentTeamMember.objects.get_or_create(assessment=assessment, user=user, defaults={"role": role})


def _evidence(assessment, levels: dict[int, int], user) -> int:
    indicators = {i.number: i for i in assessment.framework.indicators.all()}
    attached = 0
    for number, level in levels.items():
        if level < 2:
            continue
        indicator = indicators[number]
        title = f"Bukti dukung indikator {number} tingkat {level} {assessment.year}"
        content = minimal_pdf(
            [
                f"{assessment.institution.name}",
                f"Penilaian mandiri SPBE {assessment.year}",
                f"Indikator {number}: {indicator.name}",
                f"Bukti dukung tingkat {level} (dokumen contoh, bukan dokumen resmi).",
            ],
            title=title,
        )
        upload = SimpleUploadedFile(f"bukti-{assessment.year}-{number}.pdf", content, content_type="application/pdf")
        attach_file(assessment, indicator, upload, user=user, title=title)
        attached += 1
    return attached


@register_demo(40, "Evaluasi SPBE")
def load_evaluation() -> str:
    install_default_frameworks()
    framework = FrameworkVersion.objects.get(code=FRAMEWORK_CODE)
    institution = Institution.objects.filter(code=INSTITUTION_CODE).first()
    if institution is None:
        return "instansi contoh belum ada"
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[name for name, _r in TEAM])}
    assessor = users.get("asesor")
    levels_2024 = dict(zip(range(1, 48), LEVELS_2024))
    summary = []
    evidence_count = 0

    if not Assessment.objects.filter(institution=institution, year=2023).exists():
        old = Assessment.objects.create(institution=institution, year=2023, framework=framework)
        _team(old, users)
        levels = {n: level - LOWER_IN_2023.get(n, 0) for n, level in levels_2024.items()}
        _set_levels(old, levels, assessor)
        while old.next_stage() is not None:
            services.advance_stage(old, user=users.get("koordinator"))
            lowered = LOWERED_BY_EXTERNAL.get(old.current_stage)
            if lowered:
                levels[lowered] -= 1
                _set_levels(old, {lowered: levels[lowered]}, assessor)
        services.lock_stage(old, user=users.get("koordinator"))
    if not Assessment.objects.filter(institution=institution, year=2024).exists():
        current = Assessment.objects.create(institution=institution, year=2024, framework=framework)
        _team(current, users)
        _set_levels(current, levels_2024, assessor)
        evidence_count = _evidence(current, levels_2024, assessor)

    for assessment in Assessment.objects.filter(institution=institution).order_by("year"):
        result = services.current_summary(assessment).result
        summary.append(f"{assessment.year} {Stage(assessment.current_stage).label.lower()} {result.index_display} {result.predicate}")
    return "; ".join(summary) + (f"; {evidence_count} bukti dukung PDF" if evidence_count else "")

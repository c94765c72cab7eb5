"""Demo evaluations of the demo province: 2021-2023 (all stages; final 1.77, 2.07, 2.24: a trend that
crosses from "Kurang" to "Cukup") and 2024 (self-assessment at 2.49).

The 2024 levels are chosen so that Σ(level × weight) = 249.00 exactly: index 2.49, "Cukup", 0.11 below
"Baik", so the planner has work. Evidence placeholders are real one-page PDF files.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sia.core.demo import register_demo
from sia.organizations.models import Institution, Membership

from . import services
from .choices import Stage, TeamRole
from .frameworks import install_default_frameworks
from .models import Assessment, AssessmentTeamMember, FrameworkVersion, StageLock
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
# Earlier years, each the year after minus these steps (never below level 1): 2022 Σ 207.25 (2.07 Cukup),
# 2021 Σ 177.35 (1.77 Kurang). Both went through every stage unchanged.
LOWER_IN_2022 = {2: 1, 5: 1, 8: 1, 11: 1, 16: 1, 17: 1, 34: 1, 35: 1, 36: 1, 43: 1}
LOWER_IN_2021 = {3: 1, 6: 1, 9: 1, 12: 1, 14: 1, 18: 1, 24: 1, 37: 1, 38: 1, 40: 1, 41: 1, 44: 1, 45: 1}
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


def _closed_year(institution, year, framework, levels, lowered_by, users):
    """A past evaluation taken through every stage to its locked final result."""
    assessor = users.get("asesor")
    old = Assessment.objects.create(institution=institution, year=year, framework=framework)
    _team(old, users)
    _set_levels(old, levels, assessor)
    while old.next_stage() is not None:
        services.advance_stage(old, user=users.get("koordinator"))
        lowered = lowered_by.get(old.current_stage)
        if lowered:
            levels[lowered] -= 1
            _set_levels(old, {lowered: levels[lowered]}, assessor)
    services.lock_stage(old, user=users.get("koordinator"))
    # The stages of a past year closed in that year (May to September), not on the day the demo ran.
    for month, lock in enumerate(old.locks.order_by("locked_at", "pk"), start=5):
        StageLock.objects.filter(pk=lock.pk).update(
            locked_at=timezone.make_aware(datetime(year, min(month, 11), 15, 10))
        )


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

    levels_2023 = {n: level - LOWER_IN_2023.get(n, 0) for n, level in levels_2024.items()}
    levels_2022 = {n: max(1, level - LOWER_IN_2022.get(n, 0)) for n, level in levels_2023.items()}
    levels_2021 = {n: max(1, level - LOWER_IN_2021.get(n, 0)) for n, level in levels_2022.items()}
    for year, levels, lowered_by in ((2021, levels_2021, {}), (2022, levels_2022, {}),
                                     (2023, levels_2023, LOWERED_BY_EXTERNAL)):
        if not Assessment.objects.filter(institution=institution, year=year).exists():
            _closed_year(institution, year, framework, dict(levels), lowered_by, users)
    if not Assessment.objects.filter(institution=institution, year=2024).exists():
        current = Assessment.objects.create(institution=institution, year=2024, framework=framework)
        _team(current, users)
        _set_levels(current, levels_2024, assessor)
        evidence_count = _evidence(current, levels_2024, assessor)

    for assessment in Assessment.objects.filter(institution=institution).order_by("year"):
        result = services.current_summary(assessment).result
        summary.append(f"{assessment.year} {Stage(assessment.current_stage).label.lower()} {result.index_display} {result.predicate}")
    return "; ".join(summary) + (f"; {evidence_count} bukti dukung PDF" if evidence_count else "")

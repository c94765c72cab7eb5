"""Demo targets and 60 days of progress history of the demo province.

Targets of the SPBE programme: every fungsi of every OPD covered by business processes, every service linked to a
process, every application submitted, the data of Diskominfosan complete to 80%, the infrastructure verified by a
deadline that has just passed, and the Indeks SPBE from 2,49 (2024) to 2,60 by the end of 2026. Several OPDs are
late: they have fungsi without processes, or applications still in draft. The applications' deadline is a week
ahead and the infrastructure's was yesterday: both on reminder milestones (``notices.APPROACHING_DAYS``,
``MISSED_DAYS``), so ``sia notify_daily`` on the demo's day reminds the late OPDs' operators.

The history is back-computed from the demo objects (``sia.progress.history``): each OPD entered its objects at its
own pace over the window (Diskominfosan and Bappeda early, most OPDs over the last weeks), each object complete and
reviewed as its own review events say; the last day is today's real snapshot."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from sia.core.demo import register_demo
from sia.evaluation.demo import FRAMEWORK_CODE
from sia.evaluation.models import FrameworkVersion
from sia.organizations.models import Department, Institution

from .choices import ReviewLevel
from .history import write_backfill
from .models import Target
from .snapshot import take_snapshot

HISTORY_DAYS = 60
EARLY = {"DISKOMINFOSAN": 1.0, "BAPPEDA": 0.95, "DINKES": 0.8, "BPKAD": 0.7}

# (name, OPD abbreviation or None, rule, domain, level, threshold, days since start, days to the deadline)
TARGETS = [
    ("Setiap fungsi OPD memiliki proses bisnis", None, "fungsi-proses", "", ReviewLevel.SUBMITTED, None, 20, 60),
    ("Setiap layanan terhubung ke proses bisnis", None, "layanan-proses", "", ReviewLevel.SUBMITTED, None, 45, 45),
    ("Seluruh aplikasi OPD diajukan untuk diverifikasi", None, "pengajuan", "aplikasi", ReviewLevel.SUBMITTED, None,
     60, 7),
    ("Kelengkapan data Diskominfosan minimal 80%", "DISKOMINFOSAN", "kelengkapan", "data", ReviewLevel.SUBMITTED, 80,
     30, 60),
    ("Proses bisnis Bappeda divalidasi", "BAPPEDA", "pengajuan", "proses-bisnis", ReviewLevel.VALIDATED, None, 40, 20),
]
PASSED = ("Infrastruktur Diskominfosan diverifikasi", "DISKOMINFOSAN", "pengajuan", "infrastruktur",
          ReviewLevel.VERIFIED, None, 50, -1)


def _target(institution, departments, row, today):
    name, abbreviation, rule, domain, level, threshold, since, until = row
    target = Target(institution=institution, department=departments.get(abbreviation) if abbreviation else None,
                    name=name, rule=rule, domain=domain, level=level, threshold=threshold,
                    start_date=today - timedelta(days=since), deadline=today + timedelta(days=max(until, 0)))
    target.full_clean()
    target.save()
    return target


@register_demo(60, "Target dan 60 hari riwayat kemajuan")
def load_progress() -> str:
    institution = Institution.objects.filter(code="82").first()
    if institution is None:
        return "dilewati (tanpa instansi contoh)"
    today = timezone.localdate()
    departments = {d.abbreviation: d for d in Department.objects.filter(institution=institution)}
    if not Target.objects.filter(institution=institution).exists():
        for row in TARGETS:
            _target(institution, departments, row, today)
        passed = _target(institution, departments, PASSED, today)
        # Set 50 days ago with a deadline yesterday: the deadline has passed since (not a new target's).
        Target.objects.filter(pk=passed.pk).update(deadline=today + timedelta(days=PASSED[-1]))
        framework = FrameworkVersion.objects.filter(code=FRAMEWORK_CODE).first()
        if framework is not None:
            index = Target(institution=institution, name="Indeks SPBE 2,60 pada 2026", rule="indeks",
                           framework=framework, index_baseline=Decimal("2.49"), index_target=Decimal("2.60"),
                           start_date=today.replace(month=1, day=1), deadline=today.replace(month=12, day=31))
            index.full_clean()
            index.save()
    by_id = {d.pk: EARLY.get(abbreviation, 0.45 + 0.4 * (position % 3) / 2)
             for position, (abbreviation, d) in enumerate(sorted(departments.items()))}
    rows = write_backfill(institution.pk, HISTORY_DAYS, today, pace_of=lambda department_id: by_id.get(department_id, 0.5))
    take_snapshot(today, institution.pk)
    return f"{Target.objects.filter(institution=institution).count()} target, {rows} baris potret {HISTORY_DAYS} hari"

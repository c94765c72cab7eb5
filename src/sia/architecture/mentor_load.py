"""The koordinator's "Beban mentor": per mentor (verifikator) of an instansi, the OPDs they mentor, the items of those
OPDs waiting for verification, how long they have waited (oldest and median age since they were submitted, read from
the review events), and the items the mentor reviewed (verified or returned) in the last 30 days; then the OPDs
without a mentor.

A plain function over the instansi: five queries however many mentors, OPDs or items (assignments, verifikator,
OPDs, the waiting items of every kind in one ``UNION ALL``, the review events of the last 30 days grouped).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from sia.core import permissions
from sia.core.roles import Role
from sia.organizations.models import Department, Membership, MentorAssignment

from . import queues
from .choices import ReviewStatus
from .models import ReviewEvent

A = ReviewEvent.Action
REVIEWED_WITHIN = timedelta(days=30)
REVIEW_ACTIONS = (A.VERIFY, A.RETURN)


@dataclass
class Waiting:
    """Items waiting for verification and their ages in days (since each entered the status)."""

    ages: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ages)

    @property
    def oldest_days(self) -> float | None:
        return max(self.ages) if self.ages else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.ages) if self.ages else None


@dataclass
class DepartmentLoad:
    department: Department
    waiting: Waiting


@dataclass
class MentorLoad:
    mentor: object  # the verifikator's user
    departments: list[DepartmentLoad]
    waiting: Waiting
    reviewed: int  # distinct items verified or returned by the mentor in the last 30 days


@dataclass
class InstitutionLoad:
    mentors: list[MentorLoad]
    unassigned: list[DepartmentLoad]  # active OPDs without a mentor
    candidates: list  # the verifikator an OPD may be moved to


def load(user, institution, now: datetime | None = None) -> InstitutionLoad:
    """The mentors' load in ``institution`` as ``user`` may see it (items of OPDs the user cannot see are not
    counted)."""
    now = now or timezone.now()
    departments = list(Department.objects.filter(institution=institution, is_active=True).order_by("name"))
    mentor_of = dict(
        MentorAssignment.objects.filter(department__institution=institution).values_list("department_id", "mentor_id")
    )
    verifiers = {
        m.user_id: m.user for m in Membership.objects.filter(
            institution=institution, role=Role.VERIFIER, is_active=True,
        ).select_related("user")
    }
    waiting = {department.pk: Waiting() for department in departments}
    rows = queues.kind_union(
        queues.waiting(user, model, ReviewStatus.SUBMITTED).filter(institution_id=institution.pk)
        .values("department_id", "entered")
        for model in queues.queue_models()
    )
    for row in rows:
        if row["department_id"] in waiting:
            age = (now - row["entered"]).total_seconds() / 86400
            waiting[row["department_id"]].ages.append(max(0.0, age))
    reviewed = {}
    events = (
        ReviewEvent.objects.filter(institution=institution, action__in=REVIEW_ACTIONS, created__gte=now - REVIEWED_WITHIN,
                                   created__lte=now, user_id__in=list(verifiers))
        .values("user_id", "content_type_id").annotate(n=Count("object_id", distinct=True)).order_by()
    )
    for row in events:
        reviewed[row["user_id"]] = reviewed.get(row["user_id"], 0) + row["n"]
    by_mentor: dict[int, list[DepartmentLoad]] = {pk: [] for pk in verifiers}
    unassigned = []
    for department in departments:
        entry = DepartmentLoad(department, waiting[department.pk])
        mentor_id = mentor_of.get(department.pk)
        if mentor_id in by_mentor:
            by_mentor[mentor_id].append(entry)
        else:
            unassigned.append(entry)  # no mentor, or one who is no longer an active verifikator here
    mentors = []
    for pk, mentor in verifiers.items():
        entries = by_mentor[pk]
        total = Waiting([age for entry in entries for age in entry.waiting.ages])
        mentors.append(MentorLoad(mentor, entries, total, reviewed.get(pk, 0)))
    mentors.sort(key=lambda m: (-m.waiting.count, m.mentor.get_full_name() or m.mentor.username))
    candidates = sorted(verifiers.values(), key=lambda u: (u.get_full_name() or u.username).lower())
    return InstitutionLoad(mentors, unassigned, candidates)


def institutions_managed(user):
    """The active instansi whose mentors ``user`` manages (koordinator), by name."""
    ids = permissions.institution_ids_for(user, permissions.CHANGE, MentorAssignment)
    queryset = permissions.readable_institutions(user, MentorAssignment)
    return queryset if ids is None else queryset.filter(pk__in=ids)

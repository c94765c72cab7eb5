"""Which OPDs' figures a reader may see: a snapshot's policy (an operator their own OPD)."""

from __future__ import annotations

from sia.core import permissions
from sia.organizations.models import Department

from .models import ProgressSnapshot


def readable_departments(user, institution_id) -> list[Department]:
    """The active OPDs of the instansi whose figures ``user`` may read (an operator: their own); one query."""
    departments = Department.objects.filter(institution_id=institution_id, is_active=True).order_by("name")
    return [d for d in departments if permissions.can_in(user, permissions.VIEW, ProgressSnapshot, institution_id, d.pk)]


def sees_whole(user, institution_id) -> bool:
    """Whether ``user`` reads the figures of the whole instansi (not an operator bound to an OPD)."""
    return permissions.can_in(user, permissions.VIEW, ProgressSnapshot, institution_id, None)

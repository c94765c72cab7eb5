"""Who may do what with targets and snapshots: every member of the instansi reads the targets of the whole instansi
and those of every OPD, except an OPD operator, who reads the targets of their own OPD and those for all OPDs; only
the koordinator (admin instansi) writes targets. Snapshots are written by the command only and read like the OPD's
architecture: an operator their OPD's."""

from __future__ import annotations

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, HISTORY, MANAGE, VIEW, Grant, Policy, register
from sia.core.roles import ALL_ROLES, Role

from .models import ProgressSnapshot, Target


@register(Target)
class TargetPolicy(Policy):
    institution_path = "institution"
    department_path = "department"
    actions = {VIEW: ALL_ROLES, HISTORY: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        if grant.role == Role.OPERATOR and action in (VIEW, HISTORY):
            if grant.department_id is None:
                return Q(pk__in=[])
            return Q(institution_id=grant.institution_id) & (
                Q(department_id=grant.department_id) | Q(department__isnull=True))
        return super().grant_q(grant, action)

    def grant_covers(self, grant: Grant, institution_id, department_id) -> bool:
        if grant.role == Role.OPERATOR and department_id is None:
            return grant.institution_id == institution_id and grant.department_id is not None
        return super().grant_covers(grant, institution_id, department_id)


@register(ProgressSnapshot)
class ProgressSnapshotPolicy(Policy):
    institution_path = "institution"
    department_path = "department"
    actions = {VIEW: ALL_ROLES}

"""Who may do what in the Peta Rencana SPBE: every member of the instansi reads all of it; the koordinator (admin
instansi, Tim Koordinasi SPBE) writes every part; an OPD operator writes the kegiatan of their own OPD (and their
years and gaps)."""

from __future__ import annotations

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, HISTORY, MANAGE, VIEW, Grant, Policy, grants, register
from sia.core.roles import ALL_ROLES, Role

from .models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget

READ_ALL = {VIEW: ALL_ROLES, HISTORY: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}
ACTIVITY_WRITERS = frozenset({Role.ADMIN, Role.OPERATOR})


@register(StrategicTarget)
class StrategicTargetPolicy(Policy):
    actions = READ_ALL


@register(Initiative)
class InitiativePolicy(Policy):
    institution_path = "target__institution"
    actions = READ_ALL


@register(Program)
class ProgramPolicy(Policy):
    institution_path = "initiative__target__institution"
    actions = READ_ALL


@register(Activity)
class ActivityPolicy(Policy):
    """Everyone of the instansi reads every kegiatan; an operator writes those of their own OPD."""

    institution_path = "institution"
    department_path = "department"
    actions = {VIEW: ALL_ROLES, HISTORY: ALL_ROLES, ADD: ACTIVITY_WRITERS, CHANGE: ACTIVITY_WRITERS,
               DELETE: ACTIVITY_WRITERS}

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        if action in (VIEW, HISTORY):
            return Q(**{self.institution_path: grant.institution_id})
        return super().grant_q(grant, action)

    def allows_in(self, user, action, institution_id, department_id=None) -> bool:
        if action in (VIEW, HISTORY) and getattr(user, "is_authenticated", False) and user.is_active \
                and not user.is_superuser:
            roles = self.roles_for(action)
            return any(g.role in roles and g.institution_id == institution_id for g in grants(user))
        return super().allows_in(user, action, institution_id, department_id)


@register(ActivityYear, ActivityGap)
class ActivityPartPolicy(ActivityPolicy):
    institution_path = "activity__institution"
    department_path = "activity__department"

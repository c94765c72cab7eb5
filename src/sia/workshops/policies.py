"""Who may do what with the kegiatan: the koordinator (admin instansi) creates and changes them; verifikator
(mentors), asesor and pimpinan read every kegiatan of the instansi; an OPD operator reads those their OPD is
invited to. Attendance is recorded by the koordinator and the verifikator; an operator reads their own OPD's and
records their own with the session's code (``check_in``: invited operators and the kegiatan's mentors)."""

from __future__ import annotations

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, HISTORY, MANAGE, VIEW, Grant, Policy, grants, register
from sia.core.roles import ALL_ROLES, Role

from .models import Attendance, Workshop

CHECK_IN = "check_in"
RECORDERS = frozenset({Role.ADMIN, Role.VERIFIER})


@register(Workshop)
class WorkshopPolicy(Policy):
    institution_path = "institution"
    actions = {VIEW: ALL_ROLES, HISTORY: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE,
               CHECK_IN: frozenset({Role.OPERATOR, Role.VERIFIER})}

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        if grant.role == Role.OPERATOR:
            if grant.department_id is None:
                return Q(pk__in=[])
            return Q(institution=grant.institution_id, departments=grant.department_id)
        return Q(institution=grant.institution_id)

    def scope(self, user, queryset, action=VIEW):
        if action == CHECK_IN:  # decided per kegiatan: a verifikator checks in where they are a mentor
            readable = super().scope(user, queryset, VIEW).prefetch_related("departments", "mentors")
            return queryset.filter(pk__in=[w.pk for w in readable if self.allows(user, action, w)])
        return super().scope(user, queryset, action)

    def _may_duplicate(self) -> bool:
        return True  # an operator's grant reaches a kegiatan through the invited OPDs

    def allows(self, user, action, obj) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        roles = self.roles_for(action)
        for grant in grants(user):
            if grant.role not in roles or grant.institution_id != obj.institution_id:
                continue
            if grant.role == Role.OPERATOR:
                if grant.department_id is not None and obj.pk is not None and grant.department_id in invited_ids(obj):
                    return True
            elif grant.role == Role.VERIFIER and action == CHECK_IN:
                if obj.pk is not None and user.pk in mentor_ids(obj):
                    return True
            else:
                return True
        return False


def invited_ids(workshop) -> set:
    """The invited OPDs' IDs (from the prefetched rows when the caller loaded them)."""
    return {dept.pk for dept in workshop.departments.all()}


def mentor_ids(workshop) -> set:
    return {user.pk for user in workshop.mentors.all()}


@register(Attendance)
class AttendancePolicy(Policy):
    """The koordinator and verifikator record attendance; everyone reading the kegiatan reads it, an operator only
    their own OPD's rows."""

    institution_path = "workshop__institution"
    department_path = "department"
    actions = {VIEW: ALL_ROLES, HISTORY: ALL_ROLES, ADD: RECORDERS, CHANGE: RECORDERS, DELETE: RECORDERS}

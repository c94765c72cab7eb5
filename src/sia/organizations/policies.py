from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register
from sia.core.roles import ALL_ROLES, Role

from .models import Department, DepartmentFunction, Institution, Membership, WorkUnit


@register(Institution)
class InstitutionPolicy(Policy):
    institution_path = "pk"
    # Instansi are created and removed by superusers; their admins edit them.
    actions = {VIEW: ALL_ROLES, ADD: frozenset(), CHANGE: MANAGE, DELETE: frozenset()}


@register(Department)
class DepartmentPolicy(Policy):
    department_path = "pk"


@register(DepartmentFunction, WorkUnit)
class DepartmentPartPolicy(Policy):
    institution_path = "department__institution"
    department_path = "department"


@register(Membership)
class MembershipPolicy(Policy):
    """Admins and pimpinan see the members of their instansi; everyone sees their own memberships."""

    actions = {VIEW: frozenset({Role.ADMIN, Role.LEADER}), ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}
    department_bound_roles = frozenset()

    def scope(self, user, queryset, action=VIEW):
        scoped = super().scope(user, queryset, action)
        if action == VIEW and getattr(user, "is_authenticated", False) and not user.is_superuser:
            institution_ids = [g.institution_id for g in grants(user) if g.role in self.roles_for(VIEW)]
            return queryset.filter(Q(user=user) | Q(institution_id__in=institution_ids))
        return scoped

    def allows(self, user, action, obj):
        if action == VIEW and getattr(user, "is_authenticated", False) and obj.user_id == user.pk:
            return True
        return super().allows(user, action, obj)

from django.contrib.auth import get_user_model
from django.db.models import Q

from sia.core.models import ApiToken
from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register
from sia.core.roles import ALL_ROLES, Role

from .models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit


@register(Institution)
class InstitutionPolicy(Policy):
    institution_path = "pk"
    # Instansi are created and removed by superusers; their admins edit them.
    actions = {VIEW: ALL_ROLES, ADD: frozenset(), CHANGE: MANAGE, DELETE: frozenset()}


class InstitutionDirectory:
    """Every member of an instansi may pick any of its OPDs and units (as produsen data, walidata,
    unit pelaksana): names of OPDs are no secret, unlike their draft architecture."""

    def directory(self, user, queryset):
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        institution_ids = {g.institution_id for g in grants(user)}
        return queryset.filter(**{f"{self.institution_path}__in": institution_ids})


@register(Department)
class DepartmentPolicy(InstitutionDirectory, Policy):
    department_path = "pk"


@register(DepartmentFunction, WorkUnit)
class DepartmentPartPolicy(InstitutionDirectory, Policy):
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


@register(get_user_model())
class UserPolicy(Policy):
    """Accounts offered when someone is attached to an instansi (membership, assessment team): the
    instansi's own members and accounts with no role yet. Users of another instansi are neither
    listed nor confirmed to exist. Whether the attaching itself is allowed is the target's policy."""

    actions = {VIEW: ALL_ROLES, ADD: frozenset(), CHANGE: frozenset(), DELETE: frozenset()}

    def scope(self, user, queryset, action=VIEW):
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        if not getattr(user, "is_authenticated", False):
            return queryset.none()
        managed = [g.institution_id for g in grants(user) if g.role in self.roles_for(action)]
        return queryset.filter(
            Q(pk=user.pk) | Q(memberships__institution_id__in=managed) | Q(memberships__isnull=True)
        ).distinct()

    def allows(self, user, action, obj):
        return self.scope(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


@register(ApiToken)
class ApiTokenPolicy(Policy):
    """Everyone sees and revokes their own API tokens; an admin instansi those of the members of their
    instansi (and only there); superusers anyone's. Tokens are issued only to oneself (sia.core.tokens)."""

    actions = {VIEW: MANAGE, ADD: frozenset(), CHANGE: frozenset(), DELETE: MANAGE}

    def scope(self, user, queryset, action=VIEW):
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return queryset.none()
        managed = [g.institution_id for g in grants(user) if g.role in self.roles_for(action)]
        own = Q(user=user) if action in (VIEW, DELETE) else Q(pk__in=[])
        if not managed:
            return queryset.filter(own)
        members = Membership.objects.filter(institution_id__in=managed, is_active=True).values("user_id")
        return queryset.filter(own | Q(user_id__in=members))

    def allows(self, user, action, obj):
        return self.scope(user, type(obj)._default_manager.filter(pk=obj.pk), action).exists()


@register(MentorAssignment)
class MentorAssignmentPolicy(Policy):
    """The koordinator (admin instansi) manages the mentor assignments of their instansi; a verifikator reads their
    own (the OPDs they mentor), not their colleagues'."""

    institution_path = "department__institution"
    department_path = "department"
    actions = {VIEW: frozenset({Role.ADMIN, Role.VERIFIER}), ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}
    department_bound_roles = frozenset()

    def scope(self, user, queryset, action=VIEW):
        if getattr(user, "is_superuser", False) and user.is_active:
            return queryset
        q = Q(pk__in=[])
        for grant in grants(user):
            if grant.role in MANAGE and grant.role in self.roles_for(action):
                q |= Q(department__institution_id=grant.institution_id)
            elif grant.role == Role.VERIFIER and action == VIEW:
                q |= Q(department__institution_id=grant.institution_id, mentor_id=user.pk)
        return queryset.filter(q)

    def allows(self, user, action, obj):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        institution_id = obj.department.institution_id
        return any(
            (grant.role in MANAGE and grant.role in self.roles_for(action))
            or (grant.role == Role.VERIFIER and action == VIEW and obj.mentor_id == user.pk)
            for grant in grants(user) if grant.institution_id == institution_id
        )

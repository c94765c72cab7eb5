from dataclasses import dataclass

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, HISTORY, MANAGE, VIEW, Grant, Policy, register
from sia.core.roles import ALL_ROLES, Role

from .choices import EDITABLE_BY_OPERATOR, ReviewStatus
from .models import Application, ApplicationIntegration, ValueListItem
from .registry import domain_models

WRITERS = frozenset({Role.ADMIN, Role.OPERATOR})


@dataclass(frozen=True)
class ViewScope:
    """What one reader may see of one instansi's architecture objects, decided from their grants alone: everything,
    or the objects of ``departments`` (an operator's own OPDs) and, with ``validated``, every OPD's validated ones.
    ``ArchitecturePolicy.view_scope`` makes it from the rule of ``grant_q``; readers that filter rows they already
    hold (the insights graph kept between requests) ask ``admits``."""

    everything: bool
    departments: frozenset = frozenset()
    validated: bool = False

    def admits(self, department_id, status) -> bool:
        return (self.everything or department_id in self.departments
                or (self.validated and status == ReviewStatus.VALIDATED))


class ArchitecturePolicy(Policy):
    """Operators work on their own OPD's drafts; everyone in the instansi reads validated objects.

    An operator never sees another OPD's unvalidated objects; verifikator, asesor and pimpinan read
    the whole instansi; admins change anything. Review transitions have their own rules in
    ``sia.architecture.workflow``.
    """

    department_path = "department"
    # HISTORY: the audit trail and the review conversation hold earlier (draft) values, so an
    # operator of another OPD, who may read a validated object, does not read how it got there.
    actions = {VIEW: ALL_ROLES, ADD: WRITERS, CHANGE: WRITERS, DELETE: WRITERS, HISTORY: ALL_ROLES}

    def grant_q(self, grant: Grant, action: str = VIEW) -> Q:
        own, *others = self.grant_parts(grant, action)
        for other in others:
            own |= other
        return own

    def grant_parts(self, grant: Grant, action: str = VIEW) -> list[Q]:
        """An operator's view is their OPD's objects or the instansi's validated ones: two index ranges."""
        parts = [super().grant_q(grant, action)]
        if action == VIEW and grant.role == Role.OPERATOR:
            parts.append(Q(institution_id=grant.institution_id, status=ReviewStatus.VALIDATED))
        return parts

    def view_scope(self, user, institution_id) -> ViewScope:
        """``scope(user, VIEW)`` of one instansi's rows as a ``ViewScope`` (the same rule, in Python)."""
        from sia.core.permissions import grants

        if getattr(user, "is_superuser", False) and user.is_active:
            return ViewScope(everything=True)
        everything, departments, validated = False, set(), False
        for grant in grants(user):
            if grant.institution_id != institution_id or grant.role not in self.roles_for(VIEW):
                continue
            if grant.role not in self.department_bound_roles:
                everything = True
                continue
            if grant.department_id is not None:
                departments.add(grant.department_id)
            validated = validated or grant.role == Role.OPERATOR
        return ViewScope(everything, frozenset(departments), validated)

    # A validated object may link to a draft of its own OPD: readers of the one may not see the other.
    private_links = True

    def readable(self, user, objects) -> set:
        """Decided from the loaded rows (status, OPD, instansi): no query, whatever the number of links."""
        return {obj.pk for obj in objects if self.allows(user, VIEW, obj)}

    def allows(self, user, action, obj):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        if super().allows(user, action, obj):
            if action in (CHANGE, DELETE) and obj.pk and self._only_operator(user, obj):
                allowed = EDITABLE_BY_OPERATOR if action == CHANGE else {ReviewStatus.DRAFT}
                return obj.status in allowed
            return True
        if action == VIEW and obj.status == ReviewStatus.VALIDATED:
            from sia.core.permissions import grants

            return any(g.institution_id == obj.institution_id for g in grants(user))
        return False

    def _only_operator(self, user, obj) -> bool:
        from sia.core.permissions import grants

        roles = {g.role for g in grants(user) if g.institution_id == obj.institution_id}
        return Role.ADMIN not in roles


for model in domain_models():
    register(model)(ArchitecturePolicy)


@register(ValueListItem)
class ValueListPolicy(Policy):
    actions = {VIEW: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}


@register(ApplicationIntegration)
class IntegrationPolicy(Policy):
    """An integration follows its source application: seen where the source is seen; added, changed and
    removed by whoever may change the source (its OPD's operator while the source is a draft or returned,
    the instansi's admins); its audit trail read where the source's is."""

    department_path = "source__department"
    actions = {VIEW: ALL_ROLES, ADD: WRITERS, CHANGE: WRITERS, DELETE: WRITERS, HISTORY: ALL_ROLES}
    ON_SOURCE = {VIEW: VIEW, HISTORY: HISTORY, ADD: CHANGE, CHANGE: CHANGE, DELETE: CHANGE}

    def scope(self, user, queryset, action=VIEW):
        from sia.core.permissions import visible

        return queryset.filter(source__in=visible(user, Application.objects.all(), self.ON_SOURCE.get(action, action)))

    def allows(self, user, action, obj):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        if not obj.source_id:
            return False
        from sia.core.permissions import can

        return can(user, self.ON_SOURCE.get(action, action), obj.source)

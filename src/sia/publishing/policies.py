from django.db.models import Q

from sia.core.permissions import ADD, ALL_ROLES, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register

from .models import GeneratedDocument


@register(GeneratedDocument)
class GeneratedDocumentPolicy(Policy):
    """Any member may have a document written of what they may see: of the whole instansi, or of one OPD (an
    operator: of their own OPD only). A document holds what its requester saw, so it is read by the instansi's
    admins (who see everything of the instansi anyway) and by its requester while they may still ask for that
    document: a member who left the instansi, or an operator moved to another OPD, no longer reads the drafts
    they once saw. Written by the job, never edited. An operator is bound to their OPD (``department_path``): a
    document of the whole instansi is not theirs to ask."""

    department_path = "department"
    actions = {VIEW: MANAGE, ADD: ALL_ROLES, CHANGE: frozenset(), DELETE: frozenset()}

    def scope(self, user, queryset, action=VIEW):
        scoped = super().scope(user, queryset, action)
        if action == VIEW and getattr(user, "is_authenticated", False) and user.is_active and not user.is_superuser:
            q = Q(pk__in=[])
            for grant in grants(user):
                if grant.role in self.roles_for(VIEW):
                    q |= self.grant_q(grant, VIEW)
                if grant.role in self.roles_for(ADD):  # their own, within what they may still ask for
                    q |= Q(requested_by=user) & self.grant_q(grant, ADD)
            return queryset.filter(q)
        return scoped

    def allows(self, user, action, obj) -> bool:
        if super().allows(user, action, obj):
            return True
        return (action == VIEW and getattr(user, "is_authenticated", False) and user.is_active
                and obj.requested_by_id == user.pk and super().allows(user, ADD, obj))

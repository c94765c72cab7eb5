from django.db.models import Q

from sia.core.permissions import ADD, ALL_ROLES, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register

from .models import GeneratedDocument


@register(GeneratedDocument)
class GeneratedDocumentPolicy(Policy):
    """Any member may have a document written of what they may see: of the whole instansi, or of one OPD (an
    operator: of their own OPD only). A document holds what its requester saw, so it is read by the requester and
    by the instansi's admins (who see everything of the instansi anyway). Written by the job, never edited.
    An operator is bound to their OPD (``department_path``): a document of the whole instansi is not theirs to ask."""

    department_path = "department"
    actions = {VIEW: MANAGE, ADD: ALL_ROLES, CHANGE: frozenset(), DELETE: frozenset()}

    def scope(self, user, queryset, action=VIEW):
        scoped = super().scope(user, queryset, action)
        if action == VIEW and getattr(user, "is_authenticated", False) and user.is_active and not user.is_superuser:
            institution_ids = [g.institution_id for g in grants(user) if g.role in self.roles_for(VIEW)]
            return queryset.filter(Q(requested_by=user) | Q(institution_id__in=institution_ids))
        return scoped

    def allows(self, user, action, obj) -> bool:
        if (action == VIEW and getattr(user, "is_authenticated", False) and user.is_active
                and obj.requested_by_id == user.pk):
            return True
        return super().allows(user, action, obj)

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register

from .models import ImportRecord


@register(ImportRecord)
class ImportRecordPolicy(Policy):
    """Uploaders see their own uploads; the instansi's admins see every upload of the instansi.

    Records are written by the import itself, never edited or deleted through the UI or the API.
    """

    actions = {VIEW: MANAGE, ADD: frozenset(), CHANGE: frozenset(), DELETE: frozenset()}

    def scope(self, user, queryset, action=VIEW):
        scoped = super().scope(user, queryset, action)
        if action == VIEW and getattr(user, "is_authenticated", False) and not user.is_superuser:
            institution_ids = [g.institution_id for g in grants(user) if g.role in self.roles_for(VIEW)]
            return queryset.filter(Q(user=user) | Q(institution_id__in=institution_ids))
        return scoped

    def allows(self, user, action, obj):
        if action == VIEW and getattr(user, "is_authenticated", False) and user.is_active and obj.user_id == user.pk:
            return True
        return super().allows(user, action, obj)

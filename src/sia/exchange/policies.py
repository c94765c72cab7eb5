from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register

from .choices import SnapshotKind
from .models import ImportRecord, SnapshotJob


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


@register(SnapshotJob)
class SnapshotJobPolicy(Policy):
    """An instansi archive holds all of the instansi: its exports (without password hashes) are asked for, followed, downloaded and retried by
    the instansi's admins (each admin sees every export of their instansi; a member who is no admin any more sees
    none, not even their own) and by superusers. A restore (and its uploaded archive) is a superuser's only, before
    and after it created its instansi. Rows are written by the jobs, never edited or deleted."""

    actions = {VIEW: MANAGE, ADD: MANAGE, CHANGE: frozenset(), DELETE: frozenset(), "download": MANAGE,
               "retry": MANAGE}

    # An export with password hashes (``credentials``) may only be asked for by a superuser: it stays theirs, like a
    # restore (an admin who read, downloaded or retried it would get every account's hash).

    def scope(self, user, queryset, action=VIEW):
        scoped = super().scope(user, queryset, action)
        if getattr(user, "is_superuser", False) and user.is_active:
            return scoped
        return scoped.filter(kind=SnapshotKind.EXPORT, credentials=False)

    def allows(self, user, action, obj) -> bool:
        if ((obj.kind != SnapshotKind.EXPORT or obj.credentials)
                and not (getattr(user, "is_superuser", False) and user.is_active)):
            return False
        return super().allows(user, action, obj)

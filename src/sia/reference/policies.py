"""Who reads and writes the reference catalogs.

National catalogs, their published versions and national nodes are read by every signed-in
user and written by superusers only (an import publishes a new version). An instansi node
(level 4 and deeper) is seen by the members of its instansi and added, changed or deleted by
that instansi's admin (Tim Koordinasi SPBE).
"""

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, MANAGE, VIEW, Policy, grants, register
from sia.core.roles import ALL_ROLES

from .choices import VersionStatus
from .models import Catalog, CatalogVersion, ReferenceNode


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _superuser(user) -> bool:
    return _signed_in(user) and user.is_superuser


@register(Catalog, CatalogVersion)
class NationalCatalogPolicy(Policy):
    """Readable by every signed-in user (draft versions by superusers only); written by superusers."""

    actions = {VIEW: ALL_ROLES, ADD: frozenset(), CHANGE: frozenset(), DELETE: frozenset()}

    def scope(self, user, queryset, action=VIEW):
        if _superuser(user):
            return queryset
        if action != VIEW or not _signed_in(user):
            return queryset.none()
        if queryset.model is CatalogVersion:
            return queryset.filter(status=VersionStatus.PUBLISHED)
        return queryset

    def allows(self, user, action, obj):
        if _superuser(user):
            return True
        if action != VIEW or not _signed_in(user):
            return False
        return not isinstance(obj, CatalogVersion) or obj.status == VersionStatus.PUBLISHED

    def allows_in(self, user, action, institution_id, department_id=None):
        return _superuser(user)


@register(ReferenceNode)
class ReferenceNodePolicy(Policy):
    """National nodes of published versions: everyone signed in; instansi nodes: their instansi."""

    actions = {VIEW: ALL_ROLES, ADD: MANAGE, CHANGE: MANAGE, DELETE: MANAGE}
    department_bound_roles = frozenset()

    def scope(self, user, queryset, action=VIEW):
        if _superuser(user):
            return queryset
        if not _signed_in(user):
            return queryset.none()
        roles = self.roles_for(action)
        institution_ids = sorted({g.institution_id for g in grants(user) if g.role in roles})
        own = Q(institution_id__in=institution_ids)
        if action == VIEW:
            return queryset.filter(Q(institution__isnull=True, version__status=VersionStatus.PUBLISHED) | own)
        return queryset.filter(own)

    def allows(self, user, action, obj):
        if _superuser(user):
            return True
        if not _signed_in(user):
            return False
        if obj.institution_id is None:
            return action == VIEW and obj.version.status == VersionStatus.PUBLISHED
        return super().allows(user, action, obj)

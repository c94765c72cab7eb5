"""Notifications and preferences are a user's own: each user sees and marks only theirs (superusers too: no one
reads another person's notifications; an administrator has the Django admin for support)."""

from django.db.models import Q

from sia.core.permissions import ADD, CHANGE, DELETE, VIEW, Policy, register
from sia.core.roles import ALL_ROLES

from .models import DailyRun, Notification, NotificationPreference


class OwnRowsPolicy(Policy):
    """Rows whose ``owner_field`` is the user; no role needed (a member without roles has notifications too)."""

    owner_field = "recipient"
    own_actions = frozenset({VIEW})

    def scope(self, user, queryset, action=VIEW):
        if not getattr(user, "is_authenticated", False) or not user.is_active or action not in self.own_actions:
            return queryset.none()
        return queryset.filter(Q(**{self.owner_field: user}))

    def allows(self, user, action, obj):
        if not getattr(user, "is_authenticated", False) or not user.is_active or action not in self.own_actions:
            return False
        return getattr(obj, f"{self.owner_field}_id") == user.pk

    def allows_in(self, user, action, institution_id, department_id=None):
        return bool(getattr(user, "is_authenticated", False) and user.is_active and action in self.own_actions)


@register(Notification)
class NotificationPolicy(OwnRowsPolicy):
    institution_path = "institution"
    actions = {VIEW: ALL_ROLES, "mark_read": ALL_ROLES}
    own_actions = frozenset({VIEW, "mark_read"})


@register(NotificationPreference)
class NotificationPreferencePolicy(OwnRowsPolicy):
    owner_field = "user"
    actions = {VIEW: ALL_ROLES, ADD: ALL_ROLES, CHANGE: ALL_ROLES, DELETE: ALL_ROLES}
    own_actions = frozenset({VIEW, ADD, CHANGE, DELETE})


@register(DailyRun)
class DailyRunPolicy(Policy):
    """The record of the daily command: read by superusers only (the Django admin)."""

    institution_path = "pk"
    actions = {VIEW: frozenset(), ADD: frozenset(), CHANGE: frozenset(), DELETE: frozenset()}

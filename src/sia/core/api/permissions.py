from rest_framework.permissions import BasePermission

from sia.core import permissions

DEFAULT_ACTIONS = {
    "list": permissions.VIEW,
    "retrieve": permissions.VIEW,
    "create": permissions.ADD,
    "update": permissions.CHANGE,
    "partial_update": permissions.CHANGE,
    "destroy": permissions.DELETE,
}


class SiaObjectPermission(BasePermission):
    """Signed-in users only; object actions are decided by the permission module.

    Rows a user may not see never reach this check: viewsets scope their querysets, so such
    objects answer 404, while visible objects the user may not change answer 403.
    """

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_active)

    def has_object_permission(self, request, view, obj):
        action = getattr(view, "action_permissions", {}).get(view.action) or DEFAULT_ACTIONS.get(view.action)
        if action is None:
            return False
        return permissions.can(request.user, action, obj)

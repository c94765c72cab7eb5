from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "first_name", "email", "is_active", "is_superuser", "last_login")


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Superusers see every API token and may revoke (delete) one; tokens are issued only by their owner."""

    list_display = ("name", "user", "token_key", "created", "last_used", "expiry")
    list_filter = ("expiry",)
    search_fields = ("name", "user__username", "token_key")
    readonly_fields = ("name", "user", "token_key", "created", "last_used", "expiry")
    exclude = ("digest",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReviewEvent, ValueListItem
from .registry import domain_models

for _model in domain_models():
    admin.site.register(
        _model,
        type(f"{_model.__name__}Admin", (SimpleHistoryAdmin,), {
            "list_display": ("code", "name", "department", "status", "state"),
            "list_filter": ("institution", "status", "state"),
            "search_fields": ("code", "name"),
            "raw_id_fields": ("reference",),
        }),
    )


@admin.register(ValueListItem)
class ValueListItemAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "institution", "order", "is_active")
    list_filter = ("kind", "institution")


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = ("created", "action", "content_type", "object_id", "user")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False  # the review conversation is a record; it is not edited

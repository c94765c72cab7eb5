from django.contrib import admin
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from . import usage
from .models import ReviewEvent, ValueListItem
from .registry import domain_models


class DomainAdmin(SimpleHistoryAdmin):
    def get_deleted_objects(self, objs, request):
        """Django's own delete page refuses, like SIA's, an object that others still link to (``usage.incoming``)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            protected += [f"{capfirst(holder.model._meta.verbose_name)}: {holder.obj}" for holder in usage.incoming(obj)]
        return deleted, counts, perms_needed, protected


for _model in domain_models():
    admin.site.register(
        _model,
        type(f"{_model.__name__}Admin", (DomainAdmin,), {
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

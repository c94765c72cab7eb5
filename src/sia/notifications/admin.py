from django.contrib import admin

from .models import DailyRun, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created", "recipient", "kind", "message", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "message")
    raw_id_fields = ("recipient",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "delivery")
    raw_id_fields = ("user",)


@admin.register(DailyRun)
class DailyRunAdmin(admin.ModelAdmin):
    list_display = ("day", "step", "count", "created")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Reminders: the notification centre, e-mail (immediate or a daily digest) and the registries other apps fill:
    ``kinds.register_kind``, ``services.notify`` and ``services.register_notice_source`` (see CONTRIBUTING).

    Sits right above ``sia.organizations``: the review workflow of ``sia.architecture`` and every app above call it;
    it learns about their objects only through content types and their permission policies."""

    name = "sia.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self):
        from . import policies  # noqa: F401 (admin.py is found by the admin itself)

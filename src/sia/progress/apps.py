from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """Targets with deadlines (their state computed from the data) and progress over time: a daily snapshot per OPD
    and domain, burn-up charts per OPD and for the instansi, the index target with its trend.

    Sits above ``sia.architecture`` and ``sia.evaluation`` (reads their data); an upper app adds dated marks to the
    charts through ``sia.progress.burnup.register_chart_marks``."""

    name = "sia.progress"
    label = "progress"
    verbose_name = _("Target dan Kemajuan")

    def ready(self):
        from sia.notifications.services import register_notice_source

        from . import dashboard, demo, navigation, archive, notices, policies  # noqa: F401 (panel, demo, menu, policies, instansi archive)

        register_notice_source(notices.SOURCE, notices.deadline_notices)  # the daily deadline reminders

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """The programme's kegiatan (bimtek, workshop, rapat koordinasi): invitations, mentors, attendance with a code
    shown at the session, the sign-in sheet, and what each OPD produced during a session.

    The top of the SIA apps: reads the architecture's declarations and audit trail; nothing below imports it.
    """

    name = "sia.workshops"
    label = "workshops"
    verbose_name = _("Kegiatan pendampingan")

    def ready(self):
        from sia.notifications.services import register_notice_source
        from sia.progress.burnup import register_chart_marks

        from . import dashboard, demo, navigation, policies, snapshot  # noqa: F401 (home panel, demo step, menu, policies, archive)
        from .invitations import SOURCE, late_invitations
        from .services import burnup_marks

        register_chart_marks(burnup_marks)  # the kegiatan marked on the burn-up charts
        register_notice_source(SOURCE, late_invitations)  # the invitation to who joined the invited after it went out

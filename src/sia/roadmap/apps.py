from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    """The Peta Rencana SPBE: sasaran strategis -> inisiatif -> program -> kegiatan, each kegiatan closing gaps of the
    architecture, with its budget (pagu), RKA and realisation per year.

    Sits above ``sia.architecture`` (reads its objects as gaps); nothing below imports it.
    """

    name = "sia.roadmap"
    label = "roadmap"
    verbose_name = _("Peta Rencana SPBE")

    def ready(self):
        from . import navigation, policies, signals, snapshot  # noqa: F401 (menu, policies, gap links follow deleted objects, archive)
        from . import demo  # noqa: F401 (registers the Peta Rencana demo step)
        from . import panels  # noqa: F401 (the home page's roadmap panel)
        from sia.architecture.gap_catalog import register_gap_annotator

        from .gap_notes import ANNOTATOR

        register_gap_annotator(ANNOTATOR)  # the gap catalog page shows the kegiatan closing each gap

        from sia.architecture.usage import register_delete_note

        from .gap_notes import delete_note

        register_delete_note(delete_note)  # an object's delete page names the kegiatan closing it

        from sia.architecture.queues import register_reviewed_kind

        from .models import Activity

        register_reviewed_kind(Activity, order=100, namespace="roadmap")  # after the domains in the review queues

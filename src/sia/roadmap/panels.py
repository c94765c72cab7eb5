"""The roadmap's panel on the home page (CONTRIBUTING: every app shows its figures there): this year's keterpaduan
rencana dan anggaran, the late kegiatan and the gaps no kegiatan closes, each linking to its roadmap page; an OPD
operator's of their OPD.

The panel is a container that loads its numbers with htmx from ``overview_views.dashboard`` once the page is shown,
so that the home page keeps its own number of queries (the numbers cost a constant few).
"""

from __future__ import annotations

from django.urls import reverse

from sia.core import permissions
from sia.core.dashboard import register_panel
from sia.core.roles import Role

from .models import StrategicTarget


# The roles who plan read the instansi's numbers (koordinator and pimpinan early, verifikator and asesor after their
# tasks); an operator their OPD's, after their drafts and the gaps of the architecture.
@register_panel(38, roles={Role.ADMIN: 28, Role.LEADER: 28, Role.VERIFIER: 38, Role.ASSESSOR: 38, Role.OPERATOR: 48})
def roadmap_panel(request):
    """The roadmap's numbers (loaded after the page), for a member who reads a roadmap."""
    if permissions.institution_ids_for(request.user, permissions.VIEW, StrategicTarget) == []:
        return None
    return {"template": "roadmap/_dashboard_panel.html", "url": reverse("roadmap:dashboard"),
            "roadmap_url": reverse("roadmap:overview")}

"""The home panel of targets: the koordinator (and who reads the whole instansi) sees the OPDs late or past a
deadline; an operator their OPD's targets. A container loading its numbers with htmx from ``pages.dashboard`` once
the page is shown, so the home page keeps its own number of queries."""

from __future__ import annotations

from django.urls import reverse

from sia.core import permissions
from sia.core.dashboard import register_panel
from sia.core.roles import Role

from .models import Target


@register_panel(37, roles={Role.ADMIN: 15, Role.OPERATOR: 12, Role.LEADER: 27, Role.VERIFIER: 37})
def targets_panel(request):
    if permissions.institution_ids_for(request.user, permissions.VIEW, Target) == []:
        return None
    return {"template": "progress/_dashboard_panel.html", "url": reverse("progress:dashboard"),
            "progress_url": reverse("progress:overview")}

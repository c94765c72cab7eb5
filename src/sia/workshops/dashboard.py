"""The operator's home panel: the coming kegiatan their OPD is invited to (two queries, however many there are)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from sia.core import permissions
from sia.core.dashboard import register_panel
from sia.core.roles import Role

from .models import Workshop

UPCOMING = 5


@register_panel(4, roles={Role.OPERATOR: 4})
def upcoming_panel(request):
    """The next kegiatan the operator's OPD is invited to (those still running included)."""
    workshops = list(permissions.visible(request.user, Workshop).filter(ends_at__gte=timezone.now())
                     .order_by("starts_at", "pk")[:UPCOMING])
    return {"template": "workshops/_home_panel.html", "workshops": workshops,
            "list_url": reverse("workshops:workshop_list") + "?period=akan-datang"}

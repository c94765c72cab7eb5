from django.db.models import Count, Q

from sia.core import permissions
from sia.core.dashboard import register_panel

from .models import CatalogVersion, ReferenceNode


@register_panel(90)
def reference_panel(request):
    """The version in force of each catalog, its node count and whether it is partial."""
    user = request.user
    nodes = permissions.visible(user, ReferenceNode)
    versions = (
        permissions.visible(user, CatalogVersion.objects.filter(is_current=True))
        .select_related("catalog")
        .annotate(
            national=Count("nodes", filter=Q(nodes__institution__isnull=True)),
            own=Count("nodes", filter=Q(nodes__institution__isnull=False, nodes__in=nodes)),
        )
        .order_by("catalog__order")
    )
    return {"template": "reference/_dashboard_panel.html", "versions": list(versions)}

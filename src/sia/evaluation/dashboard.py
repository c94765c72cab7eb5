from sia.core import permissions
from sia.core.dashboard import register_panel

from .models import Assessment
from .policies import can_see_evaluation
from .services import current_summary, scores_prefetch

PANEL_SIZE = 3


@register_panel(40)
def evaluation_panel(request):
    """The latest SPBE index of each instansi the user may see (up to three instansi)."""
    user = request.user
    if not can_see_evaluation(user):
        return None
    visible = permissions.visible(user, Assessment.objects.all())
    latest_ids, seen = [], set()
    for pk, institution_id in visible.order_by("institution__name", "-year").values_list("pk", "institution_id"):
        if institution_id not in seen:
            seen.add(institution_id)
            latest_ids.append(pk)
        if len(latest_ids) == PANEL_SIZE:
            break
    assessments = (
        Assessment.objects.filter(pk__in=latest_ids)
        .select_related("institution", "framework")
        .prefetch_related("locks", scores_prefetch())
        .order_by("institution__name")
    )
    return {
        "template": "evaluation/_dashboard_panel.html",
        "latest": [(assessment, current_summary(assessment)) for assessment in assessments],
    }

"""The Excel round trip on every architecture list: the domain's template, the export of what the list shows (its
filters kept) and, for those who may add objects, the upload (``sia.core.panels.register_list_actions``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sia.architecture.models import ArchitectureObject
from sia.core import permissions
from sia.core.panels import register_list_actions


@register_list_actions(ArchitectureObject, order=10)
def excel_actions(request, model, querystring: str) -> list[dict]:
    domain = f"?domain={model.spec.slug}"
    export = reverse("exchange:export") + domain
    actions = [
        {"label": _("Unduh templat"), "url": reverse("exchange:template") + domain},
        {"label": _("Ekspor"), "url": export + (f"&{querystring}" if querystring else ""), "data": {"export": export}},
    ]
    if permissions.can_anywhere(request.user, permissions.ADD, model):
        actions.append({"label": _("Unggah"), "url": reverse("exchange:upload") + domain})
    return actions

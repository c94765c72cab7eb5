"""The insights' panels on pages of other apps: the links to an object's traceability and impact analysis on
the page of every architecture object, to an OPD's landscape and gaps on the OPD's page, and the gap numbers on
the home page of the roles who plan.

Both are cheap: neither loads the graph. The object panel only builds two URLs; the home panel is a container
that loads its numbers with htmx from ``views.dashboard_gaps`` once the page is shown, so that the home page
keeps its own number of queries.
"""

from __future__ import annotations

from django.urls import reverse

from sia.architecture.models import ArchitectureObject
from sia.architecture.registry import domain_models
from sia.core.dashboard import register_object_panel, register_panel
from sia.core.panels import register_object_page_panel
from sia.core.roles import Role
from sia.organizations.models import Department


@register_object_page_panel(ArchitectureObject, "detail", order=50)
def analysis_links(request, obj, form=None):
    """“Ketertelusuran” and “Analisis dampak” on the page of an object of every declared kind (a kind declared
    tomorrow gets them too): the kind is read from its declaration."""
    model = type(obj)
    if obj.pk is None or model not in domain_models():
        return None
    kind = model.spec.slug
    return {
        "template": "insights/_object_panel.html",
        "trace_url": reverse("insights:trace", args=[kind, obj.pk]),
        "impact_url": reverse("insights:impact", args=[kind, obj.pk]),
    }


@register_object_panel(Department, 40)
def department_landscape_link(request, department):
    """The OPD's page links to its landscape (what it runs and what it uses of other OPDs; as recorded, to-be, and
    as-is and to-be side by side) and to its gaps. Shown to whoever sees the OPD's page: the landscape shows them what
    they may see of it."""
    landscape_url = reverse("insights:landscape", args=[department.pk])
    return {"template": "insights/_department_panel.html", "landscape_url": landscape_url,
            "to_be_url": f"{landscape_url}?arsitektur=to-be",
            "side_by_side_url": f"{landscape_url}?arsitektur=keduanya",
            "gaps_url": reverse("insights:gaps") + f"?instansi={department.institution_id}&opd={department.pk}"}


# The roles who plan read the gaps: koordinator (admin), verifikator, pimpinan and asesor, after their tasks; an
# operator reads their own OPD's (``views.dashboard_gaps``), after their drafts.
@register_panel(35, roles={Role.ADMIN: 25, Role.LEADER: 25, Role.VERIFIER: 35, Role.ASSESSOR: 35, Role.OPERATOR: 45})
def gaps_panel(request):
    """The gap numbers of the architecture, each linking to its objects (loaded after the page)."""
    return {"template": "insights/_dashboard_panel.html", "url": reverse("insights:dashboard_gaps"),
            "gaps_url": reverse("insights:gaps")}

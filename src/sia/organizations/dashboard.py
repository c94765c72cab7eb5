from django.db.models import Count, Q

from sia.core import permissions
from sia.core.dashboard import register_panel
from sia.core.roles import Role

from .models import Department, Institution, Membership


@register_panel(80)
def organization_panel(request):
    user = request.user
    institutions = permissions.visible(user, Institution.objects.filter(is_active=True))
    departments = permissions.visible(user, Department.objects.all())
    department_counts = departments.aggregate(
        active=Count("pk", filter=Q(is_active=True)), inactive=Count("pk", filter=Q(is_active=False))
    )
    # Member figures only for those who may see the members (admins, pimpinan).
    readable = permissions.institution_ids_for(user, permissions.VIEW, Membership)
    member_institutions = institutions if readable is None else institutions.filter(pk__in=readable)
    per_role = dict(
        Membership.objects.filter(institution__in=member_institutions, is_active=True)
        .values_list("role")
        .annotate(n=Count("pk"))
        .values_list("role", "n")
    )
    return {
        "template": "organizations/_dashboard_panel.html",
        "institutions": list(institutions.order_by("name")[:5]),
        "department_counts": department_counts,
        "roles": [(role.label, per_role.get(role.value, 0)) for role in Role] if readable is None or readable else [],
        "member_total": sum(per_role.values()),
    }

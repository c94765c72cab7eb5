from sia.core import permissions
from sia.core.dashboard import register_object_panel, register_panel
from sia.organizations.models import Department

from . import completeness
from .models import BusinessProcess


@register_panel(30)
def completeness_panel(request):
    if not permissions.can_anywhere(request.user, permissions.VIEW, BusinessProcess):
        return None
    return {"template": "architecture/_completeness_panel.html", "table": completeness.table_for(request.user)}


@register_object_panel(Department, 30)
def department_completeness(request, department):
    table = completeness.table_for(request.user, Department.objects.filter(pk=department.pk))
    return {"template": "architecture/_completeness_panel.html", "table": table, "single": True}

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _l

from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic

from . import filtersets, forms
from .models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit


class InstitutionListView(generic.ObjectListView):
    model = Institution
    queryset = Institution.objects.annotate(
        department_count=Count("departments", filter=Q(departments__is_active=True), distinct=True)
    )
    filterset_class = filtersets.InstitutionFilterSet
    columns = [
        Column("name", link=True), Column("kind"), Column("code"),
        Column("department_count", _l("OPD aktif")), Column("is_active"),
    ]


class InstitutionView(generic.ObjectView):
    model = Institution
    template_name = "organizations/institution.html"

    def extra_context(self, request, obj):
        departments = permissions.visible(request.user, obj.departments.filter(is_active=True))
        return {"departments": departments.order_by("name")}


class InstitutionEditView(generic.ObjectEditView):
    model = Institution
    form_class = forms.InstitutionForm


class InstitutionHistoryView(generic.ObjectHistoryView):
    model = Institution


class DepartmentListView(generic.ObjectListView):
    model = Department
    queryset = Department.objects.select_related("institution").annotate(
        function_count=Count("functions", distinct=True),
        work_unit_count=Count("work_units", distinct=True),
    )
    filterset_class = filtersets.DepartmentFilterSet
    filter_fields = ("q", "institution", "kind", "is_active")
    columns = [
        Column("name", link=True), Column("abbreviation"), Column("code"), Column("kind"),
        Column("institution.name", _l("Instansi")), Column("function_count", _l("Fungsi")),
        Column("work_unit_count", _l("Unit kerja")), Column("is_active"),
    ]


class DepartmentView(generic.ObjectView):
    model = Department
    queryset = Department.objects.select_related("institution")
    template_name = "organizations/department.html"

    def extra_context(self, request, obj):
        return {
            "functions": obj.functions.all(),
            "work_units": obj.work_units.select_related("parent").order_by("parent_id", "name"),
            "members": permissions.visible(request.user, obj.memberships.select_related("user")),
            "toggle_url": generic.optional_url(Department, "toggle", obj.pk)
            if permissions.can(request.user, permissions.CHANGE, obj) else None,
        }


class DepartmentEditView(generic.ObjectEditView):
    """Edits an OPD together with its ordered list of fungsi."""

    model = Department
    form_class = forms.DepartmentForm
    template_name = "organizations/department_edit.html"

    def formset(self, request, obj):
        data = request.POST if request.method == "POST" else None
        return forms.DepartmentFunctionFormSet(data, instance=obj, prefix="functions")

    def extra_context(self, request, form, obj):
        return {"formset": getattr(self, "_formset", None) or self.formset(request, obj)}

    def post(self, request, pk=None):
        obj = self.resolve(request, pk)
        self._formset = self.formset(request, obj)
        if not self._formset.is_valid():
            form = self.get_form(request, obj)
            form.is_valid()
            return self.render_form(request, form, obj, status=400)
        return super().post(request, pk)

    def save_form(self, form):
        department = form.save()
        self._formset.instance = department
        self._formset.save()
        return department


class DepartmentToggleView(generic.ObjectToggleActiveView):
    model = Department


class DepartmentDeleteView(generic.ObjectDeleteView):
    model = Department


class DepartmentHistoryView(generic.ObjectHistoryView):
    model = Department
    history_parts = ((DepartmentFunction, "department"),)


class WorkUnitListView(generic.ObjectListView):
    model = WorkUnit
    queryset = WorkUnit.objects.select_related("department", "parent")
    filterset_class = filtersets.WorkUnitFilterSet
    filter_fields = ("q", "department", "echelon", "is_active")  # the unit's page lists its children
    columns = [
        Column("name", link=True), Column("department.abbreviation", _l("OPD")),
        Column("parent.name", _l("Unit induk")), Column("echelon"), Column("is_active"),
    ]


class WorkUnitView(generic.ObjectView):
    model = WorkUnit
    queryset = WorkUnit.objects.select_related("department", "parent")
    template_name = "organizations/workunit.html"

    def extra_context(self, request, obj):
        return {"children": obj.children.all()}


class WorkUnitEditView(generic.ObjectEditView):
    model = WorkUnit
    form_class = forms.WorkUnitForm


class WorkUnitDeleteView(generic.ObjectDeleteView):
    model = WorkUnit


class WorkUnitHistoryView(generic.ObjectHistoryView):
    model = WorkUnit


class MembershipListView(generic.ObjectListView):
    model = Membership
    queryset = Membership.objects.select_related("user", "institution", "department")
    filterset_class = filtersets.MembershipFilterSet
    filter_fields = ("q", "institution", "department", "role", "is_active")
    columns = [
        Column("user.username", _l("Nama pengguna"), link=True), Column("user.first_name", _l("Nama")),
        Column("role"), Column("department.abbreviation", _l("OPD")), Column("institution.name", _l("Instansi")),
        Column("is_active"),
    ]


class MembershipView(generic.ObjectView):
    model = Membership
    queryset = Membership.objects.select_related("user", "institution", "department")
    template_name = "organizations/membership.html"


class MemberCreateView(generic.ObjectEditView):
    model = Membership
    form_class = forms.MemberCreateForm

    def resolve(self, request, pk):
        return super().resolve(request, None)


class MembershipEditView(generic.ObjectEditView):
    model = Membership
    form_class = forms.MembershipForm


class MembershipDeleteView(generic.ObjectDeleteView):
    model = Membership


class MembershipHistoryView(generic.ObjectHistoryView):
    model = Membership


class MentorAssignmentListView(generic.ObjectListView):
    model = MentorAssignment
    queryset = MentorAssignment.objects.select_related("department", "mentor")
    filterset_class = filtersets.MentorAssignmentFilterSet
    filter_fields = ("q", "department")
    columns = [
        Column("department.name", _l("Perangkat daerah"), link=True), Column("department.abbreviation", _l("OPD")),
        Column("mentor.username", _l("Mentor")), Column("mentor.first_name", _l("Nama")),
    ]


class MentorAssignmentView(generic.ObjectView):
    model = MentorAssignment
    queryset = MentorAssignment.objects.select_related("department", "mentor")


class MentorAssignmentEditView(generic.ObjectEditView):
    model = MentorAssignment
    form_class = forms.MentorAssignmentForm


class MentorAssignmentDeleteView(generic.ObjectDeleteView):
    model = MentorAssignment


class MentorAssignmentHistoryView(generic.ObjectHistoryView):
    model = MentorAssignment

import django_filters
from django.utils.translation import gettext_lazy as _

from sia.core.filtersets import ModelMultipleChoiceFilter, NaturalKeyFilter, SearchFilterSet, directory, scoped
from sia.core.roles import Role

from .choices import DepartmentKind, InstitutionKind
from .models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit


class InstitutionFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices, label=_("Jenis"))

    class Meta:
        model = Institution
        fields = ["q", "kind", "is_active"]


class DepartmentFilterSet(SearchFilterSet):
    search_fields = ("name", "abbreviation", "code")
    institution_id = ModelMultipleChoiceFilter(
        field_name="institution", queryset=scoped(Institution), label=_("Instansi")
    )
    institution = NaturalKeyFilter(field_name="institution", natural_key="code", queryset=scoped(Institution),
                                   label=_("Instansi"))
    abbreviation = django_filters.CharFilter(field_name="abbreviation", lookup_expr="iexact", label=_("Singkatan"))
    kind = django_filters.MultipleChoiceFilter(choices=DepartmentKind.choices, label=_("Jenis"))
    is_active = django_filters.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = Department
        fields = ["q", "institution_id", "institution", "abbreviation", "kind", "is_active"]


class DepartmentFunctionFilterSet(SearchFilterSet):
    search_fields = ("description",)
    department_id = ModelMultipleChoiceFilter(
        field_name="department", queryset=scoped(Department), label=_("Perangkat daerah")
    )
    department = NaturalKeyFilter(field_name="department", natural_key="abbreviation", queryset=directory(Department),
                                  label=_("Perangkat daerah"))

    class Meta:
        model = DepartmentFunction
        fields = ["q", "department_id", "department"]


class WorkUnitFilterSet(SearchFilterSet):
    search_fields = ("name",)
    department_id = ModelMultipleChoiceFilter(
        field_name="department", queryset=scoped(Department), label=_("Perangkat daerah")
    )
    department = NaturalKeyFilter(field_name="department", natural_key="abbreviation", queryset=directory(Department),
                                  label=_("Perangkat daerah"))
    parent_id = ModelMultipleChoiceFilter(
        field_name="parent", queryset=scoped(WorkUnit), label=_("Unit induk")
    )
    is_active = django_filters.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = WorkUnit
        fields = ["q", "department_id", "department", "parent_id", "echelon", "is_active"]


class MembershipFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    institution_id = ModelMultipleChoiceFilter(
        field_name="institution", queryset=scoped(Institution), label=_("Instansi")
    )
    department_id = ModelMultipleChoiceFilter(
        field_name="department", queryset=scoped(Department), label=_("Perangkat daerah")
    )
    institution = NaturalKeyFilter(field_name="institution", natural_key="code", queryset=scoped(Institution),
                                   label=_("Instansi"))
    department = NaturalKeyFilter(field_name="department", natural_key="abbreviation", queryset=directory(Department),
                                  label=_("Perangkat daerah"))
    role = django_filters.MultipleChoiceFilter(choices=Role.choices, label=_("Peran"))
    is_active = django_filters.BooleanFilter(label=_("Aktif"))

    class Meta:
        model = Membership
        fields = ["q", "institution_id", "institution", "department_id", "department", "role", "is_active"]



class MentorAssignmentFilterSet(SearchFilterSet):
    search_fields = ("department__name", "department__abbreviation", "mentor__username", "mentor__first_name")
    department_id = ModelMultipleChoiceFilter(
        field_name="department", queryset=scoped(Department), label=_("Perangkat daerah")
    )
    department = NaturalKeyFilter(field_name="department", natural_key="abbreviation", queryset=directory(Department),
                                  label=_("Perangkat daerah"))
    mentor = django_filters.CharFilter(field_name="mentor__username", lookup_expr="iexact", label=_("Mentor"))

    class Meta:
        model = MentorAssignment
        fields = ["q", "department_id", "department", "mentor"]

from django.db.models import Prefetch

from sia.core.api.views import SiaModelViewSet

from .. import filtersets
from ..models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit
from . import serializers


class InstitutionViewSet(SiaModelViewSet):
    queryset = Institution.objects.all()
    serializer_class = serializers.InstitutionSerializer
    filterset_class = filtersets.InstitutionFilterSet


class DepartmentViewSet(SiaModelViewSet):
    queryset = Department.objects.select_related("institution").prefetch_related(
        Prefetch("functions", queryset=DepartmentFunction.objects.order_by("order", "pk"))
    )
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filtersets.DepartmentFilterSet


class DepartmentFunctionViewSet(SiaModelViewSet):
    queryset = DepartmentFunction.objects.select_related("department")
    serializer_class = serializers.DepartmentFunctionSerializer
    filterset_class = filtersets.DepartmentFunctionFilterSet


class WorkUnitViewSet(SiaModelViewSet):
    queryset = WorkUnit.objects.select_related("department", "parent")
    serializer_class = serializers.WorkUnitSerializer
    filterset_class = filtersets.WorkUnitFilterSet


class MembershipViewSet(SiaModelViewSet):
    queryset = Membership.objects.select_related("user", "institution", "department")
    serializer_class = serializers.MembershipSerializer
    filterset_class = filtersets.MembershipFilterSet


class MentorAssignmentViewSet(SiaModelViewSet):
    """Mentor assignments: the koordinator creates, moves (PATCH ``mentor``) and ends them; a verifikator reads theirs."""

    queryset = MentorAssignment.objects.select_related("department", "mentor")
    serializer_class = serializers.MentorAssignmentSerializer
    filterset_class = filtersets.MentorAssignmentFilterSet

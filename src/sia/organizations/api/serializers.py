from django.contrib.auth import get_user_model
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer

from ..models import Department, DepartmentFunction, Institution, Membership, MentorAssignment, WorkUnit


class InstitutionSerializer(SiaModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "url", "display", "name", "kind", "code", "is_active", "created", "updated"]


class DepartmentSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")
    functions = serializers.SerializerMethodField()

    class Meta:
        model = Department
        fields = [
            "id", "url", "display", "institution", "name", "abbreviation", "code", "kind", "duties",
            "head_position", "functions", "is_active", "created", "updated",
        ]

    def get_functions(self, obj) -> list[str]:
        return [f.description for f in obj.functions.all()]

    def validate_institution(self, value):
        if self.instance is not None and value != self.instance.institution:
            raise serializers.ValidationError("Instansi sebuah OPD tidak dapat dipindahkan.")
        return value


class DepartmentFunctionSerializer(SiaModelSerializer):
    department = RelatedObjectField(queryset=Department.objects.all())

    class Meta:
        model = DepartmentFunction
        fields = ["id", "url", "display", "department", "order", "description", "created", "updated"]


class WorkUnitSerializer(SiaModelSerializer):
    department = RelatedObjectField(queryset=Department.objects.all())
    parent = RelatedObjectField(queryset=WorkUnit.objects.all(), allow_null=True, required=False)

    class Meta:
        model = WorkUnit
        fields = ["id", "url", "display", "department", "parent", "name", "echelon", "is_active", "created", "updated"]


class MembershipSerializer(SiaModelSerializer):
    user = RelatedObjectField(queryset=get_user_model().objects.all(), natural_key="username")
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")
    department = RelatedObjectField(queryset=Department.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Membership
        fields = ["id", "url", "display", "user", "institution", "department", "role", "is_active", "created", "updated"]


class MentorAssignmentSerializer(SiaModelSerializer):
    department = RelatedObjectField(queryset=Department.objects.all())
    mentor = RelatedObjectField(queryset=get_user_model().objects.all(), natural_key="username")

    class Meta:
        model = MentorAssignment
        fields = ["id", "url", "display", "department", "mentor", "created", "updated"]

"""The kegiatan and their attendance in the API: the same ``full_clean()`` rules as the pages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core import permissions
from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.organizations.models import Department

from .. import rules
from ..checkin import SELF_STATUSES
from ..models import Attendance, Workshop


class WorkshopSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Workshop._meta.get_field("institution").related_model.objects.all())
    departments = RelatedObjectField(queryset=Department.objects.all(), natural_key="abbreviation", many=True,
                                     required=False)
    mentors = RelatedObjectField(queryset=get_user_model().objects.all(), natural_key="username", many=True,
                                 required=False)
    organiser = RelatedObjectField(read_only=True)
    domains = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    checkin_code = serializers.SerializerMethodField()

    class Meta:
        model = Workshop
        fields = ["id", "url", "display", "institution", "kind", "title", "description", "starts_at", "ends_at",
                  "mode", "place", "meeting_link", "domains", "departments", "mentors", "organiser", "checkin_code",
                  "created", "updated"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_checkin_code(self, obj):
        """The code, for those who record attendance (the koordinator, the verifikator); null for others."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not permissions.can_in(user, permissions.ADD, Attendance, obj.institution_id):
            return None
        return obj.checkin_code

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.validated_instance
        if self.instance is not None and "institution" in attrs and attrs["institution"] != self.instance.institution:
            raise serializers.ValidationError({"institution": [rules.institution_fixed_message()]})
        departments = attrs.get("departments", self.instance.departments.all() if self.instance else [])
        mentors = attrs.get("mentors", self.instance.mentors.all() if self.instance else [])
        errors = rules.invitation_problems(instance, list(departments), list(mentors))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AttendanceSerializer(SiaModelSerializer):
    workshop = RelatedObjectField(queryset=Workshop.objects.all())
    participant = RelatedObjectField(queryset=get_user_model().objects.all(), natural_key="username")
    department = RelatedObjectField(read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "url", "display", "workshop", "participant", "department", "status", "note",
                  "self_recorded", "recorded_at", "created", "updated"]
        read_only_fields = ["self_recorded", "recorded_at"]

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("workshop", "participant"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: [rules.attendance_fixed_message()]})
        return super().validate(attrs)


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, allow_blank=True)
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in SELF_STATUSES], required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)

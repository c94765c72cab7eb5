"""Serializers of targets (validated by the model's ``full_clean()``, with the state computed from the data) and of
snapshots (read only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.evaluation.models import FrameworkVersion
from sia.organizations.models import Department, Institution

from ..access import readable_departments
from ..models import ProgressSnapshot, Target
from ..rules import domain_choices, evaluate, rule_choices


class TargetSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")
    department = RelatedObjectField(queryset=Department.objects.all(), natural_key="abbreviation", required=False,
                                    allow_null=True)
    framework = RelatedObjectField(queryset=FrameworkVersion.objects.all(), natural_key="code", required=False,
                                   allow_null=True)
    rule = serializers.ChoiceField(choices=())
    domain = serializers.ChoiceField(choices=(), required=False, allow_blank=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "url", "display", "institution", "department", "name", "rule", "domain", "level",
                  "threshold", "framework", "index_baseline", "index_target", "start_date", "deadline", "state", "created",
                  "updated"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = rule_choices()
        self.fields["domain"].choices = [("", "—"), *domain_choices()]

    @extend_schema_field({"type": "string", "nullable": True, "description": "tercapai, sesuai-jadwal, terlambat, "
                          "terlewat, tanpa-data, for the OPDs the reader may see (null in lists and for an index target)"})
    def get_state(self, obj):
        request = self.context.get("request")
        if obj.rule_spec is None or obj.rule_spec.index or isinstance(self.parent, serializers.ListSerializer) \
                or request is None:
            return None
        return evaluate(obj, readable_departments(request.user, obj.institution_id)).state


class ProgressSnapshotSerializer(SiaModelSerializer):
    institution = RelatedObjectField(read_only=True)
    department = RelatedObjectField(read_only=True)
    updated = serializers.DateTimeField(source="created", read_only=True)

    class Meta:
        model = ProgressSnapshot
        fields = ["id", "url", "display", "institution", "department", "domain", "date", "count", "complete",
                  "filled", "required", "draft", "submitted", "returned", "verified", "validated", "created",
                  "updated"]
        read_only_fields = fields

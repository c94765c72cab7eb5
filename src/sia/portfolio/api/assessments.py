"""``/api/portfolio/assessments/``: an application's functional fit, technical fit and criticality, with its
TIME recommendation (read-only: computed by ``sia.portfolio.rationalisation``, never stored)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.architecture.models import Application
from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.core.api.views import SiaModelViewSet
from sia.core.filtersets import ModelMultipleChoiceFilter, SiaFilterSet, scoped
from sia.organizations.models import Department

from .. import rationalisation as rules
from ..models import ApplicationAssessment
from ..rationalisation import Recommendation


class ApplicationAssessmentSerializer(SiaModelSerializer):
    application = RelatedObjectField(queryset=Application.objects.all(), natural_key="code")
    assessed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    recommendation = serializers.SerializerMethodField(
        help_text=_("Rekomendasi TIME (tolerate, invest, migrate, eliminate), dihitung dari ketiga nilai."))
    recommendation_reason = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationAssessment
        fields = [
            "id", "url", "display", "application", "functional_fit", "technical_fit", "criticality",
            "recommendation", "recommendation_reason", "note", "assessed_by", "created", "updated",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Recommendation.choices))
    def get_recommendation(self, obj) -> str:
        return rules.recommend(obj.functional_fit, obj.technical_fit, obj.criticality)

    def get_recommendation_reason(self, obj) -> str:
        return rules.reason(obj.functional_fit, obj.technical_fit, obj.criticality)


class ApplicationAssessmentFilterSet(SiaFilterSet):
    application = ModelMultipleChoiceFilter(field_name="application", queryset=scoped(Application),
                                            label=_("Aplikasi"))
    department = ModelMultipleChoiceFilter(field_name="application__department", queryset=scoped(Department),
                                           label=_("Perangkat daerah"))
    recommendation = django_filters.ChoiceFilter(choices=Recommendation.choices, method="by_recommendation",
                                                 label=_("Rekomendasi"))

    class Meta:
        model = ApplicationAssessment
        fields = ["application", "department", "recommendation"]

    def by_recommendation(self, queryset, name, value):
        return queryset.annotate(time_recommendation=rules.recommendation_expression()).filter(
            time_recommendation=value)


class ApplicationAssessmentViewSet(SiaModelViewSet):
    """Assessments of applications: admins and asesor of the instansi write them; whoever sees the application
    reads its assessment. ``recommendation`` is computed (read-only)."""

    queryset = ApplicationAssessment.objects.select_related("application", "assessed_by")
    serializer_class = ApplicationAssessmentSerializer
    filterset_class = ApplicationAssessmentFilterSet

    def perform_create(self, serializer):
        serializer.validated_data["assessed_by"] = self.request.user
        super().perform_create(serializer)

    def save_update(self, serializer):
        serializer.validated_data["assessed_by"] = self.request.user
        super().save_update(serializer)

"""``/api/portfolio/duplicate-candidates/`` (read-only, computed by ``sia.portfolio.duplicates``) and
``/api/portfolio/duplicate-dismissals/``: the pairs reviewers marked “not a duplicate” (the verifikator and
the admins of the instansi write them; the rule is ``DuplicateDismissal.clean``, as on the page)."""

from __future__ import annotations

import django_filters
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.views import APIView

from sia.architecture.models import Application, ValueListItem
from sia.core import permissions
from sia.core.api.fields import RelatedObjectField, api_detail_url
from sia.core.api.pagination import SiaLimitOffsetPagination
from sia.core.api.serializers import SiaModelSerializer
from sia.core.api.views import SiaModelViewSet
from sia.core.filtersets import ModelMultipleChoiceFilter, SiaFilterSet, scoped
from sia.core.integers import db_id
from sia.organizations.models import Department

from ..duplicates import attach, duplicate_candidates, undo_dismissal
from ..forms_duplicates import institutions_for
from ..models import NATIONAL_KIND, DuplicateDismissal


class DismissalSerializer(SiaModelSerializer):
    institution = RelatedObjectField(read_only=True)
    first = RelatedObjectField(queryset=Application.objects.all(), natural_key="code")
    second = RelatedObjectField(queryset=Application.objects.all(), natural_key="code", required=False,
                                allow_null=True, help_text=_lazy("Aplikasi kedua; kosong bila national diisi."))
    national = RelatedObjectField(
        queryset=ValueListItem.objects.filter(kind=NATIONAL_KIND), natural_key="name", required=False, allow_null=True,
        help_text=_lazy("Aplikasi umum nasional (ID atau nama persis di daftar instansi) yang bukan disalin aplikasi "
                        "pertama; kosong bila second diisi."),
    )
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DuplicateDismissal
        fields = [
            "id", "url", "display", "institution", "first", "second", "national", "reason", "decided_by", "created",
            "updated",
        ]
        extra_kwargs = {"reason": {"required": True, "allow_blank": False}}
        validators = []  # uniqueness of either form is the model's (full_clean); DRF's would require ``second``


class DismissalFilterSet(SiaFilterSet):
    application = ModelMultipleChoiceFilter(queryset=scoped(Application), method="either_application",
                                            label=_lazy("Aplikasi (salah satu dari pasangan)"))
    department = ModelMultipleChoiceFilter(queryset=scoped(Department), method="either_department",
                                           label=_lazy("Perangkat daerah (salah satu dari pasangan)"))

    national = ModelMultipleChoiceFilter(queryset=scoped(ValueListItem), label=_lazy("Aplikasi umum nasional"))
    kind = django_filters.ChoiceFilter(choices=[("pasangan", _lazy("Pasangan aplikasi")), ("nasional", _lazy(
        "Terhadap aplikasi umum nasional"))], method="of_kind", label=_lazy("Jenis tanda"))

    class Meta:
        model = DuplicateDismissal
        fields = ["application", "department", "institution", "national", "kind"]

    def of_kind(self, queryset, name, value):
        if value == "pasangan":
            return queryset.filter(second__isnull=False)
        return queryset.filter(national__isnull=False) if value == "nasional" else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def either_application(self, queryset, name, value):
        return queryset.filter(Q(first__in=value) | Q(second__in=value)) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def either_department(self, queryset, name, value):
        return queryset.filter(Q(first__department__in=value) | Q(second__department__in=value)) if value else queryset


class DismissalViewSet(SiaModelViewSet):
    """Pairs marked “not a duplicate” (``second``), and local applications marked “not a copy” of a national
    shared application (``national``, by ID or exact name): they never come back among the candidates until
    the mark is deleted. The pair is stored in ID order whatever order it is sent in; who marked it is
    recorded, and who deleted it in its history."""

    queryset = DuplicateDismissal.objects.select_related("institution", "first", "second", "national", "decided_by")
    serializer_class = DismissalSerializer
    filterset_class = DismissalFilterSet

    def _save(self, serializer, action):
        instance = serializer.validated_instance  # cleaned: in ID order, with its instansi
        if not permissions.can(self.request.user, action, instance):
            raise PermissionDenied(_("Hanya verifikator dan admin instansi yang dapat menandai bukan duplikat."))
        instance.decided_by = self.request.user
        instance._history_user = self.request.user
        with transaction.atomic():
            instance.save()
        serializer.instance = instance

    def perform_create(self, serializer):
        self._save(serializer, permissions.ADD)

    def save_update(self, serializer):
        self._save(serializer, permissions.CHANGE)

    def perform_destroy(self, instance):
        with transaction.atomic():
            undo_dismissal(instance, self.request.user)


class CandidateApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(allow_null=True)
    display = serializers.CharField()
    code = serializers.CharField()
    department = serializers.CharField(help_text=_lazy("Singkatan OPD pemilik."))


class CandidateNationalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    first = serializers.SerializerMethodField()
    second = serializers.SerializerMethodField(help_text=_lazy("Kosong bila aplikasi pertama menyerupai aplikasi "
                                                               "umum nasional (lihat national)."))
    national = serializers.SerializerMethodField()
    score = serializers.FloatField(help_text=_lazy("0 sampai 1; kandidat mulai dari ambang skor."))
    group = serializers.IntegerField(help_text=_lazy("Kelompok aplikasi yang saling mirip (1: pasangan terkuat)."))
    reasons = serializers.ListField(child=serializers.CharField())

    def _application(self, app):
        if app is None:
            return None
        return {"id": app.pk, "url": api_detail_url(app, self.context.get("request")), "display": str(app),
                "code": app.code, "department": app.department.abbreviation}

    @extend_schema_field(CandidateApplicationSerializer)
    def get_first(self, candidate):
        return self._application(candidate.first)

    @extend_schema_field(CandidateApplicationSerializer(allow_null=True))
    def get_second(self, candidate):
        return self._application(candidate.second)

    @extend_schema_field(CandidateNationalSerializer(allow_null=True))
    def get_national(self, candidate):
        national = candidate.national
        return {"id": national.pk, "display": national.name} if national is not None else None


class CandidatesView(APIView):
    """Candidate duplicate applications of one instansi, best group first (read-only, computed): pairs of
    applications of two OPDs, and local applications that duplicate a national shared one. Only pairs whose
    applications the user may both see; pairs marked “not a duplicate” never."""

    pagination_class = SiaLimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("institution", OpenApiTypes.INT, description=_lazy(
                "ID instansi; tanpa ini: instansi pertama yang dapat Anda lihat.")),
            OpenApiParameter("department", OpenApiTypes.INT, description=_lazy(
                "ID OPD: hanya pasangan dengan aplikasi OPD ini.")),
            OpenApiParameter("limit", OpenApiTypes.INT), OpenApiParameter("offset", OpenApiTypes.INT),
        ],
        responses=CandidateSerializer(many=True),
    )
    def get(self, request):
        institutions = institutions_for(request.user)
        raw = request.query_params.get("institution")
        if raw not in (None, ""):
            pk = db_id(raw)
            if pk is None:
                raise ValidationError({"institution": [_("Tulis ID instansi (bilangan bulat).")]})
            institutions = institutions.filter(pk=pk)
        institution = institutions.first()
        department_id = None
        raw = request.query_params.get("department")
        if raw not in (None, ""):
            department_id = db_id(raw)
            if department_id is None:
                raise ValidationError({"department": [_("Tulis ID OPD (bilangan bulat).")]})
        candidates = [] if institution is None else duplicate_candidates(
            institution.pk, request.user, department_id=department_id, attach_objects=False)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(candidates, request, view=self)
        attach(page)
        return paginator.get_paginated_response(CandidateSerializer(page, many=True, context={"request": request}).data)

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from sia.core import permissions
from sia.core.api.views import SiaModelViewSet

from .. import evidence_items, exports, filtersets, services, views_carryover
from ..frameworks import spec_for
from ..models import (
    Assessment,
    AssessmentTeamMember,
    Evidence,
    EvidenceItem,
    EvidenceItemReview,
    FrameworkVersion,
    Indicator,
    IndicatorScore,
    StageLock,
)
from ..models.scores import StageLockedDeletion
from ..planner import DEFAULT_MAX_STEP, PlanError, plan_for
from ..planner_page import saved_preset
from ..planner_presets import check_margin, preset_from_dict
from ..policies import LOCK
from ..scoring import exact_text, predicate_for
from ..uploads import ALLOWED_MIMES, download_response
from . import carryover_serializers, planner_serializers, serializers, serializers_items

READ_ONLY = ["get", "head", "options"]


class FrameworkVersionViewSet(SiaModelViewSet):
    """Evaluation instruments with their declared levels and groups (domains, aspects), indicators (level criteria) and predicate bands."""

    queryset = FrameworkVersion.objects.prefetch_related("groups")
    serializer_class = serializers.FrameworkVersionSerializer
    filterset_class = filtersets.FrameworkVersionFilterSet
    http_method_names = READ_ONLY


class IndicatorViewSet(SiaModelViewSet):
    queryset = Indicator.objects.select_related("framework")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filtersets.IndicatorFilterSet
    http_method_names = READ_ONLY

    def get_serializer_context(self):
        context = super().get_serializer_context()
        names = {}
        from ..models import CapabilityLevel

        for framework_id, scale, level, name in CapabilityLevel.objects.values_list(
            "framework_id", "scale", "level", "name"
        ):
            names.setdefault((framework_id, scale), {})[level] = name
        context["level_names"] = names
        return context


class AssessmentViewSet(SiaModelViewSet):
    """Yearly index assessments (Indeks SPBE, Indeks Pemdi: ``terms``); ``score`` carries the exact index per stage."""

    queryset = Assessment.objects.select_related("institution", "framework").prefetch_related(
        Prefetch("locks", queryset=StageLock.objects.select_related("locked_by")),
        Prefetch("team", queryset=AssessmentTeamMember.objects.select_related("user")),
        services.scores_prefetch(),
    )
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filtersets.AssessmentFilterSet
    action_permissions = {
        "lock_stage": LOCK, "advance_stage": LOCK, "planner": permissions.VIEW, "export_xlsx": permissions.VIEW,
        "berita_acara": permissions.VIEW, "review_item": permissions.VIEW,
        "carry_over": permissions.VIEW, "carry_over_proposals": permissions.VIEW,
    }

    def _refreshed(self, assessment):
        return self.get_queryset().get(pk=assessment.pk)

    def _transition(self, request, step):
        assessment = self.get_object()
        try:
            with transaction.atomic():
                step(assessment, user=request.user)
        except DjangoValidationError as error:
            raise drf_serializers.ValidationError({"non_field_errors": error.messages})
        return Response(self.get_serializer(self._refreshed(assessment)).data)

    @extend_schema(request=None, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="lock-stage")
    def lock_stage(self, request, pk=None):
        """Locks the current stage (admin instansi or penanggung jawab); every indicator needs a level."""
        return self._transition(request, services.lock_stage)

    @extend_schema(request=None, responses=serializers.AssessmentSerializer)
    @action(detail=True, methods=["post"], url_path="advance-stage")
    def advance_stage(self, request, pk=None):
        """Locks the current stage if open and starts the next one from its levels."""
        return self._transition(request, services.advance_stage)

    @extend_schema(request=serializers_items.ItemReviewRequestSerializer, responses=serializers_items.ItemReviewSerializer)
    @action(detail=True, methods=["post"], url_path="review-item")
    def review_item(self, request, pk=None):
        """Sets an evidence item's status at the current stage (PermenPANRB 8/2026): accepted, to revise with the
        assessor's note, or not yet reviewed. Who may: ``EvidenceItemReviewPolicy`` (403 otherwise)."""
        assessment = self.get_object()
        probe = EvidenceItemReview(assessment=assessment, stage=assessment.current_stage)
        if not permissions.can(request.user, permissions.ADD, probe):
            raise PermissionDenied
        payload = serializers_items.ItemReviewRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            item = evidence_items.item_by_code(assessment, data["item"])
            review = evidence_items.review_item(assessment, item, data["status"], user=request.user,
                                                note=data.get("note", ""))
        except DjangoValidationError as error:
            raise drf_serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages})
        return Response(serializers_items.ItemReviewSerializer(review).data)

    @extend_schema(
        request=None, responses=carryover_serializers.ProposalsSerializer,
        parameters=[OpenApiParameter("indicator", int, description="Nomor indikator penilaian (8/2026); semua bila kosong.")],
    )
    @action(detail=True, methods=["get"], url_path="carry-over-proposals")
    def carry_over_proposals(self, request, pk=None):
        """Evidence of the instansi's last SPBE assessment (59/2020) proposed for this 8/2026 assessment's indicators,
        per the shipped mapping with a one-line rationale per pair; only the evidence the user sees. No source
        assessment and no indicators for a 59/2020 assessment or when there is no earlier SPBE assessment."""
        assessment = self.get_object()
        raw = request.query_params.get("indicator", "").strip()
        number = None
        if raw:
            if not raw.isdigit() or len(raw) > 4 or not assessment.framework.indicators.filter(number=int(raw)).exists():
                raise drf_serializers.ValidationError({"indicator": [f"Indikator “{raw}” tidak dikenal."]})
            number = int(raw)
        answer = views_carryover.proposals_answer(request.user, assessment, number)
        return Response(carryover_serializers.ProposalsSerializer(answer).data)

    @extend_schema(request=carryover_serializers.CarryOverRequestSerializer,
                   responses=carryover_serializers.CarryOverResultSerializer)
    @action(detail=True, methods=["post"], url_path="carry-over")
    def carry_over(self, request, pk=None):
        """Attaches chosen evidence of the last SPBE assessment to this 8/2026 assessment's current stage (same
        stored file or link; levels never carried); all or nothing. Already present (same file or link on the
        indicator): listed in ``skipped``. 403 for those who may not add evidence; 400 naming the problem for a
        locked stage, an evidence not of the source assessment, an unmapped pair or a wrong item."""
        assessment = self.get_object()
        if not views_carryover.may_add_evidence(request.user, assessment):
            raise PermissionDenied
        payload = carryover_serializers.CarryOverRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        selection = [
            (row["indicator"], row["evidence"], row["item"]) if row.get("item") else (row["indicator"], row["evidence"])
            for row in payload.validated_data["items"]
        ]
        try:
            carried = views_carryover.carry_for(request.user, assessment, selection)
        except DjangoValidationError as error:
            raise drf_serializers.ValidationError({"items": error.messages})
        return Response(carryover_serializers.CarryOverResultSerializer(views_carryover.carried_answer(carried)).data)

    @extend_schema(request=planner_serializers.PlannerRequestSerializer, responses=planner_serializers.PlanSerializer)
    @action(detail=True, methods=["post"])
    def planner(self, request, pk=None):
        """Least-effort level increases from the latest stage's levels to the target index (exact)."""
        assessment = self.get_object()
        payload = planner_serializers.PlannerRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        spec = spec_for(assessment.framework)
        summary = services.latest_result_summary(assessment)
        levels = {n: 1 for n in spec.indicator_map} | services.stage_levels(assessment, summary.stage)
        data = payload.validated_data
        efforts = {}
        for row in data.get("efforts", []):
            if row["indicator"] not in spec.indicator_map:
                raise drf_serializers.ValidationError({"efforts": f"Indikator {row['indicator']} tidak dikenal."})
            efforts[(row["indicator"], row["to_level"])] = row["effort"]
        max_step = data["max_step"] if "max_step" in data else (2 if data["allow_two_level_jumps"] else DEFAULT_MAX_STEP)
        if data.get("margin") is not None:
            try:
                check_margin(data["margin"])
            except PlanError as error:
                raise drf_serializers.ValidationError({"margin": [str(error)]}) from None
        try:
            if data.get("preset") is not None:
                preset = preset_from_dict(data["preset"], spec.indicator_map)
            else:
                preset, _problem = saved_preset(assessment, list(spec.indicator_map))
            plan = plan_for(levels, spec, data.get("target"), efforts or None, max_step=max_step, preset=preset,
                            margin=data.get("margin"))
        except PlanError as error:
            raise drf_serializers.ValidationError({"preset" if "preset" in data else "efforts": [str(error)]})
        names = {i.number: i.name for i in spec.indicators}

        def shown(value):
            if value is None:
                return None
            return f"{value:.{spec.value_places}f}" if spec.continuous else str(int(value))

        return Response(
            planner_serializers.PlanSerializer(
                {
                    "stage": summary.stage.value,
                    "current_index": exact_text(plan.current_index),
                    "target": exact_text(plan.target),
                    "reachable": plan.reachable,
                    "message": plan.message,
                    "total_effort": plan.total_effort,
                    "final_index": exact_text(plan.final_index),
                    "final_predicate": predicate_for(plan.final_index, spec.bands),
                    "max_index": exact_text(plan.max_index),
                    "margin": exact_text(plan.margin), "goal": exact_text(plan.goal), "scheme": plan.scheme,
                    "blocked": list(plan.blocked),
                    "values": {str(n): shown(v) for n, v in sorted((plan.values_after or plan.levels_after).items())},
                    "explanation": list(plan.explanation()),
                    "steps": [
                        {"indicator": s.indicator, "name": names[s.indicator], "from_level": s.from_level,
                         "to_level": s.to_level, "effort": s.effort, "index_after": exact_text(s.index_after),
                         "predicate_after": predicate_for(s.index_after, spec.bands),
                         "from_value": shown(s.from_value), "to_value": shown(s.to_value)}
                        for s in plan.steps
                    ],
                    "best_single_steps": [
                        {"indicator": s.indicator, "name": names[s.indicator], "from_level": s.from_level,
                         "to_level": s.to_level, "effort": s.effort, "gain": exact_text(s.gain),
                         "gain_per_effort": exact_text(s.gain_per_effort)}
                        for s in plan.best_single_steps
                    ],
                }
            ).data
        )

    @extend_schema(
        request=None,
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="export-xlsx")
    def export_xlsx(self, request, pk=None):
        """The assessment as XLSX: one row per indicator with its level in every stage, and a summary sheet."""
        assessment = self.get_object()
        return _file(
            exports.assessment_xlsx(assessment), exports.xlsx_name(assessment),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    @extend_schema(
        request=None,
        responses={(200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="berita-acara")
    def berita_acara(self, request, pk=None):
        """Berita Acara Penilaian Mandiri (DOCX), ready to sign."""
        assessment = self.get_object()
        return _file(
            exports.berita_acara_docx(assessment),
            exports.export_name(assessment, "berita-acara-penilaian-mandiri", "docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


class AssessmentTeamMemberViewSet(SiaModelViewSet):
    queryset = AssessmentTeamMember.objects.select_related("assessment__institution", "assessment__framework", "user")
    serializer_class = serializers.AssessmentTeamMemberSerializer
    filterset_class = filtersets.AssessmentTeamMemberFilterSet


class IndicatorScoreViewSet(SiaModelViewSet):
    """Levels per indicator and stage, set in the current stage while it is open.

    POST creates an indicator's level in the current stage; once it exists (levels of a later stage start
    as copies of the previous stage), PATCH it. Levels are not deleted.
    """

    queryset = IndicatorScore.objects.select_related("assessment__institution", "assessment__framework", "indicator", "assessed_by")
    serializer_class = serializers.IndicatorScoreSerializer
    filterset_class = filtersets.IndicatorScoreFilterSet


class EvidenceViewSet(SiaModelViewSet):
    """Bukti dukung: upload a file (multipart, ``file``) or give a ``link``; download through ``download``."""

    queryset = Evidence.objects.select_related(
        "assessment__institution", "assessment__framework", "indicator", "blob", "added_by", "item"
    )
    serializer_class = serializers_items.EvidenceSerializer
    filterset_class = filtersets.EvidenceFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    action_permissions = {"download": permissions.VIEW}

    @extend_schema(responses={204: None, 400: OpenApiResponse(description="Tahapnya sudah dikunci.")})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except StageLockedDeletion as error:  # not "still has related data" (409): the stage is closed
            raise drf_serializers.ValidationError({"non_field_errors": [str(error.args[0])]})

    @extend_schema(
        responses={
            # The checked type of the stored file (a row with any other type goes out as octet-stream).
            **{(200, mime): OpenApiTypes.BINARY for mime in sorted(ALLOWED_MIMES)},
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            302: OpenApiResponse(description="Bukti dukung berupa tautan: dialihkan ke tautannya."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The evidence file, to members of the assessment's instansi only."""
        evidence = self.get_object()
        if evidence.blob is None:
            return HttpResponseRedirect(evidence.url)
        return download_response(evidence)


class EvidenceItemViewSet(SiaModelViewSet):
    """The evidence items each level of an indicator asks for (PermenPANRB 8/2026, coded like ``I13-L2-01``), from
    the instrument's file: ``?framework=permenpanrb-8-2026&indicator=13&level=2``. Read only."""

    queryset = EvidenceItem.objects.select_related("framework", "indicator")
    serializer_class = serializers_items.EvidenceItemSerializer
    filterset_class = filtersets.EvidenceItemFilterSet
    http_method_names = READ_ONLY


class EvidenceItemReviewViewSet(SiaModelViewSet):
    """Each item's status per stage of an assessment (accepted, to revise with the assessor's note), of the
    assessments the user may see: ``?assessment_id=3&stage=mandiri&item=I13-L2-01``. Read only; set through
    ``POST /assessments/{id}/review-item/``."""

    queryset = EvidenceItemReview.objects.select_related(
        "assessment__institution", "assessment__framework", "item__indicator", "reviewed_by"
    )
    serializer_class = serializers_items.EvidenceItemReviewSerializer
    filterset_class = filtersets.EvidenceItemReviewFilterSet
    http_method_names = READ_ONLY

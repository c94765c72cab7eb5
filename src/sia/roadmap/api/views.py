"""``/api/roadmap/``: the Peta Rencana SPBE through the permission module (one viewset per model) and its figures."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.architecture import workflow
from sia.architecture.api.gaps import parameter
from sia.architecture.api.views import ArchitectureViewSet
from sia.core import permissions
from sia.core.api.views import SiaModelViewSet
from sia.core.api.parameters import institution_parameter
from sia.core.integers import db_id
from sia.organizations.models import Department

from .. import figures, review
from ..filtersets import (
    ActivityFilterSet,
    ActivityGapFilterSet,
    ActivityYearFilterSet,
    InitiativeFilterSet,
    ProgramFilterSet,
    StrategicTargetFilterSet,
)
from ..models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget
from ..timeline import periods_of
from . import serializers as s


class StrategicTargetViewSet(SiaModelViewSet):
    """Sasaran strategis (from the RPJMD): read by every member of the instansi, written by its koordinator."""

    queryset = StrategicTarget.objects.select_related("institution")
    serializer_class = s.StrategicTargetSerializer
    filterset_class = StrategicTargetFilterSet


class InitiativeViewSet(SiaModelViewSet):
    """Inisiatif of a sasaran strategis: read by every member of the instansi, written by its koordinator."""

    queryset = Initiative.objects.select_related("target")
    serializer_class = s.InitiativeSerializer
    filterset_class = InitiativeFilterSet


class ProgramViewSet(SiaModelViewSet):
    """Programs of an inisiatif, each in one of the seven areas: read by every member, written by the koordinator."""

    queryset = Program.objects.select_related("initiative")
    serializer_class = s.ProgramSerializer
    filterset_class = ProgramFilterSet


def _changed(serializer) -> list[str]:
    """The fields a validated update would change (a PATCH repeating the stored values changes nothing)."""
    instance = serializer.instance
    names = []
    for name, value in serializer.validated_data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            if {getattr(v, "pk", v) for v in value} != set(getattr(instance, name).values_list("pk", flat=True)):
                names.append(name)
        elif getattr(instance, field.attname if field.is_relation else name) != getattr(value, "pk", value):
            names.append(name)
    return names


class ActivityViewSet(SiaModelViewSet):
    """Kegiatan: read by every member of the instansi; written by the koordinator, and by an OPD operator for the
    kegiatan their OPD leads. Updates need the ``lock_version`` read (or ``If-Match``); changing the plan of a
    verified or validated kegiatan sends it back to draft, changing only its ``progress`` (status pelaksanaan) does
    not (``review.EXECUTION_FIELDS``). Its review workflow is the architecture's
    (``sia.architecture.workflow``), with the same POST actions: ``submit``, ``return``, ``verify``, ``validate``,
    ``comments``."""

    queryset = Activity.objects.select_related("institution", "program", "department").prefetch_related("units")
    serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilterSet
    # The review actions of architecture objects, reused as they are (they call sia.architecture.workflow).
    action_permissions = ArchitectureViewSet.action_permissions
    _transition = ArchitectureViewSet._transition
    submit = ArchitectureViewSet.submit
    return_ = ArchitectureViewSet.return_
    verify = ArchitectureViewSet.verify
    validate = ArchitectureViewSet.validate
    comments = ArchitectureViewSet.comments

    def perform_create(self, serializer):
        super().perform_create(serializer)
        workflow.record_creation(serializer.instance, self.request.user)

    def save_update(self, serializer):
        if review.changes_plan(Activity, _changed(serializer)):
            workflow.reopen_if_reviewed(serializer.instance, self.request.user)  # saved with the update
        super().save_update(serializer)


class ActivityPartViewSet(SiaModelViewSet):
    """A part of a kegiatan (its years, its gaps): every write is the kegiatan's next version
    (``review.part_written``: its ``lock_version`` rises, so an older read meets a conflict); creating, deleting or
    changing the plan of one sends a verified or validated kegiatan back to draft; changing only a year's execution
    (realisation, RKA, "selesai": ``review.EXECUTION_FIELDS``) does not."""

    def perform_create(self, serializer):
        with transaction.atomic():
            super().perform_create(serializer)
            review.part_written(serializer.instance.activity, self.request.user)

    def save_update(self, serializer):
        with transaction.atomic():
            changed = _changed(serializer)
            previous = serializer.instance.activity
            super().save_update(serializer)
            if not changed:
                return  # the stored values repeated: nothing changed, no new version
            plan = review.changes_plan(type(serializer.instance), changed)
            review.part_written(serializer.instance.activity, self.request.user, plan=plan)
            if previous.pk != serializer.instance.activity_id:
                review.part_written(previous, self.request.user, plan=plan)

    def perform_destroy(self, instance):
        with transaction.atomic():
            super().perform_destroy(instance)
            review.part_written(instance.activity, self.request.user)


class ActivityYearViewSet(ActivityPartViewSet):
    """The years of a kegiatan: pagu and its source, RKA, realisation, done. Written by who writes the kegiatan;
    recording RKA, realisation or done keeps a verified or validated kegiatan as it is, a change of year, pagu or
    source sends it back to draft."""

    queryset = ActivityYear.objects.select_related("activity")
    serializer_class = s.ActivityYearSerializer
    filterset_class = ActivityYearFilterSet


class ActivityGapViewSet(ActivityPartViewSet):
    """The gaps (to-be objects, as-is objects to retire) a kegiatan closes. Written by who writes the kegiatan."""

    queryset = ActivityGap.objects.select_related("activity", "content_type").prefetch_related("target")
    serializer_class = s.ActivityGapSerializer
    filterset_class = ActivityGapFilterSet


INSTITUTION = OpenApiParameter("institution", OpenApiTypes.INT, description=_lazy(
    "ID instansi; tanpa ini: satu-satunya instansi yang dapat Anda baca (wajib bila Anda membaca beberapa)."))
INSTANSI = OpenApiParameter("instansi", OpenApiTypes.INT, deprecated=True, description=_lazy(
    "Nama lama parameter institution."))
DEPARTMENT = OpenApiParameter("department", OpenApiTypes.INT, description=_lazy(
    "ID OPD instansi tersebut: hanya kegiatan yang dipimpinnya (pagu, RKA, progres, kegiatan tanpa gap) dan gap "
    "objek arsitekturnya."))
OPD = OpenApiParameter("opd", OpenApiTypes.INT, deprecated=True, description=_lazy("Nama lama parameter department."))
PERIOD = OpenApiParameter("period", str, description=_lazy(
    "Periode sasaran strategis instansi, mis. 2025-2029: hanya tahun-tahun periode itu (pagu, RKA, progres) dan "
    "kegiatan tanpa gap dari sasaran periode itu; tanpa ini: semua tahun."))
PERIODE = OpenApiParameter("periode", str, description=_lazy("Nama lain parameter period (seperti halaman web)."))


class FiguresView(APIView):
    """The figures of an instansi's roadmap (``sia.roadmap.figures``): per year the pagu per area, the RKA and the
    aligned share (keterpaduan rencana dan anggaran), the progress (year rows planned and done); and the warnings:
    gaps no kegiatan closes (those the reader may see) and kegiatan that close no gap. ``opd`` narrows every figure
    to one OPD of the instansi (the kegiatan it leads, the gaps of its objects)."""

    @extend_schema(parameters=[INSTITUTION, DEPARTMENT, PERIOD, INSTANSI, OPD, PERIODE], responses={
        200: s.FiguresSerializer,
        400: OpenApiResponse(description=_lazy(
            "``institution``, ``department`` atau ``period`` (atau nama lamanya) tidak valid (pesan per parameter).")),
        404: OpenApiResponse(description=_lazy("Instansi tidak ditemukan atau tidak dapat Anda baca."))})
    def get(self, request):
        institution = self.institution()
        data = figures.summary(institution, request.user, self.department(institution), self.period(institution))
        years = sorted(set(data["budget"]) | set(data["alignment"]) | set(data["progress"]))
        body = {
            "instansi": {"id": institution.pk, "display": str(institution)},
            "years": [{
                "year": year,
                "budget_by_area": data["budget"].get(year, {}),
                **data["alignment"].get(year, {}),
                **data["progress"].get(year, {"planned": 0, "done": 0}),
            } for year in years],
            "unlinked_gaps": data["unlinked_gaps"],
            "activities_without_gap": data["activities_without_gap"],
        }
        return Response(s.FiguresSerializer(body, context={"request": request}).data)

    def department(self, institution):
        """The OPD of ``department`` (or ``opd``: its ID), one of the instansi's active OPDs; None without it."""
        name = parameter(self.request, "department", "opd")
        raw = self.request.query_params.get(name)
        if raw in (None, ""):
            return None
        pk = db_id(raw)
        if pk is None:
            raise ValidationError({name: [_("Tulis ID OPD sebagai bilangan bulat positif.")]})
        found = Department.objects.filter(pk=pk, institution=institution, is_active=True).first()
        if found is None:
            raise ValidationError({name: [_("OPD %(id)s tidak ada di instansi %(instansi)s.") % {
                "id": pk, "instansi": institution}]})
        return found

    def period(self, institution):
        """The sasaran period of ``period`` (or ``periode``), one the instansi has; None (every year) without it."""
        name = parameter(self.request, "period", "periode")
        raw = self.request.query_params.get(name)
        if raw in (None, ""):
            return None
        periods = periods_of(institution)
        if raw not in periods:
            raise ValidationError({name: [_("Periode %(period)s tidak ada di instansi ini; pilih salah satu: "
                                            "%(periods)s.") % {"period": raw, "periods": ", ".join(periods) or "—"}]})
        return raw

    def institution(self):
        return institution_parameter(self.request, permissions.readable_institutions(self.request.user, StrategicTarget),
                                     parameter(self.request, "institution", "instansi"))

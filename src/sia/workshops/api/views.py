"""``/api/workshops/``: the kegiatan (with the ``check-in`` action) and their attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sia.core.api.views import SiaModelViewSet

from ..checkin import check_in
from ..choices import AttendanceStatus
from ..filtersets import AttendanceFilterSet, WorkshopFilterSet
from ..invitations import arrangement, invited_ids, send_invitations
from ..models import Attendance, Workshop
from ..policies import CHECK_IN
from . import serializers as s


class WorkshopViewSet(SiaModelViewSet):
    """Kegiatan (bimtek, workshop, rapat koordinasi): written by the koordinator; read by the verifikator, asesor
    and pimpinan of the instansi, and by the operators of the invited OPDs. ``checkin_code`` is shown to those who
    record attendance. POST ``check-in`` with ``{"code": ...}``: the participant's own attendance."""

    queryset = Workshop.objects.select_related("institution", "organiser").prefetch_related("departments", "mentors")
    serializer_class = s.WorkshopSerializer
    filterset_class = WorkshopFilterSet
    action_permissions = {"check_in": CHECK_IN}

    def perform_create(self, serializer):
        serializer.validated_data["organiser"] = self.request.user
        with transaction.atomic():
            super().perform_create(serializer)  # saves the invited OPDs and mentors too
            send_invitations(serializer.instance)

    def save_update(self, serializer):
        before, arranged = invited_ids(serializer.instance), arrangement(serializer.instance)
        super().save_update(serializer)
        send_invitations(serializer.instance, before, arranged)  # the newly invited; the others if time/place changed

    @extend_schema(request=s.CheckInSerializer, responses={201: s.AttendanceSerializer})
    @action(detail=True, methods=["post"], url_path="check-in", url_name="check-in")
    def check_in(self, request, pk=None):
        workshop = self.get_object()  # 403 unless an invited operator or a mentor (``action_permissions``)
        body = s.CheckInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            attendance = check_in(workshop, request.user, data["code"],
                                  status=data.get("status", AttendanceStatus.PRESENT), note=data.get("note", ""))
        except DjangoValidationError as error:
            raise drf_serializers.ValidationError(error.message_dict)
        return Response(s.AttendanceSerializer(attendance, context=self.get_serializer_context()).data, status=201)


class AttendanceViewSet(SiaModelViewSet):
    """Attendance at a kegiatan: recorded by the koordinator and the verifikator; read by whoever reads the
    kegiatan (an operator their own OPD's rows)."""

    queryset = Attendance.objects.select_related("workshop", "participant", "department")
    serializer_class = s.AttendanceSerializer
    filterset_class = AttendanceFilterSet

"""``/api/progress/``: targets (written by the koordinator) and the daily snapshots (read only)."""

from __future__ import annotations

from sia.core.api.views import SiaModelViewSet

from ..filtersets import ProgressSnapshotFilterSet, TargetFilterSet
from ..models import ProgressSnapshot, Target
from . import serializers as s


class TargetViewSet(SiaModelViewSet):
    """Targets with deadlines; each answer of one target carries its state computed from the data (an operator
    reads their OPD's, and those for every OPD, with their own OPD's state)."""

    queryset = Target.objects.select_related("institution", "department")
    serializer_class = s.TargetSerializer
    filterset_class = TargetFilterSet


class ProgressSnapshotViewSet(SiaModelViewSet):
    """The daily snapshots per OPD and domain (``sia snapshot_progress``): read only."""

    queryset = ProgressSnapshot.objects.select_related("institution", "department")
    serializer_class = s.ProgressSnapshotSerializer
    filterset_class = ProgressSnapshotFilterSet
    http_method_names = ["get", "head", "options"]

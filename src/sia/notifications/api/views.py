"""``/api/notifications/notifications/`` (the caller's own, read; ``mark-read/`` one, ``mark-all-read/`` all) and
``/api/notifications/preferences/`` (the caller's own e-mail preference)."""

from __future__ import annotations

import django_filters
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from sia.core import permissions
from sia.core.api.views import SiaModelViewSet
from sia.core.filtersets import SiaFilterSet

from .. import services
from ..models import Notification, NotificationPreference
from .serializers import MarkedSerializer, NotificationPreferenceSerializer, NotificationSerializer


class NotificationFilterSet(SiaFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=gettext_lazy("Belum dibaca"))

    class Meta:
        model = Notification
        fields = ["kind", "unread"]


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first; nobody reads another person's. Read-only besides marking read
    (notifications are written by ``services.notify`` only), hence not a ``SiaModelViewSet`` with its create, update
    and delete; the rows still come through the permission module."""

    queryset = Notification.objects.select_related("institution")
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"mark_read": "mark_read"}

    def get_queryset(self):
        own = services.for_user(self.request.user).values("pk")
        return permissions.visible(self.request.user, super().get_queryset()).filter(pk__in=own).order_by(
            "-created", "-pk")

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at", "updated"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="mark-all-read")
    def mark_all_read(self, request):
        return Response({"marked": services.mark_read(request.user)})


class NotificationPreferenceViewSet(SiaModelViewSet):
    """The caller's e-mail preference (at most one; without one, the daily digest)."""

    queryset = NotificationPreference.objects.select_related("user")
    serializer_class = NotificationPreferenceSerializer

    def perform_create(self, serializer):
        serializer.validated_instance.user = self.request.user
        if NotificationPreference.objects.filter(user=self.request.user).exists():
            raise ValidationError({"user": [_("Anda sudah memiliki preferensi notifikasi; ubah yang ada.")]})
        try:
            with transaction.atomic():
                serializer.save(user=self.request.user)
        except IntegrityError:
            raise ValidationError({"user": [_("Anda sudah memiliki preferensi notifikasi; ubah yang ada.")]})

"""``/api/portfolio/clearances/``: the verifikator's decision on a to-be new application. Creating or changing
one goes through ``sia.portfolio.clearance.record`` (the web form's path): who and when are recorded and the
decision joins the application's review conversation. Operators read, never record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from sia.architecture.models import Application, ValueListItem
from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.core.api.views import SiaModelViewSet
from sia.core.filtersets import ModelMultipleChoiceFilter, SiaFilterSet, scoped

from .. import clearance as rules
from ..models import Clearance


class ClearanceSerializer(SiaModelSerializer):
    application = RelatedObjectField(queryset=Application.objects.all(), natural_key="code")
    reused_application = RelatedObjectField(queryset=Application.objects.all(), natural_key="code", required=False,
                                            allow_null=True)
    reused_national = RelatedObjectField(queryset=ValueListItem.objects.all(), required=False, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Clearance
        fields = [
            "id", "url", "display", "application", "decision", "reused_application", "reused_national", "reason",
            "decided_by", "created", "updated",
        ]
        extra_kwargs = {"reason": {"required": True, "allow_blank": False}}


class ClearanceFilterSet(SiaFilterSet):
    application = ModelMultipleChoiceFilter(field_name="application", queryset=scoped(Application),
                                            label=_("Aplikasi"))

    class Meta:
        model = Clearance
        fields = ["application", "decision"]


class ClearanceViewSet(SiaModelViewSet):
    """Clearances of to-be new applications: the verifikator and admins of the instansi record them."""

    queryset = Clearance.objects.select_related("application", "reused_application", "reused_national", "decided_by")
    serializer_class = ClearanceSerializer
    filterset_class = ClearanceFilterSet

    def _record(self, serializer, application):
        data = {**{"reused_application": None, "reused_national": None},
                **({} if serializer.instance is None else {
                    "decision": serializer.instance.decision, "reason": serializer.instance.reason,
                    "reused_application": serializer.instance.reused_application,
                    "reused_national": serializer.instance.reused_national}),
                **serializer.validated_data}
        try:
            serializer.instance = rules.record(
                application, self.request.user, decision=data["decision"], reason=data["reason"],
                reused_application=data["reused_application"], reused_national=data["reused_national"],
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None

    def perform_create(self, serializer):
        application = serializer.validated_data["application"]
        if Clearance.objects.filter(application=application).exists():
            raise serializers.ValidationError(
                {"application": [_("Aplikasi ini sudah memiliki kliring; ubah yang ada.")]})
        self._record(serializer, application)

    def save_update(self, serializer):
        application = serializer.validated_data.get("application", serializer.instance.application)
        if application.pk != serializer.instance.application_id:
            raise serializers.ValidationError({"application": [_("Kliring tidak dapat dipindahkan ke aplikasi lain.")]})
        self._record(serializer, application)

"""API of application integrations: ``/api/architecture/application-integrations/``.

``source`` and ``target`` take an ID or an application's code (``"AP-DINKES-001"``); a code is looked
up in the source application's instansi (codes repeat across instansi). Validation is the model's
``clean()``, as on the web form; who may write is ``IntegrationPolicy`` (the source application's
writers).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.core.api.views import SiaModelViewSet

from ..integrations import IntegrationFilterSet, integration_queryset
from ..models import Application, ApplicationIntegration
from .serializers import KeysOfOwnInstitution

APPLICATION_KEY_HELP = _("ID atau kode aplikasi (mis. AP-DINKES-001); kode dicari di instansi aplikasi sumber.")


class ApplicationIntegrationSerializer(KeysOfOwnInstitution, SiaModelSerializer):
    institution = RelatedObjectField(read_only=True)
    source = RelatedObjectField(queryset=Application.objects.all(), natural_key="code", help_text=APPLICATION_KEY_HELP)
    target = RelatedObjectField(queryset=Application.objects.all(), natural_key="code", help_text=APPLICATION_KEY_HELP)

    key_owner_field = "source"  # codes name applications of the source's instansi

    class Meta:
        model = ApplicationIntegration
        fields = ["id", "url", "display", "institution", "source", "target", "direction", "channel", "data_exchanged",
                  "description", "created", "updated"]
        validators = []  # the pair's uniqueness is the model's constraint, reported by full_clean() on ``target``

    def scope_natural_keys(self, queryset):
        institution_id = getattr(self, "_key_institution_id", None)
        return queryset if institution_id is None else queryset.filter(institution_id=institution_id)

    def validate_source(self, value):
        if self.instance is not None and value != self.instance.source:
            raise serializers.ValidationError(
                _("Aplikasi sumber tidak dapat diganti; hapus integrasi ini dan catat yang baru.")
            )
        return value


class ApplicationIntegrationViewSet(SiaModelViewSet):
    """Integrasi Aplikasi: an integration between two applications of one instansi (ArchiMate flow),
    with its direction, channel (SPLP or direct) and the data exchanged."""

    queryset = integration_queryset()
    serializer_class = ApplicationIntegrationSerializer
    filterset_class = IntegrationFilterSet

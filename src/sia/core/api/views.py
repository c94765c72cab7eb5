from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from sia.core import permissions


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class SiaModelViewSet(viewsets.ModelViewSet):
    """CRUD through the permission module: scoped lists, checked creates, protected deletes."""

    def get_queryset(self):
        return permissions.visible(self.request.user, super().get_queryset())

    def perform_create(self, serializer):
        instance = getattr(serializer, "validated_instance", None)
        if instance is None or not permissions.can(self.request.user, permissions.ADD, instance):
            raise PermissionDenied(_("Anda tidak berwenang menambah data ini di instansi/OPD tersebut."))
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        instance = getattr(serializer, "validated_instance", None)
        if instance is not None and not permissions.can(self.request.user, permissions.CHANGE, instance):
            raise PermissionDenied(_("Anda tidak berwenang memindahkan data ini ke instansi/OPD tersebut."))
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance):
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError:
            raise Conflict(_("Data ini masih memiliki data terkait dan tidak dapat dihapus; nonaktifkan saja."))


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    """Links to each app's API root (every SIA app that mounts one) and to the schema."""
    from django.apps import apps
    from django.urls import NoReverseMatch

    links = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("sia."):
            continue
        try:
            links[config.label] = reverse(f"{config.label}-api:api-root", request=request, format=format)
        except NoReverseMatch:
            continue
    links["schema"] = reverse("api-schema", request=request, format=format)
    links["docs"] = reverse("api-docs", request=request, format=format)
    return Response(links)


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, get the API token (created on first request). Failed attempts
    count towards the same login lockout as the sign-in page."""


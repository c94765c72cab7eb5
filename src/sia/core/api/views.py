from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from sia.core import paging, permissions

from .versions import VersionedUpdateMixin


DEFAULT_FILTERS = list(api_settings.DEFAULT_FILTER_BACKENDS)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class SiaModelViewSet(VersionedUpdateMixin, viewsets.ModelViewSet):
    """CRUD through the permission module: scoped lists, checked creates, protected deletes; updates
    of a model with a version need the version the client read (``sia.core.api.versions``)."""

    def get_queryset(self):
        return permissions.visible(self.request.user, super().get_queryset())

    def filter_queryset(self, queryset):
        """One object's request (GET, PUT, PATCH, DELETE, a POST action) without a query string skips the filter
        backends: with no parameter no filter narrows anything (django-filter still built its form and every choice
        queryset), and ordering does not change one row. The scope stays in ``get_queryset``: an object outside it
        is still a 404. With a query string the filters run as on a list (a bad value is a 400)."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup in self.kwargs and not self.request.query_params and self.filter_backends == DEFAULT_FILTERS:
            return queryset
        if lookup not in self.kwargs and self.unfiltered_list():
            return queryset
        return super().filter_queryset(queryset)

    def unfiltered_list(self) -> bool:
        """A list asked for with no parameter but paging (``limit``, ``offset``): as with one object, no filter narrows
        anything (django-filter read every empty value, building its form and choice querysets, a tenth of a list's
        CPU) and ordering keeps the queryset's own (no viewset sets a default ``ordering``). A viewset with other
        backends, or a default ordering, filters as always."""
        if self.filter_backends != DEFAULT_FILTERS or getattr(self, "ordering", None) is not None:
            return False
        paging = {getattr(self.paginator, "limit_query_param", None), getattr(self.paginator, "offset_query_param", None)}
        return all(name in paging for name in self.request.query_params)

    def paginate_queryset(self, queryset):
        """A page of the reader's rows, read part by part where their rule is an OR (``sia.core.paging``)."""
        return super().paginate_queryset(paging.paged(queryset, self.request.user))

    def perform_create(self, serializer):
        instance = getattr(serializer, "validated_instance", None)
        if instance is None or not permissions.can(self.request.user, permissions.ADD, instance):
            raise PermissionDenied(_("Anda tidak berwenang menambah data ini di instansi/OPD tersebut."))
        with transaction.atomic():
            serializer.save()

    def perform_update(self, serializer):
        field = self.version_field()
        if field is not None:
            serializer.validated_data.pop(field, None)
        with transaction.atomic():
            current = self.check_version(serializer.instance)
            if current is not None:
                setattr(serializer.instance, field, current + 1)
            self.save_update(serializer)

    def save_update(self, serializer):
        """Saves a checked update: the edited object must still be one the user may change."""
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


class ObtainTokenSerializer(AuthTokenSerializer):
    name = serializers.CharField(
        required=False, max_length=100, write_only=True,
        help_text=_("Nama token (bawaan “API”); token lama Anda dengan nama yang sama dicabut."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Kunci token; hanya ditampilkan sekali ini."))
    name = serializers.CharField()
    expiry = serializers.DateTimeField(help_text=_("Token tidak berlaku lagi setelah waktu ini."))


class LockedOutSerializer(serializers.Serializer):
    detail = serializers.CharField()
    retry_after = serializers.IntegerField(allow_null=True, help_text=_("Detik sampai boleh mencoba lagi (juga di header Retry-After)."))


class ObtainTokenView(APIView):
    """POST username and password, get a new API token that expires after ``SIA_API_TOKEN_DAYS`` days.
    Failed attempts count towards the same lockout as the sign-in page; while locked the answer is
    429 with ``Retry-After``."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    serializer_class = ObtainTokenSerializer

    @extend_schema(
        request=ObtainTokenSerializer,
        responses={200: TokenSerializer, 400: OpenApiResponse(description=_("Nama pengguna atau sandi salah.")),
                   429: LockedOutSerializer},
        auth=[],
    )
    def post(self, request):
        from sia.core.tokens import issue_token

        serializer = ObtainTokenSerializer(data=request.data, context={"request": request, "view": self})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return _locked_out(request)
            raise ValidationError(serializer.errors)
        token, key = issue_token(serializer.validated_data["user"], serializer.validated_data.get("name", ""))
        return Response(TokenSerializer({"token": key, "name": token.name, "expiry": token.expiry}).data)


def _locked_out(request) -> Response:
    """429 for a request the login lockout (django-axes) refused, with the cool-off as Retry-After."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    if seconds:
        detail = _("Terlalu banyak percobaan masuk yang gagal; akun ini dikunci sementara. Coba lagi dalam "
                   "%(minutes)d menit.") % {"minutes": max(1, -(-seconds // 60))}
    else:
        detail = _("Terlalu banyak percobaan masuk yang gagal; akun ini dikunci. Hubungi admin instansi.")
    response = Response({"detail": detail, "retry_after": seconds}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


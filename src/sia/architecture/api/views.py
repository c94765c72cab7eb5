from collections import defaultdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch, ProtectedError
from django.utils.translation import gettext as _, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.core import permissions
from sia.core.api.fields import held_attr
from sia.core.api.views import Conflict, SiaModelViewSet

from .. import completeness, usage, workflow
from ..editing import Edit, Outcome
from ..filtersets import filterset_for
from ..models import ValueListItem
from ..views import lean, list_queryset
from ..held import by_id, keepable, load_held
from .incoming import detail_serializer_for
from .serializers import ReviewEventSerializer, TransitionSerializer, ValueListItemSerializer, serializer_for


CONFLICT = OpenApiResponse(description=gettext_lazy(
    "Status objek baru saja diubah pengguna lain di antara baca dan tindakan ini; muat ulang lalu ulangi bila masih "
    "perlu."))

# The links an API list joins (every row has them); the others are read per page by ID (``load_links``).
JOINED = ("institution", "department", "reference")


def load_links(rows: list, fields: list) -> None:
    """The objects the foreign keys ``fields`` of ``rows`` point to, read with one query per linked model (the value
    lists' several fields in one; SQL compiled once, ``held.by_id``) and kept on the rows as if joined."""
    wanted = defaultdict(set)
    for field in fields:
        for row in rows:
            value = getattr(row, field.attname)
            if value is not None:
                wanted[field.related_model].add(value)
    found = {model: by_id(model, ids) for model, ids in wanted.items()}
    for field in fields:
        for row in rows:
            value = getattr(row, field.attname)
            field.set_cached_value(row, found[field.related_model].get(value) if value is not None else None)


class ArchitectureViewSet(SiaModelViewSet):
    """CRUD of one architecture domain with its review workflow as POST actions."""

    model = None
    action_permissions = {"submit": "view", "return_": "view", "verify": "view", "validate": "view", "comments": "view"}

    def get_queryset(self):
        """The rows with what the serializer renders of them. A list joins the OPD, the reference and the instansi
        (every row has them) and reads every other link of the page afterwards, one query per linked model
        (``paginate_queryset``): joining every foreign key made a ~12-table join whose planning cost more than
        reading the page. One object does the same (``get_object``): PostgreSQL took 7 ms to plan the join of an
        application's eight tables, and 0.15 ms to run it."""
        rendered = set(serializer_for(self.model).Meta.fields)
        forward = [f for f in self.model._meta.concrete_fields if f.is_relation and f.name in rendered]
        queryset = list_queryset(self.model).select_related(*(f.name for f in forward if f.name in JOINED))
        if self.action == "list":
            queryset = lean(queryset)
        joined = queryset.query.select_related
        joined = set(joined) if isinstance(joined, dict) else set()
        self.page_links = [f for f in forward if f.name not in joined]
        self.page_held = []
        for field in self.model._meta.many_to_many:
            # A list keeps each link's objects in a plain list (``held``): Django's prefetch into the related
            # manager made a manager and a filtered queryset per row and link (600 on a page of applications),
            # the garbage of which set off the slow full collections behind the list's p95. A page, and one
            # object's GET, read them themselves (``held.load_held``: SQL compiled once per link); anything else
            # (a write's answer, whose links the write may have changed) through a prefetch.
            held_here = self.action == "retrieve" or (self.action == "list" and self.paginator is not None)
            if held_here and keepable(field):
                self.page_held.append(field)
                continue
            queryset = queryset.prefetch_related(
                Prefetch(field.name, to_attr=held_attr(field.name)) if self.action == "list" else field.name)
        self.queryset = queryset
        return super().get_queryset()

    def get_object(self):
        """One object with its links read as a list's rows have them: the objects its other foreign keys point to
        (``load_links``) and, for a GET, its many-to-many links (``held.load_held``), not by prefetch."""
        obj = super().get_object()
        load_links([obj], self.page_links)
        if self.action == "retrieve":
            load_held([obj], self.page_held, links_only=True)
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            load_links(page, getattr(self, "page_links", []))
            load_held(page, getattr(self, "page_held", []), links_only=True)  # shown only as links
        return page

    def get_serializer_class(self):
        """One object's GET adds ``incoming_links`` (the objects linking to it); lists do without."""
        base = super().get_serializer_class()
        return detail_serializer_for(self.model, base) if self.action == "retrieve" else base

    def perform_create(self, serializer):
        instance = getattr(serializer, "validated_instance", None)
        edit = Edit(instance, self.request.user) if instance is not None else None
        if edit is None or not edit.may_save():
            raise PermissionDenied(_("Anda tidak berwenang menambah data ini di instansi/OPD tersebut."))
        serializer.instance = edit.save(instance, self._links(serializer)).obj

    def perform_update(self, serializer):
        edit = Edit(serializer.instance, self.request.user)
        edited = serializer.validated_instance
        if not edit.may_save(edited):
            raise PermissionDenied(_("Anda tidak berwenang memindahkan data ini ke instansi/OPD tersebut."))
        # The version is the one the client read (body or If-Match, checked by get_object); saved as the next one.
        result = edit.save(edited, self._links(serializer), getattr(self, "sent_versions", set()))
        if result.outcome == Outcome.CONFLICT:
            self._stale(result.current.lock_version, getattr(self, "sent_versions", set()))  # 409
        # Outcome.UNCHANGED: nothing to save, a reviewed object stays reviewed.

    @extend_schema(responses={204: None, 409: OpenApiResponse(description=_(
        "Masih dipakai objek lain: “used_by” (yang boleh Anda lihat) dan “hidden_count” (sisanya)."))})
    def destroy(self, request, *args, **kwargs):
        """Deletes only an object no other object links to; else 409 with what still uses it."""
        try:
            return super().destroy(request, *args, **kwargs)
        except usage.InUse as refused:
            body = {"detail": _("Data ini masih dipakai objek lain dan tidak dapat dihapus; lepaskan tautannya "
                                "lebih dahulu atau nonaktifkan saja.")}
            return Response({**body, **usage.describe(refused.holders, request.user)}, status=409)

    def perform_destroy(self, instance):
        try:
            usage.delete(instance)
        except ProtectedError:
            raise Conflict(_("Data ini masih memiliki data terkait dan tidak dapat dihapus; nonaktifkan saja."))

    def _links(self, serializer) -> dict:
        return {f.name: serializer.validated_data[f.name] for f in self.model._meta.many_to_many
                if f.name in serializer.validated_data}

    def _transition(self, request, pk, name):
        obj = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            event = workflow.apply(obj, name, request.user, payload.validated_data["comment"])
        except workflow.StaleTransition as error:
            raise Conflict(" ".join(error.messages))
        except workflow.TransitionError as error:
            raise ValidationError({"detail": error.messages})
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None)
        return Response({"status": obj.status, "lock_version": obj.lock_version,
                         "event": ReviewEventSerializer(event).data})

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru"), 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Ajukan: draft or returned -> diajukan (operator of the OPD, admin)."""
        return self._transition(request, pk, workflow.A.SUBMIT)

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru"), 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Kembalikan with a required comment: diajukan/diverifikasi -> dikembalikan (verifikator, admin)."""
        return self._transition(request, pk, workflow.A.RETURN)

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru"), 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verifikasi: diajukan -> diverifikasi (verifikator, admin)."""
        return self._transition(request, pk, workflow.A.VERIFY)

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru"), 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Validasi (publish): diverifikasi -> divalidasi (admin instansi)."""
        return self._transition(request, pk, workflow.A.VALIDATE)

    @extend_schema(request=TransitionSerializer, responses={200: ReviewEventSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        """The review conversation; POST adds a comment without a transition."""
        obj = self.get_object()
        if not permissions.can(request.user, permissions.HISTORY, obj):
            raise PermissionDenied()
        if request.method == "POST":
            payload = TransitionSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            try:
                workflow.comment(obj, request.user, payload.validated_data["comment"])
            except workflow.TransitionError as error:
                raise ValidationError({"comment": error.messages})
            except DjangoPermissionDenied:
                raise PermissionDenied()
        return Response(ReviewEventSerializer(workflow.conversation(obj), many=True).data)


def viewset_for(model):
    return type(
        f"{model.__name__}ViewSet",
        (ArchitectureViewSet,),
        {
            "model": model,
            "queryset": model.objects.all(),
            "serializer_class": serializer_for(model),
            "filterset_class": filterset_for(model),
            "__doc__": f"{model._meta.verbose_name_plural}: {model.__doc__}",
        },
    )


class ValueListItemViewSet(SiaModelViewSet):
    queryset = ValueListItem.objects.select_related("institution")
    serializer_class = ValueListItemSerializer
    filterset_fields = ["kind", "institution", "is_active"]


class CompletenessKindSerializer(drf_serializers.Serializer):
    count = drf_serializers.IntegerField()
    percent = drf_serializers.IntegerField(allow_null=True)
    warnings = drf_serializers.ListField(child=drf_serializers.CharField())


class CompletenessCellSerializer(CompletenessKindSerializer):
    kinds = drf_serializers.DictField(child=CompletenessKindSerializer())  # by the kind's domain slug


class CompletenessRowSerializer(drf_serializers.Serializer):
    department = drf_serializers.DictField()
    domains = drf_serializers.DictField(child=CompletenessCellSerializer())  # by kind group slug


class CompletenessView(APIView):
    """Per OPD and kind group (keyed by the group's slug; a domain of one kind: its own slug): number of
    objects, share of required fields filled, validation warnings, and the same per kind under ``kinds``."""

    @extend_schema(responses=CompletenessRowSerializer(many=True))
    def get(self, request):
        return Response(completeness.api_rows(completeness.table_for(request.user)))

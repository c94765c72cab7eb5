from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from sia.core import permissions
from sia.core.api.views import SiaModelViewSet

from .. import changes, completeness, workflow
from ..filtersets import filterset_for
from ..models import ValueListItem
from ..views import list_queryset
from .serializers import ReviewEventSerializer, TransitionSerializer, ValueListItemSerializer, serializer_for


class ArchitectureViewSet(SiaModelViewSet):
    """CRUD of one architecture domain with its review workflow as POST actions."""

    model = None
    action_permissions = {"submit": "view", "return_": "view", "verify": "view", "validate": "view", "comments": "view"}

    def get_queryset(self):
        forward = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        queryset = list_queryset(self.model).select_related(*forward)
        for field in self.model._meta.many_to_many:
            queryset = queryset.prefetch_related(field.name)
        self.queryset = queryset
        return super().get_queryset()

    def perform_create(self, serializer):
        super().perform_create(serializer)
        workflow.record_creation(serializer.instance, self.request.user)
        changes.note_creation_links([serializer.instance])

    def perform_update(self, serializer):
        instance = serializer.instance
        user = self.request.user
        serializer.validated_data.pop("lock_version", None)  # checked by check_version, saved as the next one
        before = changes.snapshot(instance)
        hidden = changes.hidden_links(instance, user)
        m2m_names = {f.name for f in self.model._meta.many_to_many}
        links = {}
        for name in m2m_names & set(serializer.validated_data):
            ids = changes.pks(serializer.validated_data[name]) | hidden.get(name, set())
            links[name] = ids
            related = self.model._meta.get_field(name).related_model
            serializer.validated_data[name] = list(related._default_manager.filter(pk__in=ids))
        with transaction.atomic():
            current = self.check_version(instance)  # 409 unless the client read the stored version
            if not changes.changed(before, serializer.validated_instance, links):
                return  # nothing to save: a reviewed object stays reviewed
            changes.stamp_edit(instance, before, links, current, user)
            self.save_update(serializer)

    def _transition(self, request, pk, name):
        obj = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            event = workflow.apply(obj, name, request.user, payload.validated_data["comment"])
        except workflow.TransitionError as error:
            raise ValidationError({"detail": error.messages})
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error) or None)
        return Response({"status": obj.status, "lock_version": obj.lock_version,
                         "event": ReviewEventSerializer(event).data})

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru")})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Ajukan: draft or returned -> diajukan (operator of the OPD, admin)."""
        return self._transition(request, pk, workflow.A.SUBMIT)

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru")})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Kembalikan with a required comment: diajukan/diverifikasi -> dikembalikan (verifikator, admin)."""
        return self._transition(request, pk, workflow.A.RETURN)

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru")})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Verifikasi: diajukan -> diverifikasi (verifikator, admin)."""
        return self._transition(request, pk, workflow.A.VERIFY)

    @extend_schema(request=TransitionSerializer, responses={200: OpenApiResponse(description="Status baru")})
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


class CompletenessCellSerializer(drf_serializers.Serializer):
    count = drf_serializers.IntegerField()
    percent = drf_serializers.IntegerField(allow_null=True)
    warnings = drf_serializers.ListField(child=drf_serializers.CharField())


class CompletenessRowSerializer(drf_serializers.Serializer):
    department = drf_serializers.DictField()
    domains = drf_serializers.DictField(child=CompletenessCellSerializer())


class CompletenessView(APIView):
    """Per OPD and domain: number of objects, share of required fields filled, validation warnings."""

    @extend_schema(responses=CompletenessRowSerializer(many=True))
    def get(self, request):
        table = completeness.table_for(request.user)
        rows = []
        for department, cells in table.rows:
            rows.append({
                "department": {"id": department.pk, "abbreviation": department.abbreviation, "display": str(department)},
                "domains": {
                    model.spec.slug: {"count": cell.count, "percent": cell.percent, "warnings": cell.warnings}
                    for model, cell in zip(table.domains, cells)
                },
            })
        return Response(rows)

from django.utils.translation import gettext as _
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.organizations.models import Department, Institution
from sia.reference.models import ReferenceNode

from .. import scopes
from ..models import ReviewEvent, ValueListItem


class ArchitectureObjectSerializer(SiaModelSerializer):
    """Common fields of every domain; links are lists of IDs on input and small objects on output."""

    institution = RelatedObjectField(read_only=True)
    department = RelatedObjectField(queryset=Department.objects.all(), natural_key="abbreviation")
    reference = RelatedObjectField(
        queryset=ReferenceNode.objects.current(), natural_key="code", allow_null=True, required=False
    )
    lock_version = serializers.IntegerField(
        required=False,
        help_text="Versi yang dibaca (juga ETag jawaban GET). Wajib saat mengubah (PUT/PATCH), kecuali dikirim sebagai "
                  "header If-Match; tanpa keduanya 428, bila berbeda dengan versi tersimpan 409.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.validated_instance
        errors = {}
        for field in self.Meta.model._meta.many_to_many:
            if field.name in attrs:
                problems = instance.link_problems(field.name, attrs[field.name])
                if problems:
                    errors[field.name] = problems
        if errors:
            raise serializers.ValidationError(errors)
        for name in scopes.department_fields(self.Meta.model):
            # clean() fills an empty produsen/walidata OPD in from its unit: save what it decided.
            if name not in attrs and name in self.fields and getattr(instance, f"{name}_id") and (
                self.instance is None or getattr(self.instance, f"{name}_id") != getattr(instance, f"{name}_id")
            ):
                attrs[name] = getattr(instance, name)
        return attrs

    def full_clean_exclude(self):
        return ["lock_version"]

    def validate_department(self, value):
        if self.instance is not None and value != self.instance.department:
            raise serializers.ValidationError(
                _("OPD pemilik tidak dapat dipindahkan; buat objek baru di OPD tujuan lalu hapus yang lama.")
            )
        return value


_serializers: dict = {}

COMMON = ["id", "url", "display", "institution", "department", "code", "name", "description", "reference", "period",
          "state", "status", "lock_version"]


def serializer_for(model):
    if model not in _serializers:
        fields = COMMON + list(model.spec.form_fields)
        extra_read_only = [f.name for f in model._meta.concrete_fields if not f.editable and f.name in fields]
        fields += [f.name for f in model._meta.concrete_fields if not f.editable and f.name not in COMMON
                   and f.name not in ("institution", "created", "updated", "id")]
        meta = type("Meta", (), {
            "model": model, "fields": fields + ["created", "updated"],
            "read_only_fields": ["status"] + extra_read_only,
        })
        attrs = {"Meta": meta}
        for name, catalog, _min, _max in model.spec.reference_fields:
            attrs[name] = RelatedObjectField(
                queryset=ReferenceNode.objects.current().of_catalog(catalog), natural_key="code", allow_null=True,
                required=False,
            )
        _serializers[model] = type(f"{model.__name__}Serializer", (ArchitectureObjectSerializer,), attrs)
    return _serializers[model]


class ReviewEventSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField()

    class Meta:
        model = ReviewEvent
        fields = ["id", "action", "from_status", "to_status", "comment", "user", "created"]


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ValueListItemSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")

    class Meta:
        model = ValueListItem
        fields = ["id", "url", "display", "institution", "kind", "name", "order", "is_active", "created", "updated"]

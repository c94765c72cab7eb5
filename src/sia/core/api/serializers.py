import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core import permissions

from .fields import RelatedObjectField, api_detail_url


class SiaModelSerializer(serializers.ModelSerializer):
    """Every serializer starts with ``id, url, display`` and ends with ``created, updated``.

    Validation runs the model's own ``full_clean()``: the rules forms and importers apply.
    """

    url = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()
    serializer_related_field = RelatedObjectField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return
        for field in self.fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None and not getattr(target, "read_only", False):
                try:
                    target.queryset = permissions.choices(user, queryset)
                except LookupError:
                    pass

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj):
        return api_detail_url(obj, self.context.get("request"))

    def get_display(self, obj) -> str:
        return str(obj)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {f.name for f in model._meta.many_to_many}
        for key, value in attrs.items():
            if key not in many_to_many:
                setattr(instance, key, value)
        try:
            instance.full_clean(exclude=self.full_clean_exclude())
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            )
        self.validated_instance = instance
        return attrs

    def full_clean_exclude(self):
        return []

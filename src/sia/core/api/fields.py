from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def api_detail_url(obj, request=None):
    meta = obj._meta
    try:
        url = reverse(f"{meta.app_label}-api:{meta.model_name}-detail", args=[obj.pk])
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(url) if request else url


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "ID"},
            {"type": "string", "description": "natural key"},
            {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "url": {"type": "string", "format": "uri", "nullable": True},
                    "display": {"type": "string"},
                },
            },
        ]
    }
)
class RelatedObjectField(serializers.PrimaryKeyRelatedField):
    """Writes as an ID or a natural key; reads as ``{id, url, display}``.

    The serializer narrows its queryset to what the requesting user may see, so an ID of
    another instansi's object is refused as "does not exist".
    """

    def __init__(self, *args, natural_key: str | None = None, **kwargs):
        self.natural_key = natural_key
        super().__init__(*args, **kwargs)

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = data.get("id")
        if self.natural_key and isinstance(data, str):
            queryset = self.get_queryset()
            match = queryset.filter(**{self.natural_key: data.strip()}).first()
            if match is not None:
                return match
            if not data.strip().isdigit():
                self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)

    def to_representation(self, value):
        return {"id": value.pk, "url": api_detail_url(value, self.context.get("request")), "display": str(value)}

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core.api.serializers import SiaModelSerializer

from ..models import Notification, NotificationPreference


class NotificationSerializer(SiaModelSerializer):
    kind_label = serializers.SerializerMethodField()
    target_type = serializers.SerializerMethodField()
    target_id = serializers.IntegerField(source="object_id", read_only=True)
    link = serializers.CharField(source="url", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "url", "display", "kind", "kind_label", "message", "link", "target_type", "target_id",
                  "institution", "is_read", "read_at", "emailed_at", "created", "updated"]
        read_only_fields = fields

    def get_kind_label(self, obj) -> str:
        return str(obj.kind_label)

    @extend_schema_field(serializers.CharField())
    def get_target_type(self, obj) -> str:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_id(obj.content_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def get_is_read(self, obj) -> bool:
        return obj.read_at is not None


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True)


class NotificationPreferenceSerializer(SiaModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = NotificationPreference
        fields = ["id", "url", "display", "user", "delivery", "created", "updated"]

    def full_clean_exclude(self):
        return ["user"]

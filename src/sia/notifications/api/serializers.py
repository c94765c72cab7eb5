from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core.api.serializers import SiaModelSerializer

from ..models import Notification, NotificationPreference


class NotificationListSerializer(serializers.ListSerializer):
    """Asks once for the whole page which targets the caller may still see (one query per model of target)."""

    def to_representation(self, data):
        from .. import services

        rows = list(data.all() if hasattr(data, "all") else data)
        request = self.context.get("request")
        self.shown = services.visible_targets(request.user, rows) if request is not None else set()
        return super().to_representation(rows)


class NotificationSerializer(SiaModelSerializer):
    """A notification; its ``message`` (a reviewer's comment, the object's name) and ``link`` are empty once the
    caller may no longer see the target (``target_visible`` false), as in the notification centre."""

    kind_label = serializers.SerializerMethodField()
    target_type = serializers.SerializerMethodField()
    target_id = serializers.IntegerField(source="object_id", read_only=True)
    link = serializers.CharField(source="url", read_only=True)
    is_read = serializers.SerializerMethodField()
    target_visible = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "url", "display", "kind", "kind_label", "message", "link", "target_type", "target_id",
                  "target_visible", "institution", "is_read", "read_at", "emailed_at", "created", "updated"]
        read_only_fields = fields
        list_serializer_class = NotificationListSerializer

    def get_target_visible(self, obj) -> bool:
        shown = getattr(self.parent, "shown", None)
        if shown is None:  # one notification (retrieve, mark-read): asked for it alone
            from .. import services

            request = self.context.get("request")
            shown = services.visible_targets(request.user, [obj]) if request is not None else set()
        return obj.pk in shown

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not data["target_visible"]:
            data["message"] = data["link"] = ""
            data["display"] = str(instance.kind_label)
        return data

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

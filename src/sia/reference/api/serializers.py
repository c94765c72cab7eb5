from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.organizations.models import Institution

from ..choices import Completeness
from ..models import Catalog, CatalogVersion, ReferenceNode


class CatalogSerializer(SiaModelSerializer):
    """One of the six national reference architectures (RAB, RAL, RAD, RAA, RAI, RAK)."""

    current_version = serializers.SerializerMethodField()

    class Meta:
        model = Catalog
        fields = ["id", "url", "display", "code", "name", "domain", "level_names", "description", "current_version",
                  "created", "updated"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_current_version(self, obj):
        current = getattr(obj, "current_versions", None)
        if current is not None:
            return current[0].pk if current else None
        version = obj.versions.filter(is_current=True).first()
        return version.pk if version else None


class CatalogVersionSerializer(SiaModelSerializer):
    """A version of a catalog's codes; ``is_partial`` marks catalogs known only in part."""

    catalog = RelatedObjectField(read_only=True)
    node_count = serializers.SerializerMethodField(help_text=_("Jumlah simpul nasional."))
    is_partial = serializers.BooleanField(read_only=True)

    class Meta:
        model = CatalogVersion
        fields = [
            "id", "url", "display", "catalog", "name", "source", "effective_date", "status", "completeness",
            "is_partial", "notes", "is_current", "node_count", "content_hash", "published_at", "created", "updated",
        ]
        read_only_fields = ["status", "is_current", "content_hash", "published_at"]


    def get_node_count(self, obj) -> int:
        count = getattr(obj, "node_count", None)
        return count if count is not None else obj.nodes.filter(institution__isnull=True).count()


class PathStepSerializer(serializers.Serializer):
    """One node on the path from level 1 down to a node."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ReferenceNodeSerializer(SiaModelSerializer):
    """National nodes are read-only; an instansi adds its own nodes under ``parent`` (the deepest national
    node or one of its own), or without ``parent`` at the top of a catalog without national codes (RAK)."""

    version = RelatedObjectField(read_only=True)
    catalog = serializers.SerializerMethodField()
    parent = RelatedObjectField(
        queryset=ReferenceNode.objects.order_by("-version__is_current", "-version_id"), natural_key="code",
        help_text=_("ID atau kode induk (kode dicari di versi berlaku lebih dahulu); kosong untuk simpul teratas katalog tanpa kode nasional (RAK)."),
        required=False, allow_null=True,
    )
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")
    path = serializers.SerializerMethodField()

    class Meta:
        model = ReferenceNode
        fields = [
            "id", "url", "display", "catalog", "version", "code", "level", "parent", "name", "description", "source",
            "institution", "path", "created", "updated",
        ]
        read_only_fields = ["level", "source"]

    def get_catalog(self, obj) -> str:
        return obj.catalog_code

    @extend_schema_field(PathStepSerializer(many=True))
    def get_path(self, obj):
        return [{"id": step.pk, "code": step.code, "name": step.name} for step in obj.path]

    def validate(self, attrs):
        parent = attrs.get("parent")
        if parent is not None:
            attrs["version"] = parent.version
        elif self.instance is None:
            from ..forms import top_level_version

            version = top_level_version(attrs.get("code", ""))
            if version is None:
                raise serializers.ValidationError({"parent": _("Induk wajib diisi untuk simpul instansi.")})
            attrs["version"] = version  # the top of a catalog; the model refuses it where national codes exist
        institution = attrs.get("institution", getattr(self.instance, "institution", None))
        if institution is None:
            raise serializers.ValidationError({"institution": _("Simpul yang ditambahkan lewat API milik satu instansi.")})
        if self.instance is not None:
            for key in ("parent", "institution"):
                if key in attrs and attrs[key] != getattr(self.instance, key):
                    raise serializers.ValidationError({key: _("Induk dan instansi simpul tidak dapat dipindahkan.")})
        return super().validate(attrs)


class MappedEntrySerializer(serializers.Serializer):
    """An architecture entry (proses bisnis, layanan, data, ...) whose reference is the node."""

    domain = serializers.CharField(help_text=_("Nama sumber API domainnya, mis. business-processes."))
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.URLField(allow_null=True)
    status = serializers.CharField(help_text=_("Status review entri."))


class LeftBehindNodeSerializer(serializers.Serializer):
    """An instansi node of the replaced version that could not be carried to the new one."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    institution = serializers.CharField()


def left_behind(carry_over) -> list[dict]:
    nodes = carry_over.left_behind if carry_over is not None else []
    return [{"id": n.pk, "code": n.code, "name": n.name, "institution": str(n.institution)} for n in nodes]


class PublishResultSerializer(CatalogVersionSerializer):
    """The version now in force, with what happened to the instansi nodes of the version it replaced."""

    # A plain string: the version's status enum stays a single schema component (``published`` here).
    status = serializers.CharField(read_only=True, help_text=_("Status versi: selalu published setelah diterbitkan."))
    carried = serializers.SerializerMethodField(help_text=_("Jumlah simpul instansi yang dibawa ke versi ini."))
    not_carried = serializers.SerializerMethodField(
        help_text=_("Simpul instansi yang tidak dapat dibawa (induknya tidak ada di versi ini); tetap di versi lama.")
    )

    class Meta(CatalogVersionSerializer.Meta):
        fields = CatalogVersionSerializer.Meta.fields[:-2] + ["carried", "not_carried", "created", "updated"]

    def get_carried(self, obj) -> int:
        carry_over = getattr(obj, "carry_over", None)
        return len(carry_over.carried) if carry_over is not None else 0

    @extend_schema_field(LeftBehindNodeSerializer(many=True))
    def get_not_carried(self, obj):
        return left_behind(getattr(obj, "carry_over", None))


class CrosswalkSerializer(serializers.Serializer):
    """Nodes of a parallel catalog proposed for a node (RAB ↔ RAL ↔ RAD)."""

    source = ReferenceNodeSerializer(read_only=True)
    target = serializers.CharField()
    proposals = ReferenceNodeSerializer(many=True, read_only=True)


class ImportRequestSerializer(serializers.Serializer):
    """A CSV or Excel file of codes to publish as a new version of one catalog."""

    catalog = serializers.CharField(max_length=3, help_text=_("Kode katalog: RAB, RAL, RAD, RAA, RAI atau RAK."))
    file = serializers.FileField(help_text=_("CSV (UTF-8) atau Excel .xlsx dengan kolom code, name, description."))
    name = serializers.CharField(max_length=200, help_text=_("Nama versi baru."))
    source = serializers.CharField(required=False, allow_blank=True, default="")
    effective_date = serializers.DateField(required=False, allow_null=True, default=None)
    completeness = serializers.ChoiceField(choices=Completeness.choices, default=Completeness.COMPLETE)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(default=True, help_text=_("Salah: simpan sebagai draf, bukan versi berlaku."))

    def validate_catalog(self, value):
        catalog = Catalog.objects.filter(code=value.strip().upper()).first()
        if catalog is None:
            raise serializers.ValidationError(_("Katalog “%(code)s” tidak dikenal.") % {"code": value})
        return catalog


class ImportProblemSerializer(serializers.Serializer):
    """One problem of an imported file; line 0 concerns the whole file."""

    line = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """The preview or result of an import: problems, row counts and the version written or matched."""

    valid = serializers.BooleanField()
    created = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    levels = serializers.DictField(child=serializers.IntegerField())
    problems = ImportProblemSerializer(many=True)
    version = CatalogVersionSerializer(allow_null=True)
    carried = serializers.IntegerField(help_text=_("Jumlah simpul instansi yang dibawa ke versi baru."))
    not_carried = LeftBehindNodeSerializer(
        many=True, help_text=_("Simpul instansi yang tidak dapat dibawa ke versi baru; tetap di versi lama.")
    )

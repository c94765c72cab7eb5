"""Serializers of the Peta Rencana SPBE: validation runs each model's ``full_clean()`` (``sia.roadmap.rules``), and
the links a model cannot check in ``clean()`` (units of a kegiatan, the object a gap link names) here, with the
same rules."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from sia.architecture.registry import domain_models
from sia.core import permissions
from sia.core.api.fields import RelatedObjectField, api_detail_url, link_reader
from sia.core.api.serializers import SiaModelSerializer
from sia.organizations.models import Department, Institution, WorkUnit

from .. import rules
from ..models import Activity, ActivityGap, ActivityYear, Initiative, Program, StrategicTarget


class StrategicTargetSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")

    class Meta:
        model = StrategicTarget
        fields = ["id", "url", "display", "institution", "period", "code", "name", "description", "order",
                  "created", "updated"]


class InitiativeSerializer(SiaModelSerializer):
    target = RelatedObjectField(queryset=StrategicTarget.objects.all())

    class Meta:
        model = Initiative
        fields = ["id", "url", "display", "target", "code", "name", "description", "created", "updated"]


class ProgramSerializer(SiaModelSerializer):
    initiative = RelatedObjectField(queryset=Initiative.objects.all())

    class Meta:
        model = Program
        fields = ["id", "url", "display", "initiative", "area", "code", "name", "description", "created", "updated"]


class ActivitySerializer(SiaModelSerializer):
    program = RelatedObjectField(queryset=Program.objects.all())
    department = RelatedObjectField(queryset=Department.objects.all(), natural_key="abbreviation")
    units = RelatedObjectField(queryset=WorkUnit.objects.all(), many=True, required=False)
    institution = RelatedObjectField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "url", "display", "institution", "program", "department", "units", "code", "name",
                  "description", "output", "start_year", "end_year", "progress", "status", "lock_version", "created", "updated"]
        read_only_fields = ["status", "lock_version"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "units" in attrs:
            errors = rules.unit_problems(self.validated_instance, attrs["units"])
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class ActivityYearSerializer(SiaModelSerializer):
    activity = RelatedObjectField(queryset=Activity.objects.all(), natural_key="code")

    class Meta:
        model = ActivityYear
        fields = ["id", "url", "display", "activity", "year", "budget", "source", "rka", "realisation", "done",
                  "created", "updated"]


class GapListSerializer(serializers.ListSerializer):
    """Decides which linked objects the reader may see in one batch per kind."""

    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        link_reader(self.context).prime([row.target for row in rows if row.target is not None])
        return super().to_representation(rows)


def kind_choices():
    return [(model.spec.slug, model._meta.verbose_name) for model in domain_models()]


class ActivityGapSerializer(SiaModelSerializer):
    """A gap a kegiatan closes, named by its kind (``aplikasi``, ``server``, ...) and ID."""

    activity = RelatedObjectField(queryset=Activity.objects.all(), natural_key="code")
    kind = serializers.ChoiceField(choices=(), help_text=_("Jenis objek arsitektur (slug), mis. aplikasi."))
    object_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    object = serializers.SerializerMethodField()

    class Meta:
        model = ActivityGap
        fields = ["id", "url", "display", "activity", "kind", "object_id", "object", "created", "updated"]
        list_serializer_class = GapListSerializer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    @extend_schema_field({"type": "object", "nullable": True, "properties": {
        "id": {"type": "integer"}, "url": {"type": "string", "nullable": True}, "display": {"type": "string"},
        "state": {"type": "string", "nullable": True}}})
    def get_object(self, obj):
        target = obj.target
        if target is None:
            return None
        if not link_reader(self.context).shows(target):
            return {"id": target.pk, "url": None, "display": str(permissions.HIDDEN), "state": None}
        return {"id": target.pk, "url": api_detail_url(target, self.context.get("request")), "display": str(target),
                "state": target.state}

    def get_display(self, obj) -> str:
        target = obj.target
        shown = target if target is not None and link_reader(self.context).shows(target) else permissions.HIDDEN
        return f"{obj.activity.code} → {shown}"

    def validate(self, attrs):
        kind = attrs.pop("kind", None)
        instance = self.instance
        if kind is not None:
            model = {m.spec.slug: m for m in domain_models()}[kind]
            attrs["content_type"] = ContentType.objects.get_for_model(model)
        content_type = attrs.get("content_type") or getattr(instance, "content_type", None)
        object_id = attrs.get("object_id", getattr(instance, "object_id", None))
        request = self.context.get("request")
        activity = attrs.get("activity")
        if instance is None and activity is not None and request is not None and not permissions.can_in(
                request.user, permissions.ADD, ActivityGap, activity.institution_id, activity.department_id):
            # Whoever may not write the kegiatan learns that first, not whether they see the object named.
            raise PermissionDenied(_("Anda tidak berwenang menambah data ini di instansi/OPD tersebut."))
        if content_type is not None and object_id is not None and request is not None:
            model = content_type.model_class()
            if not permissions.choices(request.user, model).filter(pk=object_id).exists():
                raise serializers.ValidationError(
                    {"object_id": [_("Tidak ada objek %(kind)s dengan ID %(id)s yang dapat Anda lihat.") % {
                        "kind": model._meta.verbose_name, "id": object_id}]})
        return super().validate(attrs)


# --- the figures of a roadmap (read-only) ---------------------------------------------------------

MONEY = {"max_digits": 20, "decimal_places": 2}


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display = serializers.CharField()


class FigureYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    budget_by_area = serializers.DictField(child=serializers.DecimalField(**MONEY),
                                           help_text=_("Pagu per area (slug area)."))
    budget = serializers.DecimalField(**MONEY, help_text=_("Jumlah pagu tahun ini."))
    rka = serializers.DecimalField(**MONEY, help_text=_("Jumlah RKA yang dimasukkan OPD."))
    aligned = serializers.DecimalField(**MONEY, help_text=_("RKA yang selaras: per tahun kegiatan, RKA sampai "
                                                            "sebesar pagunya."))
    share = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True,
                                     help_text=_("Bagian pagu yang tertutup RKA (0-1); kosong bila pagu 0."))
    planned = serializers.IntegerField(help_text=_("Tahun kegiatan yang direncanakan."))
    done = serializers.IntegerField(help_text=_("Tahun kegiatan yang selesai."))


class UnlinkedGapSerializer(serializers.Serializer):
    kind = serializers.SerializerMethodField()
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField()
    code = serializers.CharField()
    name = serializers.CharField()
    state = serializers.CharField()
    department = serializers.IntegerField(source="department_id")

    def get_kind(self, obj) -> str:
        return obj.spec.slug

    def get_url(self, obj) -> str | None:
        return api_detail_url(obj, self.context.get("request"))


class ActivityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    url = serializers.SerializerMethodField()
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.IntegerField(source="department_id")

    def get_url(self, obj) -> str | None:
        return api_detail_url(obj, self.context.get("request"))


class FiguresSerializer(serializers.Serializer):
    instansi = BriefSerializer()
    years = FigureYearSerializer(many=True)
    unlinked_gaps = UnlinkedGapSerializer(many=True, help_text=_("Gap yang belum ditutup kegiatan mana pun."))
    activities_without_gap = ActivityBriefSerializer(many=True, help_text=_("Kegiatan yang tidak menutup gap."))

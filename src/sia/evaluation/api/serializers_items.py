"""Serializers of evidence (bukti dukung) and evidence items (PermenPANRB 8/2026): a file or link on an indicator,
optionally on one of its items; the items of the instruments; their statuses per stage (read API and ``review-item``)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer

from ..choices import Stage
from ..evidence_items import item_by_code
from ..framework_loader import LEVEL_MAX, LEVEL_MIN
from ..models import Assessment, Evidence, EvidenceItem, EvidenceItemReview, Indicator, ItemStatus
from ..models.evidence import check_item
from ..uploads import attach_file, attach_url, check_evidence_upload


class EvidenceSerializer(SiaModelSerializer):
    assessment = RelatedObjectField(queryset=Assessment.objects.all())
    indicator = RelatedObjectField(queryset=Indicator.objects.all())
    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    file = serializers.FileField(
        write_only=True, required=False, help_text=_("PDF, PNG/JPEG atau dokumen Office; diperiksa dari isinya.")
    )
    link = serializers.URLField(
        source="url", max_length=500, required=False, allow_blank=True, help_text=_("Tautan, bila bukan berkas.")
    )
    item = serializers.CharField(
        source="item.code", required=False, allow_null=True, allow_blank=True, max_length=40,
        help_text=_("Kode butir bukti dukung indikator ini (PermenPANRB 8/2026, mis. I13-L2-02); kosong: tanpa butir."),
    )
    level = serializers.IntegerField(
        write_only=True, required=False, allow_null=True, min_value=LEVEL_MIN, max_value=LEVEL_MAX,
        help_text=_("Tingkat yang sedang didokumentasikan (opsional): butir tingkat lain ditolak."),
    )
    size = serializers.IntegerField(source="blob.size", read_only=True, allow_null=True)
    mime = serializers.CharField(source="blob.mime", read_only=True, allow_null=True)
    sha256 = serializers.CharField(source="blob.sha256", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()
    added_by = serializers.CharField(source="added_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = [
            "id", "url", "display", "assessment", "indicator", "indicator_number", "stage", "title", "file",
            "file_name", "original_name", "link", "item", "level", "size", "mime", "sha256", "download_url", "added_by", "created",
            "updated",
        ]
        read_only_fields = ["file_name", "original_name"]
        validators = []

    def get_download_url(self, obj) -> str:
        path = reverse("evaluation-api:evidence-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def _item(self, attrs):
        """``item`` as given ({"code": ...}) -> the EvidenceItem of the assessment's instrument (or None); its
        indicator is checked by ``Evidence.clean`` (another indicator's item refused naming the code)."""
        if "item" not in attrs:
            return
        code = ((attrs.pop("item") or {}).get("code") or "").strip()
        assessment = attrs.get("assessment") or getattr(self.instance, "assessment", None)
        if not code or assessment is None:
            attrs["item"] = None
            return
        try:
            attrs["item"] = item_by_code(assessment, code)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"item": error.messages})

    def _check_level(self, attrs, level):
        """The item given must be of the level the client documents (``level``), as in the items panel."""
        item = attrs.get("item")
        if item is None or level is None:
            return
        assessment = attrs.get("assessment") or getattr(self.instance, "assessment", None)
        indicator = attrs.get("indicator") or getattr(self.instance, "indicator", None)
        if assessment is None or indicator is None:
            return
        try:
            check_item(item, assessment, indicator, level)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None

    def validate(self, attrs):
        upload = attrs.pop("file", None)
        level = attrs.pop("level", None)
        self._item(attrs)
        self._check_level(attrs, level)
        if self.instance is not None:
            for key, name in (("assessment", "assessment"), ("indicator", "indicator"), ("url", "link")):
                if key in attrs and attrs[key] != getattr(self.instance, key):
                    raise serializers.ValidationError({name: _("Hanya judul bukti dukung yang dapat diubah.")})
            if upload is not None:
                raise serializers.ValidationError({"file": _("Berkas tidak dapat diganti; lampirkan bukti dukung baru.")})
            return super().validate(attrs)
        if bool(upload) == bool(attrs.get("url")):
            raise serializers.ValidationError({"file": _("Isi salah satu: unggah berkas atau tuliskan tautan.")})
        if upload is not None:
            try:
                check_evidence_upload(upload)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"file": error.messages})
            attrs["title"] = (attrs.get("title") or "").strip() or upload.name.rsplit(".", 1)[0]
        else:
            attrs["title"] = (attrs.get("title") or "").strip() or attrs["url"]
        assessment = attrs.get("assessment")
        if assessment is not None:
            attrs["stage"] = assessment.current_stage
        self._upload = upload
        return super().validate(attrs)

    def full_clean_exclude(self):
        return ["blob"] if getattr(self, "_upload", None) is not None else []

    def create(self, validated_data):
        user = getattr(self.context.get("request"), "user", None)
        assessment, indicator = validated_data["assessment"], validated_data["indicator"]
        try:
            if self._upload is not None:
                return attach_file(assessment, indicator, self._upload, user=user, title=validated_data["title"],
                                   item=validated_data.get("item"))
            return attach_url(assessment, indicator, validated_data["url"], user=user, title=validated_data["title"],
                              item=validated_data.get("item"))
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"file": error.messages}
            )


# --- actions ------------------------------------------------------------------------------------


class ItemReviewRequestSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=40, help_text=_("Kode butir bukti dukung, mis. I13-L2-02."))
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text=_("Catatan asesor; wajib untuk “perlu perbaikan”."))


class ItemReviewSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.code")
    indicator = serializers.IntegerField(source="item.indicator.number")
    stage = serializers.ChoiceField(choices=Stage.choices)
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    note = serializers.CharField()
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)



# --- evidence items and their statuses (read) ---------------------------------------------------


class EvidenceItemSerializer(SiaModelSerializer):
    """An evidence item a level of an indicator asks for (``I13-L2-01``), from the instrument's file."""

    framework = RelatedObjectField(read_only=True)
    indicator = RelatedObjectField(read_only=True)
    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)

    class Meta:
        model = EvidenceItem
        fields = ["id", "url", "display", "framework", "indicator", "indicator_number", "level", "number", "code",
                  "text", "created", "updated"]
        read_only_fields = ["level", "number", "code", "text"]


class EvidenceItemReviewSerializer(SiaModelSerializer):
    """An item's status at one stage of an assessment, with the assessor's note."""

    assessment = RelatedObjectField(read_only=True)
    item = serializers.CharField(source="item.code", read_only=True, help_text=_("Kode butir, mis. I13-L2-01."))
    item_id = serializers.IntegerField(read_only=True)
    indicator = serializers.IntegerField(source="item.indicator.number", read_only=True)
    level = serializers.IntegerField(source="item.level", read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    status = serializers.ChoiceField(choices=ItemStatus.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True)

    class Meta:
        model = EvidenceItemReview
        fields = ["id", "url", "display", "assessment", "item", "item_id", "indicator", "level", "stage", "status",
                  "status_label", "note", "reviewed_by", "reviewed_at", "created", "updated"]
        read_only_fields = ["note", "reviewed_at"]

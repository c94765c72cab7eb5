"""Serializers of the governance register: validation is each model's ``full_clean()``; a document's ``file`` goes
through the evaluation evidence check before anything is stored (``sia.governance.files.save_document``)."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.evaluation.models import Indicator
from sia.organizations.models import Institution

from ..files import check_file, save_document
from ..models import PolicyDocument, TeamMember


def _errors(error: DjangoValidationError):
    return error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}


class PolicyDocumentSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")
    replaced_by = RelatedObjectField(queryset=PolicyDocument.objects.all(), required=False, allow_null=True)
    indicators = RelatedObjectField(queryset=Indicator.objects.all(), many=True, required=False, help_text=_(
        "ID indikator (Indeks SPBE dan Indeks Pemdi); kosong pada dokumen baru: indikator bawaan jenisnya."))
    file = serializers.FileField(write_only=True, required=False, help_text=_(
        "Berkas dokumen (PDF atau dokumen Office), diperiksa dari isinya seperti bukti dukung."))
    size = serializers.IntegerField(source="blob.size", read_only=True, allow_null=True)
    mime = serializers.CharField(source="blob.mime", read_only=True, allow_null=True)
    sha256 = serializers.CharField(source="blob.sha256", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = PolicyDocument
        fields = ["id", "url", "display", "institution", "type", "number", "date", "title", "valid_from",
                  "valid_until", "status", "in_force", "replaced_by", "indicators", "file", "original_name", "size",
                  "mime", "sha256", "download_url", "created", "updated"]
        read_only_fields = ["original_name"]

    def get_download_url(self, obj) -> str | None:
        if obj.blob_id is None:
            return None
        path = reverse("governance-api:policydocument-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_in_force(self, obj) -> bool:
        return obj.is_in_force()

    def validate(self, attrs):
        """The model's ``full_clean()`` (as the base serializer), knowing that a checked file comes with it."""
        self._upload = attrs.pop("file", None)
        if self._upload is not None:
            try:
                check_file(self._upload)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"file": error.messages})
        if self.instance is not None and "institution" in attrs and attrs["institution"] != self.instance.institution:
            raise serializers.ValidationError({"institution": _("Instansi dokumen tidak dapat diubah.")})
        instance = copy.copy(self.instance) if self.instance is not None else PolicyDocument()
        for key, value in attrs.items():
            if key != "indicators":
                setattr(instance, key, value)
        instance._pending_upload = self._upload is not None
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(_errors(error))
        self.validated_instance = instance
        return attrs

    def _save(self, instance, validated_data):
        indicators = validated_data.pop("indicators", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        try:
            return save_document(instance, upload=self._upload, indicators=indicators)
        except DjangoValidationError as error:
            raise serializers.ValidationError(_errors(error))

    def create(self, validated_data):
        return self._save(PolicyDocument(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class TeamMemberSerializer(SiaModelSerializer):
    document = RelatedObjectField(queryset=PolicyDocument.objects.all())

    class Meta:
        model = TeamMember
        fields = ["id", "url", "display", "document", "order", "name", "nip", "position", "role", "created",
                  "updated"]

    def validate(self, attrs):
        if self.instance is not None and "document" in attrs and attrs["document"] != self.instance.document:
            raise serializers.ValidationError({"document": _("Anggota tim tidak dapat dipindahkan ke dokumen lain.")})
        return super().validate(attrs)

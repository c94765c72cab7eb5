"""Request and answer shapes of carrying evidence over (``assessments/{id}/carry-over/`` and
``carry-over-proposals/``)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class CarryOverChoiceSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(min_value=1, max_value=9999, help_text=_("Nomor indikator penilaian tujuan (8/2026)."))
    evidence = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("Id bukti dukung penilaian sumber (59/2020)."))
    item = serializers.CharField(required=False, allow_blank=True, max_length=40,
                                 help_text=_("Kode butir bukti dukung indikator tujuan, mis. I13-L2-03 (opsional)."))


class CarryOverRequestSerializer(serializers.Serializer):
    items = CarryOverChoiceSerializer(many=True, allow_empty=False)


class SourceAssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    framework = serializers.CharField(help_text=_("Kode kerangka penilaian sumber."))
    index = serializers.CharField(help_text=_("Nama indeks kerangka sumber, mis. Indeks SPBE."))


class SourceEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    file_name = serializers.CharField()
    url = serializers.CharField()
    stage = serializers.CharField()
    present = serializers.BooleanField(help_text=_("Berkas atau tautannya sudah ada pada indikator tujuan."))


class ProposedSourceSerializer(serializers.Serializer):
    source = serializers.IntegerField(source="number", help_text=_("Nomor indikator penilaian sumber."))
    name = serializers.CharField()
    rationale = serializers.CharField()
    evidence = SourceEvidenceSerializer(many=True)


class IndicatorProposalSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    sources = ProposedSourceSerializer(many=True)


class ProposalsSerializer(serializers.Serializer):
    source_assessment = SourceAssessmentSerializer(allow_null=True)
    indicators = IndicatorProposalSerializer(many=True)


class CarriedEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator = serializers.IntegerField()
    title = serializers.CharField()
    file_name = serializers.CharField()
    url = serializers.CharField()
    stage = serializers.CharField()
    item = serializers.CharField(allow_null=True)


class SkippedEvidenceSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    evidence = serializers.IntegerField(help_text=_("Id bukti dukung sumber yang sudah ada pada indikator tujuan."))
    title = serializers.CharField()


class CarryOverResultSerializer(serializers.Serializer):
    source_assessment = SourceAssessmentSerializer()
    created = CarriedEvidenceSerializer(many=True)
    skipped = SkippedEvidenceSerializer(many=True)

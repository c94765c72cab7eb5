"""The planner endpoint's request and answer (``POST /api/evaluation/assessments/{id}/planner/``)."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from ..choices import Stage
from ..framework_loader import LEVEL_MAX, LEVEL_MIN


class EffortSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(help_text=_("Nomor indikator."))
    to_level = serializers.IntegerField(min_value=LEVEL_MIN + 1, max_value=LEVEL_MAX)
    effort = serializers.DecimalField(
        max_digits=8, decimal_places=2, min_value=0, allow_null=True,
        help_text=_("Upaya langkah ke tingkat ini (lebih dari 0; null: langkah dikecualikan)."),
    )


class PlannerRequestSerializer(serializers.Serializer):
    target = serializers.DecimalField(
        max_digits=6, decimal_places=4, required=False, min_value=LEVEL_MIN, max_value=LEVEL_MAX,
        help_text=_("Bawaan: batas bawah predikat berikutnya."),
    )
    efforts = EffortSerializer(many=True, required=False, help_text=_("Bawaan: upaya 1 untuk setiap langkah."))
    allow_two_level_jumps = serializers.BooleanField(
        default=False, help_text=_("Izinkan lompatan dua tingkat; bawaan: setiap indikator naik paling banyak satu tingkat."),
    )
    max_step = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=LEVEL_MAX - LEVEL_MIN,
        help_text=_("Tingkat terbanyak yang boleh dinaikkan satu indikator (null: tanpa batas); menggantikan "
                    "allow_two_level_jumps."),
    )
    preset = serializers.JSONField(
        required=False, allow_null=True,
        help_text=_("Preset upaya {scheme, factors, blocked, block_external, margin}; bawaan: preset yang disimpan "
                    "dengan penilaian (atau indikator eksternal dikunci)."),
    )
    margin = serializers.DecimalField(
        max_digits=4, decimal_places=2, required=False, allow_null=True,
        help_text=_("Margin keamanan di atas target (menggantikan margin preset)."),
    )


class PlanStepSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    from_level = serializers.IntegerField()
    to_level = serializers.IntegerField()
    effort = serializers.DecimalField(max_digits=10, decimal_places=2)
    index_after = serializers.CharField()
    predicate_after = serializers.CharField()
    from_value = serializers.CharField(allow_null=True)
    to_value = serializers.CharField(allow_null=True)


class SingleStepSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    from_level = serializers.IntegerField()
    to_level = serializers.IntegerField()
    effort = serializers.DecimalField(max_digits=10, decimal_places=2)
    gain = serializers.CharField()
    gain_per_effort = serializers.CharField()


class PlanSerializer(serializers.Serializer):
    """A plan; under a continuous instrument (8/2026) values are two-decimal text, ``values`` the values after."""

    stage = serializers.ChoiceField(choices=Stage.choices)
    current_index = serializers.CharField()
    target = serializers.CharField()
    reachable = serializers.BooleanField()
    message = serializers.CharField()
    total_effort = serializers.DecimalField(max_digits=12, decimal_places=2)
    final_index = serializers.CharField()
    final_predicate = serializers.CharField()
    max_index = serializers.CharField()
    steps = PlanStepSerializer(many=True)
    best_single_steps = SingleStepSerializer(many=True)
    margin = serializers.CharField()
    goal = serializers.CharField()
    scheme = serializers.CharField(allow_blank=True)
    blocked = serializers.ListField(child=serializers.IntegerField())
    values = serializers.DictField(child=serializers.CharField(), help_text=_("Nilai (atau tingkat) setiap "
                                   "indikator sesudah rencana, menurut nomor indikator."))
    explanation = serializers.ListField(child=serializers.CharField())

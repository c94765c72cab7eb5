from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sia.core.api.fields import RelatedObjectField
from sia.core.api.serializers import SiaModelSerializer
from sia.organizations.models import Institution

from ..choices import Stage, TeamRole
from ..frameworks import spec_for
from ..group_rows import group_rows, indicator_path, shown_name
from ..framework_loader import LEVEL_MAX, LEVEL_MIN
from ..models import (
    Assessment, AssessmentTeamMember, FrameworkVersion, Indicator, IndicatorScore,
)
from ..models.assessments import NOT_A_MEMBER
from ..scoring import display, exact_text
from ..services import computed_from_source, create_assessment, resolve_value, summaries
from ..terms import terms
from ..values import number_id

# --- frameworks ---------------------------------------------------------------------------------


class LevelCriterionSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    name = serializers.CharField(help_text=_("Nama tingkat kapabilitas pada skala indikator."))
    criteria = serializers.CharField()


class GroupPlaceSerializer(serializers.Serializer):
    level = serializers.CharField(help_text=_("Kunci tingkat yang dinyatakan instrumen (domain, aspect, pilar)."))
    level_name = serializers.CharField(help_text=_("Nama tingkat menurut instrumen (Domain, Aspek, Pilar)."))
    number = serializers.IntegerField()
    name = serializers.CharField()


def _path(obj) -> list[dict]:
    spec = spec_for(obj.framework)
    return [{"level": g["kind"], "level_name": g["level"], "number": g["number"], "name": g["name"]}
            for g in indicator_path(spec, spec.indicator(obj.number))]


class IndicatorSerializer(SiaModelSerializer):
    framework = RelatedObjectField(read_only=True)
    aspect = serializers.SerializerMethodField(
        help_text=_("Nomor kelompok tingkat aspect di atas indikator; kosong bila instrumen tidak memilikinya."))
    domain = serializers.SerializerMethodField(
        help_text=_("Nomor kelompok tingkat domain; kosong pada instrumen tanpa domain (PermenPANRB 8/2026)."))
    groups = serializers.SerializerMethodField(
        help_text=_("Kelompok di atas indikator, dari tingkat teratas, dengan nama tingkat menurut instrumen."))
    levels = serializers.SerializerMethodField()
    external = serializers.JSONField(read_only=True, help_text=_("Konversi indeks sumber (indikator dari indeks instansi lain)."))

    class Meta:
        model = Indicator
        fields = [
            "id", "url", "display", "framework", "number", "code", "name", "question", "domain", "aspect", "groups",
            "weight", "scale", "value_source", "external", "levels", "explanation", "assessment_guidance", "evidence_guidance", "evidence_per_level", "notes",
            "created", "updated",
        ]

    def _number_at(self, obj, key) -> int | None:
        return next((g["number"] for g in _path(obj) if g["level"] == key), None)

    def get_aspect(self, obj) -> int | None:
        return self._number_at(obj, "aspect")

    def get_domain(self, obj) -> int | None:
        return self._number_at(obj, "domain")

    @extend_schema_field(GroupPlaceSerializer(many=True))
    def get_groups(self, obj):
        return _path(obj)

    @extend_schema_field(LevelCriterionSerializer(many=True))
    def get_levels(self, obj):
        names = self.context.get("level_names", {}).get((obj.framework_id, obj.scale))
        if names is None:
            names = dict(obj.framework.capability_levels.filter(scale=obj.scale).values_list("level", "name"))
        return [{"level": level, "name": names.get(level, ""), "criteria": text} for level, text in obj.criteria()]


class AspectBriefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.DecimalField(max_digits=8, decimal_places=4)


class DomainBriefSerializer(AspectBriefSerializer):
    aspects = AspectBriefSerializer(many=True)


class LevelSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(help_text=_("Nama tingkat menurut instrumen (Domain, Aspek, Pilar)."))


class GroupSerializer(AspectBriefSerializer):
    level = serializers.CharField()
    parent = serializers.IntegerField(allow_null=True, help_text=_("Nomor kelompok induknya satu tingkat di atas."))
    depth = serializers.IntegerField()


class BandSerializer(serializers.Serializer):
    name = serializers.CharField()
    lower = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    upper = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    upper_inclusive = serializers.BooleanField()
    text = serializers.CharField()


class LevelBandSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    lower = serializers.CharField(help_text=_("Nilai terkecil tingkat ini (teks desimal)."))
    upper = serializers.CharField(help_text=_("Nilai terbesar tingkat ini (teks desimal)."))


class TermsSerializer(serializers.Serializer):
    index = serializers.CharField(help_text=_("Nama indeks menurut instrumen (Indeks SPBE, Indeks Pemdi)."))
    coordinator = serializers.CharField()
    internal_team = serializers.CharField()
    coordination_team = serializers.CharField(
        help_text=_("Nama tim koordinasi menurut instrumen (Tim Koordinasi SPBE, Tim Koordinasi Pemerintah Digital)."))


class FrameworkIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    code = serializers.CharField()
    value_source = serializers.CharField()
    name = serializers.CharField()
    aspect = serializers.IntegerField(
        allow_null=True, help_text=_("Nomor kelompok tingkat terbawah di atas indikator (kosong: indikator saja)."))
    weight = serializers.DecimalField(max_digits=8, decimal_places=4)
    scale = serializers.CharField()
    levels = LevelCriterionSerializer(many=True)


class FrameworkVersionSerializer(SiaModelSerializer):
    levels = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    aspects = serializers.SerializerMethodField()
    predicate_bands = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()
    level_bands = serializers.SerializerMethodField()
    has_domains = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkVersion
        fields = [
            "id", "url", "display", "code", "name", "description", "first_year", "last_year", "is_active",
            "source_file", "sha256", "continuous", "value_places", "has_domains", "terms", "level_bands",
            "texts_status", "texts_note", "levels", "groups", "domains", "aspects", "predicate_bands", "indicators", "created", "updated",
        ]
        read_only_fields = ["texts_status", "texts_note"]

    def get_has_domains(self, obj) -> bool:
        return spec_for(obj).has_domains

    @extend_schema_field(TermsSerializer)
    def get_terms(self, obj):
        return terms(obj)

    @extend_schema_field(LevelBandSerializer(many=True))
    def get_level_bands(self, obj):
        spec = spec_for(obj)
        return [{"level": level, "name_id": spec.level_names.get(level, ("", ""))[0],
                 "name_en": spec.level_names.get(level, ("", ""))[1], "lower": str(lower.quantize(spec.value_step)),
                 "upper": str((upper - spec.value_step).quantize(spec.value_step))}
                for level, (lower, upper) in spec.level_bands.items()]

    @extend_schema_field(LevelSerializer(many=True))
    def get_levels(self, obj):
        """The levels of groups the instrument declares, top first (without the indicators)."""
        return [{"key": level.get("key", ""), "name": shown_name(level.get("name", ""))} for level in obj.levels or ()]

    def _groups(self, obj) -> list:
        cache = self.context.setdefault("framework_groups", {})
        if obj.pk not in cache:
            cache[obj.pk] = sorted(obj.groups.all(), key=lambda g: (g.depth, g.number))
        return cache[obj.pk]

    @extend_schema_field(GroupSerializer(many=True))
    def get_groups(self, obj):
        rows = self._groups(obj)
        numbers = {g.pk: g.number for g in rows}
        return GroupSerializer([
            {"level": g.level, "number": g.number, "name": g.name, "weight": g.weight, "depth": g.depth,
             "parent": numbers.get(g.parent_id)} for g in rows
        ], many=True).data

    @extend_schema_field(AspectBriefSerializer(many=True))
    def get_aspects(self, obj):
        """Aspects directly under the index (instruments without domains, PermenPANRB 8/2026); [] otherwise."""
        return AspectBriefSerializer(
            [{"number": g.number, "name": g.name, "weight": g.weight}
             for g in self._groups(obj) if g.level == "aspect" and g.parent_id is None], many=True,
        ).data

    @extend_schema_field(DomainBriefSerializer(many=True))
    def get_domains(self, obj):
        rows = self._groups(obj)
        return DomainBriefSerializer([
            {"number": d.number, "name": d.name, "weight": d.weight,
             "aspects": [{"number": a.number, "name": a.name, "weight": a.weight} for a in rows
                         if a.parent_id == d.pk and a.level == "aspect"]}
            for d in rows if d.level == "domain"
        ], many=True).data

    @extend_schema_field(BandSerializer(many=True))
    def get_predicate_bands(self, obj):
        return BandSerializer([
            {"name": b.name, "lower": b.lower, "upper": b.upper, "upper_inclusive": b.upper_inclusive, "text": b.text}
            for b in obj.bands.order_by("order")
        ], many=True).data

    @extend_schema_field(FrameworkIndicatorSerializer(many=True))
    def get_indicators(self, obj):
        names = {}
        for level in obj.capability_levels.all():
            names.setdefault(level.scale, {})[level.level] = level.name
        return FrameworkIndicatorSerializer([
            {"id": i.pk, "number": i.number, "code": i.code, "value_source": i.value_source, "name": i.name,
             "aspect": i.group.number if i.group_id else None, "weight": i.weight,
             "scale": i.scale,
             "levels": [{"level": n, "name": names.get(i.scale, {}).get(n, ""), "criteria": t} for n, t in i.criteria()]}
            for i in obj.indicators.select_related("group").order_by("number")
        ], many=True).data


# --- assessments --------------------------------------------------------------------------------


class ValueSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.CharField(help_text=_("Nilai tanpa pembulatan (teks desimal)."))
    value_display = serializers.DecimalField(max_digits=4, decimal_places=2)


class GroupValueSerializer(ValueSerializer):
    level = serializers.CharField()
    level_name = serializers.CharField()


class StageScoreSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    index = serializers.CharField(
        help_text=_("Indeks tanpa pembulatan (teks desimal): Indeks SPBE (59/2020) atau Indeks Pemdi (8/2026).")
    )
    index_display = serializers.DecimalField(
        max_digits=14, decimal_places=None,
        help_text=_("Indeks dibulatkan dua desimal; empat desimal bila pembulatan dua desimal akan masuk rentang "
                    "predikat lain (2.5975, bukan 2.60, untuk predikat Cukup)."),
    )
    predicate = serializers.CharField()
    complete = serializers.BooleanField(help_text=_("Semua indikator sudah memiliki tingkat pada tahap ini."))
    filled = serializers.IntegerField()
    total = serializers.IntegerField()
    locked = serializers.BooleanField()
    change = serializers.CharField(allow_null=True, help_text=_("Perubahan indeks dari tahap sebelumnya."))
    domains = ValueSerializer(many=True)
    aspects = ValueSerializer(many=True)
    groups = GroupValueSerializer(many=True, help_text=_("Nilai setiap kelompok pada tingkat yang dinyatakan instrumen."))


class TeamBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField()
    team_role = serializers.ChoiceField(choices=TeamRole.choices)


class LockBriefSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    locked_by = serializers.CharField(allow_null=True)
    locked_at = serializers.DateTimeField()
    index = serializers.CharField()
    predicate = serializers.CharField()


# Fields with other names than ``stage`` refer to the one StageEnum component that the ``stage`` fields create.
STAGE_SCHEMA = {"$ref": "#/components/schemas/StageEnum"}


def stage_scores(assessment) -> list[dict]:
    spec = spec_for(assessment.framework)
    rows = []
    for item in summaries(assessment):
        result = item.result
        rows.append({
            "stage": item.stage.value, "label": str(item.label), "index": exact_text(result.index),
            "index_display": result.index_display, "predicate": result.predicate, "complete": result.complete,
            "filled": item.filled, "total": item.total, "locked": item.locked,
            "change": exact_text(item.change) if item.change is not None else None,
            "domains": [{"number": d.number, "name": d.name, "value": exact_text(result.domains[d.number]),
                         "value_display": display(result.domains[d.number])} for d in spec.domains],
            "aspects": [{"number": a.number, "name": a.name, "value": exact_text(result.aspects[a.number]),
                         "value_display": display(result.aspects[a.number])} for a in spec.aspects],
            "groups": [{"level": g["kind"], "level_name": g["level"], "number": g["number"], "name": g["name"],
                        "value": exact_text(g["exact"]), "value_display": g["value"]} for g in group_rows(spec, result)],
        })
    return rows




class AssessmentSerializer(SiaModelSerializer):
    institution = RelatedObjectField(queryset=Institution.objects.all(), natural_key="code")
    framework = RelatedObjectField(
        queryset=FrameworkVersion.objects.all(), natural_key="code", required=False,
        help_text=_("Bawaan: kerangka yang berlaku untuk tahun penilaian (atau kerangka aktif terbaru)."),
    )
    current_stage = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()
    locks = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()
    terms = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id", "url", "display", "institution", "year", "framework", "with_site_visit", "current_stage", "stages",
            "locks", "team", "notes", "terms", "score", "created", "updated",
        ]
        validators = []  # the model's constraints answer, in Indonesian, through full_clean()

    @extend_schema_field(TermsSerializer)
    def get_terms(self, obj):
        """What the assessment's instrument calls its index, coordinator and internal team."""
        return terms(obj.framework)

    def validate(self, attrs):
        if self.instance is None and not attrs.get("framework"):
            year = attrs.get("year")
            framework = (FrameworkVersion.in_force_for(year) if year else None) or (
                FrameworkVersion.objects.filter(is_active=True).order_by("-first_year", "name").first()
            )  # the instrument in force for the assessment's year
            if framework is None:
                raise serializers.ValidationError({"framework": _("Belum ada kerangka penilaian aktif.")})
            attrs["framework"] = framework
        return super().validate(attrs)

    def create(self, validated_data):
        """Through ``services.create_assessment`` (as the form): the creator becomes the team's penanggung jawab."""
        return create_assessment(Assessment(**validated_data), user=getattr(self.context.get("request"), "user", None))

    @extend_schema_field(STAGE_SCHEMA)
    def get_current_stage(self, obj) -> str:
        return obj.current_stage

    @extend_schema_field({"type": "array", "items": STAGE_SCHEMA})
    def get_stages(self, obj):
        return [s.value for s in obj.stages()]

    @extend_schema_field(LockBriefSerializer(many=True))
    def get_locks(self, obj):
        return LockBriefSerializer([
            {"stage": lock.stage, "locked_by": str(lock.locked_by) if lock.locked_by else None,
             "locked_at": lock.locked_at, "index": exact_text(lock.index), "predicate": lock.predicate}
            for lock in obj.locks.all()
        ], many=True).data

    @extend_schema_field(TeamBriefSerializer(many=True))
    def get_team(self, obj):
        return [{"id": m.pk, "user": m.user.username, "team_role": m.role} for m in obj.team.all()]

    @extend_schema_field(StageScoreSerializer(many=True))
    def get_score(self, obj):
        return StageScoreSerializer(stage_scores(obj), many=True).data


class AssessmentTeamMemberSerializer(SiaModelSerializer):
    assessment = RelatedObjectField(queryset=Assessment.objects.all())
    user = RelatedObjectField(queryset=get_user_model().objects.all(), natural_key="username")
    team_role = serializers.ChoiceField(source="role", choices=TeamRole.choices, required=False)

    class Meta:
        model = AssessmentTeamMember
        fields = ["id", "url", "display", "assessment", "user", "team_role", "created", "updated"]
        validators = []

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            # An unknown username gets the same answer as a user of another instansi (see the model's clean):
            # the API must not tell which usernames exist elsewhere.
            if isinstance(error.detail, dict) and "user" in error.detail and any(
                getattr(item, "code", None) in ("does_not_exist", "natural_key_not_found") for item in error.detail["user"]
            ):
                error.detail["user"] = [serializers.ErrorDetail(str(NOT_A_MEMBER), code="invalid")]
            raise

    def validate(self, attrs):
        if self.instance is not None:
            for key in ("assessment", "user"):
                if key in attrs and attrs[key] != getattr(self.instance, key):
                    raise serializers.ValidationError({key: _("Tidak dapat diubah; hapus lalu tambahkan anggota baru.")})
        return super().validate(attrs)


@extend_schema_field({
    "type": "string", "format": "decimal", "pattern": r"^\d(?:[.,]\d{1,2})?$", "example": "2.75",
    "description": "1.00-5.00 as a decimal text (PermenPANRB 8/2026: two decimals; 59/2020: whole levels)",
})
class IndicatorValueField(serializers.CharField):
    """An indicator value as exact decimal text ("2.75"); read with a decimal point or comma, checked by
    ``values.check_value`` in the serializer's ``validate`` (the one rule), not here."""

    def __init__(self, *args, plain=False, **kwargs):
        self.plain = plain  # without trailing zeros (a source index: 68.75, 3.2)
        super().__init__(*args, **kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        if self.plain:
            return format(Decimal(value).normalize(), "f")
        return str(value)


@extend_schema_field({"type": "string", "format": "decimal", "example": "68.75",
                      "description": "the source index as a decimal text (SDI 0-100; SJIG, IPS 1-5)"})
class SourceIndexField(IndicatorValueField):
    pass


class IndicatorScoreSerializer(SiaModelSerializer):
    assessment = RelatedObjectField(queryset=Assessment.objects.all())
    indicator = RelatedObjectField(queryset=Indicator.objects.all())
    indicator_number = serializers.IntegerField(source="indicator.number", read_only=True)
    stage = serializers.ChoiceField(
        choices=Stage.choices, required=False, help_text=_("Bawaan: tahap yang sedang berjalan.")
    )
    level = serializers.IntegerField(
        min_value=LEVEL_MIN, max_value=LEVEL_MAX, required=False,
        help_text=_("Tingkat 1-5. Pada instrumen bernilai pecahan (PermenPANRB 8/2026) tingkat mengikuti rentang "
                    "nilai; bila hanya tingkat yang dikirim, nilainya batas bawah rentang itu."),
    )
    value = IndicatorValueField(
        required=False, allow_blank=True, max_length=12,
        help_text=_("Nilai indikator 1.00-5.00 sebagai teks desimal (\"2.75\" atau \"2,75\"): dua desimal pada "
                    "PermenPANRB 8/2026, bilangan bulat pada 59/2020. Kirim nilai atau tingkat."),
    )
    source_value = SourceIndexField(
        plain=True, required=False, allow_blank=True, allow_null=True, max_length=12,
        help_text=_("Indikator dari indeks instansi lain (SDI, SJIG, EPSS/IPS): nilai indeks sumber. Konversi linear: "
                    "nilai dihitung darinya; konversi tidak diketahui: kirim juga value; kosong: nilai 1.00 ditandai."),
    )
    source_year = serializers.IntegerField(required=False, allow_null=True, min_value=2000, max_value=2100)
    assessed_by = serializers.CharField(source="assessed_by.username", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorScore
        fields = [
            "id", "url", "display", "assessment", "indicator", "indicator_number", "stage", "level", "value",
            "source_value", "source_year", "source_note", "source_missing", "fakta",
            "analisis", "justifikasi", "assessed_by", "assessed_at", "carried_over", "created", "updated",
        ]
        read_only_fields = ["assessed_at", "carried_over", "source_note", "source_missing"]
        validators = []

    def validate(self, attrs):
        if self.instance is not None:
            for key in ("assessment", "indicator", "stage"):
                if key in attrs and attrs[key] != getattr(self.instance, key):
                    raise serializers.ValidationError(
                        {key: _("Penilaian, indikator dan tahap sebuah nilai tidak dapat diubah.")}
                    )
        elif "stage" not in attrs and attrs.get("assessment") is not None:
            attrs["stage"] = attrs["assessment"].current_stage
        self._resolve_value(attrs)
        request = self.context.get("request")
        attrs["assessed_by"] = getattr(request, "user", None)
        attrs["assessed_at"] = timezone.now()
        attrs["carried_over"] = False
        return super().validate(attrs)

    def _resolve_value(self, attrs):
        """``value`` (or ``level``) and the source index through ``services.resolve_value``: one rule for all."""
        indicator = attrs.get("indicator") or getattr(self.instance, "indicator", None)
        if indicator is None:
            return
        external = indicator.value_source == "external"
        spec = spec_for(indicator.framework)
        indicator_spec = spec.indicator(indicator.number)
        if external and "level" in attrs and indicator_spec.external is not None and indicator_spec.external.automatic:
            raise serializers.ValidationError({"level": computed_from_source(indicator_spec)})  # never typed
        value = attrs.pop("value", None)
        value = None if value in (None, "") else value
        touches_source = "source_value" in attrs or "source_year" in attrs
        if value is None and not (external and (touches_source or self.instance is None)):
            if "level" not in attrs and self.instance is None:
                raise serializers.ValidationError(
                    {"value": _("Indikator %(n)s: kirim nilai (value) atau tingkat (level).") % {"n": indicator.label}}
                )
            self._check_level_alone(attrs, spec, indicator_spec)
            return  # a level alone (59/2020 clients): the model keeps value and level in step
        if value is None and "level" in attrs:
            value = attrs["level"]
        source = attrs.pop("source_value", getattr(self.instance, "source_value", None))
        year = attrs.pop("source_year", getattr(self.instance, "source_year", None))
        assessment = attrs.get("assessment") or getattr(self.instance, "assessment", None)
        try:
            resolved = resolve_value(spec, indicator.number, value, source_value=source, source_year=year,
                                     year=assessment.year if assessment is not None else None)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        level = attrs.pop("level", None)
        if level is not None and level != spec.level_of(resolved.value):
            raise serializers.ValidationError({"level": _(
                "Indikator %(n)s: tingkat %(level)s tidak sesuai dengan nilai %(v)s (tingkat %(of)s); kirim salah "
                "satunya, atau keduanya yang sesuai.") % {
                    "n": indicator.label, "level": level, "v": number_id(resolved.value, spec.value_places),
                    "of": spec.level_of(resolved.value)}})
        attrs.update(value=resolved.value, source_value=resolved.source_value, source_year=resolved.source_year,
                     source_note=resolved.note, source_missing=resolved.missing)

    def _check_level_alone(self, attrs, spec, indicator_spec):
        """On an instrument with fractional values, a level alone may not overwrite a stored value of another
        level with that level's least value: the client sends the value."""
        level = attrs.get("level")
        if level is None or self.instance is None or not spec.continuous or self.instance.value is None:
            return
        stored = spec.level_of(self.instance.value)
        if level != stored:
            raise serializers.ValidationError({"level": _(
                "Indikator %(n)s: tingkat %(level)s tidak sesuai dengan nilai tersimpan %(v)s (tingkat %(of)s); "
                "%(fw)s memakai nilai pecahan: kirim nilainya (value).") % {
                    "n": indicator_spec.label, "level": level, "v": number_id(self.instance.value, spec.value_places),
                    "of": stored, "fw": spec.name}})

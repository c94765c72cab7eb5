import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sia.core.filtersets import (
    CodeOrIdFilter, IntegerFilter, ModelMultipleChoiceFilter, NaturalKeyFilter, SearchFilterSet, scoped,
)
from sia.organizations.models import Institution

from .choices import Stage, TeamRole
from .models import (
    Assessment, AssessmentTeamMember, Evidence, EvidenceItem, EvidenceItemReview, FrameworkVersion, Indicator,
    IndicatorScore, ItemStatus,
)


class FrameworkVersionFilterSet(SearchFilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = FrameworkVersion
        fields = ["q", "is_active"]


MAX_GROUP_DEPTH = 6  # levels of groups above the indicators a filter looks through


class IndicatorFilterSet(SearchFilterSet):
    search_fields = ("name", "question")
    framework_id = ModelMultipleChoiceFilter(
        field_name="framework", queryset=scoped(FrameworkVersion), label=_("Kerangka")
    )
    framework = NaturalKeyFilter(field_name="framework", natural_key="code", queryset=scoped(FrameworkVersion),
                                 label=_("Kerangka"))
    number = IntegerFilter(label=_("Nomor indikator"))
    aspect = IntegerFilter(method="in_group", label=_("Nomor aspek"))
    domain = IntegerFilter(method="in_group", label=_("Nomor domain"))
    group = django_filters.CharFilter(method="in_group", label=_("Kelompok (tingkat:nomor, mis. pilar:1)"))

    class Meta:
        model = Indicator
        fields = ["q", "framework_id", "framework", "number", "aspect", "domain", "group"]

    def in_group(self, queryset, name, value):
        """Indicators under the group of that level and number, at any depth above them (``aspect``/``domain``:
        the groups at levels ``aspect``/``domain``; ``group``: ``level:number``)."""
        if name == "group":
            level, _sep, number = str(value).partition(":")
            if not number.strip().isdigit():
                return queryset.none()
            name, value = level.strip().lower(), int(number)
        query = Q()
        path = "group"
        for _depth in range(MAX_GROUP_DEPTH):
            query |= Q(**{f"{path}__level": name, f"{path}__number": value})
            path += "__parent"
        return queryset.filter(query)


class AssessmentFilterSet(SearchFilterSet):
    search_fields = ("institution__name", "institution__code", "notes")
    institution_id = ModelMultipleChoiceFilter(
        field_name="institution", queryset=scoped(Institution), label=_("Instansi")
    )
    institution = NaturalKeyFilter(field_name="institution", natural_key="code", queryset=scoped(Institution),
                                   label=_("Instansi"))
    year = IntegerFilter(label=_("Tahun"))
    framework_id = ModelMultipleChoiceFilter(
        field_name="framework", queryset=scoped(FrameworkVersion), label=_("Kerangka")
    )
    framework = NaturalKeyFilter(field_name="framework", natural_key="code", queryset=scoped(FrameworkVersion),
                                 label=_("Kerangka"))
    current_stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Tahap berjalan"))

    class Meta:
        model = Assessment
        fields = ["q", "institution_id", "institution", "year", "framework_id", "framework", "current_stage"]


class AssessmentTeamMemberFilterSet(SearchFilterSet):
    search_fields = ("user__username", "user__first_name", "user__last_name")
    assessment_id = ModelMultipleChoiceFilter(
        field_name="assessment", queryset=scoped(Assessment), label=_("Penilaian")
    )
    role = django_filters.MultipleChoiceFilter(choices=TeamRole.choices, label=_("Peran dalam tim"))

    class Meta:
        model = AssessmentTeamMember
        fields = ["q", "assessment_id", "role"]


class IndicatorScoreFilterSet(SearchFilterSet):
    search_fields = ("fakta", "analisis", "justifikasi", "indicator__name")
    assessment_id = ModelMultipleChoiceFilter(
        field_name="assessment", queryset=scoped(Assessment), label=_("Penilaian")
    )
    indicator = IntegerFilter(field_name="indicator__number", label=_("Nomor indikator"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Tahap"))
    level = IntegerFilter(label=_("Tingkat"))

    class Meta:
        model = IndicatorScore
        fields = ["q", "assessment_id", "indicator", "stage", "level"]


class EvidenceFilterSet(SearchFilterSet):
    search_fields = ("title", "file_name", "original_name", "url")
    assessment_id = ModelMultipleChoiceFilter(
        field_name="assessment", queryset=scoped(Assessment), label=_("Penilaian")
    )
    indicator = IntegerFilter(field_name="indicator__number", label=_("Nomor indikator"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Tahap"))

    class Meta:
        model = Evidence
        fields = ["q", "assessment_id", "indicator", "stage"]


class EvidenceItemFilterSet(SearchFilterSet):
    """The instruments' evidence items (PermenPANRB 8/2026): ``?framework=permenpanrb-8-2026&indicator=13&level=2``."""

    search_fields = ("code", "text")
    framework_id = ModelMultipleChoiceFilter(
        field_name="framework", queryset=scoped(FrameworkVersion), label=_("Kerangka")
    )
    framework = NaturalKeyFilter(field_name="framework", natural_key="code", queryset=scoped(FrameworkVersion),
                                 label=_("Kerangka"))
    indicator = IntegerFilter(field_name="indicator__number", label=_("Nomor indikator"))
    level = IntegerFilter(label=_("Tingkat"))

    class Meta:
        model = EvidenceItem
        fields = ["q", "framework_id", "framework", "indicator", "level"]


class EvidenceItemReviewFilterSet(SearchFilterSet):
    """Items' statuses per stage: ``?assessment_id=3&stage=mandiri&item=I13-L2-01`` (or the item's ID)."""

    search_fields = ("note", "item__code")
    assessment_id = ModelMultipleChoiceFilter(
        field_name="assessment", queryset=scoped(Assessment), label=_("Penilaian")
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Tahap"))
    item = CodeOrIdFilter(field_name="item", label=_("Butir bukti dukung (kode atau ID)"))
    indicator = IntegerFilter(field_name="item__indicator__number", label=_("Nomor indikator"))
    status = django_filters.MultipleChoiceFilter(choices=ItemStatus.choices, label=_("Status"))

    class Meta:
        model = EvidenceItemReview
        fields = ["q", "assessment_id", "stage", "item", "indicator", "status"]

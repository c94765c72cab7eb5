from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View

from sia.core import permissions
from sia.core.tables import Column
from sia.core.views import generic

from . import filtersets, forms, services
from .charts import bar_chart
from .frameworks import spec_for
from .group_rows import group_levels, group_rows, levels_header, levels_title
from .models import (
    Assessment,
    AssessmentTeamMember,
    FrameworkVersion,
)
from .policies import LOCK
from .scoring import display, display_places, next_band_floor
from .terms import role_name, team_role_name, term, terms

# --- frameworks ---------------------------------------------------------------------------------


class FrameworkListView(generic.ObjectListView):
    model = FrameworkVersion
    queryset = FrameworkVersion.objects.annotate(indicator_count=Count("indicators"))
    filterset_class = filtersets.FrameworkVersionFilterSet
    columns = [
        Column("name", link=True), Column("code"), Column("first_year"),
        Column("indicator_count", _l("Indikator")), Column("is_active"),
    ]


class FrameworkView(generic.ObjectView):
    model = FrameworkVersion
    template_name = "evaluation/framework.html"

    def extra_context(self, request, obj):
        indicators = list(obj.indicators.order_by("number"))
        scales = {}
        for level in obj.capability_levels.order_by("scale", "level"):
            scales.setdefault(level.scale, []).append(level)
        spec = spec_for(obj)
        return {"tree": framework_tree(spec, indicators), "bands": obj.bands.order_by("order"),
                "levels_title": levels_title(spec, indicators=True),
                "scales": scales, "spec": spec, "terms": terms(obj), "level_bands": level_band_rows(spec)}


# --- assessments --------------------------------------------------------------------------------


def _summary(row):
    if not hasattr(row, "_evaluation_summary"):
        row._evaluation_summary = services.current_summary(row)
    return row._evaluation_summary


class AssessmentListView(generic.ObjectListView):
    model = Assessment
    queryset = Assessment.objects.select_related("institution", "framework").prefetch_related("locks")
    filterset_class = filtersets.AssessmentFilterSet
    filter_fields = ("q", "institution", "year", "framework", "current_stage")  # codes in the URL, not IDs
    columns = [
        Column("year", link=True), Column("institution.name", _l("Instansi")), Column("framework.name", _l("Kerangka")),
        Column("current_stage"),
        Column("index_name", _l("Nama indeks"), render=lambda row: term(row.framework, "index")),
        Column("index", _l("Indeks"), render=lambda row: _summary(row).result.index_display),
        Column("predicate", _l("Predikat"), render=lambda row: _summary(row).result.predicate),
        Column("filled", _l("Terisi"), render=lambda row: f"{_summary(row).filled}/{_summary(row).total}"),
    ]

    def page_rows(self, rows):
        return services.attach_levels(rows)  # the index columns' levels, one query for the page (or CSV chunk)


class AssessmentEditView(generic.ObjectEditView):
    model = Assessment
    form_class = forms.AssessmentForm


class AssessmentDeleteView(generic.ObjectDeleteView):
    model = Assessment


class AssessmentHistoryView(generic.ObjectHistoryView):
    model = Assessment
    queryset = Assessment.objects.select_related("institution")


class AssessmentMixin:
    """Loads the assessment the user may see (404 otherwise) with its locks."""

    def get_assessment(self, request, pk) -> Assessment:
        queryset = Assessment.objects.select_related("institution", "framework").prefetch_related("locks")
        return get_object_or_404(permissions.visible(request.user, queryset), pk=pk)


class AssessmentView(generic.ObjectView):
    model = Assessment
    queryset = Assessment.objects.select_related("institution", "framework").prefetch_related("locks")
    template_name = "evaluation/assessment.html"

    def extra_context(self, request, obj):
        spec = spec_for(obj.framework)
        by_stage = services.levels_by_stage(obj)
        rows = services.summaries(obj, by_stage)
        chosen = request.GET.get("tahap") or rows[-1].stage.value
        selected = next((r for r in rows if r.stage.value == chosen), rows[-1])
        evidence_counts = dict(
            obj.evidence.values_list("indicator__number").annotate(n=Count("pk")).values_list("indicator__number", "n")
        )
        stages = obj.started_stages()
        indicators = [
            {
                "spec": indicator,
                "levels": [by_stage.get(s.value, {}).get(indicator.number) for s in stages],
                "evidence": evidence_counts.get(indicator.number, 0),
                "url": reverse("evaluation:assessment_indicator", args=[obj.pk, indicator.number]),
            }
            for indicator in spec.indicators
        ]
        user = request.user
        can_lock = permissions.can(user, LOCK, obj)
        is_admin = permissions.can(user, permissions.CHANGE, obj)
        current = rows[-1]
        return {
            "spec": spec,
            "summaries": rows,
            "selected": selected,
            "chart": bar_chart(selected.result, spec),
            "domain_rows": group_rows(spec, selected.result),
            "levels_title": levels_title(spec),
            "levels_header": levels_header(spec),
            "terms": terms(obj.framework),
            "indicators": indicators,
            "stages": stages,
            "current": current,
            "with_evidence": sum(1 for i in indicators if i["evidence"]),
            "team": team_with_names(obj),
            "user_roles": roles_in(request.user, obj),
            "team_form": forms.TeamMemberForm(assessment=obj) if is_admin else None,
            "can_manage_team": is_admin,
            "can_lock": can_lock and obj.is_open() and not current.provisional,
            "can_advance": can_lock and obj.next_stage() is not None and not current.provisional,
            "next_stage": obj.next_stage(),
            "is_open": obj.is_open(),
            "next_floor": next_band_floor(current.result.index, spec.bands),
        }


def roles_in(user, assessment) -> list[str]:
    """The user's roles as the assessment's instrument names them ("Koordinator Pemdi"), for the page's header;
    roles at another instansi keep their neutral labels."""
    from sia.core.roles import Role

    names = {
        role_name(g.role, assessment.framework) if g.institution_id == assessment.institution_id else str(Role(g.role).label)
        for g in permissions.grants(user)
    }
    return sorted(names)


def team_with_names(assessment) -> list:
    """The team, each member's ``role_name`` as the assessment's instrument calls it ("Anggota Tim Asesor Internal")."""
    team = list(assessment.team.select_related("user").order_by("role", "user__username"))
    for member in team:
        member.role_name = team_role_name(member.role, assessment.framework)
    return team


def level_band_rows(spec) -> list[dict]:
    """Per level: its value band (8/2026: 1,50-2,49 "Membangun") and names, for pages that explain the values."""
    step = spec.value_step
    rows = []
    for level, (lower, upper) in spec.level_bands.items():
        name_id, name_en = spec.level_names.get(level, ("", ""))
        rows.append({"level": level, "lower": lower.quantize(step), "upper": (upper - step).quantize(step),
                     "name": level_name(spec, level), "name_id": name_id, "name_en": name_en})
    return rows


def level_name(spec, level) -> str:
    """The instrument's name of a level in the page's language (8/2026: Merintis / Initiate); "" if none."""
    from django.utils.translation import get_language

    name_id, name_en = spec.level_names.get(level, ("", ""))
    return (name_en or name_id) if (get_language() or "").startswith("en") else (name_id or name_en)


def localized(value, places: int = 2) -> str:
    """A figure as the page shows it (decimal comma in Indonesian), rounded half up to ``places``."""
    return number_format(display(value, places), places)


def localized_index(value, bands, places: int = 2) -> str:
    """An index as the page shows it: ``places`` decimals, more where rounding would cross a predicate band."""
    return localized(value, display_places(value, bands, places))


def framework_tree(spec, indicators) -> list[dict]:
    """The instrument's tree as declared: each group ({"group": row}) followed by its members, the indicators
    ({"indicator": Indicator}) under the lowest level of groups; the indicators alone where there are none."""
    if not group_levels(spec):
        return [{"indicator": indicator} for indicator in indicators]
    under: dict[int, list] = {}
    for indicator in indicators:
        under.setdefault(spec.indicator(indicator.number).aspect, []).append(indicator)
    rows = []
    for row in group_rows(spec):
        rows.append({"group": row})
        if row["css"] == "aspect":
            rows += [{"indicator": indicator} for indicator in under.get(row["number"], [])]
    return rows


class StageActionView(LoginRequiredMixin, AssessmentMixin, View):
    """POST: lock the current stage, or lock it and start the next one (admin or penanggung jawab)."""

    advance = False

    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        if not permissions.can(request.user, LOCK, assessment):
            raise PermissionDenied
        try:
            with transaction.atomic():
                if self.advance:
                    stage = services.advance_stage(assessment, user=request.user)
                    messages.success(request, _("Tahap %(stage)s dimulai dari tingkat tahap sebelumnya.") % {"stage": stage.label})
                else:
                    lock = services.lock_stage(assessment, user=request.user)
                    messages.success(
                        request,
                        _("Tahap %(stage)s dikunci: indeks %(index)s (%(predicate)s).")
                        % {"stage": lock.get_stage_display(), "predicate": lock.predicate,
                           "index": localized_index(lock.index, spec_for(assessment.framework).bands)},
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(assessment.get_absolute_url())


class TeamMemberAddView(LoginRequiredMixin, AssessmentMixin, View):
    def post(self, request, pk):
        assessment = self.get_assessment(request, pk)
        if not permissions.can(request.user, permissions.CHANGE, assessment):
            raise PermissionDenied
        form = forms.TeamMemberForm(request.POST, assessment=assessment)
        if form.is_valid():
            member = form.save()
            messages.success(request, _("%(user)s ditambahkan ke tim.") % {"user": member.user})
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(assessment.get_absolute_url() + "#tim")


class TeamMemberDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        member = get_object_or_404(
            permissions.visible(request.user, AssessmentTeamMember.objects.select_related("assessment", "user")), pk=pk
        )
        if not permissions.can(request.user, permissions.DELETE, member):
            raise PermissionDenied
        member.delete()
        messages.success(request, _("%(user)s dikeluarkan dari tim.") % {"user": member.user})
        return redirect(member.assessment.get_absolute_url() + "#tim")

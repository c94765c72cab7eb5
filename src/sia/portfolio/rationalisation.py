"""TIME rationalisation of the application portfolio: from an application's assessment to a recommendation.

The rule (Gartner's TIME quadrants), on the 1-5 scores of ``ApplicationAssessment``:

- a fit is *high* from ``HIGH_FIT`` (3, "sedang") up: the application serves its processes (functional fit)
  or its technology is sound (technical fit) at least adequately; 1-2 is *low*;
- high functional fit and high technical fit: **Invest** (keep developing it);
- high functional fit, low technical fit: **Migrate** (the function is needed, move it to a sound platform);
- low functional fit, high technical fit: **Tolerate** (keep it running as it is, do not invest);
- low functional fit and low technical fit: **Eliminate** (retire it);
- except that a critical application (criticality from ``CRITICAL``, 4 "tinggi", up) is never eliminated
  without a successor: low/low and critical gives **Migrate** (replace it, then retire it).

``recommend`` answers for one assessment; ``recommendation_expression`` is the same rule as a database
expression (built from the same thresholds), so that the portfolio page filters and counts in SQL; a test
checks both agree over the whole 5 × 5 × 5 grid. Nothing is stored: the scores are, the recommendation is
computed whenever it is read.

The portfolio rationalised is the applications in use or being built (lifecycle ``LIVE``): a planned one is
still to be cleared (``sia.portfolio.clearance``), a retired one is gone. ``tally`` counts those left out apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from sia.architecture.choices import ApplicationLifecycle

HIGH_FIT = 3  # a functional or technical fit from this score up counts as high
CRITICAL = 4  # a criticality from this score up keeps a low/low application from "Eliminate"
LIVE = (ApplicationLifecycle.PRODUCTION, ApplicationLifecycle.DEVELOPMENT)  # the lifecycles rationalised


class Recommendation(models.TextChoices):
    TOLERATE = "tolerate", _("Tolerate (pertahankan apa adanya)")
    INVEST = "invest", _("Invest (kembangkan)")
    MIGRATE = "migrate", _("Migrate (pindahkan/ganti platform)")
    ELIMINATE = "eliminate", _("Eliminate (hentikan)")


# Why each recommendation was given: shown next to it on the page and in the chart's data table.
REASONS = {
    Recommendation.INVEST: _("Kesesuaian fungsional dan teknis tinggi."),
    Recommendation.MIGRATE: _("Fungsinya dibutuhkan, teknologinya lemah."),
    Recommendation.TOLERATE: _("Teknologinya baik, fungsinya kurang sesuai."),
    Recommendation.ELIMINATE: _("Kesesuaian fungsional dan teknis rendah."),
}
CRITICAL_REASON = _("Kesesuaian rendah, tetapi kritis: ganti dahulu sebelum dihentikan.")


def is_high(score: int) -> bool:
    return score >= HIGH_FIT


def recommend(functional_fit: int, technical_fit: int, criticality: int) -> str:
    """The TIME recommendation (a ``Recommendation`` value) of one application's scores; see the module's rule."""
    functional, technical = is_high(functional_fit), is_high(technical_fit)
    if functional and technical:
        return Recommendation.INVEST
    if functional:
        return Recommendation.MIGRATE
    if technical:
        return Recommendation.TOLERATE
    if criticality >= CRITICAL:
        return Recommendation.MIGRATE
    return Recommendation.ELIMINATE


def reason(functional_fit: int, technical_fit: int, criticality: int) -> str:
    """One sentence saying which part of the rule gave the recommendation."""
    if not is_high(functional_fit) and not is_high(technical_fit) and criticality >= CRITICAL:
        return str(CRITICAL_REASON)
    return str(REASONS[recommend(functional_fit, technical_fit, criticality)])


def recommendation_expression(prefix: str = "") -> Case:
    """``recommend`` as a database expression over an assessment's fields (``prefix``: "assessment__" from
    an application); NULL where there is no assessment."""
    functional, technical, criticality = (f"{prefix}functional_fit", f"{prefix}technical_fit", f"{prefix}criticality")
    high_f, high_t = Q(**{f"{functional}__gte": HIGH_FIT}), Q(**{f"{technical}__gte": HIGH_FIT})
    return Case(
        When(Q(**{f"{functional}__isnull": True}), then=Value(None)),
        When(high_f & high_t, then=Value(Recommendation.INVEST.value)),
        When(high_f, then=Value(Recommendation.MIGRATE.value)),
        When(high_t, then=Value(Recommendation.TOLERATE.value)),
        When(Q(**{f"{criticality}__gte": CRITICAL}), then=Value(Recommendation.MIGRATE.value)),
        default=Value(Recommendation.ELIMINATE.value),
        output_field=models.CharField(max_length=20),
    )


@dataclass(frozen=True)
class Row:
    """One application on the portfolio page: its scores (None when not assessed) and recommendation."""

    application: object
    assessment: object | None
    recommendation: str | None

    @property
    def recommendation_label(self) -> str:
        return Recommendation(self.recommendation).label if self.recommendation else ""

    @property
    def reason(self) -> str:
        a = self.assessment
        return reason(a.functional_fit, a.technical_fit, a.criticality) if a else ""


def portfolio(applications, *, recommendation: str = "") -> models.QuerySet:
    """The live applications (``LIVE``) of ``applications`` (a queryset the caller has scoped to the user) with
    their assessment loaded and ``recommendation`` annotated; ``recommendation`` narrows to one TIME value
    ("none": not assessed yet)."""
    queryset = applications.filter(lifecycle__in=LIVE).select_related("department", "assessment").annotate(
        time_recommendation=recommendation_expression("assessment__"),
    )
    if recommendation == "none":
        queryset = queryset.filter(assessment__isnull=True)
    elif recommendation:
        queryset = queryset.filter(time_recommendation=recommendation)
    return queryset.order_by("department__name", "code")


def rows(applications) -> list[Row]:
    """``Row`` per application of a ``portfolio`` queryset (already evaluated page or list)."""
    result = []
    for app in applications:
        try:
            assessment = app.assessment
        except models.ObjectDoesNotExist:
            assessment = None
        result.append(Row(app, assessment, getattr(app, "time_recommendation", None)))
    return result


def counts(applications) -> dict[str, int]:
    """{recommendation value or "none": number of applications} of a ``portfolio`` queryset, one query."""
    found = {value: 0 for value in Recommendation.values}
    found["none"] = 0
    for item in applications.order_by().values("time_recommendation").annotate(n=models.Count("pk")):
        found[item["time_recommendation"] or "none"] += item["n"]
    return found


def tally(applications) -> tuple[dict[str, int], dict[str, int]]:
    """Over ``applications`` (a scoped queryset, any lifecycle), in one query: ``counts`` of the live ones, and
    {lifecycle value: number} of those left out of the portfolio (planned, retired; only the lifecycles met)."""
    found = {value: 0 for value in Recommendation.values}
    found["none"] = 0
    left_out: dict[str, int] = {}
    for item in applications.order_by().annotate(
        time_recommendation=recommendation_expression("assessment__"),
    ).values("lifecycle", "time_recommendation").annotate(n=models.Count("pk")):
        if item["lifecycle"] in LIVE:
            found[item["time_recommendation"] or "none"] += item["n"]
        else:
            left_out[item["lifecycle"]] = left_out.get(item["lifecycle"], 0) + item["n"]
    return found, left_out

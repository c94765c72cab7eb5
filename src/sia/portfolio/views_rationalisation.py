"""The rationalisation page (every visible live application with its scores and TIME recommendation, a portfolio
chart, how many planned and retired ones are left out) and the assessment form of one application. The rule
itself is ``sia.portfolio.rationalisation``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sia.architecture.choices import ApplicationLifecycle
from sia.architecture.models import Application
from sia.core import permissions
from sia.core.charts import Point, Quadrant, scatter_chart
from sia.core.panels import register_object_page_panel

from . import rationalisation as rules
from .forms import AssessmentForm, PortfolioFilterForm
from .models import ApplicationAssessment, Level
from .rationalisation import Recommendation

PAGE_SIZE = 100
TIME_CSS = {value: f"time-{value}" for value in Recommendation.values}
QUADRANTS = (  # (recommendation, functional from, to, technical from, to) on the 1-5 axes, split at HIGH_FIT
    (Recommendation.TOLERATE, 0.5, rules.HIGH_FIT - 0.5, rules.HIGH_FIT - 0.5, 5.5),
    (Recommendation.INVEST, rules.HIGH_FIT - 0.5, 5.5, rules.HIGH_FIT - 0.5, 5.5),
    (Recommendation.ELIMINATE, 0.5, rules.HIGH_FIT - 0.5, 0.5, rules.HIGH_FIT - 0.5),
    (Recommendation.MIGRATE, rules.HIGH_FIT - 0.5, 5.5, 0.5, rules.HIGH_FIT - 0.5),
)


def may_assess(user, application) -> bool:
    return permissions.can(user, permissions.ADD, ApplicationAssessment(application=application))


MAX_POINTS = 300  # beyond this many assessed applications the chart draws one mark per score pair


def _chart(points, headers, note):
    return scatter_chart(
        "portofolio-time", _("Portofolio aplikasi: kesesuaian fungsional dan teknis"), points, low=1, high=5,
        x_label=_("Kesesuaian fungsional →"), y_label=_("Kesesuaian teknis →"),
        quadrants=[Quadrant(str(rec.label).split(" ")[0], fx, tx, fy, ty, TIME_CSS[rec])
                   for rec, fx, tx, fy, ty in QUADRANTS],
        ticks=[(level, str(level)) for level in Level.values], headers=headers, note=note,
    )


def portfolio_chart(applications):
    """The scatter of the assessed applications (a ``portfolio`` queryset): functional fit across, technical fit
    up, a bigger mark for a more critical one (criticality from ``CRITICAL`` drawn in the critical colour).
    Past ``MAX_POINTS`` applications (a whole provinsi), one mark per score pair, sized by how many share it."""
    if applications.count() > MAX_POINTS:
        return aggregated_chart(applications)
    points = []
    for app in applications:
        a = app.assessment
        recommendation = Recommendation(app.time_recommendation)
        points.append(Point(
            label=f"{app.code} {app.name}", x=a.functional_fit, y=a.technical_fit, size=a.criticality,
            css="critical" if a.criticality >= rules.CRITICAL else "", href=app.get_absolute_url(), key=app.code,
            cells=(app.department.abbreviation, a.functional_fit, a.technical_fit, a.criticality, recommendation.label),
        ))
    return _chart(
        points, [_("Aplikasi"), _("OPD"), _("Fungsional"), _("Teknis"), _("Kekritisan"), _("Rekomendasi")],
        _("Ukuran tanda menurut kekritisan; merah: kritis (%(n)d ke atas).") % {"n": rules.CRITICAL},
    )


def aggregated_chart(applications):
    """One mark per (functional, technical) pair: its size grows with the number of applications, red when one
    of them is critical; the table gives the numbers. One query."""
    cells = list(applications.order_by().values("assessment__functional_fit", "assessment__technical_fit").annotate(
        n=Count("pk"), critical=Count("pk", filter=Q(assessment__criticality__gte=rules.CRITICAL)),
    ).order_by("-assessment__functional_fit", "-assessment__technical_fit"))
    largest = max((c["n"] for c in cells), default=1)
    points = []
    for c in cells:
        functional, technical = c["assessment__functional_fit"], c["assessment__technical_fit"]
        points.append(Point(
            label=_("Fungsional %(f)d, teknis %(t)d") % {"f": functional, "t": technical}, x=functional, y=technical,
            size=max(1, round(5 * c["n"] / largest)), css="critical" if c["critical"] else "",
            cells=(c["n"], c["critical"], Recommendation(rules.recommend(functional, technical, 1)).label),
        ))
    return _chart(
        points, [_("Nilai"), _("Aplikasi"), _("Di antaranya kritis"), _("Rekomendasi (tidak kritis)")],
        _("Satu tanda per pasangan nilai; ukurannya menurut jumlah aplikasi, merah bila ada yang kritis."),
    )


def summary(counts) -> list[tuple]:
    """(value, label, number of applications) per recommendation, then those not assessed yet."""
    return [(value, label, counts[value]) for value, label in Recommendation.choices] + [
        ("none", _("Belum dinilai"), counts["none"])]


def left_out_summary(left_out) -> list[tuple]:
    """(lifecycle value, label, number) of the applications outside the rationalised portfolio, in lifecycle order."""
    return [(value, label, left_out[value]) for value, label in ApplicationLifecycle.choices if left_out.get(value)]


@login_required
def rationalisation(request):
    applications = permissions.visible(request.user, Application)
    filters = PortfolioFilterForm(request.GET or None, user=request.user)
    scoped = filters.narrow(applications)
    queryset = rules.portfolio(scoped, recommendation=filters.chosen_recommendation)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rules.rows(page.object_list)
    assessed = queryset.filter(assessment__isnull=False)
    counts, left_out = rules.tally(scoped)
    assessable = {
        row.application.pk for row in rows if permissions.can(request.user, permissions.ADD,
                                                                ApplicationAssessment(application=row.application))
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portfolio/rationalisation.html", {
        "filters": filters, "page": page, "rows": rows, "assessable": assessable,
        "chart": portfolio_chart(assessed), "summary": summary(counts), "left_out": left_out_summary(left_out),
        "high_fit": rules.HIGH_FIT, "critical": rules.CRITICAL,
        "querystring": query.urlencode(),
    })


@login_required
def assessment_edit(request, pk):
    """Scores one application (create or change its assessment): admins and asesor of its instansi."""
    application = get_object_or_404(permissions.visible(request.user, Application).select_related("department"), pk=pk)
    assessment = ApplicationAssessment.objects.filter(application=application).first()
    if not may_assess(request.user, application):
        raise PermissionDenied
    instance = assessment or ApplicationAssessment(application=application)
    form = AssessmentForm(request.POST or None, instance=instance, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.assessed_by = request.user
                saved._history_user = request.user
                saved.save()
            messages.success(request, _("Penilaian “%(app)s” disimpan: %(rec)s.") % {
                "app": application, "rec": Recommendation(rules.recommend(
                    saved.functional_fit, saved.technical_fit, saved.criticality)).label})
            return redirect(f"{reverse('portfolio:rationalisation')}#app-{application.pk}")
        status = 400
    return render(request, "portfolio/rationalisation_assess.html", {
        "form": form, "application": application, "assessment": assessment, "high_fit": rules.HIGH_FIT,
        "critical": rules.CRITICAL,
    }, status=status)


@register_object_page_panel(Application, "detail", order=20)
def assessment_panel(request, application, form=None):
    """The application's scores and TIME recommendation on its page, with the link to (re)assess it."""
    assessment = ApplicationAssessment.objects.filter(application=application).select_related("assessed_by").first()
    can_assess = may_assess(request.user, application)
    if assessment is None and not can_assess:
        return None
    recommendation = reason = None
    if assessment is not None:
        recommendation = Recommendation(rules.recommend(
            assessment.functional_fit, assessment.technical_fit, assessment.criticality))
        reason = rules.reason(assessment.functional_fit, assessment.technical_fit, assessment.criticality)
    return {
        "template": "portfolio/_assessment_panel.html", "assessment": assessment, "recommendation": recommendation,
        "reason": reason, "css": TIME_CSS.get(recommendation, ""),
        "assess_url": reverse("portfolio:assessment", args=[application.pk]) if can_assess else None,
    }

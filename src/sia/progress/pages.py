"""Progress pages: the instansi's (burn-up of every OPD summed, targets with their late OPDs, the index target with
its trend, the latest figures per OPD) and one OPD's (its burn-up and the targets it falls under), and the numbers of
the home panel (loaded after the home page). An operator reads their own OPD's page only."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sia.core import permissions
from sia.core.integers import db_id
from sia.organizations.models import Department

from . import burnup
from .access import readable_departments, sees_whole
from .choices import TargetState
from .indexes import index_chart, index_state, index_years
from .models import ProgressSnapshot, Target
from .rules import domain_choices, evaluate, rule_for

PAGE_TARGETS = 12  # targets evaluated on a progress page (nearest deadlines first), so its queries stay bounded
PANEL_TARGETS = 6
RECENT_DAYS = 30  # targets whose deadline passed longer ago than this leave the pages (still in the list)


def _institution(request):
    institutions = permissions.readable_institutions(request.user, ProgressSnapshot)
    wanted = db_id(request.GET.get("instansi"))
    if wanted is not None:
        institution = institutions.filter(pk=wanted).first()
        if institution is None:
            raise Http404
        return institution
    return institutions.first()


def _domain(request) -> str:
    domain = request.GET.get("domain", "")
    return domain if domain in dict(domain_choices()) else ""


def open_targets(user, institution_id, today, limit, department=None):
    targets = permissions.visible(user, Target.objects.filter(
        institution_id=institution_id, deadline__gte=today - timedelta(days=RECENT_DAYS)))
    if department is not None:
        targets = targets.filter(department__isnull=True) | targets.filter(department=department)
    return list(targets.select_related("institution", "department").order_by("deadline", "name", "pk")[:limit])


def evaluations(user, targets, departments, today):
    """Each target with its state: OPD targets from ``departments``, index targets from the index per year."""
    found, known = [], {}
    for target in targets:
        spec = rule_for(target.rule)
        if spec is not None and spec.index:
            key = (target.institution_id, target.framework_id)
            if key not in known:
                known[key] = index_years(user, target.institution_id, target.framework_id)
            years = known[key]
            found.append({"target": target, "index": index_state(target, years, today),
                          "chart": index_chart(target, years)})
        else:
            found.append({"target": target, "result": evaluate(target, departments, today)})
    return found


def _chart(name, title, institution, department, domain, today):
    start = today - timedelta(days=burnup.HISTORY_DAYS)
    points = burnup.series(institution.pk, department.pk if department else None, domain, start, today)
    marks = burnup.chart_marks(institution, department, start, today)
    return burnup.burnup(name, title, points, marks=marks, until=today), points


def latest_rows(institution_id, department_id=None):
    """The latest snapshot day's figures, per OPD (or per domain of one OPD): two queries."""
    queryset = ProgressSnapshot.objects.filter(institution_id=institution_id)
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    day = queryset.aggregate(day=Max("date"))["day"]
    if day is None:
        return None, []
    key = "domain" if department_id is not None else "department_id"
    rows = (queryset.filter(date=day).order_by().values(key)
            .annotate(count=Sum("count"), complete=Sum("complete"), filled=Sum("filled"), required=Sum("required"),
                      validated=Sum("validated"), submitted=Sum("submitted")).order_by(key))
    return day, [dict(row, percent=round(100 * row["filled"] / row["required"]) if row["required"] else None)
                 for row in rows]


@login_required
def overview(request):
    institution = _institution(request)
    if institution is None:
        raise Http404
    user = request.user
    if not sees_whole(user, institution.pk):
        departments = readable_departments(user, institution.pk)
        if not departments:
            raise Http404
        return redirect("progress:department", departments[0].pk)
    today = timezone.localdate()
    domain = _domain(request)
    departments = readable_departments(user, institution.pk)
    chart, points = _chart("kemajuan-instansi", _("Kemajuan arsitektur %(name)s") % {"name": institution.name},
                           institution, None, domain, today)
    targets = evaluations(user, open_targets(user, institution.pk, today, PAGE_TARGETS), departments, today)
    day, rows = latest_rows(institution.pk)
    names = {d.pk: d for d in departments}
    for row in rows:
        row["department"] = names.get(row["department_id"])
    return render(request, "progress/overview.html", {
        "institution": institution, "chart": chart, "targets": targets, "day": day,
        "rows": [row for row in rows if row["department"] is not None], "domain": domain,
        "domains": domain_choices(), "late": TargetState.LATE, "missed": TargetState.MISSED,
        "may_add": permissions.can_in(user, permissions.ADD, Target, institution.pk),
    })


@login_required
def department_page(request, pk):
    department = get_object_or_404(Department.objects.select_related("institution"), pk=db_id(pk) or 0)
    user = request.user
    if not permissions.can_in(user, permissions.VIEW, ProgressSnapshot, department.institution_id, department.pk):
        raise Http404
    today = timezone.localdate()
    domain = _domain(request)
    chart, points = _chart("kemajuan-opd", _("Kemajuan arsitektur %(name)s") % {"name": department.name},
                           department.institution, department, domain, today)
    targets = [t for t in open_targets(user, department.institution_id, today, PAGE_TARGETS, department)
               if not (rule_for(t.rule) and rule_for(t.rule).index)]
    day, rows = latest_rows(department.institution_id, department.pk)
    labels = dict(domain_choices())
    for row in rows:
        row["label"] = labels.get(row["domain"], row["domain"])
    return render(request, "progress/department.html", {
        "department": department, "institution": department.institution, "chart": chart, "domain": domain,
        "domains": domain_choices(), "targets": evaluations(user, targets, [department], today),
        "day": day, "rows": rows, "whole": sees_whole(user, department.institution_id),
    })


@login_required
def dashboard(request):
    """The home panel's numbers: for who reads the whole instansi, the OPDs late or past a deadline per target; for
    an operator, their OPD's targets with their state."""
    user = request.user
    today = timezone.localdate()
    found = []
    for institution in permissions.readable_institutions(user, ProgressSnapshot)[:3]:
        whole = sees_whole(user, institution.pk)
        departments = readable_departments(user, institution.pk)
        department = None if whole or not departments else departments[0]
        targets = [t for t in open_targets(user, institution.pk, today, PANEL_TARGETS, department)
                   if not (rule_for(t.rule) and rule_for(t.rule).index)]
        found.append({"institution": institution, "whole": whole, "department": department,
                      "targets": evaluations(user, targets, departments, today)})
    return render(request, "progress/_dashboard_numbers.html", {"institutions": found})

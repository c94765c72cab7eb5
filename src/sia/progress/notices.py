"""The daily reminders of targets (``sia.notifications`` notice source ``progress-deadlines``): for each OPD not
meeting a target whose deadline is near or just passed (``deadlines.deadline_alerts``), a notice to the active
operators of that OPD (they do the work; the koordinator reads the same on the progress overview and is not told
once per OPD), linked to the OPD's progress page. ``notify`` drops whoever may not see the target.

Not every day of the window: on the milestones ``APPROACHING_DAYS`` days before the deadline (0: the day itself)
and ``MISSED_DAYS`` days after it, so that an operator is reminded a few times, not fourteen. ``sia notify_daily``
runs the source once per day (``DailyRun``); ``notify`` also drops an identical unread notice."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sia.core.roles import Role
from sia.notifications import kinds
from sia.notifications.services import Notice
from sia.organizations.models import Membership

from .choices import TargetState
from .deadlines import MISSED, deadline_alerts

SOURCE = "progress-deadlines"
APPROACHING_DAYS = frozenset({7, 3, 1, 0})
MISSED_DAYS = frozenset({1, 7})


def due(alert) -> bool:
    """Whether ``alert`` falls on a reminder milestone."""
    return alert.days in (MISSED_DAYS if alert.kind == MISSED else APPROACHING_DAYS)


def operators_by_department(department_ids) -> dict[int, list]:
    """The active operators (active users with an active membership) of each OPD in ``department_ids``: one
    query."""
    found: dict[int, list] = defaultdict(list)
    memberships = (Membership.objects.filter(is_active=True, role=Role.OPERATOR, user__is_active=True,
                                             department_id__in=list(department_ids))
                   .select_related("user").order_by("user__username"))
    for membership in memberships:
        if membership.user not in found[membership.department_id]:
            found[membership.department_id].append(membership.user)
    return found


def message_for(alert) -> str:
    values = {"target": alert.target.name, "opd": alert.department.name,
              "deadline": f"{alert.target.deadline:%d-%m-%Y}", "state": TargetState(alert.state).label,
              "days": alert.days}
    if alert.kind == MISSED:
        return _("Tenggat target «%(target)s» untuk %(opd)s (%(deadline)s) terlewat %(days)s hari; "
                 "status: %(state)s.") % values
    if alert.days == 0:
        return _("Tenggat target «%(target)s» untuk %(opd)s jatuh hari ini (%(deadline)s); "
                 "status: %(state)s.") % values
    return _("Tenggat target «%(target)s» untuk %(opd)s tinggal %(days)s hari lagi (%(deadline)s); "
             "status: %(state)s.") % values


def deadline_notices(day):
    """The ``Notice`` rows of ``day``: per OPD and target on a milestone, to the OPD's operators."""
    alerts = [alert for alert in deadline_alerts(today=day) if due(alert)]
    if not alerts:
        return
    operators = operators_by_department({alert.department.pk for alert in alerts})
    notices = []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in Indonesian
        for alert in alerts:
            recipients = operators.get(alert.department.pk)
            if not recipients:
                continue
            kind = kinds.DEADLINE_MISSED.key if alert.kind == MISSED else kinds.DEADLINE_APPROACHING.key
            notices.append(Notice(tuple(recipients), kind, alert.target, message_for(alert),
                                  reverse("progress:department", args=[alert.department.pk])))
    yield from notices

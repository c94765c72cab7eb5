"""What other parts of the programme read of the kegiatan (wired by the apps above after the merge): who is to be
told of an invitation, and the dates to mark on a progress chart."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from sia.core.roles import Role

from .models import Workshop


def invitation_recipients(workshop):
    """The users invited to ``workshop``: the active operators of its invited OPDs and its mentors (the organiser
    excepted), each once, by username."""
    department_ids = list(workshop.departments.values_list("pk", flat=True))
    mentor_ids = list(workshop.mentors.values_list("pk", flat=True))
    operators = Q(memberships__institution_id=workshop.institution_id, memberships__role=Role.OPERATOR,
                  memberships__is_active=True, memberships__department_id__in=department_ids)
    users = get_user_model().objects.filter(is_active=True).filter(operators | Q(pk__in=mentor_ids))
    if workshop.organiser_id:
        users = users.exclude(pk=workshop.organiser_id)
    return users.distinct().order_by("username")


def workshop_marks(institution, start, end, department=None) -> list[dict]:
    """The kegiatan of ``institution`` (an instansi or its ID) held from ``start`` to ``end`` (dates), for marks on
    a burn-up chart: with ``department``, only those that invited that OPD. One query."""
    institution_id = getattr(institution, "pk", institution)
    workshops = Workshop.objects.filter(institution_id=institution_id, starts_at__date__gte=start,
                                        starts_at__date__lte=end)
    if department is not None:
        workshops = workshops.filter(departments=getattr(department, "pk", department))
    return [
        {"id": w.pk, "date": timezone.localdate(w.starts_at), "starts_at": w.starts_at, "ends_at": w.ends_at,
         "title": w.title, "kind": w.kind, "kind_label": str(w.get_kind_display()), "url": w.get_absolute_url()}
        for w in workshops.order_by("starts_at", "pk")
    ]


def burnup_marks(institution, department, start, end) -> list[tuple]:
    """The marks of :func:`workshop_marks` as the progress burn-up charts take them (``sia.progress.burnup``):
    ``(date, title)`` of each kegiatan, on an OPD's chart only those that invited it."""
    return [(mark["date"], mark["title"]) for mark in workshop_marks(institution, start, end, department=department)]

"""``{% items_panel assessment indicator %}``: the indicator's evidence items with their files and status."""

from itertools import groupby

from django import template

from sia.core import permissions

from ..evidence_items import items_of
from ..models import Evidence, EvidenceItemReview, ItemStatus

register = template.Library()


@register.inclusion_tag("evaluation/_items_panel.html", takes_context=True)
def items_panel(context, assessment, indicator):
    user = context["request"].user
    rows = items_of(assessment, indicator)
    open_ = assessment.is_open()
    probe = EvidenceItemReview(assessment=assessment, stage=assessment.current_stage)
    evidence_probe = Evidence(assessment=assessment, indicator=indicator, stage=assessment.current_stage)
    may_assign = open_ and bool(rows) and permissions.can(user, permissions.CHANGE, evidence_probe)
    return {
        "request": context["request"], "csrf_token": context.get("csrf_token"),
        "assessment": assessment, "indicator": indicator, "rows": rows,
        "may_review": open_ and bool(rows) and permissions.can(user, permissions.ADD, probe),
        "may_assign": may_assign,
        "unassigned": list(
            Evidence.objects.filter(assessment=assessment, indicator=indicator, item__isnull=True).order_by("pk")
        ) if may_assign else [],
        "statuses": ItemStatus.choices,
        # the stage before the current one: its reviews stand beside the current ones (what was asked to revise)
        "previous_stage": assessment.previous_stage(assessment.current_stage),
        "may_upload": open_ and bool(rows) and permissions.can(user, permissions.ADD, evidence_probe),
        "levels": [(level, list(group)) for level, group in groupby(rows, key=lambda row: row.item.level)],
    }

"""Evidence per item (PermenPANRB 8/2026): the items an indicator's levels ask for, their files and their status.

Each level of an indicator lists the evidence items it needs (``EvidenceItem``, coded like ``I1-L2-02``). The
internal team attaches files or links to an item (``Evidence.item``, checked by ``Evidence.clean``: the item of
the assessment's instrument and of the same indicator, the one validation path for forms, the API and
carrying over; where a level is documented, ``check_item`` also refuses an item of another level). Each item
carries its own status per stage (``EvidenceItemReview``: accepted, to revise with the assessor's note, or not
yet reviewed), as the Ministry's evaluation application shows it. Who may set a status:
``policies.EvidenceItemReviewPolicy`` (those who verify the stage: asesor internal, the team's penanggung jawab
and asesor, the admin instansi). Permission checks are the caller's; these functions only check the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Stage
from .framework_loader import LEVEL_MAX, LEVEL_MIN
from .models import Assessment, Evidence, EvidenceItem, EvidenceItemReview, Indicator, ItemStatus
from .models.evidence import check_item


@dataclass
class ItemRow:
    """One evidence item of an indicator with what is attached to it and its status at the stage."""

    item: EvidenceItem
    evidence: list = field(default_factory=list)
    review: EvidenceItemReview | None = None
    previous: EvidenceItemReview | None = None  # the review at the stage before (what the assessor asked to revise)

    @property
    def status(self) -> str:
        return self.review.status if self.review else ItemStatus.PENDING.value

    @property
    def status_label(self) -> str:
        return ItemStatus(self.status).label

    @property
    def note(self) -> str:
        return self.review.note if self.review else ""


def items_of(assessment: Assessment, indicator: Indicator, stage=None) -> list[ItemRow]:
    """The indicator's evidence items in order (level, number), each with its evidence, its review at ``stage``
    (default: the assessment's current stage) and its review at the stage before (``previous``, if any).
    Three queries whatever the number of items."""
    stage = str(stage or assessment.current_stage)
    before = assessment.previous_stage(stage)
    items = list(EvidenceItem.objects.filter(indicator=indicator, framework_id=assessment.framework_id)
                 .order_by("level", "number"))
    rows = {item.pk: ItemRow(item) for item in items}
    if not rows:
        return []
    for evidence in (Evidence.objects.filter(assessment=assessment, item_id__in=rows)
                     .select_related("blob").order_by("created", "pk")):
        rows[evidence.item_id].evidence.append(evidence)
    stages = [stage] + ([before.value] if before is not None else [])
    for review in (EvidenceItemReview.objects.filter(assessment=assessment, item_id__in=rows, stage__in=stages)
                   .select_related("reviewed_by")):
        if review.stage == stage:
            rows[review.item_id].review = review
        else:
            rows[review.item_id].previous = review
    return [rows[item.pk] for item in items]


def item_by_code(assessment: Assessment, code: str) -> EvidenceItem:
    """The assessment's instrument item with this code; ``ValidationError`` naming the code otherwise."""
    item = (EvidenceItem.objects.filter(framework_id=assessment.framework_id, code=str(code).strip())
            .select_related("indicator").first())
    if item is None:
        raise ValidationError({"item": _("Butir %(code)s tidak ada dalam kerangka penilaian ini.") % {"code": code}})
    return item


def review_item(assessment: Assessment, item: EvidenceItem, status: str, *, user, note: str = "") -> EvidenceItemReview:
    """Sets the item's status (accepted / to revise / not yet reviewed) at the current stage, with the note.

    Refused with a message naming the item when the item is not of the assessment's instrument, the status is
    unknown, "to revise" comes without a note, or the stage is locked; nothing is written then.
    """
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Butir %(code)s: status “%(v)s” tidak dikenal (pilihan: %(choices)s).")
                               % {"code": item.code, "v": status, "choices": ", ".join(ItemStatus.values)}})
    stage = Stage(assessment.current_stage)
    with transaction.atomic():
        review = (EvidenceItemReview.objects.select_for_update()
                  .filter(assessment=assessment, item=item, stage=stage).first()
                  or EvidenceItemReview(assessment=assessment, item=item, stage=stage))
        review.status = status
        review.note = (note or "").strip()
        review.reviewed_by = user
        review.reviewed_at = timezone.now()
        review.full_clean()
        review.save()
    return review


def item_summary(assessment: Assessment, stage=None) -> dict[int, dict[str, int]]:
    """{indicator number: {status: count}} of the assessment's items at ``stage`` (items never reviewed: pending)."""
    stage = str(stage or assessment.current_stage)
    totals: dict[int, dict[str, int]] = {}
    for number in EvidenceItem.objects.filter(framework_id=assessment.framework_id).values_list(
        "indicator__number", flat=True
    ):
        counts = totals.setdefault(number, {s: 0 for s in ItemStatus.values})
        counts[ItemStatus.PENDING.value] += 1
    for number, status in EvidenceItemReview.objects.filter(assessment=assessment, stage=stage).values_list(
        "item__indicator__number", "status"
    ):
        counts = totals[number]
        counts[ItemStatus.PENDING.value] -= 1
        counts[status] += 1
    return totals


def documented_level(value) -> int | None:
    """The level a caller documents (a form's hidden ``level``, the API's ``level``): 1-5, or None when not given;
    ``ValidationError`` on ``level`` otherwise."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or not LEVEL_MIN <= int(text) <= LEVEL_MAX:
        raise ValidationError({"level": _("Tingkat “%(v)s” tidak dikenal: tingkat %(min)s sampai %(max)s.")
                               % {"v": value, "min": LEVEL_MIN, "max": LEVEL_MAX}})
    return int(text)


def item_for(assessment: Assessment, indicator: Indicator, code, level=None) -> EvidenceItem | None:
    """The item a form names by its code for a new evidence of ``indicator`` (empty: no item), checked as assigning
    it later is (``item_by_code``, ``check_item``): of the assessment's instrument, of the indicator and, where
    ``level`` (the level the team documents) is given, of that level. ``ValidationError`` naming the item otherwise."""
    code = str(code or "").strip()
    level = documented_level(level)
    if not code:
        return None
    item = item_by_code(assessment, code)
    check_item(item, assessment, indicator, level)
    return item


def assign_item(evidence: Evidence, item: EvidenceItem | None, level: int | None = None) -> Evidence:
    """Attaches an evidence to one of its indicator's items (None: to no item); checked by ``Evidence.clean``.

    ``level``: the level the team is documenting (the items panel's form of that level); an item of another
    level is refused naming the item and both levels, and nothing is written.
    """
    if item is not None and level is not None:
        check_item(item, evidence.assessment, evidence.indicator, level)
    evidence.item = item
    evidence.full_clean()
    evidence.save(update_fields=["item", "updated"])
    return evidence

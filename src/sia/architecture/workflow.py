"""The review workflow of architecture objects: draft -> diajukan -> dikembalikan | diverifikasi -> divalidasi.

Any model with ``institution``, ``department``, ``status`` (``ReviewStatus``) and ``lock_version`` goes through it
too (the roadmap's kegiatan): the DomainSpec checks apply only to the objects that declare one.

Plain functions: views, the API and importers call them, tests call them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sia.core import bulk_insert, permissions, review_gates
from sia.core.roles import Role
from sia.notifications import services as notifications

from . import notices
from .choices import REVIEWED
from .choices import ReviewStatus as S
from .models import ReviewEvent

A = ReviewEvent.Action
STATUS_FIELDS = ("status", "status_since")  # what a move in the workflow changes (``_move``)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset
    target: str
    roles: frozenset
    comment_required: bool = False


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(A.SUBMIT, gettext_lazy("Ajukan"), frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED,
                   frozenset({Role.OPERATOR, Role.ADMIN})),
        Transition(A.RETURN, gettext_lazy("Kembalikan"), frozenset({S.SUBMITTED, S.VERIFIED}), S.RETURNED,
                   frozenset({Role.VERIFIER, Role.ADMIN}), comment_required=True),
        Transition(A.VERIFY, gettext_lazy("Verifikasi"), frozenset({S.SUBMITTED}), S.VERIFIED,
                   frozenset({Role.VERIFIER, Role.ADMIN})),
        Transition(A.VALIDATE, gettext_lazy("Validasi"), frozenset({S.VERIFIED}), S.VALIDATED, frozenset({Role.ADMIN})),
    )
}
COMMENTERS = frozenset({Role.OPERATOR, Role.VERIFIER, Role.ADMIN, Role.ASSESSOR})


class TransitionError(ValidationError):
    pass


class StaleTransition(TransitionError):
    """The object's status changed since the user read it (another user's transition in between): the API answers
    409 Conflict, as for a stale edit; the page shows the message."""


def roles_for(user, obj) -> set[str]:
    if user.is_superuser:
        return set(Role)
    roles = set()
    for grant in permissions.grants(user):
        if grant.institution_id != obj.institution_id:
            continue
        if grant.role == Role.OPERATOR and grant.department_id != obj.department_id:
            continue
        roles.add(grant.role)
    return roles


def available(obj, user) -> list[Transition]:
    roles = roles_for(user, obj)
    return [t for t in TRANSITIONS.values() if obj.status in t.sources and roles & t.roles]


def submit_problems(obj) -> list[str]:
    """What must be true before an object can be submitted for review: its reference (where the domain
    requires one), every link its declaration says it needs ("1", "1..*"), and the object's own hook
    (``obj.submit_problems()``). An object of another app without a ``DomainSpec`` (a kegiatan of the roadmap)
    goes through the same workflow with its hook only."""
    problems = []
    spec = getattr(type(obj), "spec", None)
    if spec is not None:
        if spec.reference_required_to_submit and not obj.reference_id:
            problems.append(_("Referensi arsitektur belum dipilih."))
        problems.extend(cardinality_problems(obj))
    hook = getattr(obj, "submit_problems", None)
    if callable(hook):
        problems.extend(hook())
    return problems


def required_links(model) -> list:
    """The declared links an object of ``model`` must have before it is submitted (cardinality "1" or "1..*")."""
    return [link for link in model.spec.links if link.cardinality in ("1", "1..*")]


def link_is_empty(obj, link) -> bool:
    if link.through or obj._meta.get_field(link.field).many_to_many:
        return obj.pk is None or not getattr(obj, link.field).exists()
    return getattr(obj, obj._meta.get_field(link.field).attname) is None


def cardinality_problems(obj) -> list[str]:
    """One message per required link (``LinkSpec.cardinality``) the object leaves empty, naming the link."""
    model = type(obj)
    problems = []
    for link in required_links(model):
        if not link_is_empty(obj, link):
            continue
        values = {"model": model._meta.verbose_name, "meaning": link.meaning,
                  "target": link.target_model(model)._meta.verbose_name}
        if link.cardinality == "1..*":
            problems.append(_("%(model)s harus %(meaning)s minimal satu %(target)s sebelum diajukan.") % values)
        else:
            problems.append(_("%(model)s harus %(meaning)s satu %(target)s sebelum diajukan.") % values)
    return problems


def _record(obj, user, action, from_status="", to_status="", comment="", at=None):
    """The review event; ``at`` (default now) is the object's ``status_since`` when the event sets its status."""
    return ReviewEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, institution_id=obj.institution_id,
        action=action, from_status=from_status, to_status=to_status, comment=comment.strip(), user=user,
        created=at or timezone.now(),
    )


def _move(obj, status) -> None:
    """Sets ``obj``'s status and the time it entered it (``status_since``, the review queues' order)."""
    obj.status, obj.status_since = status, timezone.now()


def _check_length(text: str) -> None:
    from .models.base import FREE_TEXT_MAX

    if len(text.strip()) > FREE_TEXT_MAX:
        raise TransitionError(_("Komentar terlalu panjang: %(n)d karakter, paling banyak %(max)d.") % {
            "n": len(text.strip()), "max": FREE_TEXT_MAX})


def apply(obj, action: str, user, comment: str = "") -> ReviewEvent:
    """Moves ``obj`` through ``action``; raises TransitionError (nothing changes) when not allowed, including
    when a condition an upper app registered refuses it (``sia.core.review_gates``)."""
    _check_length(comment)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionError(_("Tindakan tidak dikenal: %(action)s.") % {"action": action})
    if not permissions.can(user, permissions.VIEW, obj):
        raise PermissionDenied
    if obj.status not in transition.sources:
        raise TransitionError(
            _("Tidak dapat %(action)s: status sekarang %(status)s.")
            % {"action": str(transition.label).lower(), "status": obj.get_status_display()}
        )
    if not roles_for(user, obj) & transition.roles:
        raise PermissionDenied(_("Peran Anda tidak berwenang untuk tindakan %(action)s.") % {"action": transition.label})
    if transition.comment_required and not comment.strip():
        raise TransitionError(_("Tuliskan alasan pengembalian agar operator tahu apa yang harus diperbaiki."))
    if action == A.SUBMIT:
        problems = submit_problems(obj)
        if problems:
            raise TransitionError(problems)
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if locked.status != obj.status:
            raise StaleTransition(_("Objek ini baru saja diubah orang lain; muat ulang halaman."))
        problems = review_gates.problems(locked, action, user)  # conditions of upper apps (sia.core.review_gates)
        if problems:
            raise TransitionError(problems)
        previous = locked.status
        _move(locked, transition.target)
        locked.lock_version += 1
        locked._history_user = user
        locked.save(update_fields=[*STATUS_FIELDS, "lock_version", "updated"])
        obj.status, obj.status_since, obj.lock_version = locked.status, locked.status_since, locked.lock_version
        event = _record(obj, user, action, previous, transition.target, comment, at=obj.status_since)
        notices.review_step(obj, event)  # the OPD's operators hear of it (sia.notifications), in this transaction
        return event


def comment(obj, user, text: str) -> ReviewEvent:
    if not text.strip():
        raise TransitionError(_("Komentar kosong."))
    _check_length(text)
    if not roles_for(user, obj) & COMMENTERS:
        raise PermissionDenied
    return _record(obj, user, A.COMMENT, comment=text)


def reopen_if_reviewed(obj, user) -> bool:
    """Editing a verified or validated object sends it back to draft; returns True when it did."""
    if obj.status not in REVIEWED:
        return False
    previous = obj.status
    _move(obj, S.DRAFT)
    _record(obj, user, A.REOPEN, previous, S.DRAFT, at=obj.status_since)
    return True


def record_creation(obj, user) -> ReviewEvent:
    return _record(obj, user, A.CREATE, "", obj.status, at=obj.status_since)


def record_creations(objects, user) -> None:
    """``record_creation`` of many saved objects in one insert (``sia.core.bulk_insert``; the Excel import)."""
    names = ["content_type", "object_id", "institution_id", "action", "from_status", "to_status", "comment", "user",
             "created"]
    types, user_id = {}, getattr(user, "pk", user)
    rows = []
    for obj in objects:
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model).pk
        rows.append((types[model], obj.pk, obj.institution_id, A.CREATE, "", obj.status, "", user_id, obj.status_since))
    bulk_insert.insert_rows(ReviewEvent, names, rows)


def restamp(model, ids) -> None:
    """Sets the ``status_since`` of ``model``'s objects ``ids`` to the time of their latest review event into their
    status (after their events were written or moved back in time outside ``apply``: the demo's conversations)."""
    latest = ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), to_status=OuterRef("status"),
    ).order_by("-created", "-pk").values("created")[:1]
    model.objects.filter(pk__in=ids).update(status_since=Coalesce(Subquery(latest), F("status_since")))


def conversation(obj):
    return ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("user")


def bulk_apply(objects, action: str, user, comment: str = "") -> tuple[list, list[tuple]]:
    """Applies one action to many objects; returns (done, [(obj, message)])."""
    done, failed = [], []
    with notifications.batch():  # one insert of every notification of the bulk action
        for obj in objects:
            try:
                apply(obj, action, user, comment)
                done.append(obj)
            except (TransitionError, PermissionDenied) as error:
                failed.append((obj, "; ".join(getattr(error, "messages", [str(error)]))))
    return done, failed


# --- what a user's roles let them do around the workflow (views and the API ask here) -----------
def can_read_history(user, obj) -> bool:
    """The audit trail and the review conversation (they hold earlier, draft values): the policy's HISTORY."""
    return permissions.can(user, permissions.HISTORY, obj)


def can_comment(user, obj) -> bool:
    return bool(roles_for(user, obj) & COMMENTERS)


def can_submit_some(user, model) -> bool:
    """Whether a list of ``model`` offers the user to submit several drafts at once (writers somewhere)."""
    return permissions.can_anywhere(user, permissions.ADD, model)


REVIEW_QUEUES = (S.SUBMITTED, S.VERIFIED)


def awaits_review_by(obj, transitions) -> bool:
    """Whether ``obj`` waits in a review queue for the user who has ``transitions`` (from ``available``)."""
    return obj.status in REVIEW_QUEUES and any(t.action != A.SUBMIT for t in transitions)

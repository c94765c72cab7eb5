"""Who hears of a review step (``sia.notifications``): a returned object, with the reviewer's comment, goes to the
operators of its OPD and to its author; a verified or validated one to the operators of its OPD. Never the one who
acted. ``notify`` drops whoever may not see the object and writes the rest in one insert.

Only ``workflow.apply`` (page, API, bulk action) calls ``review_step``: the Excel import and the demo loaders that
write review events in bulk (creation, reopening) notify nobody, row by row or otherwise.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from sia.core.roles import Role
from sia.notifications import kinds
from sia.notifications.services import notify

from .models import ReviewEvent

A = ReviewEvent.Action
KIND_OF = {A.RETURN: kinds.REVIEW_RETURNED.key, A.VERIFY: kinds.REVIEW_VERIFIED.key,
           A.VALIDATE: kinds.REVIEW_VALIDATED.key}


def recipients(obj, action, exclude_id=None) -> list:
    """The active operators of the object's OPD (and, for a return, the user who created it): one query."""
    User = get_user_model()
    operators = User.objects.filter(
        memberships__is_active=True, memberships__role=Role.OPERATOR, memberships__department_id=obj.department_id,
        memberships__institution_id=obj.institution_id,
    ).values("pk")
    who = Q(pk__in=operators)
    if action == A.RETURN:
        author = ReviewEvent.objects.filter(content_type=ContentType.objects.get_for_model(type(obj)),
                                            object_id=obj.pk, action=A.CREATE, user__isnull=False).values("user_id")
        who |= Q(pk__in=author)
    users = User.objects.filter(who, is_active=True).exclude(pk=exclude_id or 0).order_by("pk")
    return list(users)


def message_for(obj, event) -> str:
    values = {"kind": obj._meta.verbose_name, "name": _label(obj), "who": _who(event.user)}
    if event.action == A.RETURN:
        return _("%(kind)s %(name)s dikembalikan oleh %(who)s: %(comment)s") % {**values, "comment": event.comment}
    if event.action == A.VERIFY:
        return _("%(kind)s %(name)s diverifikasi oleh %(who)s.") % values
    return _("%(kind)s %(name)s divalidasi oleh %(who)s.") % values


def _label(obj) -> str:
    code = getattr(obj, "code", "")
    return f"{code} «{obj.name}»" if code else f"«{obj}»"


def _who(user) -> str:
    if user is None:
        return _("sistem")
    return user.get_full_name() or user.username


def review_step(obj, event) -> list:
    """The notifications of one transition (``event``) of ``obj``; nothing for submit, comments and the rest."""
    kind = KIND_OF.get(event.action)
    if kind is None:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in Indonesian, whatever the reviewer's language
        message = message_for(obj, event)
    return notify(recipients(obj, event.action, exclude_id=event.user_id), kind, obj, message)

"""The invitation to a kegiatan (``sia.notifications``, kind ``workshop-invitation``): sent when the kegiatan is
saved by the page's form or the API (``views.WorkshopEditView.save_form``, ``api.views.WorkshopViewSet``), after
its invited OPDs and mentors are set, to ``services.invitation_recipients`` (the invited OPDs' active operators and
the mentors, the organiser excepted). On an edit those newly invited get the invitation, and when the time or the
place changed (``ARRANGEMENT``) those invited before get a notice of the change (same kind, "diubah"). Never for a
session that is over, and not from the demo loader (which writes past sessions). Who becomes one of the invited
after the invitation went out (an operator who joins an invited OPD, a user made active again) is invited by the
daily notice source ``late_invitations`` (``sia notify_daily``): every kegiatan still to come, to its invited who
were never told of it. ``notify`` drops whoever may not see the kegiatan and writes the rest in one insert; e-mail
follows the commit for who chose immediate e-mail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sia.notifications import kinds
from sia.notifications.models import Notification
from sia.notifications.services import Notice, notify

from .choices import WorkshopMode
from .models import Workshop
from .services import invitation_recipients

SOURCE = "workshop-invitations"


def invited_ids(workshop) -> set[int]:
    """The IDs of the users invited to ``workshop`` as saved now (none before its first save)."""
    if workshop.pk is None:
        return set()
    return set(invitation_recipients(workshop).values_list("pk", flat=True))


ARRANGEMENT = ("starts_at", "ends_at", "mode", "place", "meeting_link")  # what the invited must hear of when it changes


def arrangement(workshop) -> tuple | None:
    """The time and place of ``workshop`` as saved now (read from the database: a form or serializer may have set
    the new values on the instance already), None before its first save."""
    if workshop.pk is None:
        return None
    return type(workshop).objects.filter(pk=workshop.pk).values_list(*ARRANGEMENT).first()


def when(workshop) -> str:
    starts, ends = timezone.localtime(workshop.starts_at), timezone.localtime(workshop.ends_at)
    text = f"{starts:%d-%m-%Y %H.%M}"
    text += f"–{ends:%H.%M}" if starts.date() == ends.date() else f" – {ends:%d-%m-%Y %H.%M}"
    return f"{text} {starts.tzname()}"


def where(workshop) -> str:
    values = {"place": workshop.place, "link": workshop.meeting_link}
    if workshop.mode == WorkshopMode.ONLINE:
        return _("daring: %(link)s") % values
    if workshop.mode == WorkshopMode.HYBRID:
        return _("hibrida, di %(place)s atau daring: %(link)s") % values
    return _("tatap muka di %(place)s") % values


def message_for(workshop) -> str:
    return _("Undangan %(kind)s «%(title)s»: %(when)s, %(where)s.") % {
        "kind": workshop.get_kind_display(), "title": workshop.title, "when": when(workshop),
        "where": where(workshop)}


def changed_message_for(workshop) -> str:
    return _("Undangan %(kind)s «%(title)s» diubah: kini %(when)s, %(where)s.") % {
        "kind": workshop.get_kind_display(), "title": workshop.title, "when": when(workshop),
        "where": where(workshop)}


def send_invitations(workshop, already=frozenset(), arranged_before: tuple | None = None) -> list:
    """Tells the invited users of ``workshop`` not in ``already`` (IDs invited before the edit) of it, and, when
    ``arranged_before`` (``arrangement`` before the edit) differs from its time and place now, those in ``already``
    of the change; nothing for a session that is over. Returns the notifications written."""
    if workshop.ends_at is None or workshop.ends_at <= timezone.now():
        return []
    users = list(invitation_recipients(workshop))
    new = [user for user in users if user.pk not in already]
    changed = arranged_before is not None and tuple(arranged_before) != tuple(
        getattr(workshop, name) for name in ARRANGEMENT)
    told = [user for user in users if user.pk in already] if changed else []
    written = []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in Indonesian, whatever the organiser's
        if new:
            written += notify(new, kinds.WORKSHOP_INVITATION.key, workshop, message_for(workshop))
        if told:
            written += notify(told, kinds.WORKSHOP_INVITATION.key, workshop, changed_message_for(workshop))
    return written


def late_invitations(day):
    """The ``Notice`` rows of ``day`` (``sia.notifications`` source ``workshop-invitations``): for each kegiatan not
    over yet, its invitation to the invited users who never had one of it (read or not): an operator who joined an
    invited OPD after it went out. Two queries, then one per kegiatan still to come (few at any time)."""
    now = timezone.now()
    workshops = list(Workshop.objects.filter(ends_at__gt=now, ends_at__date__gte=day)
                     .select_related("institution").order_by("starts_at", "pk"))
    if not workshops:
        return
    told = set(Notification.objects.filter(
        kind=kinds.WORKSHOP_INVITATION.key, content_type=ContentType.objects.get_for_model(Workshop),
        object_id__in=[w.pk for w in workshops]).values_list("object_id", "recipient_id"))
    notices = []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in Indonesian
        for workshop in workshops:
            late = [user for user in invitation_recipients(workshop) if (workshop.pk, user.pk) not in told]
            if late:
                notices.append(Notice(tuple(late), kinds.WORKSHOP_INVITATION.key, workshop, message_for(workshop)))
    yield from notices

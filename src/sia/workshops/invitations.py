"""The invitation to a kegiatan (``sia.notifications``, kind ``workshop-invitation``): sent when the kegiatan is
saved by the page's form or the API (``views.WorkshopEditView.save_form``, ``api.views.WorkshopViewSet``), after
its invited OPDs and mentors are set, to ``services.invitation_recipients`` (the invited OPDs' active operators and
the mentors, the organiser excepted). On an edit only those newly invited are told. Never for a session that is
over, and not from the demo loader (which writes past sessions). ``notify`` drops whoever may not see the kegiatan
and writes the rest in one insert; e-mail follows the commit for who chose immediate e-mail."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sia.notifications import kinds
from sia.notifications.services import notify

from .choices import WorkshopMode
from .services import invitation_recipients


def invited_ids(workshop) -> set[int]:
    """The IDs of the users invited to ``workshop`` as saved now (none before its first save)."""
    if workshop.pk is None:
        return set()
    return set(invitation_recipients(workshop).values_list("pk", flat=True))


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


def send_invitations(workshop, already=frozenset()) -> list:
    """Tells the invited users of ``workshop`` not in ``already`` (IDs invited before the edit) of it; nothing
    for a session that is over. Returns the notifications written."""
    if workshop.ends_at is None or workshop.ends_at <= timezone.now():
        return []
    users = [user for user in invitation_recipients(workshop) if user.pk not in already]
    if not users:
        return []
    with translation.override(settings.LANGUAGE_CODE):  # stored text: in Indonesian, whatever the organiser's
        message = message_for(workshop)
    return notify(users, kinds.WORKSHOP_INVITATION.key, workshop, message)

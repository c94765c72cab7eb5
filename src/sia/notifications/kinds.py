"""The registry of notification kinds: a key stored on each notification and its Indonesian label.

Apps register their kinds at import time (``register_kind("review-returned", _("Dikembalikan"))``); the
notification centre, its filters, the API and the e-mails read the labels from here. A kind nobody registered is
refused by ``Notification.clean()`` and by ``notify``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    order: int = 100


_kinds: dict[str, Kind] = {}


def register_kind(key: str, label, order: int = 100) -> Kind:
    """Declares a kind; registering the same key again with the same label is harmless (module reloads)."""
    if len(key) > 40:
        raise ValueError(f"notification kind {key!r} is longer than 40 characters")
    kind = Kind(key, label, order)
    _kinds[key] = kind
    return kind


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def is_known(key: str) -> bool:
    return key in _kinds


def label_of(key: str):
    kind = _kinds.get(key)
    return kind.label if kind is not None else key


# The kinds of the programme (issue 17), declared here so that the apps that produce them (the review workflow in
# sia.architecture, deadlines in sia.progress, invitations in sia.workshops) share one vocabulary.
REVIEW_RETURNED = register_kind("review-returned", _("Dikembalikan dengan catatan"), 10)
REVIEW_VERIFIED = register_kind("review-verified", _("Diverifikasi"), 20)
REVIEW_VALIDATED = register_kind("review-validated", _("Divalidasi"), 30)
DEADLINE_APPROACHING = register_kind("deadline-approaching", _("Tenggat mendekat"), 40)
DEADLINE_MISSED = register_kind("deadline-missed", _("Tenggat terlewat"), 50)
WORKSHOP_INVITATION = register_kind("workshop-invitation", _("Undangan kegiatan"), 60)

"""API tokens: issued with a lifetime (``SIA_API_TOKEN_DAYS``), several per user, revoked by their
owner, by an admin of an instansi the owner belongs to, or by a superuser (``sia.core.permissions``).
Every issue and revoke is in the audit trail of :class:`~sia.core.models.ApiToken`."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions
from .models import ApiToken

DEFAULT_NAME = "API"


def lifetime() -> timedelta:
    return timedelta(days=settings.SIA_API_TOKEN_DAYS)


@transaction.atomic
def issue_token(user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: (row, the key, shown only now). A token of the user with the same
    name is revoked: asking again under one name replaces that token."""
    name = (name or DEFAULT_NAME).strip()[:100] or DEFAULT_NAME
    for old in ApiToken.objects.filter(user=user, name=name):
        _delete(old, _("Diganti token baru dengan nama yang sama"))
    return ApiToken.objects.create(user=user, expiry=lifetime(), name=name)


def _delete(token: ApiToken, reason: str) -> None:
    token._change_reason = reason
    token.delete()


@transaction.atomic
def revoke_token(actor, token: ApiToken) -> None:
    """Revokes ``token``; PermissionDenied unless ``actor`` may (own token, admin of the owner's instansi,
    superuser)."""
    if not permissions.can(actor, permissions.DELETE, token):
        raise PermissionDenied(_("Anda tidak berwenang mencabut token ini."))
    own = token.user_id == actor.pk
    _delete(token, _("Dicabut pemiliknya") if own else _("Dicabut oleh %(user)s") % {"user": actor.username})


def revoke_all(user) -> int:
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        revoke_token(user, token)
    return len(tokens)

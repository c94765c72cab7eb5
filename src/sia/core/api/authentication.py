"""``Authorization: Token <key>`` with expiring, hashed, revocable tokens (django-rest-knox, SIA's
:class:`~sia.core.models.ApiToken`): an expired token is refused with a message that says so."""

from __future__ import annotations

import binascii
from datetime import timedelta
from hmac import compare_digest

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from sia.core.models import ApiToken

LAST_USED_EVERY = timedelta(minutes=1)  # at most one write per token and minute


class TokenRefused(exceptions.APIException):
    """401 with ``WWW-Authenticate: Token`` for a token that is unknown, revoked or expired. (DRF would
    turn an AuthenticationFailed into 403 because session authentication comes first.)"""

    status_code = 401
    default_code = "authentication_failed"
    auth_header = "Token"


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            key = token.decode("utf-8")
            digest = hash_token(key)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise TokenRefused(_("Token tidak sah."))
        candidates = ApiToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user")
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.is_expired:
                raise TokenRefused(_(
                    "Token API ini kedaluwarsa pada %(date)s. Buat token baru di halaman Token API "
                    "(/akun/token-api/) atau lewat POST /api/auth/token/."
                ) % {"date": formats.date_format(timezone.localtime(auth_token.expiry), "DATETIME_FORMAT")})
            if not auth_token.user.is_active:
                raise TokenRefused(_("Akun pemilik token ini tidak aktif."))
            now = timezone.now()
            if auth_token.last_used is None or now - auth_token.last_used >= LAST_USED_EVERY:
                ApiToken.objects.filter(pk=auth_token.pk).update(last_used=now)  # not an audited change
            return auth_token.user, auth_token
        raise TokenRefused(_("Token tidak sah atau sudah dicabut."))


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema, as it was before tokens came from knox."""

    target_class = "sia.core.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": _("Token API dengan awalan “Token”, mis. Authorization: Token <token>. Berlaku "
                             "terbatas (lihat expiry saat token dibuat) dan dapat dicabut."),
        }

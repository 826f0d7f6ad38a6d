"""API token authentication with an expiry and the account's lockout (等保2.0: 身份鉴别).

DRF's ``Token`` stays the token model (one per user, ``Authorization: Token …``); this
subclass adds what DRF leaves out: a token stops working ``API_TOKEN_TTL_HOURS`` after
it was issued, and while django-axes locks the account out. Tokens are also deleted
when the password changes, the account is locked out or disabled (``services``); the
checks here also cover a token issued while the account was locked.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_expires_at(token: Token) -> datetime:
    """When a token stops working: its issue time plus the configured lifetime."""
    return token.created + timedelta(hours=settings.API_TOKEN_TTL_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing expired tokens and locked or disabled accounts with a 401."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _token = result
        # django-axes decides lockouts (failures within the cool-off, per username): ask it, not a copy of its rule.
        if AxesProxyHandler.is_locked(request._request, credentials={"username": user.get_username()}):
            raise AuthenticationFailed(
                _("This account is locked after repeated failed logins; its API token works again once it is unlocked.")
            )
        return result

    def authenticate_credentials(self, key):
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed(
                _(
                    "Invalid or revoked API token. A token is revoked when the password changes or the account "
                    "is locked or disabled; issue a new one under “My account”."
                )
            )
        if not token.user.is_active:
            raise AuthenticationFailed(_("This account is disabled."))
        expires = token_expires_at(token)
        if expires <= timezone.now():
            raise AuthenticationFailed(
                _("This API token expired at %(time)s; issue a new one under “My account”.")
                % {"time": timezone.localtime(expires).strftime("%Y-%m-%d %H:%M")}
            )
        return token.user, token

"""Scoped reads of accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anjian.accounts.authentication import token_expires_at
from anjian.accounts.models import User


def users_for(user):
    """The accounts the user may see, grouped by district and unit."""
    return (
        User.objects.visible_to(user)
        .select_related("org_unit", "org_unit__district")
        .order_by("org_unit__district_id", "org_unit_id", "username")
    )


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts django-axes currently locks out (one query for a whole page)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )


@dataclass(frozen=True)
class ApiTokenInfo:
    """What the profile page tells about the user's token: never the key, only its first characters."""

    prefix: str
    created: datetime
    expires_at: datetime
    expired: bool


def api_token_of(user) -> ApiTokenInfo | None:
    token = Token.objects.filter(user=user).first()
    if token is None:
        return None
    expires_at = token_expires_at(token)
    return ApiTokenInfo(
        prefix=token.key[:6], created=token.created, expires_at=expires_at, expired=expires_at <= timezone.now()
    )

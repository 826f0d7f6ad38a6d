"""API tokens expire, and a password change, a lockout or a disabled account ends them.

Every step goes through the real pages and endpoints: the token is issued on "我的账号",
the password changed on its page, the lockout caused by failed logins, the account
disabled by the system administrator, and the token tried on /api/me/.
"""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from anjian.accounts.testing import CAST_PASSWORD
from anjian.core.models import AuditEntry

LOGIN = "/accounts/login/"
NEW_PASSWORD = "Xin#Mima2026"


def _issue_token(client, user) -> str:
    """Issue a token on the profile page and read it where the user reads it (shown once)."""
    if client.session.get("_auth_user_id") != str(user.pk):
        # Only when not yet logged in: a login clears django-axes' failures (AXES_RESET_ON_SUCCESS).
        client.force_login(user)
    client.post(reverse("accounts:token_issue"))
    page = client.get(reverse("accounts:profile")).content.decode()
    return html.unescape(page.split('data-testid="api-token">')[1].split("<")[0])


def _call_api(key: str):
    """A script's call: a fresh client with nothing but the token."""
    return Client().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")


def _lock_out(username: str) -> None:
    attacker = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": username, "password": "wrong-password"})


@pytest.mark.django_db
class TestExpiry:
    def test_the_default_lifetime_is_thirty_days(self):
        assert settings.API_TOKEN_TTL_HOURS == 30 * 24

    def test_a_token_works_until_it_expires_and_is_refused_after(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        issued = Token.objects.get(key=key).created
        lifetime = timedelta(hours=settings.API_TOKEN_TTL_HOURS)
        with time_machine.travel(issued + lifetime - timedelta(minutes=1)):
            assert _call_api(key).status_code == 200
        with time_machine.travel(issued + lifetime + timedelta(seconds=1)):
            response = _call_api(key)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert "过期" in response.json()["detail"]

    def test_the_lifetime_follows_the_setting(self, client, cast, settings):
        settings.API_TOKEN_TTL_HOURS = 2
        key = _issue_token(client, cast.street_officer)
        with time_machine.travel(timezone.now() + timedelta(hours=2, seconds=1)):
            assert _call_api(key).status_code == 401

    def test_the_profile_page_shows_when_the_token_expires(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        expires = timezone.localtime(Token.objects.get(key=key).created + timedelta(hours=settings.API_TOKEN_TTL_HOURS))
        page = client.get(reverse("accounts:profile")).content.decode()
        assert "有效期至" in page and expires.strftime("%Y-%m-%d %H:%M") in page
        with time_machine.travel(expires + timedelta(minutes=1)):
            client.force_login(cast.street_officer)
            page = client.get(reverse("accounts:profile")).content.decode()
        assert "已过期" in page

    def test_the_page_showing_a_new_token_is_kept_by_no_cache(self, client, cast):
        client.force_login(cast.street_officer)
        response = client.post(reverse("accounts:token_issue"), follow=True)
        assert Token.objects.get(user=cast.street_officer).key in response.content.decode()
        assert "no-store" in response.headers["Cache-Control"]

    def test_a_new_token_gets_a_fresh_lifetime(self, client, cast):
        old = _issue_token(client, cast.street_officer)
        with time_machine.travel(timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS - 1)):
            new = _issue_token(client, cast.street_officer)
        with time_machine.travel(timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS + 1)):
            assert _call_api(new).status_code == 200
            assert _call_api(old).status_code == 401


@pytest.mark.django_db
class TestRevocation:
    def test_changing_ones_own_password_ends_the_token(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": CAST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302
        response = _call_api(key)
        assert response.status_code == 401
        assert "撤销" in response.json()["detail"]
        assert not Token.objects.filter(user=cast.street_officer).exists()
        assert AuditEntry.objects.filter(action="accounts.token.revoke", object_id=str(cast.street_officer.pk)).exists()

    def test_a_password_reset_by_the_administrator_ends_the_token(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        admin = Client()
        admin.force_login(cast.system_admin)
        admin.post(reverse("accounts:user_reset_password", args=[cast.street_officer.pk]))
        assert _call_api(key).status_code == 401

    def test_a_lockout_ends_the_token(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        assert _call_api(key).status_code == 200
        _lock_out("street_in")
        response = _call_api(key)
        assert response.status_code == 401
        assert not Token.objects.filter(user=cast.street_officer).exists()
        entry = AuditEntry.objects.get(action="accounts.token.revoke", object_id=str(cast.street_officer.pk))
        assert entry.actor_id is None and entry.after == {"reason": "locked_out"}

    def test_a_token_issued_while_the_account_is_locked_works_only_after_the_lock(self, client, cast):
        # A session opened before the lockout can still reach the profile page and issue a token.
        client.force_login(cast.street_officer)
        _lock_out("street_in")
        key = _issue_token(client, cast.street_officer)
        response = _call_api(key)
        assert response.status_code == 401
        assert "锁定" in response.json()["detail"]
        with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
            assert _call_api(key).status_code == 200

    def test_unlocking_by_the_administrator_lets_a_new_token_work(self, client, cast):
        client.force_login(cast.street_officer)
        _lock_out("street_in")
        key = _issue_token(client, cast.street_officer)
        admin = Client()
        admin.force_login(cast.system_admin)
        admin.post(reverse("accounts:user_unlock", args=[cast.street_officer.pk]))
        assert _call_api(key).status_code == 200

    def test_a_lockout_of_another_account_leaves_the_token_alone(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        _lock_out("street_out")
        assert _call_api(key).status_code == 200

    def test_disabling_the_account_ends_the_token(self, client, cast):
        key = _issue_token(client, cast.street_officer)
        admin = Client()
        admin.force_login(cast.system_admin)
        admin.post(reverse("accounts:user_set_active", args=[cast.street_officer.pk]), {"active": "0"})
        response = _call_api(key)
        assert response.status_code == 401
        assert "撤销" in response.json()["detail"]
        # Enabled again, the account does not get its old token back.
        admin.post(reverse("accounts:user_set_active", args=[cast.street_officer.pk]), {"active": "1"})
        assert _call_api(key).status_code == 401

    def test_a_token_of_a_disabled_account_is_refused_in_chinese(self, client, cast):
        # Belt and braces for an account disabled outside the service (a database update).
        key = _issue_token(client, cast.street_officer)
        type(cast.street_officer).objects.filter(pk=cast.street_officer.pk).update(is_active=False)
        response = _call_api(key)
        assert response.status_code == 401
        assert response.json()["detail"] == "该账号已停用。"

    def test_an_unknown_token_is_refused_in_chinese(self, cast):
        response = _call_api("0" * 40)
        assert response.status_code == 401
        assert "令牌" in response.json()["detail"]

"""Login security, 等保2.0 level 3 basics: lockout, password rules, idle expiry, forced change, audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.accounts import services
from anjian.accounts.testing import CAST_PASSWORD
from anjian.accounts.validators import CharacterClassesValidator
from anjian.core.models import AuditEntry

LOGIN = "/accounts/login/"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.mark.django_db
class TestLockout:
    def test_it_locks_the_account_after_five_failures_even_for_the_right_password(self, client, cast):
        for _attempt in range(5):
            response = _login(client, "street_in", "wrong-password")
            assert response.status_code in (200, 429)
        response = _login(client, "street_in", CAST_PASSWORD)
        assert response.status_code == 429
        assert "锁定" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="auth.locked_out", object_repr="street_in").exists()

    def test_four_failures_do_not_lock(self, client, cast):
        for _attempt in range(4):
            _login(client, "street_in", "wrong-password")
        response = _login(client, "street_in", CAST_PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(cast.street_officer.pk)

    def test_the_lock_lifts_after_fifteen_minutes(self, client, cast):
        for _attempt in range(5):
            _login(client, "street_in", "wrong-password")
        assert _login(client, "street_in", CAST_PASSWORD).status_code == 429
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
        assert _login(client, "street_in", CAST_PASSWORD).status_code == 302

    def test_lockout_is_per_account(self, client, cast):
        for _attempt in range(5):
            _login(client, "street_in", "wrong-password")
        assert _login(client, "street_out", CAST_PASSWORD).status_code == 302

    def test_the_system_administrator_can_unlock(self, client, cast):
        for _attempt in range(5):
            _login(client, "street_in", "wrong-password")
        client.force_login(cast.system_admin)
        page = client.get(reverse("accounts:user_detail", args=[cast.street_officer.pk]))
        assert "解锁" in page.content.decode()
        client.post(reverse("accounts:user_unlock", args=[cast.street_officer.pk]))
        client.logout()
        assert _login(client, "street_in", CAST_PASSWORD).status_code == 302
        assert AuditEntry.objects.filter(action="accounts.user.unlock").exists()

    def test_failures_and_logins_and_logouts_are_audited(self, client, cast):
        _login(client, "street_in", "wrong-password")
        _login(client, "street_in", CAST_PASSWORD)
        client.post(reverse("accounts:logout"))
        actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
        assert actions[-3:] == ["auth.login_failed", "auth.login", "auth.logout"]
        failed = AuditEntry.objects.get(action="auth.login_failed")
        assert failed.object_repr == "street_in" and failed.org_unit_id == cast.street.pk
        assert failed.ip == "127.0.0.1"


class TestPasswordRules:
    @pytest.mark.parametrize(
        ("password", "ok"),
        [
            ("Tqmzvbk7", True),  # upper, lower, digit
            ("tqmz#vk7", True),  # lower, digit, symbol
            ("TQMZ#VK7", True),  # upper, digit, symbol
            ("Tqmzvbk!", True),  # upper, lower, symbol
            ("tqmzvbkx7", False),  # two classes
            ("TQMZVBKX!", False),
            ("Tq7!", False),  # three classes but shorter than 8
            ("Tq7!xyz", False),  # 7 characters
        ],
    )
    def test_it_requires_eight_characters_of_three_classes(self, password, ok):
        if ok:
            validate_password(password)
        else:
            with pytest.raises(ValidationError):
                validate_password(password)

    def test_the_message_is_in_chinese(self):
        with pytest.raises(ValidationError) as excinfo:
            CharacterClassesValidator(3).validate("abcdefgh")
        assert "至少" in excinfo.value.messages[0]

    @pytest.mark.django_db
    def test_a_weak_new_password_is_refused_with_the_reason(self, client, cast):
        client.force_login(cast.street_officer)
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": CAST_PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
        )
        assert response.status_code == 200
        assert "至少" in response.content.decode()
        cast.street_officer.refresh_from_db()
        assert cast.street_officer.check_password(CAST_PASSWORD)


@pytest.mark.django_db
class TestSessionExpiry:
    def test_sessions_expire_after_thirty_idle_minutes(self, client, cast):
        assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
        _login(client, "street_in", CAST_PASSWORD)
        response = client.get("/")
        assert response.status_code == 200
        session = Session.objects.get(session_key=client.session.session_key)
        remaining = session.expire_date - timezone.now()
        assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)

    def test_activity_moves_the_expiry(self, client, cast):
        _login(client, "street_in", CAST_PASSWORD)
        key = client.session.session_key
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))
        assert client.get("/").status_code == 200
        remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
        assert remaining > timedelta(minutes=29)

    def test_an_idle_session_is_over(self, client, cast):
        _login(client, "street_in", CAST_PASSWORD)
        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
class TestForcedPasswordChange:
    def test_an_account_created_by_an_administrator_must_change_its_password(self, client, cast):
        user, initial = services.create_user(
            actor=cast.system_admin, username="newbie", real_name="新同事", org_unit=cast.street
        )
        assert user.must_change_password and user.role == ""
        assert _login(client, "newbie", initial).status_code == 302
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:password_change"))
        api = client.get("/api/me/")
        assert api.status_code == 403
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": initial, "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"},
        )
        assert response.status_code == 302
        assert client.get("/").status_code == 200
        user.refresh_from_db()
        assert not user.must_change_password and user.password_changed_at is not None

    def test_a_token_client_is_held_back_too(self, client, cast):
        user, _initial = services.create_user(
            actor=cast.system_admin, username="robot", real_name="接口", org_unit=cast.street
        )
        token = services.issue_api_token(user=user)
        response = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
        assert response.status_code == 403
        assert "密码" in response.json()["detail"]

    def test_a_password_reset_by_the_administrator_forces_a_change(self, client, cast):
        temporary = services.reset_password(actor=cast.system_admin, user=cast.street_officer)
        assert _login(client, "street_in", temporary).status_code == 302
        assert client.get("/")["Location"].startswith(reverse("accounts:password_change"))


@pytest.mark.django_db
def test_an_overlong_username_is_a_plain_failed_login(client, cast):
    response = client.post(LOGIN, {"username": "x" * 300, "password": "whatever1"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

"""The current password and the 5 before it cannot be chosen again (等保2.0 password management).

The history holds hashes only; every place that sets a password writes it: one's own
change, the administrator's reset, and account creation (the create_account command and
the one-time password of an account the system administrator creates).
"""

from __future__ import annotations

import html
from itertools import pairwise

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from anjian.accounts.models import PasswordHistoryEntry, User
from anjian.accounts.testing import CAST_PASSWORD

# CAST_PASSWORD, then six changes: the current one is PASSWORDS[-1].
PASSWORDS = [CAST_PASSWORD, *[f"Hist#Mima{n}x" for n in range(1, 7)]]


def _change(client, old: str, new: str):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def _change_through_all(client) -> None:
    for old, new in pairwise(PASSWORDS):
        assert _change(client, old, new).status_code == 302, new


@pytest.mark.django_db
class TestOwnChange:
    def test_the_default_remembers_five_previous_passwords(self):
        assert settings.PASSWORD_HISTORY_COUNT == 5

    @pytest.mark.parametrize("back", [0, 1, 2, 3, 4, 5])
    def test_the_current_and_each_of_the_last_five_are_refused(self, client, cast, back):
        client.force_login(cast.street_officer)
        _change_through_all(client)
        current = PASSWORDS[-1]
        reused = PASSWORDS[-1 - back]
        response = _change(client, current, reused)
        assert response.status_code == 200
        assert "不能与当前密码或最近 5 次使用过的密码相同" in response.content.decode()
        user = User.objects.get(pk=cast.street_officer.pk)
        assert user.check_password(current)

    def test_the_sixth_previous_password_is_allowed_again(self, client, cast):
        client.force_login(cast.street_officer)
        _change_through_all(client)
        assert _change(client, PASSWORDS[-1], PASSWORDS[0]).status_code == 302
        assert User.objects.get(pk=cast.street_officer.pk).check_password(PASSWORDS[0])

    def test_the_history_keeps_hashes_and_only_five(self, client, cast):
        client.force_login(cast.street_officer)
        _change_through_all(client)
        stored = list(PasswordHistoryEntry.objects.filter(user=cast.street_officer).values_list("password", flat=True))
        assert len(stored) == 5
        for encoded in stored:
            assert identify_hasher(encoded)
            assert not any(raw in encoded for raw in PASSWORDS)

    def test_the_rule_is_shown_beside_the_form(self, client, cast):
        client.force_login(cast.street_officer)
        page = client.get(reverse("accounts:password_change")).content.decode()
        assert "不能与当前密码或最近 5 次使用过的密码相同" in page


@pytest.mark.django_db
class TestEveryPlaceThatSetsAPassword:
    def test_after_an_administrators_reset_the_previous_password_is_refused(self, client, cast):
        admin = Client()
        admin.force_login(cast.system_admin)
        page = admin.post(reverse("accounts:user_reset_password", args=[cast.street_officer.pk]), follow=True)
        temporary = html.unescape(page.content.decode().split('data-testid="one-time-password">')[1].split("<")[0])
        client.post("/accounts/login/", {"username": "street_in", "password": temporary})
        response = _change(client, temporary, CAST_PASSWORD)
        assert response.status_code == 200
        assert "最近 5 次" in response.content.decode()
        assert _change(client, temporary, "Brand#New2026").status_code == 302

    def test_the_one_time_password_of_a_new_account_cannot_be_kept(self, client, cast):
        admin = Client()
        admin.force_login(cast.system_admin)
        page = admin.post(
            reverse("accounts:user_create"),
            {"username": "xinren", "real_name": "新人", "org_unit": cast.street.pk},
            follow=True,
        ).content.decode()
        initial = html.unescape(page.split('data-testid="one-time-password">')[1].split("<")[0])
        client.post("/accounts/login/", {"username": "xinren", "password": initial})
        response = _change(client, initial, initial)
        assert response.status_code == 200
        assert "最近 5 次" in response.content.decode()

    def test_the_bootstrap_password_of_create_account_cannot_be_kept(self, client, capsys, db):
        call_command("create_account", username="root_sys", real_name="平台系统管理员", role="system_admin")
        initial = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
        client.post("/accounts/login/", {"username": "root_sys", "password": initial})
        response = _change(client, initial, initial)
        assert response.status_code == 200
        assert "最近 5 次" in response.content.decode()
        assert _change(client, initial, "Brand#New2026").status_code == 302
        assert PasswordHistoryEntry.objects.filter(user__username="root_sys").count() == 1

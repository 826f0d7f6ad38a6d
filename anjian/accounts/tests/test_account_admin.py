"""三员分立: the system administrator manages accounts, the security administrator sets roles."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anjian.accounts import services
from anjian.accounts.models import User
from anjian.core.models import AuditEntry


@pytest.mark.django_db
class TestAccountAdministration:
    def test_the_system_administrator_creates_an_account_without_a_role(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            reverse("accounts:user_create"),
            {"username": "xinren", "real_name": "新人", "org_unit": cast.street.pk, "mobile": "13912345678"},
            follow=True,
        )
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        body = response.content.decode()
        user = User.objects.get(username="xinren")
        assert user.role == "" and user.must_change_password
        password = html.unescape(body.split('data-testid="one-time-password">')[1].split("<")[0])
        assert user.check_password(password)
        # Shown once: a reload does not show it again.
        assert password not in client.get(reverse("accounts:one_time_password"), follow=True).content.decode()
        entry = AuditEntry.objects.get(action="accounts.user.create", object_id=str(user.pk))
        assert entry.actor_id == cast.system_admin.pk and "password" not in entry.after

    def test_a_bad_mobile_number_is_refused_in_chinese(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            reverse("accounts:user_create"),
            {"username": "xinren", "real_name": "新人", "org_unit": cast.street.pk, "mobile": "12345"},
        )
        assert response.status_code == 200
        assert "手机" in response.content.decode()
        assert not User.objects.filter(username="xinren").exists()

    def test_the_system_administrator_records_a_law_enforcement_certificate(self, client, cast):
        client.force_login(cast.system_admin)
        response = client.post(
            reverse("accounts:user_edit", args=[cast.inspector.pk]),
            {
                "real_name": cast.inspector.real_name,
                "org_unit": cast.inspector.org_unit_id,
                "enforcement_certificate": "33010620260009",
                "certificate_valid_until": "2030-12-31",
            },
        )
        assert response.status_code == 302
        cast.inspector.refresh_from_db()
        assert cast.inspector.enforcement_certificate == "33010620260009"
        assert cast.inspector.holds_enforcement_certificate(cast.inspector.certificate_valid_until)
        entry = AuditEntry.objects.filter(action="accounts.user.update", object_id=str(cast.inspector.pk)).latest("seq")
        assert entry.after["enforcement_certificate"] == "33010620260009"

    def test_a_duplicate_username_is_refused(self, cast):
        with pytest.raises(ValidationError):
            services.create_user(actor=cast.system_admin, username="STREET_IN", real_name="重复", org_unit=cast.street)

    def test_the_system_administrator_cannot_assign_roles(self, cast):
        with pytest.raises(PermissionDenied):
            services.create_user(
                actor=cast.system_admin, username="boss", real_name="老板", org_unit=cast.city, role="city_admin"
            )
        with pytest.raises(PermissionDenied):
            services.assign_role(actor=cast.system_admin, user=cast.street_officer, role="city_admin")

    def test_the_security_administrator_assigns_a_role_and_it_is_audited(self, client, cast):
        user, _pw = services.create_user(
            actor=cast.system_admin, username="xinren", real_name="新人", org_unit=cast.street
        )
        client.force_login(cast.security_admin)
        response = client.post(reverse("accounts:user_assign_role", args=[user.pk]), {"role": "street_officer"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.role == "street_officer"
        entry = AuditEntry.objects.filter(action="accounts.user.assign_role").latest("seq")
        assert entry.before == {"role": ""} and entry.after == {"role": "street_officer"}

    def test_a_role_that_does_not_fit_the_unit_is_refused(self, cast):
        with pytest.raises(ValidationError):
            services.assign_role(actor=cast.security_admin, user=cast.street_officer, role="department_officer")
        cast.street_officer.refresh_from_db()
        assert cast.street_officer.role == "street_officer"

    def test_nobody_sets_their_own_role(self, client, cast):
        client.force_login(cast.security_admin)
        response = client.post(
            reverse("accounts:user_assign_role", args=[cast.security_admin.pk]), {"role": "city_admin"}
        )
        assert response.status_code == 404
        cast.security_admin.refresh_from_db()
        assert cast.security_admin.role == "security_admin"

    def test_the_audit_administrator_manages_nothing(self, cast):
        with pytest.raises(PermissionDenied):
            services.create_user(actor=cast.audit_admin, username="x1", real_name="x", org_unit=cast.street)
        with pytest.raises(PermissionDenied):
            services.reset_password(actor=cast.audit_admin, user=cast.street_officer)

    def test_a_district_system_administrator_manages_only_its_district(self, cast):
        district_admin, _pw = services.create_user(
            actor=None, username="d_sys", real_name="区系统管理员", org_unit=cast.district, role="system_admin"
        )
        services.update_profile(actor=district_admin, user=cast.street_officer, title="站长")
        with pytest.raises(PermissionDenied):
            services.update_profile(actor=district_admin, user=cast.far_safety_officer, title="科员")
        with pytest.raises(PermissionDenied):
            services.create_user(actor=district_admin, username="far1", real_name="x", org_unit=cast.far_street)

    def test_disabling_an_account_ends_its_access(self, client, cast):
        token = services.issue_api_token(user=cast.street_officer)
        services.set_active(actor=cast.system_admin, user=cast.street_officer, active=False)
        assert client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
        response = client.post("/accounts/login/", {"username": "street_in", "password": "Cast#Pass2026"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session

    def test_an_api_token_carries_the_users_scope(self, client, cast):
        client.force_login(cast.street_officer)
        client.post(reverse("accounts:token_issue"))
        page = client.get(reverse("accounts:profile")).content.decode()
        key = page.split('data-testid="api-token">')[1].split("<")[0]
        client.logout()
        me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").json()
        assert me["scope"]["level"] == "territory" and me["scope"]["territory_ids"] == [cast.street.pk]
        response = client.get(f"/api/org-units/{cast.other_street.pk}/", HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 404

    def test_the_api_creates_accounts_for_the_system_administrator_only(self, client, cast):
        payload = {"username": "api_user", "real_name": "接口用户", "org_unit": cast.street.pk}
        client.force_login(cast.safety_officer)
        assert client.post("/api/users/", payload, content_type="application/json").status_code == 403
        client.force_login(cast.system_admin)
        response = client.post("/api/users/", payload, content_type="application/json")
        assert response.status_code == 201
        assert response.json()["initial_password"]
        response = client.post("/api/users/", {**payload, "org_unit": 10**9}, content_type="application/json")
        assert response.status_code == 400


@pytest.mark.django_db
def test_create_account_bootstraps_a_platform_administrator(capsys):
    from django.core.management import call_command

    call_command("create_account", username="root_sys", real_name="平台系统管理员", role="system_admin")
    user = User.objects.get(username="root_sys")
    password = capsys.readouterr().out.rsplit(": ", 1)[1].strip()
    assert user.check_password(password) and user.must_change_password
    assert user.administered_unit_ids() is None  # the whole platform
    assert AuditEntry.objects.filter(action="accounts.user.create", object_id=str(user.pk)).exists()


@pytest.mark.django_db
def test_create_account_refuses_a_business_role_without_a_unit():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("create_account", username="nobody", real_name="无单位", role="street_officer")
    assert not User.objects.filter(username="nobody").exists()


@pytest.mark.django_db
class TestUserFilters:
    """One FilterSet serves the page and the API, always inside the caller's scope."""

    def test_the_page_filters_by_text_role_and_status(self, client, cast):
        client.force_login(cast.leader)
        body = client.get("/accounts/users/", {"q": "street"}).content.decode()
        assert "street_in" in body and "street_out" in body and ">dept<" not in body
        body = client.get("/accounts/users/", {"role": "department_officer"}).content.decode()
        assert ">dept<" in body and "street_in" not in body
        assert client.get("/accounts/users/", {"status": "bogus", "page": "abc"}).status_code == 200

    def test_the_api_filters_the_same_way(self, client, cast):
        client.force_login(cast.leader)
        rows = client.get("/api/users/", {"role": "street_officer"}).json()["results"]
        assert {r["username"] for r in rows} == {"street_in", "street_out"}
        assert client.get("/api/users/", {"status": "bogus"}).status_code == 400

    def test_filters_never_widen_the_scope(self, client, cast):
        client.force_login(cast.street_officer)
        rows = client.get("/api/users/", {"q": "anban"}).json()["results"]
        assert rows == []
        rows = client.get("/api/org-units/", {"kind": "street"}).json()["results"]
        assert [r["id"] for r in rows] == [cast.street.pk]


@pytest.mark.django_db
class TestSeparationOfTheThreeAdministrators:
    @pytest.mark.parametrize("target", ["audit_admin", "security_admin"])
    def test_the_system_administrator_cannot_take_over_another_administrator(self, client, cast, target):
        account = getattr(cast, target)
        with pytest.raises(PermissionDenied):
            services.reset_password(actor=cast.system_admin, user=account)
        with pytest.raises(PermissionDenied):
            services.set_active(actor=cast.system_admin, user=account, active=False)
        client.force_login(cast.system_admin)
        assert client.post(reverse("accounts:user_reset_password", args=[account.pk])).status_code == 404
        page = client.get(reverse("accounts:user_detail", args=[account.pk])).content.decode()
        assert "重置密码" not in page
        account.refresh_from_db()
        assert account.is_active and account.check_password("Cast#Pass2026")

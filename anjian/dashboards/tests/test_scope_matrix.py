"""The scope matrix: every page and endpoint of the foundation, tried by the whole cast.

200 in scope, 404 out of scope (never a 403 that would confirm the object exists),
a redirect to the login page (pages) or 401 (API) for an anonymous visitor.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.core.audit import record

MEMBERS = [
    "street_officer",
    "other_street_officer",
    "department_officer",
    "inspector",
    "enterprise",
    "leader",
    "safety_officer",
    "city_admin",
    "system_admin",
    "security_admin",
    "audit_admin",
    "far_safety_officer",
    None,  # anonymous
]


def _status_matrix(client, cast, url: str, method: str = "get") -> dict:
    seen = {}
    for member in MEMBERS:
        client.logout()
        if member is not None:
            client.force_login(getattr(cast, member))
        response = getattr(client, method)(url)
        seen[member or "anonymous"] = response.status_code
    return seen


def _expect(default: int, anonymous: int, **overrides: int) -> dict:
    expected = {member or "anonymous": default for member in MEMBERS}
    expected["anonymous"] = anonymous
    expected.update(overrides)
    return expected


PAGE_ANON = 302
API_ANON = 401


def _check(client, cast, url, expected, method="get"):
    seen = _status_matrix(client, cast, url, method)
    mismatches = {k: (seen[k], expected[k]) for k in expected if seen[k] != expected[k]}
    assert not mismatches, f"{url}: (seen, expected) {mismatches}"


@pytest.mark.django_db
class TestPages:
    def test_home_is_open_to_every_account(self, client, cast):
        _check(client, cast, reverse("dashboards:home"), _expect(200, PAGE_ANON))

    def test_own_account_pages_are_open_to_every_account(self, client, cast):
        _check(client, cast, reverse("accounts:profile"), _expect(200, PAGE_ANON))
        _check(client, cast, reverse("accounts:password_change"), _expect(200, PAGE_ANON))

    def test_street_detail_is_seen_by_its_street_and_the_district(self, client, cast):
        expected = _expect(
            404,
            PAGE_ANON,
            street_officer=200,
            leader=200,
            safety_officer=200,
            city_admin=200,
            system_admin=200,
            security_admin=200,
        )
        _check(client, cast, reverse("organizations:unit_detail", args=[cast.street.pk]), expected)

    def test_department_detail_is_seen_by_its_staff_and_the_district(self, client, cast):
        expected = _expect(
            404,
            PAGE_ANON,
            department_officer=200,
            inspector=200,
            leader=200,
            safety_officer=200,
            city_admin=200,
            system_admin=200,
            security_admin=200,
        )
        _check(client, cast, reverse("organizations:unit_detail", args=[cast.emergency.pk]), expected)

    def test_unit_list_is_for_government_staff_and_account_administrators(self, client, cast):
        expected = _expect(200, PAGE_ANON, enterprise=404, audit_admin=404)
        _check(client, cast, reverse("organizations:unit_list"), expected)

    def test_unit_edit_is_for_those_who_manage_units(self, client, cast):
        expected = _expect(404, PAGE_ANON, city_admin=200, system_admin=200)
        _check(client, cast, reverse("organizations:unit_edit", args=[cast.street.pk]), expected)
        _check(client, cast, reverse("organizations:unit_create"), expected)

    def test_mandates_edit_is_for_the_safety_office_of_that_district(self, client, cast):
        expected = _expect(404, PAGE_ANON, safety_officer=200, city_admin=200)
        _check(client, cast, reverse("organizations:mandates_edit", args=[cast.emergency.pk]), expected)

    def test_mandate_matrix_is_for_district_and_city_staff(self, client, cast):
        expected = _expect(404, PAGE_ANON, leader=200, safety_officer=200, city_admin=200, far_safety_officer=200)
        _check(client, cast, reverse("organizations:mandate_matrix"), expected)

    def test_user_list_is_for_administrators_and_district_staff(self, client, cast):
        expected = _expect(
            404,
            PAGE_ANON,
            leader=200,
            safety_officer=200,
            city_admin=200,
            system_admin=200,
            security_admin=200,
            far_safety_officer=200,
        )
        _check(client, cast, reverse("accounts:user_list"), expected)

    def test_user_detail_answers_404_outside_the_district(self, client, cast):
        expected = _expect(
            404, PAGE_ANON, leader=200, safety_officer=200, city_admin=200, system_admin=200, security_admin=200
        )
        _check(client, cast, reverse("accounts:user_detail", args=[cast.street_officer.pk]), expected)

    def test_user_administration_is_for_the_system_administrator(self, client, cast):
        expected = _expect(404, PAGE_ANON, system_admin=200)
        _check(client, cast, reverse("accounts:user_create"), expected)
        _check(client, cast, reverse("accounts:user_edit", args=[cast.street_officer.pk]), expected)

    def test_audit_log_is_for_the_audit_administrator_only(self, client, cast):
        entry = record(action="test.event", object_repr="x", org_unit=cast.city)
        expected = _expect(404, PAGE_ANON, audit_admin=200)
        _check(client, cast, reverse("core:audit_list"), expected)
        _check(client, cast, reverse("core:audit_detail", args=[entry.seq]), expected)


@pytest.mark.django_db
class TestEndpoints:
    def test_me_and_sectors_need_an_account(self, client, cast):
        _check(client, cast, "/api/me/", _expect(200, API_ANON))
        _check(client, cast, "/api/sectors/", _expect(200, API_ANON))
        _check(client, cast, "/api/schema/", _expect(200, API_ANON))
        _check(client, cast, "/api/docs/", _expect(200, API_ANON))

    def test_org_unit_endpoint_answers_404_outside_scope(self, client, cast):
        expected = _expect(
            404,
            API_ANON,
            street_officer=200,
            leader=200,
            safety_officer=200,
            city_admin=200,
            system_admin=200,
            security_admin=200,
        )
        _check(client, cast, f"/api/org-units/{cast.street.pk}/", expected)

    def test_org_unit_list_holds_exactly_the_scope(self, client, cast):
        def ids(user):
            client.force_login(user)
            response = client.get("/api/org-units/", {"page_size": 500})
            assert response.status_code == 200
            return {row["id"] for row in response.json()["results"]}

        assert ids(cast.street_officer) == {cast.street.pk}
        assert ids(cast.department_officer) == {cast.emergency.pk}
        assert ids(cast.enterprise) == set()
        assert ids(cast.audit_admin) == set()
        district_ids = ids(cast.leader)
        assert cast.district.pk in district_ids and cast.street.pk in district_ids
        assert cast.far_street.pk not in district_ids and cast.city.pk not in district_ids
        assert cast.far_street.pk in ids(cast.city_admin)

    def test_user_endpoint_answers_404_outside_scope(self, client, cast):
        expected = _expect(
            404,
            API_ANON,
            street_officer=200,  # their own account
            leader=200,
            safety_officer=200,
            city_admin=200,
            system_admin=200,
            security_admin=200,
        )
        _check(client, cast, f"/api/users/{cast.street_officer.pk}/", expected)

    def test_user_list_shows_only_colleagues(self, client, cast):
        client.force_login(cast.street_officer)
        names = {row["username"] for row in client.get("/api/users/").json()["results"]}
        assert names == {"street_in"}
        client.force_login(cast.leader)
        names = {row["username"] for row in client.get("/api/users/").json()["results"]}
        assert "street_in" in names and "dept" in names
        assert "far_anban" not in names and "sysadmin" not in names

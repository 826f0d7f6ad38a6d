"""No N+1: every list page and API list runs a number of queries that does not grow with its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.accounts.tests.factories import UserFactory
from anjian.core.audit import record
from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.tests.factories import OrgUnitFactory


def _grow(cast, n: int, start: int) -> None:
    OrgUnitFactory(name=f"扩展区{start}", kind=OrgUnitKind.DISTRICT, parent=cast.city)
    for i in range(start, start + n):
        street = OrgUnitFactory(name=f"扩展街道{i}", parent=cast.district)
        UserFactory(username=f"extra{i}", real_name=f"扩展{i}", org_unit=street, must_change_password=True)
        record(action="test.event", object_repr=f"事件{i}", org_unit=cast.city)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


CASES = [
    ("leader", "/accounts/users/"),
    ("system_admin", "/accounts/users/"),
    ("leader", "/org/"),
    ("city_admin", "/org/"),
    ("audit_admin", "/audit/"),
    ("leader", "/org/mandates/"),
    ("leader", "/"),
    ("city_admin", "/"),
    ("system_admin", "/"),
    ("security_admin", "/"),
    ("audit_admin", "/"),
    ("leader", "/api/org-units/"),
    ("leader", "/api/users/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("member", "url"), CASES)
def test_queries_do_not_grow_with_rows(client, cast, member, url):
    client.force_login(getattr(cast, member))
    _grow(cast, 3, 0)
    few = _count(client, url)
    _grow(cast, 12, 100)
    many = _count(client, url)
    assert many == few, f"{url} as {member}: {few} queries with few rows, {many} with more"
    assert few <= 25, f"{url} as {member}: {few} queries"

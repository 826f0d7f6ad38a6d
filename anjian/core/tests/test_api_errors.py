"""Every error of the API in one JSON shape: unknown routes and malformed ids under /api/ answer the JSON 404 (not
the HTML page, never a 500), nested validation errors name their field by its path, and every list refuses a
filter value it cannot read (400) instead of ignoring it and answering every row."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from anjian.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db

SHAPE = {"detail", "code", "errors"}


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_api_token(user=user).key}")
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing-here/",
        "/api/sites/1.5/",
        "/api/sites/1/nothing/",
        "/api/risk-thresholds/abc/",
        "/api/nothing",  # no trailing slash, and nothing to redirect to
        "/api/sites/abc/",
    ],
)
def test_it_answers_json_404_for_any_path_under_api_that_leads_nowhere(cast, client_for, path):
    response = client_for(cast.safety_officer).get(path, follow=True)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。", "code": "not_found", "errors": {}}


def test_it_keeps_the_html_404_page_outside_the_api(cast, client_for):
    response = client_for(cast.safety_officer).get("/nothing-here/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_it_answers_404_for_a_malformed_id_in_an_action(cast):
    response = _token_client(cast.security_admin).put("/api/users/null,null/role/", {"role": ""}, format="json")
    assert response.status_code == 404 and set(response.json()) == SHAPE


def test_it_answers_401_403_and_404_in_the_same_shape(cast, client_for):
    anonymous = APIClient().get("/api/sites/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    assert set(anonymous.json()) == SHAPE and anonymous.json()["errors"] == {}
    refused = _token_client(cast.enterprise).post("/api/sites/", {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert set(refused.json()) == SHAPE
    missing = client_for(cast.safety_officer).get("/api/sites/999999/")
    assert missing.status_code == 404 and set(missing.json()) == SHAPE


def test_it_names_a_nested_field_by_its_path(cast):
    body = {
        "name": "东街仓库",
        "territory": cast.street.pk,
        "sectors": [{"code": "hazchem"}, {"code": 1, "subtype": "x" * 31}],
        "enterprise": {"credit_code": "123"},
    }
    response = _token_client(cast.safety_officer).post("/api/sites/", body, format="json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert set(data) == SHAPE and data["code"] == "invalid"
    assert {"sectors.1.subtype", "enterprise.credit_code"} <= set(data["errors"])
    assert all(isinstance(messages, list) and messages for messages in data["errors"].values())
    assert data["errors"]["enterprise.credit_code"][0] in data["detail"]


def _list_filters():
    """(path, parameter) of every list's query parameter whose values are not free text."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in ("page", "format"):
                continue  # a page past the end and an unknown format are 404, by DRF's rule
            kind = parameter["schema"].get("type")
            if (
                "enum" in parameter["schema"]
                or kind in ("boolean", "integer", "number")
                or parameter["schema"].get("format") in ("date", "date-time")
            ):
                yield path, parameter["name"]


LIST_FILTERS = sorted(_list_filters())


def test_it_knows_the_lists_filters():
    assert ("/api/investigations/", "status") in LIST_FILTERS
    assert ("/api/notifications/", "unread") in LIST_FILTERS
    assert len(LIST_FILTERS) > 50


@pytest.mark.parametrize(("path", "name"), LIST_FILTERS)
def test_every_list_refuses_a_filter_value_it_cannot_read(cast, client_for, path, name):
    response = client_for(cast.safety_officer).get(path, {name: "AAA"})
    assert response.status_code == 400, (path, name, response.status_code)
    assert name in response.json()["errors"]


def test_it_refuses_a_null_character_in_any_text_of_a_body(cast):
    """PostgreSQL stores no NUL character: a related field's lookup of one was a 500 there."""
    client = _token_client(cast.safety_officer)
    campaign = {"name": "专项", "kind": "special", "starts_on": "2026-01-01", "ends_on": "2026-02-01",
                "deadline": "2026-02-01", "sectors": ["hazchem", "\x00"]}  # fmt: skip
    for path, body, field in [
        ("/api/campaigns/", campaign, "sectors.1"),
        ("/api/accidents/", {"sector": "\x00", "summary": "x"}, "sector"),
    ]:
        for kind in ("json", "multipart"):
            response = client.post(path, body, format=kind)
            assert response.status_code == 400, (path, kind, response.content)
            named = field if kind == "json" else field.split(".")[0]  # a form names the list, not the item
            assert named in response.json()["errors"]


def test_it_answers_404_for_a_null_character_in_a_path(cast, client_for):
    response = client_for(cast.safety_officer).get("/api/sectors/%00/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"

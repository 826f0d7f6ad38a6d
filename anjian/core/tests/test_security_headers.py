"""Every response carries the Content-Security-Policy and the Permissions-Policy: pages, API answers, error pages.
The camera and the position are allowed only on the field inspection pages that use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import path, reverse

from anjian.inspections import services
from anjian.inspections.testing import found_hazard, loop_place, short_checklist
from config import urls as project_urls

ROOT = Path(__file__).resolve().parents[3]
POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "report-uri /csp-report/",
]
REFUSED = ("camera", "geolocation", "microphone", "payment", "usb", "serial", "display-capture")


def _boom(request):
    raise RuntimeError("a defect in a view")


# The project's URLs and one view that fails, to see the headers on the server error page.
urlpatterns = [*project_urls.urlpatterns, path("boom/", _boom)]


def _policy(response) -> list[str]:
    return [directive.strip() for directive in response["Content-Security-Policy"].split(";")]


def _features(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


def _assert_strict(response, *, allowed: tuple[str, ...] = ()) -> None:
    policy = _policy(response)
    assert all(directive in policy for directive in POLICY), policy
    assert not any("unsafe" in directive or "nonce" in directive for directive in policy), policy
    features = _features(response)
    for feature in REFUSED:
        assert features[feature] == ("(self)" if feature in allowed else "()"), (feature, features)


@pytest.fixture
def place(cast):
    return loop_place(cast)


@pytest.mark.django_db
def test_a_page_an_api_answer_and_the_swagger_page_carry_both_policies(cast, client_for):
    client = client_for(None)
    _assert_strict(client.get(reverse("accounts:login")))
    _assert_strict(client.get("/api/sites/"))  # 401 to the anonymous
    client = client_for(cast.street_officer)
    _assert_strict(client.get(reverse("dashboards:home")))
    api = client.get("/api/sites/")
    assert api.status_code == 200 and api["Content-Type"].startswith("application/json")
    _assert_strict(api)
    # The API page needs no exception: its start-up script is a file of its own, its styles a stylesheet.
    docs = client.get(reverse("swagger-ui"))
    _assert_strict(docs)
    body = docs.content.decode()
    assert "<style" not in body and "<script>" not in body
    script = client.get(reverse("swagger-ui"), {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_error_pages_carry_both_policies(cast, client_for):
    client = client_for(cast.street_officer)
    missing = client.get(reverse("registry:site_detail", args=[999_999]))
    assert missing.status_code == 404
    _assert_strict(missing)
    client.raise_request_exception = False
    failed = client.get("/boom/")
    assert failed.status_code == 500
    _assert_strict(failed)
    assert "css/error.css" in failed.content.decode()  # its style is a stylesheet, not an inline <style>


@pytest.mark.django_db
def test_the_camera_and_the_position_are_allowed_only_on_the_field_inspection_pages(cast, place, client_for):
    client = client_for(cast.street_officer)
    checklist = short_checklist(cast)
    start = client.get(reverse("inspections:inspection_start"), {"site": place.pk})
    assert start.status_code == 200
    _assert_strict(start, allowed=("geolocation",))
    inspection = services.start_inspection(actor=cast.street_officer, site=place, checklist=checklist)
    record = client.get(reverse("inspections:inspection_record", args=[inspection.pk]))
    assert record.status_code == 200
    _assert_strict(record, allowed=("geolocation", "camera"))
    hazard = found_hazard(cast, place, seed=2)
    detail = client.get(reverse("inspections:hazard_detail", args=[hazard.pk]))
    assert detail.status_code == 200
    # The hazard page is field work too: photos of a rectification, the position of an on-site verification.
    _assert_strict(detail, allowed=("camera", "geolocation"))
    for url in (
        reverse("dashboards:home"),
        reverse("registry:site_detail", args=[place.pk]),
        reverse("inspections:inspection_detail", args=[inspection.pk]),
        reverse("registry:site_map"),
        reverse("inspections:task_list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response)


def test_a_tile_server_is_added_to_the_images_the_policy_allows():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "from django.conf import settings; print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = subprocess.run(  # the settings read MAP_TILE_URL once, at start
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "MAP_TILE_URL": "https://{s}.tiles.gov.example/{z}/{x}/{y}.png",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["'self'", "data:", "blob:", "https://*.tiles.gov.example"]


REPORT = {
    "csp-report": {
        "document-uri": "http://anjian.example/places/map/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "http://anjian.example/places/map/",
        "original-policy": "default-src 'self'",
    }
}


@pytest.mark.django_db
def test_a_refused_resource_reported_by_the_browser_reaches_the_log(client, caplog):
    with caplog.at_level("WARNING", logger="anjian.security.csp"):
        response = client.post("/csp-report/", json.dumps(REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    (record,) = [r for r in caplog.records if r.name == "anjian.security.csp"]
    logged = record.getMessage()
    assert '"blocked-uri": "inline"' in logged and "/places/map/" in logged
    assert "original-policy" not in logged  # only the named fields, never the whole body


@pytest.mark.django_db
def test_the_report_endpoint_refuses_what_is_no_report_without_a_server_error(client, caplog):
    with caplog.at_level("WARNING", logger="anjian.security.csp"):
        assert client.post("/csp-report/", "not json", content_type="application/csp-report").status_code == 400
        assert client.post("/csp-report/", "[1, 2]", content_type="application/json").status_code == 400
        assert client.post("/csp-report/", '{"csp-report": 5}', content_type="application/json").status_code == 400
        nested = "[" * 8000 + "]" * 8000
        assert client.post("/csp-report/", nested, content_type="application/json").status_code == 400
        assert client.post("/csp-report/", b"\xff\xfe", content_type="application/json").status_code == 400
        big = '{"csp-report": {"blocked-uri": "' + "x" * 20000 + '"}}'
        assert client.post("/csp-report/", big, content_type="application/csp-report").status_code == 413
        assert client.get("/csp-report/").status_code == 405
    assert not [r for r in caplog.records if r.name == "anjian.security.csp"]

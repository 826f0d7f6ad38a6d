"""The Content-Security-Policy in a real browser: what it refuses is reported to the browser tests (so any page
that breaks it fails its test), and the API's Swagger UI works under it without an exception."""

from __future__ import annotations

import pytest
from django.test import Client

from anjian.accounts.testing import build_cast
from anjian.conftest import PolicyWatchingBrowser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_inline_script_or_style_is_reported_to_the_test(chromium, app_server):
    watching = PolicyWatchingBrowser(chromium)
    page = watching.new_page()
    page.goto(f"{app_server.url}/accounts/login/")
    assert watching.collect() == []  # the login page itself keeps the policy
    page = watching.new_page()
    page.goto(f"{app_server.url}/accounts/login/")
    ran = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.appendChild(script);
          document.body.setAttribute("style", "background: red");
          return window.__ran === true;
        }"""
    )
    assert ran is False
    page.wait_for_timeout(300)  # the violation events are dispatched after the task
    violations = "\n".join(watching.collect())
    assert "script-src" in violations and "style-src" in violations, violations


def test_the_api_page_works_under_the_policy(browser, app_server):
    cast = build_cast()
    client = Client()
    client.force_login(cast.street_officer)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": app_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{app_server.url}/api/docs/")
    # The schema was fetched and every operation listed (Swagger UI's own scripts and styles, none inline).
    page.wait_for_selector(".swagger-ui .opblock-summary", timeout=30_000)
    assert page.locator(".swagger-ui .opblock-tag").count() >= 10
    assert errors == []

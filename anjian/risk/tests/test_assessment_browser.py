"""The assessment form in a real browser: "add a risk point" copies the empty point, renumbered, and the new
point's method shows its own factors and is saved with the assessment."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.accounts.testing import build_cast
from anjian.registry.testing import make_site
from anjian.risk.models import RiskAssessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_risk_point_is_added_renumbered_and_saved(browser, app_server):
    cast = build_cast()
    site = make_site(district=cast.district, territory=cast.street, name="东街仓库")
    client = Client()
    client.force_login(cast.street_officer)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": app_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{app_server.url}{reverse('risk:assessment_create', args=[site.pk])}")
    points = page.locator("#risk-points [data-testid=risk-point-form]")
    assert points.count() == 3
    page.locator("#add-risk-point").click()
    assert points.count() == 4
    assert page.input_value("input[name='points-TOTAL_FORMS']") == "4"
    added = points.nth(3)
    assert added.locator("[name*='__prefix__'], [id*='__prefix__'], [for*='__prefix__']").count() == 0
    added.locator("input[name='points-3-name']").fill("装卸区")
    added.locator("select[name='points-3-accident_type']").select_option("vehicle")
    added.locator("select[name='points-3-method']").select_option("ls")
    assert added.locator("[data-method=lec]").is_hidden() and added.locator("[data-method=ls]").is_visible()
    added.locator("select[name='points-3-ls_l']").select_option("3")
    added.locator("select[name='points-3-ls_s']").select_option("3")
    page.fill("input[name=assessed_on]", timezone.localdate().isoformat())
    page.get_by_role("button", name="保存评估").click()
    page.wait_for_url(f"**/places/{site.pk}/?tab=risk")
    assessment = RiskAssessment.objects.get(site=site)
    assert [(p.name, p.method) for p in assessment.points.all()] == [("装卸区", "ls")]
    assert errors == []

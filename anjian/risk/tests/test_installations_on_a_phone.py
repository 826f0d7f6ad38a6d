"""In a real browser on a phone (375 px): the register of major hazard installations, a unit's identification
and the place's tab fit the screen and show the level, S and R; the register's filter narrows by level."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from anjian.accounts.testing import CAST_PASSWORD, build_cast
from anjian.risk.tests.installation_places import build_places

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


def _seed_catalogue() -> None:
    """The flushed database of a browser test lost the catalogue the data migration seeded: seed it again."""
    importlib.import_module("anjian.risk.migrations.0002_seed_substances").seed(apps, None)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_register_and_a_unit_fit_a_phone(browser, app_server, artifacts_dir):
    _seed_catalogue()
    cast = build_cast()
    places = build_places(cast)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/accounts/login/?next=/risk/installations/")
        page.fill("input[name=username]", "anban")
        page.fill("input[name=password]", CAST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_selector("[data-testid=installation-table]")
        rows = page.locator("[data-installation]")
        assert rows.count() == 2
        assert _fits(page)
        page.screenshot(path=str(artifacts_dir / "h5-installations-phone.png"), full_page=True)

        page.get_by_role("button", name="筛选").first.click()
        page.select_option("select[name=level]", "2")
        page.locator("#installation-filters button[type=submit]").click()
        page.wait_for_selector("[data-testid=installation-table]")
        assert page.locator("[data-installation]").count() == 1
        assert "光气车间" in page.inner_text("[data-testid=installation-table]")

        page.goto(f"{app_server.url}/risk/installations/units/{places.chlorine.pk}/")
        assert page.inner_text("[data-testid=s-value]") == "1.6000"
        assert page.inner_text("[data-testid=r-value]") == "12.8000"
        assert _fits(page)
        page.screenshot(path=str(artifacts_dir / "h5-identification-phone.png"), full_page=True)

        page.goto(f"{app_server.url}/places/{places.east.pk}/?tab=major_hazards")
        page.wait_for_selector("[data-testid=major-hazard-unit]")
        assert page.locator("[data-testid=major-hazard-unit]").count() == 2
        assert page.locator("[data-testid=tab-unidentifiable]").count() == 1
        page.screenshot(path=str(artifacts_dir / "h5-tab-phone.png"), full_page=True)
    finally:
        context.close()
